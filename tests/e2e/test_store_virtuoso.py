"""The remote store against a real Virtuoso Open Source 7 (`virtuoso-t`, tests/utils/virtuoso.py):
writes through the authenticated `/sparql-auth` (Digest), `kg build` and `kg serve` through
KG_STORE_URL giving the same graphs, query rows and REST answers as the embedded store, what an
article write guarantees there, and what a timed-out query does on the server.

The server is shared by the session; each test starts by dropping the graphs newskg wrote.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from api.main import create_app
from kg.build import read_graph
from kg.config import Settings
from kg.errors import QueryTimeoutError, StoreError
from kg.store import OxigraphStore, RemoteStore
from tests.conftest import SAMPLE_BASE, load_trig
from tests.e2e.test_iris_port import _readme_sparql_example
from tests.e2e.test_server import free_port
from tests.integration.test_registry import IRIS, assert_exact, put, remove, renamed_putin
from tests.integration.test_registry_counts import documented_queries
from tests.utils.extraction import demo_extraction
from tests.utils.talks import talks_one, talks_two
from tests.utils.virtuoso import GRAPH_PREFIX, Virtuoso

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
ALPHA = f"{SAMPLE_BASE}graph/alpha"
BETA = f"{SAMPLE_BASE}graph/beta"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
E = Namespace("http://example.org/")
#: A cross join of Virtuoso's own metadata graph (~2,500 triples) four times over: hours of work.
RUNAWAY = (
    "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <http://www.openlinksw.com/schemas/virtrdf#> {"
    " ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } }"
)


@pytest.fixture
def virtuoso(virtuoso_server: Virtuoso) -> Virtuoso:
    """The session's server, emptied of newskg's graphs."""
    virtuoso_server.clear()
    return virtuoso_server


@pytest.fixture
def remote(virtuoso: Virtuoso) -> Iterator[RemoteStore]:
    store = virtuoso.store()
    yield store
    store.close()


def _count(store: RemoteStore | OxigraphStore, sparql: str = COUNT, **kwargs: object) -> int:
    result = store.query(sparql, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, ox.QuerySolutions)
    term = next(iter(result))["n"]
    assert term is not None
    return int(term.value)


def _rows(store: RemoteStore | OxigraphStore, sparql: str) -> list[tuple[str | None, ...]]:
    result = store.query(sparql)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(None if s[n] is None else str(s[n]) for n in names) for s in result]


# --- the store ----------------------------------------------------------------------------------


def test_virtuoso_put_query_remove(remote: RemoteStore, sample_store: OxigraphStore) -> None:
    load_trig(remote)
    # Virtuoso's own graphs (virtrdf#, ldp#, …) are outside KG_STORE_GRAPH_PREFIX
    assert remote.graph_iris() == sample_store.graph_iris()
    unscoped = RemoteStore(remote.query_url)
    assert set(unscoped.graph_iris()) > set(remote.graph_iris())
    unscoped.close()
    assert _count(remote) == _count(sample_store) > 0
    assert _count(remote, default_graph=[ALPHA]) == _count(sample_store, default_graph=[ALPHA])
    ask = remote.query(f"ASK {{ GRAPH <{ALPHA}> {{ ?s ?p ?o }} }}")
    assert isinstance(ask, ox.QueryBoolean)
    assert bool(ask)
    # a graph of the store's that holds nothing: no match (Virtuoso alone would match it once)
    none = f"{GRAPH_PREFIX}none"
    nothing = remote.query(f"ASK {{ GRAPH <{none}> {{ ?s ?p ?o }} }}")
    assert isinstance(nothing, ox.QueryBoolean)
    assert not bool(nothing)
    assert _count(remote, f"SELECT (COUNT(*) AS ?n) {{ GRAPH <{none}> {{ ?s ?p ?o }} }}") == 0
    triples = remote.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ALPHA}> {{ ?s ?p ?o }} }}")
    assert isinstance(triples, ox.QueryTriples)
    assert len(list(triples)) == len(read_graph(sample_store, ALPHA))
    for iri in sample_store.graph_iris():
        assert isomorphic(read_graph(remote, iri), read_graph(sample_store, iri)), iri
    assert remote.stats() == sample_store.stats()
    dataset = remote.dump(ox.RdfFormat.N_QUADS)
    assert len(dataset.splitlines()) == sample_store.stats().triples

    beta = read_graph(sample_store, BETA)
    assert remote.put_graph(ALPHA, beta) == len(beta)  # replace, not add
    assert isomorphic(read_graph(remote, ALPHA), beta)
    assert remote.remove_graph(ALPHA) is True
    assert remote.remove_graph(ALPHA) is False
    assert remote.graph_iris() == [g for g in sample_store.graph_iris() if g != ALPHA]


def test_virtuoso_literals_round_trip(remote: RemoteStore) -> None:
    """Datatypes, language tags, escapes, characters outside the BMP and a long literal come
    back as they were written."""
    graph = Graph()
    values = [
        Literal("plain"),
        Literal("Grüße", lang="de"),
        Literal("en-GB", lang="en-gb"),
        Literal("2025-03-12", datatype=XSD.date),
        Literal("2025-03-12T10:00:00Z", datatype=XSD.dateTime),
        Literal("2025-03", datatype=XSD.gYearMonth),
        Literal("42", datatype=XSD.integer),
        Literal("0.95", datatype=XSD.decimal),
        Literal("true", datatype=XSD.boolean),
        Literal("x", datatype=URIRef("http://example.org/custom")),
        Literal('a "quoted" \\ back\nslash\ttab'),
        Literal("\U0001f30d emoji \u2014 dash"),
        Literal("long " * 40_000),
    ]
    for index, value in enumerate(values):
        graph.add((E[f"s{index}"], E.p, value))
    iri = f"{GRAPH_PREFIX}literals"
    assert remote.put_graph(iri, graph) == len(values)
    back = read_graph(remote, iri)
    assert sorted(o.n3() for o in back.objects()) == sorted(o.n3() for o in graph.objects())
    assert isomorphic(back, graph)


def test_virtuoso_credentials(virtuoso: Virtuoso) -> None:
    """The anonymous endpoint is read-only, and a wrong password is refused."""
    iri = f"{GRAPH_PREFIX}refused"
    anonymous = RemoteStore(virtuoso.query_url)
    try:
        with pytest.raises(StoreError, match="answered 500"):
            anonymous.put_graph(iri, _numbered(1, "x"))
    finally:
        anonymous.close()
    wrong = virtuoso.store(store_password="wrong-" + virtuoso.password)
    try:
        with pytest.raises(StoreError, match="refused the credentials"):
            wrong.put_graph(iri, _numbered(1, "x"))
    finally:
        wrong.close()
    store = virtuoso.store()
    try:
        assert not store.has_graph(iri)
        assert store.put_graph(iri, Graph()) == 0  # an empty graph is an absent one
        assert not store.has_graph(iri)
    finally:
        store.close()


# --- articles: add, replace, remove ---------------------------------------------------------


def test_virtuoso_article_add_replace_remove_keeps_the_registry_exact(
    remote: RemoteStore,
) -> None:
    put(remote, demo_extraction())
    put(remote, talks_one("talks-one"))
    put(remote, talks_two("talks-two"))
    assert_exact(remote)
    put(remote, renamed_putin("demo"))
    registry = assert_exact(remote)
    assert not [s for s in registry.subjects() if str(s).endswith("/tara-stone")]
    remove(remote, "talks-one")
    assert_exact(remote)
    remove(remote, "demo")
    remove(remote, "talks-two")
    assert not remote.query(f"ASK {{ GRAPH <{IRIS.registry_graph()}> {{ ?s ?p ?o }} }}")


def _numbered(count: int, tag: str) -> Graph:
    graph = Graph()
    for index in range(count):
        graph.add((E[f"s{index}"], E.p, Literal(f"{tag}{index}")))
    return graph


def test_virtuoso_readers_see_a_replaced_graph_whole(
    remote: RemoteStore, virtuoso: Virtuoso
) -> None:
    """While one connection replaces a graph back and forth, another counts it: every count is
    the old graph's or the new one's, never an empty or half-written graph."""
    iri = f"{GRAPH_PREFIX}isolation"
    small, large = _numbered(300, "a"), _numbered(500, "b")
    remote.put_graph(iri, small)
    reader = virtuoso.store()
    seen: Counter[int] = Counter()
    done = threading.Event()

    def count() -> None:
        query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}"
        while not done.is_set():
            seen[_count(reader, query, use_default_graph_as_union=False)] += 1

    thread = threading.Thread(target=count)
    thread.start()
    try:
        for turn in range(30):
            remote.put_graph(iri, large if turn % 2 == 0 else small)
    finally:
        done.set()
        thread.join()
        reader.close()
    assert sum(seen.values()) > 0
    assert set(seen) <= {300, 500}


def _replace_then_fail(iri: str) -> str:
    """An article-like replace of `iri`, then an operation that fails when it runs."""
    insert = f'INSERT DATA {{ GRAPH <{iri}> {{ <{E.s}> <{E.p}> "new" }} }}'
    return f"DROP SILENT GRAPH <{iri}> ; {insert} ; DROP GRAPH <{E['never-created']}>"


def test_virtuoso_failed_request_keeps_its_earlier_operations(remote: RemoteStore) -> None:
    """What Virtuoso does NOT guarantee (docs/stores.md): when an operation of a multi-operation
    update fails, the operations before it stay applied (oxigraph serve rolls the whole request
    back: the next test). newskg's article write is DROP SILENT + INSERT DATA, whose INSERT has
    no runtime failure of its own, but a server dying between the two leaves the graph empty."""
    iri = f"{GRAPH_PREFIX}partial"
    remote.put_graph(iri, _numbered(3, "old"))
    with pytest.raises(StoreError):
        remote.update(_replace_then_fail(iri))
    assert _rows(remote, f"SELECT ?o WHERE {{ GRAPH <{iri}> {{ ?s ?p ?o }} }}") == [('"new"',)]


def test_oxigraph_serve_failed_request_changes_nothing(oxigraph_server: object) -> None:
    """The same request on `oxigraph serve`: one transaction, nothing applied."""
    assert callable(oxigraph_server)
    store = RemoteStore(oxigraph_server() + "/query")
    iri = f"{GRAPH_PREFIX}partial"
    try:
        store.put_graph(iri, _numbered(3, "old"))
        with pytest.raises(StoreError):
            store.update(_replace_then_fail(iri))
        assert isomorphic(read_graph(store, iri), _numbered(3, "old"))
    finally:
        store.close()


# --- timeouts -----------------------------------------------------------------------------------


def _wait_until_idle(virtuoso: Virtuoso) -> None:
    """Return once the server's CPU time stops growing (under 0.1 s in a second); fail if it
    still runs after 60 s, a small part of the hours the runaway queries here take."""
    deadline = time.monotonic() + 60
    before = virtuoso.cpu_ticks()
    while True:
        time.sleep(1)
        now = virtuoso.cpu_ticks()
        if now - before <= 10:
            return
        assert time.monotonic() < deadline, "the query goes on running on the server"
        before = now


def test_virtuoso_timed_out_query_is_stopped_on_the_server(virtuoso: Virtuoso) -> None:
    """The client gives up (QueryTimeoutError) and closes the connection; Virtuoso notices the
    closed connection and stops the query: its CPU time stops growing, long before the hours
    the query would take."""
    store = virtuoso.store(store_timeout=2)
    try:
        with pytest.raises(QueryTimeoutError):
            store.query(RUNAWAY, use_default_graph_as_union=False)
    finally:
        store.close()
    _wait_until_idle(virtuoso)
    after = virtuoso.store()
    try:
        assert after.has_graph(f"{GRAPH_PREFIX}none") is False  # the server answers again
    finally:
        after.close()


def test_virtuoso_incomplete_answer_is_a_timeout(virtuoso: Virtuoso) -> None:
    """Virtuoso's own limit (`timeout=` ms, "anytime" queries) answers 200 with the rows found
    so far and `X-SQL-State: S1TAT`, or, by timing, 500 `HY008 … killed by SQLCancel`: the
    store raises QueryTimeoutError for both instead of returning the rows or a store error."""
    raw = httpx.post(
        virtuoso.query_url,
        data={"query": RUNAWAY, "timeout": "1000"},
        headers={"Accept": "application/sparql-results+json"},
        timeout=60,
    )
    assert raw.status_code == 200
    assert raw.headers["x-sql-state"] == "S1TAT"
    store = virtuoso.store()
    try:
        store.client.params = httpx.QueryParams({"timeout": "1000"})
        with pytest.raises(QueryTimeoutError, match=r"incomplete|cancelled"):
            store.query(RUNAWAY, use_default_graph_as_union=False)
    finally:
        store.close()


# --- kg build and kg serve ----------------------------------------------------------------------


def _kg(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def built(
    virtuoso_server: Virtuoso, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Virtuoso, OxigraphStore, Path]]:
    """The bundled articles built by `kg build` into Virtuoso and into an embedded store."""
    virtuoso_server.clear()
    folder = tmp_path_factory.mktemp("built")
    embedded = _kg(
        ["build", str(REPO / "data" / "articles"), "--workers", "1"],
        {"KG_STORE_PATH": str(folder / "store")},
    )
    assert embedded.returncode == 0, embedded.stderr
    remote = _kg(
        ["build", str(REPO / "data" / "articles"), "--workers", "1"],
        {**virtuoso_server.environment(), "KG_STORE_PATH": str(folder / "unused")},
    )
    assert remote.returncode == 0, remote.stderr
    assert remote.stdout.splitlines()[-1] == embedded.stdout.splitlines()[-1] == "5 added"
    assert not (folder / "unused").exists()
    store = OxigraphStore(folder / "store")
    yield virtuoso_server, store, folder
    store.close()


def test_virtuoso_kg_build_gives_the_embedded_graphs(
    built: tuple[Virtuoso, OxigraphStore, Path],
) -> None:
    virtuoso, embedded, _ = built
    remote = virtuoso.store()
    try:
        assert remote.graph_iris() == embedded.graph_iris()
        for iri in embedded.graph_iris():
            assert isomorphic(read_graph(remote, iri), read_graph(embedded, iri)), iri
        assert remote.stats() == embedded.stats()
    finally:
        remote.close()


def test_virtuoso_documented_queries_give_the_embedded_rows(
    built: tuple[Virtuoso, OxigraphStore, Path],
) -> None:
    """The README's SPARQL example and the documented queries of docs/ (as
    tests/integration/test_registry_counts.py finds them), over the union default graph."""
    virtuoso, embedded, _ = built
    _, readme = _readme_sparql_example()
    queries = [readme, *(query for _, query in documented_queries())]
    remote = virtuoso.store()
    try:
        for query in queries:
            want = _rows(embedded, query)
            assert want, query
            got = _rows(remote, query)
            assert Counter(got) == Counter(want), query
        # the README's ORDER BY ?document ?topic holds on Virtuoso too
        keys = [(row[2], row[0]) for row in _rows(remote, readme)]
        assert keys == sorted(keys)
    finally:
        remote.close()


REST_PATHS = [
    "/stats",
    "/documents",
    "/documents/004_3cfbb70250ff8981",
    "/actors",
    "/actors?type=Person&limit=5",
    "/actors/vladimir-putin",
    "/actors/vladimir-putin/positions?topic=territorial_concessions",
    "/actors/vladimir-putin/events",
    "/actors/vladimir-putin/quotes",
    "/positions?stance=demands&limit=20",
    "/positions?topic=nato_membership_ukraine&direction=against",
    "/topics?used=true",
    "/topics/ceasefire/positions",
    "/events?limit=20",
    "/quotes?limit=20",
    "/stance-matrix",
    "/network",
]


def test_virtuoso_kg_serve_answers_as_embedded(
    built: tuple[Virtuoso, OxigraphStore, Path],
) -> None:
    """`kg serve` with KG_STORE_URL at Virtuoso (a real process) and the app on the embedded
    store give the same REST answers; a runaway /sparql query is stopped on Virtuoso."""
    virtuoso, embedded, folder = built
    port = free_port()
    env = {
        **os.environ,
        **virtuoso.environment(),
        "KG_STORE_PATH": str(folder / "unused"),
        "KG_QUERY_TIMEOUT": "3",
        "KG_STORE_TIMEOUT": "600",  # not what stops the query
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/health", timeout=5).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "kg serve did not start"
            time.sleep(0.2)
        settings = Settings(store_path=folder / "store")
        with TestClient(create_app(settings, store=embedded)) as reference:
            for path in REST_PATHS:
                got, want = httpx.get(url + path, timeout=60), reference.get(path)
                assert want.status_code == 200, (path, want.text)
                assert got.status_code == 200, (path, got.text)
                assert got.json() == want.json(), path
        # a runaway /sparql query: 503 at KG_QUERY_TIMEOUT, and the connection to Virtuoso
        # closes with it, so the server stops the query
        cross = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        runaway = httpx.post(f"{url}/sparql", data={"query": cross}, timeout=60)
        assert runaway.status_code == 503, runaway.text
        _wait_until_idle(virtuoso)
        assert httpx.get(f"{url}/stats", timeout=60).status_code == 200
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if server.stderr is not None:
            server.stderr.close()


def test_virtuoso_kg_build_replaces_and_removes_an_article(
    built: tuple[Virtuoso, OxigraphStore, Path], tmp_path: Path
) -> None:
    """A changed article is replaced (its graph is the new text's), `kg remove` removes it."""
    virtuoso, _, _ = built
    articles = tmp_path / "articles"
    articles.mkdir()
    source = next((REPO / "tests" / "fixtures" / "articles").glob("fx_001_*.txt"))
    for path in (REPO / "tests" / "fixtures" / "articles").glob("fx_001_*"):
        shutil.copy(path, articles / path.name)
    env = {**virtuoso.environment(), "KG_STORE_PATH": str(tmp_path / "unused")}
    added = _kg(["build", str(articles), "--workers", "1"], env)
    assert added.returncode == 0, added.stderr
    assert "1 added" in added.stdout
    store = virtuoso.store()
    try:
        (iri,) = [g for g in store.graph_iris() if "/graph/fx_001" in g]
        before = read_graph(store, iri)
        copy = articles / source.name
        copy.write_text(copy.read_text(encoding="utf-8") + "\n\nA late paragraph.\n", "utf-8")
        replaced = _kg(["build", str(articles), "--workers", "1"], env)
        assert replaced.returncode == 0, replaced.stderr
        assert "1 replaced" in replaced.stdout
        after = read_graph(store, iri)
        assert not isomorphic(before, after)
        assert [g for g in store.graph_iris() if "/graph/fx_001" in g] == [iri]
        doc_id = iri.rsplit("/", 1)[1]
        removed = _kg(["remove", doc_id], env)
        assert removed.returncode == 0, removed.stderr
        assert not store.has_graph(iri)
        assert_exact(store)
    finally:
        store.close()
