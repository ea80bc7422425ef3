"""The lean /sparql path (api.fastpath) answers exactly as the full FastAPI path: the same
status, body, media type and headers for answers and problems; the limits still hold."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from api.fastpath import SparqlFastPath
from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE
from tests.reliability.support import assert_problem

SELECT = "PREFIX kg: <https://w3id.org/newskg/ns#> SELECT ?id WHERE { ?d kg:documentId ?id }"
COMPARED = ("content-type", "vary", "kg-results-truncated", "warning", "content-security-policy",
            "x-content-type-options", "x-frame-options", "referrer-policy")  # fmt: skip


@pytest.fixture
def small_rows(tmp_path: Path, sample_store: OxigraphStore) -> Iterator[TestClient]:
    """An app that cuts SELECT answers at 1 row, with a small body limit."""
    from api.main import create_app

    settings = Settings(store_path=tmp_path / "s", base_iri=SAMPLE_BASE, max_rows=1,
                        max_body_bytes=2_000)  # fmt: skip
    with TestClient(create_app(settings, store=sample_store)) as client:
        yield client


def _same(fast: httpx.Response, full: httpx.Response) -> None:
    assert fast.status_code == full.status_code
    assert fast.content == full.content
    for name in COMPARED:
        assert fast.headers.get(name) == full.headers.get(name), name


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (SELECT, "application/sparql-results+json"),
        (SELECT, "text/csv"),
        ("ASK { ?s ?p ?o }", "application/sparql-results+xml"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3", "text/turtle"),
        ("SELECT WHERE {", "application/sparql-results+json"),  # 400 problem
        (SELECT, "image/png"),  # 406 problem
        ("SELECT * WHERE { SERVICE <http://elsewhere.example/sparql> { ?s ?p ?o } }", None),
    ],
    ids=["json", "csv", "ask-xml", "construct", "syntax", "not-acceptable", "service-refused"],
)
def test_fastpath_answers_as_the_full_path(
    small_rows: TestClient, query: str, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    fast_get = small_rows.get("/sparql", params={"query": query}, headers=headers)
    fast_post = small_rows.post("/sparql", content=query.encode(), headers={
        **headers, "Content-Type": "application/sparql-query"})  # fmt: skip
    full = small_rows.post("/sparql", data={"query": query}, headers=headers)  # a form: full path
    _same(fast_get, full)
    _same(fast_post, full)


def test_fastpath_row_cap_headers(small_rows: TestClient) -> None:
    answer = small_rows.get("/sparql", params={"query": SELECT, "format": "nonsense"})
    assert answer.status_code == 200
    assert answer.headers["kg-results-truncated"] == "1"
    assert "KG_MAX_ROWS" in answer.headers["warning"]
    assert "format=nonsense" in answer.headers["warning"]


def test_fastpath_body_over_the_limit_is_413(small_rows: TestClient) -> None:
    declared = small_rows.post("/sparql", content=b"#" * 3_000,
                               headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert assert_problem(declared, 413, "KG_MAX_BODY_BYTES")["limit"] == 2_000

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read, on the fast path
        for _ in range(3):
            yield b"#" * 1_000

    chunked = small_rows.post("/sparql", content=chunks(),
                              headers={"Content-Type": "application/sparql-query"})  # fmt: skip
    assert assert_problem(chunked, 413, "KG_MAX_BODY_BYTES")["limit"] == 2_000
    assert small_rows.get("/sparql", params={"query": "ASK {}"}).status_code == 200


def test_fastpath_head_over_the_limit_is_431(api_client: TestClient) -> None:
    answer = api_client.get("/sparql", params={"query": "ASK {}"}, headers={"x-big": "a" * 20_000})
    assert_problem(answer, 431, "KG_MAX_HEADER_BYTES")


def test_fastpath_leaves_other_requests_to_the_full_path(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "s", base_iri=SAMPLE_BASE,
                        cors_origins="https://a.example")  # fmt: skip

    async def app(scope: object, receive: object, send: object) -> None:  # never called
        raise AssertionError

    fast = SparqlFastPath(app, settings=settings, state=None)

    def scope(method: str, path: str, query: bytes = b"", **headers: str) -> dict[str, object]:
        raw = [(k.replace("_", "-").encode(), v.encode()) for k, v in headers.items()]
        return {"type": "http", "method": method, "path": path, "raw_path": path.encode(),
                "query_string": query, "headers": raw}  # fmt: skip

    ask = b"query=ASK%7B%7D"
    form = "application/x-www-form-urlencoded"

    assert fast.handles(scope("GET", "/sparql", b"query=ASK%7B%7D"))
    assert fast.handles(scope("GET", "/sparql/", b"query=ASK%7B%7D"))
    assert fast.handles(scope("POST", "/sparql", content_type="application/sparql-query"))
    assert not fast.handles(scope("GET", "/sparql"))  # the service description
    assert not fast.handles(scope("HEAD", "/sparql", b"query=ASK%7B%7D"))
    assert not fast.handles(scope("GET", "/documents", b"query=x"))
    assert not fast.handles(scope("POST", "/sparql", content_type="application/sparql-update"))
    assert not fast.handles(scope("POST", "/sparql", content_type=form))
    assert not fast.handles(scope("GET", "/sparql", ask, origin="https://a.example"))  # CORS
    assert not fast.handles(scope("GET", "/sparql", ask, x_big="a" * 20_000))  # the 431


def test_fastpath_update_in_a_get_is_refused_as_before(api_client: TestClient) -> None:
    # `query=` appears, but it is an update parameter's value: the full path answers
    answer = api_client.get("/sparql", params={"update": "query=1"})
    full = api_client.post("/sparql", data={"update": "query=1"})
    assert answer.status_code in (400, 403)
    assert full.status_code == answer.status_code
