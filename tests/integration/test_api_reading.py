"""What an analyst reads, on the bundled articles through REST: every statement's sentence shows
who said it, and every document has a title to cite (slow: the real pipeline)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.build import Builder, Status
from kg.config import Settings
from kg.nlp.sentences import PRONOUN_TYPES
from kg.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"
ALL = {"limit": 500}


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    from api.main import create_app

    settings = Settings(store_path=tmp_path_factory.mktemp("store"), max_rows=5000)
    store = OxigraphStore()
    outcomes = Builder(settings, store).build([ARTICLES])
    assert {o.status for o in outcomes} == {Status.ADDED}
    with TestClient(create_app(settings, store=store)) as test_client:
        yield test_client
    store.close()


def _items(client: TestClient, path: str) -> list[dict[str, Any]]:
    response = client.get(path, params=ALL)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def _byline_actors(client: TestClient) -> set[str]:
    """Actors standing for a document's author or outlet: the writer's own opinion."""
    from kg.iris import slugify

    docs = _items(client, "/documents")
    return {slugify(d[k]) for d in docs for k in ("author", "outlet") if d[k]}


MENTIONS = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?doc ?key ?start ?end WHERE {
  ?m a kg:Mention ; kg:refersTo/kg:actorKey ?key ;
     kg:evidence [ oa:hasSource/kg:documentId ?doc ;
                   oa:hasSelector [ oa:start ?start ; oa:end ?end ] ] .
}"""


def _mentions(client: TestClient) -> set[tuple[str, str, int, int]]:
    """(document, actor, start, end) of every mention the extractor resolved."""
    response = client.get(
        "/sparql", params={"query": MENTIONS}, headers={"Accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    return {
        (r["doc"]["value"], r["key"]["value"], int(r["start"]["value"]), int(r["end"]["value"]))
        for r in rows
    }


def test_reading_every_position_sentence_shows_its_holder(client: TestClient) -> None:
    positions = _items(client, "/positions")
    texts = {
        d["id"]: client.get(f"/documents/{d['id']}/text").text for d in _items(client, "/documents")
    }
    writers = _byline_actors(client)
    mentions = _mentions(client)
    assert positions
    for p in positions:
        sentence, mention, evidence = p["sentence"], p["holder_mention"], p["evidence"]
        text = texts[p["document"]]
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert sentence["start"] <= evidence["start"] <= evidence["end"] <= sentence["end"]
        if mention is None:
            assert p["actor"]["id"] in writers, f"no holder shown for {p['id']}: {sentence}"
            continue
        assert sentence["start"] <= mention["start"] <= mention["end"] <= sentence["end"], p
        assert text[mention["start"] : mention["end"]] == mention["text"]
        where = (p["document"], p["actor"]["id"], mention["start"], mention["end"])
        pronoun = mention["text"].lower() in PRONOUN_TYPES
        assert pronoun or where in mentions, f"{mention} is no mention of {p['actor']['id']}"


def test_reading_events_and_quotes_carry_their_sentence(client: TestClient) -> None:
    for path in ("/events", "/quotes"):
        items = _items(client, path)
        assert items
        for item in items:
            sentence, evidence = item["sentence"], item["evidence"]
            assert sentence["start"] <= evidence["start"] <= evidence["end"] <= sentence["end"]
            assert evidence["text"] in sentence["text"]
    quotes = _items(client, "/quotes")
    assert all(q["holder_mention"] is not None for q in quotes)


def test_reading_every_document_has_a_display_title(client: TestClient) -> None:
    docs = {d["id"]: d for d in _items(client, "/documents")}
    assert len(docs) == len(list(ARTICLES.glob("*.txt")))
    for doc_id, doc in docs.items():
        assert doc["display_title"].strip(), doc_id
        assert doc["display_title"] != doc_id
        if doc["title"]:
            assert doc["display_title"] == doc["title"]
    untitled = docs["001_5352769525018259"]
    assert untitled["title"] is None
    assert untitled["display_title"].startswith("U.S. President Donald Trump")
    assert (
        client.get("/documents/001_5352769525018259").json()["display_title"]
        == (untitled["display_title"])
    )
