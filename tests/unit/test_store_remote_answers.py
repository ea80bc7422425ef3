"""How the remote store reads answers and writes graphs, on hand-built HTTP answers (the quirks
of Virtuoso 7 among them; tests/e2e/test_store_virtuoso.py runs the real server)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.config import Settings
from kg.errors import QueryTimeoutError, StoreError
from kg.sparql_guard import graph_constants
from kg.store import RemoteStore, open_store
from kg.store.remote import query_form
from kg.store.terms import put_graph_update

JSON = "application/sparql-results+json"
PREFIX = "http://127.0.0.1:8000/graph/"
Answer = Callable[[httpx.Request], httpx.Response]


def _store(answer: Answer, **kwargs: object) -> tuple[RemoteStore, list[httpx.Request]]:
    """A RemoteStore whose HTTP requests go to `answer`; the list collects them."""
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return answer(request)

    store = RemoteStore("http://127.0.0.1:1/sparql", **kwargs)  # type: ignore[arg-type]
    store.close()
    store._client = httpx.Client(transport=httpx.MockTransport(record))
    return store, seen


def _json(body: str, **headers: str) -> httpx.Response:
    return httpx.Response(200, content=body.encode(), headers={"content-type": JSON, **headers})


def _table(value: str | None) -> str:
    binding = (
        ""
        if value is None
        else '{"__ASK_RETVAL": {"type": "typed-literal", "datatype":'
        f' "http://www.w3.org/2001/XMLSchema#integer", "value": "{value}"}}}}'
    )
    return f'{{"head": {{"vars": ["__ASK_RETVAL"]}}, "results": {{"bindings": [{binding}]}}}}'


@pytest.mark.parametrize(
    ("sparql", "form"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT"),
        ("prefix ask: <http://e/> select ?ask { ?ask ?p ?o }", "SELECT"),
        ("BASE <http://e/> ASK { <s> ?p ?o }", "ASK"),
        ("# DESCRIBE\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://e/s>", "DESCRIBE"),
        ('SELECT * { ?s ?p "ASK" }', "SELECT"),
        ("SELECT * { ?s ?p '", None),
    ],
)
def test_remote_query_form(sparql: str, form: str | None) -> None:
    assert query_form(sparql) == form


@pytest.mark.parametrize(
    ("sparql", "accept"),
    [
        ("SELECT * { ?s ?p ?o }", JSON),
        ("ASK { ?s ?p ?o }", JSON),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "application/n-triples"),
        ("DESCRIBE <http://e/s>", "application/n-triples"),
    ],
)
def test_remote_asks_for_the_one_format_of_the_form(sparql: str, accept: str) -> None:
    """Virtuoso 7 ignores q-values: a CONSTRUCT must not list results JSON at all."""
    store, seen = _store(lambda _: _json('{"head": {}, "boolean": true}'))
    store.query(sparql, use_default_graph_as_union=False)
    assert seen[0].headers["accept"] == accept


@pytest.mark.parametrize(("value", "truth"), [("1", True), ("0", False), (None, False)])
def test_remote_ask_answered_as_a_table(value: str | None, truth: bool) -> None:
    store, _ = _store(lambda _: _json(_table(value)))
    answer = store.query("ASK { ?s ?p ?o }", use_default_graph_as_union=False)
    assert isinstance(answer, ox.QueryBoolean)
    assert bool(answer) is truth
    assert store.has_graph("http://e/g") is truth


def test_remote_select_with_one_column_stays_a_table() -> None:
    store, _ = _store(lambda _: _json(_table("1")))
    answer = store.query("SELECT ?x { ?x ?p ?o }", use_default_graph_as_union=False)
    assert isinstance(answer, ox.QuerySolutions)


def test_remote_incomplete_answer_is_a_timeout() -> None:
    """Virtuoso's anytime answer: 200, the rows found so far, `X-SQL-State: S1TAT`."""
    body = '{"head": {"vars": ["n"]}, "results": {"bindings": []}}'
    store, _ = _store(lambda _: _json(body, **{"X-SQL-State": "S1TAT"}))
    with pytest.raises(QueryTimeoutError, match="incomplete"):
        store.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", use_default_graph_as_union=False)


def test_remote_query_cancelled_at_the_server_time_limit_is_a_timeout() -> None:
    """Virtuoso's other answer to its own time limit: 500, `HY008 ... killed by SQLCancel`;
    any other server error stays a store error."""
    cancelled = "Virtuoso HY008 Error SR203: Async statement killed by SQLCancel.\n\nSPARQL query:"
    store, _ = _store(lambda _: httpx.Response(500, content=cancelled.encode()))
    with pytest.raises(QueryTimeoutError, match="cancelled"):
        store.query("SELECT * { ?s ?p ?o }", use_default_graph_as_union=False)
    other = "Virtuoso 42000 Error SQ200: No such table"
    store, _ = _store(lambda _: httpx.Response(500, content=other.encode()))
    with pytest.raises(StoreError, match="answered 500") as raised:
        store.query("SELECT * { ?s ?p ?o }", use_default_graph_as_union=False)
    assert not isinstance(raised.value, QueryTimeoutError)


def test_remote_answer_cut_at_the_server_row_limit_is_an_error() -> None:
    """Virtuoso's ResultSetMaxRows cuts every SELECT silently but for `X-SPARQL-MaxRows`: a
    dump or a registry check read from a cut answer would be wrong, so it is refused."""
    body = '{"head": {"vars": ["g"]}, "results": {"bindings": []}}'
    store, _ = _store(lambda _: _json(body, **{"X-SPARQL-MaxRows": "10000"}))
    with pytest.raises(StoreError, match="ResultSetMaxRows"):
        store.graph_iris()


def test_remote_graph_prefix_scopes_the_union() -> None:
    """Only the prefix's graphs are listed, and a store graph the query names but that holds
    nothing is sent as a named graph (so Virtuoso matches nothing in it)."""

    def answer(request: httpx.Request) -> httpx.Response:
        form = dict(httpx.QueryParams(request.content.decode()).multi_items())
        if "DISTINCT ?g" in form["query"]:
            assert f'STRSTARTS(STR(?g), "{PREFIX}")' in form["query"]
            return _json(
                '{"head": {"vars": ["g"]}, "results": {"bindings": ['
                f'{{"g": {{"type": "uri", "value": "{PREFIX}a"}}}}]}}}}'
            )
        return _json('{"head": {}, "boolean": false}')

    store, seen = _store(answer, graph_prefix=PREFIX)
    assert store.graph_iris() == [f"{PREFIX}a"]
    store.query(f"ASK {{ GRAPH <{PREFIX}none> {{ ?s ?p ?o }} GRAPH <http://e/other> {{}} }}")
    params = httpx.QueryParams(seen[-1].content.decode())
    assert params.get_list("default-graph-uri") == [f"{PREFIX}a"]
    assert params.get_list("named-graph-uri") == [f"{PREFIX}a", f"{PREFIX}none"]
    # the caller's own named graphs are sent as they are
    store.query(f"ASK {{ GRAPH <{PREFIX}none> {{ ?s ?p ?o }} }}", named_graphs=[f"{PREFIX}a"])
    assert httpx.QueryParams(seen[-1].content.decode()).get_list("named-graph-uri") == [
        f"{PREFIX}a"
    ]


def test_remote_graph_constants() -> None:
    text = (
        "PREFIX g: <http://e/g/> SELECT * { GRAPH g:a { ?s ?p ?o } GRAPH <http://e/b> {}"
        ' GRAPH ?x {} ?s ?p "GRAPH <http://e/c>" } # GRAPH <http://e/d>'
    )
    assert graph_constants(text) == ("http://e/g/a", "http://e/b")


def test_remote_digest_auth_from_settings() -> None:
    """KG_STORE_AUTH=digest answers Virtuoso's challenge; the password is never sent."""
    values = {"store_user": "ann", "store_password": "pw", "store_auth": "digest"}
    store = open_store(Settings(store_url="http://127.0.0.1:1/sparql", **values))  # type: ignore[arg-type]
    assert isinstance(store, RemoteStore)
    auth = store.client.auth
    assert isinstance(auth, httpx.DigestAuth)
    store.close()
    seen: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        header = request.headers.get("authorization", "")
        seen.append(header)
        if not header.startswith("Digest "):
            challenge = 'Digest realm="SPARQL", nonce="abc", qop="auth", algorithm="MD5"'
            return httpx.Response(401, headers={"www-authenticate": challenge})
        return _json('{"head": {}, "boolean": true}')

    store._client = httpx.Client(auth=auth, transport=httpx.MockTransport(answer))
    assert store.has_graph("http://e/g")
    assert seen[0] == ""
    assert seen[1].startswith('Digest username="ann", realm="SPARQL"')
    assert "pw" not in seen[1]
    store.close()


def test_put_graph_update_blank_nodes_and_empty_graph() -> None:
    """Blank-node triples go in an `INSERT … WHERE {}` (not INSERT DATA, which Virtuoso
    refuses), one label one node; an empty graph is only dropped."""
    graph = Graph()
    node, other = BNode(), BNode()
    graph.add((URIRef("http://e/s"), URIRef("http://e/p"), node))
    graph.add((node, URIRef("http://e/q"), other))
    graph.add((other, URIRef("http://e/q"), Literal("x")))
    graph.add((URIRef("http://e/s"), URIRef("http://e/p"), Literal("ground")))
    update, count = put_graph_update("http://e/g", graph)
    assert count == 4
    data, template = update.split("INSERT DATA")[1].split("WHERE {}")[0].split("INSERT {")
    assert "_:" not in data
    assert template.count("_:") == 4
    store = ox.Store()
    store.update(update)
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode("http://e/g"))
    back = Graph().parse(data=dumped, format="nt")
    assert isomorphic(back, graph)
    assert put_graph_update("http://e/g", Graph()) == ("DROP SILENT GRAPH <http://e/g>", 0)


def test_remote_graph_list_is_reused_until_a_write() -> None:
    """The union's graph list is read once for queries close together, and again after the
    store's own write (a sibling made by `with_timeout` shares it)."""
    lists: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        text = request.content.decode()
        if "update=" in text:
            return httpx.Response(204)
        form = dict(httpx.QueryParams(text).multi_items())
        if "DISTINCT ?g" in form["query"]:
            lists.append(form["query"])
            return _json(
                '{"head": {"vars": ["g"]}, "results": {"bindings": ['
                f'{{"g": {{"type": "uri", "value": "{PREFIX}a"}}}}]}}}}'
            )
        return _json('{"head": {}, "boolean": true}')

    store, _ = _store(answer)
    store.query("ASK { ?s ?p ?o }")
    store.query("ASK { ?s ?p ?o }")
    assert len(lists) == 1
    store.update("INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> 1 } }")
    store.query("ASK { ?s ?p ?o }")
    assert len(lists) == 2
    sibling = store.with_timeout(1)
    sibling.close()
    sibling._client = store.client
    sibling.query("ASK { ?s ?p ?o }")
    assert len(lists) == 2
    sibling.update("CLEAR ALL")
    store.query("ASK { ?s ?p ?o }")
    assert len(lists) == 3
    store.close()
