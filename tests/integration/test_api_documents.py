"""GET /documents, /documents/{id}, /documents/{id}/text on the sample dataset; a SPARQL update
waits for a document write in progress."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import httpx
import pytest
from fastapi.testclient import TestClient
from spacy.language import Language

from api.main import create_app
from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE

CONTRACT_FIELDS = {"id", "file", "title", "url", "outlet", "author", "published"}


def test_api_documents_lists_contract_fields(api_client: TestClient) -> None:
    response = api_client.get("/documents")
    assert response.status_code == 200
    page = response.json()
    assert page["total"] == 2
    assert page["limit"] == 100
    assert page["offset"] == 0
    assert [d["id"] for d in page["items"]] == ["alpha", "beta"]
    alpha, beta = page["items"]
    assert alpha.keys() >= CONTRACT_FIELDS
    assert alpha["file"] == "alpha.txt"
    assert alpha["title"] == "Putin rules out NATO"
    assert alpha["url"] == "https://example.org/alpha"
    assert alpha["outlet"] == "National Post"
    assert alpha["author"] == "Tara Stone"
    assert alpha["published"] == "2025-03-12"
    assert beta["file"] is None
    assert beta["author"] is None


@pytest.mark.parametrize(
    ("limit", "offset", "ids"), [(1, 0, ["alpha"]), (1, 1, ["beta"]), (5, 2, [])]
)
def test_api_documents_pages(
    api_client: TestClient, limit: int, offset: int, ids: list[str]
) -> None:
    page = api_client.get("/documents", params={"limit": limit, "offset": offset}).json()
    assert [d["id"] for d in page["items"]] == ids
    assert page["total"] == 2
    assert (page["limit"], page["offset"]) == (limit, offset)


def test_api_document_detail_lists_actors_with_types(api_client: TestClient) -> None:
    detail = api_client.get("/documents/alpha").json()
    assert detail.keys() >= CONTRACT_FIELDS
    actors = {a["id"]: a for a in detail["actors"]}
    assert actors["vladimir-putin"] == {
        "id": "vladimir-putin",
        "name": "Vladimir Putin",
        "aliases": ["The Russian leader", "Vladimir Putin"],
        "type": "Person",
        "iri": "http://127.0.0.1:8000/id/actor/vladimir-putin",
    }
    assert actors["moscow"]["type"] == "Place"
    assert actors["ukraine"]["type"] == "Country"
    assert "donald-trump" not in actors  # named in beta only


def test_api_document_aliases_are_scoped_to_the_document(api_client: TestClient) -> None:
    beta = {a["id"]: a for a in api_client.get("/documents/beta").json()["actors"]}
    assert beta["vladimir-putin"]["aliases"] == ["Putin"]  # not alpha's, not the registry's


def test_api_document_text_is_exact_plain_text(api_client: TestClient) -> None:
    response = api_client.get("/documents/beta/text")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text.startswith("Volodymyr Zelenskyy rejected the plan.")
    assert "Erdoğan" in response.text


def test_api_document_mentions_are_exact_spans_with_their_actor(api_client: TestClient) -> None:
    text = api_client.get("/documents/alpha/text").text
    response = api_client.get("/documents/alpha/mentions")
    assert response.status_code == 200
    mentions = response.json()
    spans = [(m["evidence"]["start"], m["evidence"]["end"]) for m in mentions]
    assert spans == sorted(spans)
    assert spans[:2] == [(0, 14), (43, 47)]
    for mention in mentions:
        evidence = mention["evidence"]
        assert evidence["document"] == "alpha"
        assert text[evidence["start"] : evidence["end"]] == evidence["text"]
        assert mention["iri"] == f"{SAMPLE_BASE}id/document/{mention['id']}"
    first = mentions[0]
    assert first["id"] == "alpha/mention/0-14"
    assert first["actor"] == {
        "id": "vladimir-putin",
        "name": "Vladimir Putin",
        "aliases": ["The Russian leader", "Vladimir Putin"],  # alpha's, as /documents/alpha
        "type": "Person",
        "iri": f"{SAMPLE_BASE}id/actor/vladimir-putin",
    }
    putin = [m["evidence"]["text"] for m in mentions if m["actor"]["id"] == "vladimir-putin"]
    assert putin == ["Vladimir Putin", "The Russian leader"]


def test_api_document_mentions_are_the_documents_own(api_client: TestClient) -> None:
    mentions = api_client.get("/documents/beta/mentions").json()
    assert mentions
    assert {m["evidence"]["document"] for m in mentions} == {"beta"}
    assert all(m["id"].startswith("beta/mention/") for m in mentions)


def test_api_document_mentions_refuse_unknown_parameters(api_client: TestClient) -> None:
    response = api_client.get("/documents/alpha/mentions", params={"limit": 5})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path", ["/documents/nope", "/documents/nope/text", "/documents/nope/mentions"]
)
def test_api_document_unknown_is_404_problem(api_client: TestClient, path: str) -> None:
    response = api_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 404
    assert problem["instance"] == path
    assert "nope" in problem["detail"]


def test_api_document_id_with_quotes_is_not_injected(api_client: TestClient) -> None:
    response = api_client.get('/documents/alpha" } } ; DROP ALL ; { "')
    assert response.status_code == 404
    assert api_client.get("/documents").json()["total"] == 2


@pytest.mark.parametrize(
    ("params", "titles"),
    [
        ({"q": "putin"}, ["Putin rules out NATO"]),
        ({"q": "KYÏV"}, ["Kyiv rejects the plan"]),  # case- and accent-folded
        ({"from": "2025-03-13"}, ["Kyiv rejects the plan"]),
        ({"to": "2025-03-12"}, ["Putin rules out NATO"]),
        ({"q": "nothing like this"}, []),
    ],
)
def test_api_documents_search_and_dates(
    api_client: TestClient, params: dict[str, str], titles: list[str]
) -> None:
    page = api_client.get("/documents", params=params).json()
    assert [d["title"] for d in page["items"]] == titles
    assert page["total"] == len(titles)


def test_api_documents_bad_date_is_422_naming_it(api_client: TestClient) -> None:
    answer = api_client.get("/documents", params={"from": "March"})
    assert answer.status_code == 422
    assert answer.headers["content-type"] == "application/problem+json"
    assert "from" in answer.json()["detail"]


TOKEN = "t0ken"  # noqa: S105 - a test token
AUTH = {"authorization": f"Bearer {TOKEN}"}
ARTICLE = "Russian President Vladimir Putin said on Tuesday that he was ready to meet the leader."


DROP = "DROP GRAPH <http://127.0.0.1:8000/graph/late>"


@pytest.mark.parametrize(
    ("path", "content", "media_type"),
    [
        ("/update", urlencode({"update": DROP}), "application/x-www-form-urlencoded"),
        ("/sparql", DROP, "application/sparql-update"),
    ],
)
def test_api_sparql_update_waits_for_a_document_write(
    memory_store: OxigraphStore, path: str, content: str, media_type: str
) -> None:
    """An update sent while POST /documents is inside its write is applied after that write,
    never in the middle: both go through the one document writer."""
    import spacy

    from kg.nlp.common import register_extensions

    inside, release = threading.Event(), threading.Event()

    def slow_nlp() -> Language:  # runs inside the POST's write (the pipeline loads lazily)
        inside.set()
        assert release.wait(30)
        register_extensions()
        return spacy.blank("en")

    settings = Settings(base_iri=SAMPLE_BASE, write_token=TOKEN)
    app = create_app(settings, store=memory_store, nlp_factory=slow_nlp)
    with TestClient(app) as client, ThreadPoolExecutor(2) as pool:
        posted = pool.submit(
            client.post, "/documents", json={"text": ARTICLE, "id": "late"}, headers=AUTH
        )
        assert inside.wait(30)
        headers = {**AUTH, "content-type": media_type}
        updated = pool.submit(client.post, path, content=content, headers=headers)
        with pytest.raises(TimeoutError):
            updated.result(timeout=0.5)  # queued behind the write
        assert not posted.done()
        release.set()
        post: httpx.Response = posted.result(timeout=30)
        update: httpx.Response = updated.result(timeout=30)
        assert post.status_code == 201, post.text
        assert update.status_code == 204, update.text
        # applied after the write: the article's graph it drops is gone again
        assert client.get("/documents/late").status_code == 404
