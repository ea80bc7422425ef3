"""Lookups of one quad pattern answered in the serving process (api.sparql.execute_lookup,
api.fastpath): the same bytes as the worker path in every format, the row bound kept, and a
lookup with more solutions handed back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.sparql import SparqlRequest, execute, execute_lookup
from kg.config import Settings
from kg.errors import QuerySyntaxError, StoreError
from kg.sparql_lexer import tokenize
from kg.sparql_lookup import quad_lookup
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE

S = "http://example.org/s"
G = "http://example.org/g"
#: Literals each format must escape: quotes, commas, tabs, newlines, markup.
AWKWARD = ["plain", 'a "quoted", comma', "tab\there", "two\nlines", "<result>&</result>", "été"]


@pytest.fixture
def store() -> OxigraphStore:
    store = OxigraphStore(None)
    subject = ox.NamedNode(S)
    graph = ox.NamedNode(G)
    quads = [
        ox.Quad(subject, ox.NamedNode(f"http://example.org/p{i}"), ox.Literal(text), graph)
        for i, text in enumerate(AWKWARD)
    ]
    quads += [
        ox.Quad(subject, ox.NamedNode("http://example.org/n"), ox.Literal(str(i)), ox.NamedNode(G))
        for i in range(40)
    ]
    store.store.extend(quads)
    return store


def _both(store: OxigraphStore, query: str, accept: str, rows: int) -> tuple[Any, Any]:
    request = SparqlRequest(query=query)
    lookup = quad_lookup(tokenize(query))
    assert lookup is not None
    lane = execute_lookup(store, request, lookup, accept=accept, rows=rows)
    worker = execute(store, request, accept=accept, format_name=None, max_rows=rows)
    return lane, worker


FORMATS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]  # fmt: skip


@pytest.mark.parametrize("accept", FORMATS)
@pytest.mark.parametrize(
    "query",
    [
        f"SELECT ?p ?o WHERE {{ <{S}> ?p ?o }}",
        f"SELECT * {{ GRAPH ?g {{ <{S}> ?p ?o }} }} LIMIT 5",
        f"SELECT ?o {{ <{S}> <http://example.org/p3> ?o }}",
        "SELECT ?s { ?s ?p 'nothing' }",
        f"ASK {{ <{S}> ?p ?o }}",
    ],
    ids=["all", "own-limit", "one", "none", "ask"],
)
def test_the_lane_answers_the_bytes_of_the_worker_path(
    store: OxigraphStore, query: str, accept: str
) -> None:
    lane, worker = _both(store, query, accept, rows=1_000)
    assert lane == worker


@pytest.mark.parametrize("accept", FORMATS)
def test_a_lookup_with_more_rows_than_the_bound_is_handed_back(
    store: OxigraphStore, accept: str
) -> None:
    query = f"SELECT ?p ?o {{ <{S}> ?p ?o }}"  # 46 solutions
    lane, worker = _both(store, query, accept, rows=45)
    assert lane is None
    assert worker.truncated == 45
    lane, worker = _both(store, query, accept, rows=46)  # exactly the bound: answered
    assert lane == worker
    assert worker.truncated is None


def test_a_lookup_whose_own_limit_is_within_the_bound_is_answered(store: OxigraphStore) -> None:
    lane, worker = _both(store, f"SELECT ?o {{ <{S}> ?p ?o }} LIMIT 10", "text/csv", rows=10)
    assert lane == worker
    assert worker.truncated is None
    assert lane.body.count(b"\r\n") == 11  # the header and ten rows


def test_the_lane_raises_the_worker_paths_errors(store: OxigraphStore) -> None:
    query = "SELECT ?o { <http://example.org/s> nope:p ?o }"  # an unknown prefix
    lookup = quad_lookup(tokenize(query))
    assert lookup is not None
    request = SparqlRequest(query=query)
    with pytest.raises(QuerySyntaxError) as lane:
        execute_lookup(store, request, lookup, accept=None, rows=10)
    with pytest.raises(QuerySyntaxError) as worker:
        execute(store, request, accept=None, format_name=None, max_rows=10)
    assert lane.value.message == worker.value.message


class _NoWorkers:
    """An executor that fails every query: whatever answers did not reach it."""

    timeout = 5.0
    sent: list[str]

    def __init__(self) -> None:
        self.sent = []

    async def arun(self, request: SparqlRequest, **_: object) -> object:
        self.sent.append(request.query or "")
        raise StoreError("the query went to the workers")

    def close(self) -> None:
        """Nothing to stop."""


@pytest.fixture
def client(tmp_path: Path, store: OxigraphStore) -> Iterator[tuple[TestClient, _NoWorkers]]:
    from api.main import create_app

    settings = Settings(store_path=tmp_path / "s", base_iri=SAMPLE_BASE, max_rows=1_000)
    app = create_app(settings, store=store)
    with TestClient(app) as test_client:
        app.state.executor = executor = _NoWorkers()
        yield test_client, executor


def test_the_fast_path_answers_a_lookup_without_the_workers(
    client: tuple[TestClient, _NoWorkers],
) -> None:
    test_client, executor = client
    query = f"SELECT ?p ?o {{ <{S}> ?p ?o }}"
    response = test_client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) == 46
    assert executor.sent == []
    joined = f"SELECT ?p ?o {{ <{S}> ?p ?o . ?o ?q ?r }}"  # not a lookup: to the workers
    assert test_client.get("/sparql", params={"query": joined}).status_code == 503
    assert executor.sent == [joined]


def test_a_lookup_over_the_bound_goes_to_the_workers(
    client: tuple[TestClient, _NoWorkers], monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.fastpath

    monkeypatch.setattr(api.fastpath, "LOOKUP_ROWS", 45)
    test_client, executor = client
    query = f"SELECT ?p ?o {{ <{S}> ?p ?o }}"  # 46 solutions, KG_MAX_ROWS 1,000
    assert test_client.get("/sparql", params={"query": query}).status_code == 503
    assert executor.sent == [query]
