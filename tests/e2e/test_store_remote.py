"""The remote store against a real `oxigraph serve`: put/remove/query/dump, `kg build` through
KG_STORE_URL, and the REST API and /sparql answering the same as on the embedded store."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from rdflib.compare import isomorphic

from api.main import create_app
from kg.build import read_graph
from kg.config import Settings
from kg.errors import NotFoundError, QuerySyntaxError, StoreError
from kg.store import OxigraphStore, RemoteStore, open_store
from tests.conftest import SAMPLE_BASE, load_trig, read_trig

pytestmark = pytest.mark.e2e

ALPHA = f"{SAMPLE_BASE}graph/alpha"
BETA = f"{SAMPLE_BASE}graph/beta"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def remote(oxigraph_server: Callable[..., str]) -> Iterator[RemoteStore]:
    store = RemoteStore(oxigraph_server() + "/query")
    yield store
    store.close()


def _count(store: RemoteStore | OxigraphStore, sparql: str = COUNT, **kwargs: object) -> int:
    result = store.query(sparql, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, ox.QuerySolutions)
    term = next(iter(result))["n"]
    assert term is not None
    return int(term.value)


def test_remote_put_query_remove(remote: RemoteStore, sample_store: OxigraphStore) -> None:
    load_trig(remote)
    assert remote.graph_iris() == sample_store.graph_iris()
    assert remote.has_graph(ALPHA)
    # the default graph is the union of the named graphs, as on the embedded store
    assert _count(remote) == _count(sample_store) > 0
    assert _count(remote, default_graph=[ALPHA]) == _count(sample_store, default_graph=[ALPHA])
    ask = remote.query("ASK { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(ask, ox.QueryBoolean)
    assert bool(ask)
    triples = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ALPHA}> {{ ?s ?p ?o }} }}")
    assert isinstance(triples, ox.QueryTriples)
    assert len(list(triples)) == len(read_graph(sample_store, ALPHA))
    assert isomorphic(read_graph(remote, ALPHA), read_graph(sample_store, ALPHA))
    stats = remote.stats()
    assert stats.graphs == len(sample_store.graph_iris())
    assert stats.triples == sample_store.stats().triples

    replaced = read_trig(Path(__file__).parents[1] / "fixtures" / "sample.trig")[BETA]
    assert remote.put_graph(ALPHA, replaced) == len(replaced)  # replace, not add
    assert isomorphic(read_graph(remote, ALPHA), read_graph(remote, BETA))

    assert remote.remove_graph(ALPHA) is True
    assert remote.remove_graph(ALPHA) is False
    assert remote.graph_iris() == [g for g in sample_store.graph_iris() if g != ALPHA]


def test_remote_dump_dataset_and_errors(remote: RemoteStore) -> None:
    load_trig(remote)
    trig = remote.dump(ox.RdfFormat.TRIG)
    names = {q.graph_name for q in ox.parse(trig, format=ox.RdfFormat.TRIG)}
    assert {ox.NamedNode(ALPHA), ox.NamedNode(BETA)} <= names
    with pytest.raises(NotFoundError):
        remote.dump(ox.RdfFormat.TURTLE, f"{SAMPLE_BASE}graph/nope")
    with pytest.raises(ValueError, match="named graphs"):
        remote.dump(ox.RdfFormat.TURTLE)
    with pytest.raises(QuerySyntaxError):
        remote.query("SELECT WHERE")


def test_remote_graph_store_protocol_dump(
    oxigraph_server: Callable[..., str], sample_store: OxigraphStore
) -> None:
    url = oxigraph_server()
    store = RemoteStore(url + "/query", gsp_url=url + "/store")
    try:
        load_trig(store)
        assert isomorphic(read_graph(store, ALPHA), read_graph(sample_store, ALPHA))
        turtle = store.dump(ox.RdfFormat.TURTLE, ALPHA)
        assert len(list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))) == len(
            read_graph(sample_store, ALPHA)
        )
        with pytest.raises(NotFoundError):
            store.dump(ox.RdfFormat.TURTLE, f"{SAMPLE_BASE}graph/nope")
    finally:
        store.close()


def test_remote_unreachable_is_a_store_error() -> None:
    store = RemoteStore("http://127.0.0.1:9/query", timeout=2)
    with pytest.raises(StoreError, match="cannot reach"):
        store.graph_iris()
    store.close()


def test_remote_union_default_graph_server(oxigraph_server: Callable[..., str]) -> None:
    store = RemoteStore(
        oxigraph_server(union_default_graph=True) + "/query", union_default_graph=True
    )
    try:
        load_trig(store)
        memory = OxigraphStore()
        load_trig(memory)
        assert _count(store) == _count(memory)
        memory.close()
    finally:
        store.close()


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (
            {"store_url": "http://ann:pw@127.0.0.1:1/query"},
            "Basic " + base64.b64encode(b"ann:pw").decode(),
        ),
        (
            {"store_url": "http://127.0.0.1:1/q", "store_user": "bo", "store_password": "x"},
            "Basic " + base64.b64encode(b"bo:x").decode(),
        ),
        ({"store_url": "http://127.0.0.1:1/q", "store_token": "tok"}, "Bearer tok"),
    ],
)
def test_remote_credentials(settings: dict[str, str], expected: str) -> None:
    store = open_store(Settings(**settings))  # type: ignore[arg-type]
    assert isinstance(store, RemoteStore)
    assert "@" not in store.query_url
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers.get("authorization", ""))
        body = b'{"head": {}, "boolean": true}'
        return httpx.Response(
            200, content=body, headers={"content-type": "application/sparql-results+json"}
        )

    auth = store.client.auth
    store.close()
    store._client = httpx.Client(auth=auth, transport=httpx.MockTransport(answer))
    assert store.has_graph("http://e/g")
    assert seen == [expected]
    store.close()
    assert isinstance(Settings(store_token=SecretStr("t")).store_token, SecretStr)


def test_remote_rest_api_and_sparql_answer_as_embedded(
    oxigraph_server: Callable[..., str], sample_store: OxigraphStore
) -> None:
    url = oxigraph_server() + "/query"
    seeded = RemoteStore(url)
    load_trig(seeded)
    seeded.close()
    settings = Settings(store_url=url, base_iri=SAMPLE_BASE)
    paths = [
        "/documents",
        "/documents/alpha",
        "/actors",
        "/actors/vladimir-putin",
        "/positions",
        "/events?document=alpha",
        "/quotes",
    ]
    queries = [
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 50",
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    ]
    with (
        TestClient(create_app(settings)) as on_remote,
        TestClient(create_app(settings, store=sample_store)) as embedded,
    ):
        for path in paths:
            got, want = on_remote.get(path), embedded.get(path)
            assert got.status_code == want.status_code == 200, path
            assert got.json() == want.json(), path
        for sparql in queries:
            got, want = (
                c.get(
                    "/sparql",
                    params={"query": sparql},
                    headers={"accept": "text/tab-separated-values"},
                )
                for c in (on_remote, embedded)
            )
            assert got.status_code == 200
            assert got.text == want.text


@pytest.mark.slow
def test_remote_kg_build_through_store_url(
    oxigraph_server: Callable[..., str], tmp_path: Path
) -> None:
    url = oxigraph_server() + "/query"
    articles = tmp_path / "articles"
    articles.mkdir()
    for path in (REPO / "tests" / "fixtures" / "articles").glob("fx_001_*"):
        shutil.copy(path, articles / path.name)
    env = {**os.environ, "KG_STORE_URL": url, "KG_STORE_PATH": str(tmp_path / "unused")}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", str(articles)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "1 added" in result.stdout
    store = RemoteStore(url)
    try:
        documents = [iri for iri in store.graph_iris() if "/graph/fx_001" in iri]
        assert len(documents) == 1
        assert len(read_graph(store, documents[0])) > 20
    finally:
        store.close()
    assert not (tmp_path / "unused").exists()
