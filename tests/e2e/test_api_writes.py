"""POST and DELETE /documents and the validation report through a real uvicorn server.

The writing server runs on an on-disk store with a /sparql worker process
(KG_QUERY_WORKERS=1), so every check that /sparql sees a write (or no longer sees it) goes
through a process that must reopen the store. Extraction uses the real spaCy pipeline; only
three short fixture articles are extracted in the whole module.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from rdflib import Graph, Literal, URIRef

from api.main import create_app
from kg.config import Settings
from kg.iris import short_hash
from kg.namespaces import SH
from kg.store import OxigraphStore
from tests.e2e.test_server import ThreadedServer, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

TOKEN = "s3cret-write-token"  # noqa: S105 - a test token
AUTH = {"authorization": f"Bearer {TOKEN}"}
LIMIT = 60_000
ARTICLES = Path(__file__).parent.parent / "fixtures" / "articles"
KG = "https://w3id.org/newskg/ns#"
PROBLEM = "application/problem+json"
TRIPLES = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
REGISTRY_TRIPLES = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o }"
    " FILTER(STRENDS(STR(?g), '/graph/actors')) }"
)
#: An actor the registry describes that no stored article names (kg.registry).
ORPHANS = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?r { ?a <https://w3id.org/newskg/ns#actorKey> ?k }"
    " FILTER(STRENDS(STR(?r), '/graph/actors'))"
    " FILTER NOT EXISTS { GRAPH ?g { ?x <https://w3id.org/newskg/ns#namingOf> ?a } } }"
)
TEXT = (
    "Russian President Vladimir Putin said on Tuesday that he was ready to meet the Ukrainian"
    " leader, but that the talks would have to take account of the situation on the ground."
)


def _article(name: str) -> tuple[str, dict[str, Any]]:
    text = (ARTICLES / f"{name}.txt").read_text(encoding="utf-8")
    meta = json.loads((ARTICLES / f"{name}.txt.meta.json").read_text(encoding="utf-8"))
    return text, meta


class Served:
    """A running server: its URL, port and store folder."""

    def __init__(self, url: str, port: int, folder: Path) -> None:
        self.url = url
        self.port = port
        self.folder = folder


def _serve(folder: Path, nlp: Any, **settings: Any) -> Iterator[Served]:
    config = Settings(store_path=folder / "store", **settings)
    OxigraphStore(config.store_path).close()  # an empty store on disk
    port = free_port()
    server = ThreadedServer(
        uvicorn.Config(
            create_app(config, nlp_factory=lambda: nlp),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            lifespan="on",
        )
    )
    with server.running():
        yield Served(f"http://127.0.0.1:{port}", port, folder)


@pytest.fixture(scope="module")
def writer(tmp_path_factory: pytest.TempPathFactory, real_nlp: Any) -> Iterator[Served]:
    """A server with writes enabled, an on-disk store and one /sparql worker process."""
    yield from _serve(
        tmp_path_factory.mktemp("writes"),
        real_nlp,
        write_token=TOKEN,
        query_workers=1,
        max_body_bytes=LIMIT,
    )


@pytest.fixture
def client(writer: Served) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=writer.url, timeout=60) as http:
        yield http


def _sparql(client: httpx.Client, query: str) -> list[dict[str, Any]]:
    response = client.post(
        "/sparql",
        content=query,
        headers={
            "content-type": "application/sparql-query",
            "accept": "application/sparql-results+json",
        },
    )
    assert response.status_code == 200, response.text
    bindings: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return bindings


def _store_triples(client: httpx.Client) -> int:
    return int(_sparql(client, TRIPLES)[0]["n"]["value"])


def _sparql_sees(client: httpx.Client, doc_id: str) -> bool:
    rows = _sparql(
        client,
        f'SELECT ?d WHERE {{ GRAPH ?g {{ ?d <{KG}documentId> "{doc_id}" }} }}',
    )
    return bool(rows)


def _ids(client: httpx.Client) -> list[str]:
    page = client.get("/documents", params={"limit": 500}).json()
    return [item["id"] for item in page["items"]]


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM
    problem: dict[str, Any] = response.json()
    assert problem["status"] == status
    return problem


# --- the write cycle ------------------------------------------------------------------------


def test_api_writes_post_repost_duplicate_validate_delete(client: httpx.Client) -> None:
    text, meta = _article("fx_001_kremlin_call")
    url = "https://news.example/2025/05/22/kremlin-call"
    before = _store_triples(client)

    created = client.post("/documents", json={"text": text, **meta, "url": url}, headers=AUTH)
    assert created.status_code == 201, created.text
    doc_id = "u" + short_hash(url)
    assert created.headers["location"] == f"/documents/{doc_id}"
    body = created.json()
    assert body["status"] == "added"
    assert body["document"]["id"] == doc_id
    assert body["document"]["file"] is None
    assert body["document"]["title"] == meta["title"]
    assert body["document"]["published"] == "2025-05-22"
    assert body["document"]["url"] == url
    counts = body["counts"]
    assert counts["actors"] > 0
    assert counts["positions"] + counts["events"] + counts["quotes"] > 0

    # every reader sees it: the REST routes (main process) and /sparql (worker process)
    assert client.get(created.headers["location"]).json()["id"] == doc_id
    assert doc_id in _ids(client)
    positions = client.get("/positions", params={"document": doc_id}).json()
    assert positions["total"] == counts["positions"]
    assert client.get(f"/documents/{doc_id}/text").text == text
    assert _sparql_sees(client, doc_id)
    after = _store_triples(client)
    assert after > before  # the article graph (and the vocabularies of a new store)
    in_graph = _sparql(
        client,
        f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?d <{KG}documentId> "{doc_id}" }}'
        " GRAPH ?g { ?s ?p ?o } }",
    )
    assert int(in_graph[0]["n"]["value"]) == counts["triples"]

    # the same content again: 200, the same document and counts, nothing written
    again = client.post("/documents", json={"text": text, **meta, "url": url}, headers=AUTH)
    assert again.status_code == 200, again.text
    assert again.json()["status"] == "unchanged"
    assert again.json()["document"] == body["document"]
    assert again.json()["counts"] == counts
    assert _store_triples(client) == after

    # the same content under another id: 200 pointing at the stored one, nothing written
    copy = client.post("/documents", json={"text": text, "id": "copy-of-call"}, headers=AUTH)
    assert copy.status_code == 200, copy.text
    assert copy.json()["status"] == "duplicate"
    assert copy.json()["document"]["id"] == doc_id
    assert copy.headers["content-location"] == f"/documents/{doc_id}"
    assert _problem(client.get("/documents/copy-of-call"), 404)
    assert _store_triples(client) == after

    # its SHACL report, as JSON and as pySHACL's Turtle
    report = client.get(f"/documents/{doc_id}/validation")
    assert report.status_code == 200, report.text
    assert report.json() == {
        "document": doc_id,
        "conforms": True,
        "results": [],
        "triples": counts["triples"],
    }
    turtle = client.get(f"/documents/{doc_id}/validation", headers={"accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=turtle.text, format="turtle")
    assert (None, SH.conforms, Literal(True)) in graph
    assert (None, None, URIRef(str(SH) + "ValidationReport")) in graph

    # removal: 204, then nobody sees it any more, and the actors only it named left the registry
    registry = int(_sparql(client, REGISTRY_TRIPLES)[0]["n"]["value"])
    removed = client.delete(f"/documents/{doc_id}", headers=AUTH)
    assert removed.status_code == 204
    assert removed.content == b""
    _problem(client.get(f"/documents/{doc_id}"), 404)
    assert doc_id not in _ids(client)
    gone = client.get("/positions", params={"document": doc_id})  # an id naming nothing
    assert _problem(gone, 422)["errors"][0]["parameter"] == "document"
    assert not _sparql_sees(client, doc_id)
    left = registry - int(_sparql(client, REGISTRY_TRIPLES)[0]["n"]["value"])
    assert left > 0  # the fixture article names actors no other stored article names
    assert _store_triples(client) == after - counts["triples"] - left
    assert int(_sparql(client, ORPHANS)[0]["n"]["value"]) == 0
    _problem(client.delete(f"/documents/{doc_id}", headers=AUTH), 404)
    _problem(client.get(f"/documents/{doc_id}/validation"), 404)


def test_api_writes_text_plain_then_replace(client: httpx.Client) -> None:
    text, meta = _article("fx_006_news_summit")
    params = {"id": "summit", "title": meta["title"], "published": "2025-06-01"}
    created = client.post(
        "/documents",
        content=text.encode("utf-8"),
        params=params,
        headers={**AUTH, "content-type": "text/plain; charset=utf-8"},
    )
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/documents/summit"
    assert created.json()["document"]["title"] == meta["title"]
    assert created.json()["document"]["published"] == "2025-06-01"
    old_hash = created.json()["document"]["content_hash"]

    # the same id with other content replaces the article whole
    other, _ = _article("fx_005_opinion_ultimatum")
    replaced = client.post("/documents", json={"text": other, "id": "summit"}, headers=AUTH)
    assert replaced.status_code == 200, replaced.text
    assert replaced.json()["status"] == "replaced"
    document = client.get("/documents/summit").json()
    assert document["content_hash"] != old_hash
    assert document["title"] is None
    assert client.get("/documents/summit/text").text == other
    in_graph = _sparql(
        client,
        f'SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?d <{KG}documentId> "summit" }}'
        " GRAPH ?g { ?s ?p ?o } }",
    )
    assert int(in_graph[0]["n"]["value"]) == replaced.json()["counts"]["triples"]
    assert client.delete("/documents/summit", headers=AUTH).status_code == 204


def test_api_writes_concurrent_posts_of_one_article_store_it_once(client: httpx.Client) -> None:
    text, _ = _article("fx_003_analysis_summit")
    body = {"text": text, "id": "summit-analysis"}
    with ThreadPoolExecutor(max_workers=3) as pool:
        answers = list(
            pool.map(lambda _: client.post("/documents", json=body, headers=AUTH), range(3))
        )
    assert sorted(a.status_code for a in answers) == [200, 200, 201]
    assert sorted(a.json()["status"] for a in answers) == ["added", "unchanged", "unchanged"]
    assert len({json.dumps(a.json()["counts"]) for a in answers}) == 1
    assert client.delete("/documents/summit-analysis", headers=AUTH).status_code == 204


# --- refusals (no extraction runs) ----------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "status"),
    [({}, 401), ({"authorization": "Basic czNjcmV0"}, 401), ({"authorization": "Bearer no"}, 403)],
)
def test_api_writes_need_the_token(
    client: httpx.Client, headers: dict[str, str], status: int
) -> None:
    before = _store_triples(client)
    posted = _problem(client.post("/documents", json={"text": TEXT}, headers=headers), status)
    deleted = client.delete("/documents/anything", headers=headers)
    _problem(deleted, status)
    if status == 401:
        assert "KG_WRITE_TOKEN" in posted["detail"]
        assert deleted.headers["www-authenticate"].startswith("Bearer")
    else:
        assert posted["detail"] == "the bearer token is not this server's write token"
    assert _store_triples(client) == before


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"text": ""}, "the article is empty"),
        ({"text": "   \n  "}, "the article is empty"),
        ({"text": "<html><body><div><p>a</p><p>b</p></div></body></html>"}, "looks like HTML"),
        (
            {
                "text": "Der Präsident sagte am Dienstag, er sei bereit, den ukrainischen"
                " Staatschef zu treffen, aber die Lage an der Front müsse man dabei beachten."
            },
            "does not look like English",
        ),
        (  # 17 words: fewer than the function-word check needs
            {
                "text": "Путин снова заявил в четверг, что Россия никогда не примет членство"
                " Украины в альянсе без гарантий безопасности."
            },
            "the text is not English (100% of its letters are Cyrillic)",
        ),
        ({"text": TEXT, "published": "22/05/2025"}, "'published' must be an ISO date"),
        ({"text": TEXT, "url": "news.example/x"}, "field 'url' must be an http(s) URL"),
        ({"text": TEXT, "summary": "x"}, "unknown field 'summary'"),
        ({"text": TEXT + "\x1b[31m"}, "control character U+001B"),
        ({"text": TEXT, "id": "a/b"}, "is not a document id"),
    ],
)
def test_api_writes_refuse_bad_articles(
    client: httpx.Client, body: dict[str, Any], message: str
) -> None:
    before = _store_triples(client)
    problem = _problem(client.post("/documents", json=body, headers=AUTH), 422)
    assert message in problem["detail"]
    assert problem["instance"] == "/documents"
    assert _store_triples(client) == before


def test_api_writes_refuse_other_media_types(client: httpx.Client) -> None:
    problem = _problem(
        client.post(
            "/documents", content=b"<p>x</p>", headers={**AUTH, "content-type": "text/html"}
        ),
        415,
    )
    assert "application/json" in problem["detail"]
    _problem(client.post("/documents", data={"text": TEXT}, headers=AUTH), 415)


def test_api_writes_refuse_binary_text(client: httpx.Client) -> None:
    problem = _problem(
        client.post(
            "/documents",
            content=b"PK\x03\x04\x00\x00binary",
            headers={**AUTH, "content-type": "text/plain"},
        ),
        422,
    )
    assert "binary" in problem["detail"]


# --- the body limit ---------------------------------------------------------------------------


def _raw_exchange(port: int, head: bytes, parts: list[bytes]) -> tuple[int, dict[str, str], bytes]:
    """Send a request head and body parts over a plain socket; read one response."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head)
        for part in parts:
            sock.sendall(part)
        data = b""
        while b"\r\n\r\n" not in data:
            data += sock.recv(65536)
        head_bytes, _, rest = data.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        headers = {k.lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(headers["content-length"])
        while len(rest) < length:
            rest += sock.recv(65536)
        return int(lines[0].split()[1]), headers, rest[:length]


def test_api_writes_declared_length_over_the_limit_is_413_before_reading(writer: Served) -> None:
    declared = 50 * LIMIT
    head = (
        "POST /documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: application/json\r\n"
        f"Content-Length: {declared}\r\n\r\n"
    ).encode()
    # only 1 kB of the declared body is ever sent: the answer cannot wait for the rest
    status, headers, body = _raw_exchange(writer.port, head, [b'{"text": "' + b"x" * 1000])
    assert status == 413
    assert headers["content-type"] == PROBLEM
    problem = json.loads(body)
    assert problem["limit"] == LIMIT
    assert f"{declared:,} bytes" in problem["detail"]
    assert "KG_MAX_BODY_BYTES" in problem["detail"]


def test_api_writes_chunked_body_over_the_limit_is_413(writer: Served) -> None:
    head = (
        "POST /documents HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Authorization: Bearer {TOKEN}\r\nContent-Type: text/plain\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()
    chunk = b"word " * 2000
    parts = [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * (2 * LIMIT // len(chunk)) + [b"0\r\n\r\n"]
    status, _, body = _raw_exchange(writer.port, head, parts)
    assert status == 413
    assert json.loads(body)["limit"] == LIMIT


def test_api_writes_body_limit_covers_every_route(client: httpx.Client) -> None:
    big = "x" * (LIMIT + 1)

    def streamed() -> Iterator[bytes]:  # no Content-Length: sent chunked
        yield ('ASK { ?s ?p "' + big + '" }').encode()

    for response in (
        client.post(
            "/sparql", content=streamed(), headers={"content-type": "application/sparql-query"}
        ),
        client.post("/sparql", data={"query": big}),
        client.post("/update", data={"update": big}, headers=AUTH),
        client.post("/documents", json={"text": big}, headers=AUTH),
    ):
        _problem(response, 413)
    # the connection and the server are fine afterwards
    assert client.get("/health").status_code == 200


# --- the validation report ------------------------------------------------------------------


def test_api_writes_validation_of_unknown_document_is_404(client: httpx.Client) -> None:
    problem = _problem(client.get("/documents/nothing-here/validation"), 404)
    assert "nothing-here" in problem["detail"]
    _problem(client.get("/documents/nothing-here/validation", headers={"accept": "image/png"}), 406)


# --- writes disabled ----------------------------------------------------------------------------


@pytest.fixture
def read_only(tmp_path: Path, real_nlp: Any) -> Iterator[Served]:
    """A server without KG_WRITE_TOKEN (threads instead of worker processes: cheaper)."""
    yield from _serve(tmp_path, real_nlp, query_workers=0)


def test_api_writes_disabled_without_a_write_token(read_only: Served) -> None:
    with httpx.Client(base_url=read_only.url, timeout=30) as client:
        for headers in ({}, {"authorization": "Bearer anything"}):
            posted = _problem(client.post("/documents", json={"text": TEXT}, headers=headers), 403)
            assert "KG_WRITE_TOKEN" in posted["detail"]
            _problem(client.delete("/documents/x", headers=headers), 403)
        assert client.get("/documents").json()["total"] == 0
