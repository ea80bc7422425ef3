"""The embedded store: atomic per-graph replace and remove, persistence, union default graph."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef

from kg.config import Settings
from kg.errors import MappingError, NotFoundError, QuerySyntaxError, StoreError
from kg.store import GraphStore, OxigraphStore, RemoteStore, open_store
from kg.store.terms import sparql_iri, sparql_literal, values_clause
from tests.conftest import load_trig

G1 = "http://example.org/graph/one"
G2 = "http://example.org/graph/two"
P = URIRef("http://example.org/p")


def graph_of(*values: str) -> Graph:
    graph = Graph()
    for i, value in enumerate(values):
        graph.add((URIRef(f"http://example.org/s{i}"), P, Literal(value)))
    return graph


def objects(store: GraphStore, graph_iri: str) -> set[str]:
    rows = store.query(f"SELECT ?o WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    return {row["o"].value for row in rows}


def test_store_oxigraph_is_a_graph_store(memory_store: OxigraphStore) -> None:
    assert isinstance(memory_store, GraphStore)


def test_store_put_graph_replaces_content(memory_store: OxigraphStore) -> None:
    assert memory_store.put_graph(G1, graph_of("a", "b")) == 2
    assert memory_store.put_graph(G1, graph_of("c")) == 1
    assert objects(memory_store, G1) == {"c"}
    assert memory_store.graph_iris() == [G1]


def test_store_put_graph_leaves_other_graphs_alone(memory_store: OxigraphStore) -> None:
    memory_store.put_graph(G1, graph_of("a"))
    memory_store.put_graph(G2, graph_of("b"))
    memory_store.put_graph(G1, graph_of("c"))
    assert objects(memory_store, G2) == {"b"}


def test_store_put_graph_escapes_literals_keeps_blank_nodes(
    memory_store: OxigraphStore,
) -> None:
    graph = graph_of('quote " brace } newline \n backslash \\ Erdoğan')
    node = BNode()
    graph.add((node, P, Literal("1", datatype=URIRef("http://www.w3.org/2001/XMLSchema#integer"))))
    graph.add((node, P, Literal("hello", lang="en")))
    assert memory_store.put_graph(G1, graph) == 3
    assert 'quote " brace } newline \n backslash \\ Erdoğan' in objects(memory_store, G1)
    assert memory_store.stats().triples == 3


def test_store_put_graph_invalid_iri_changes_nothing(memory_store: OxigraphStore) -> None:
    memory_store.put_graph(G1, graph_of("a"))
    bad = Graph()
    bad.add((URIRef("http://example.org/x> <y"), P, Literal("z")))
    with pytest.raises(MappingError):
        memory_store.put_graph(G1, bad)
    assert objects(memory_store, G1) == {"a"}


def test_store_put_graph_is_atomic_for_readers(memory_store: OxigraphStore) -> None:
    """A reader running during repeated replaces sees the old graph or the new one, never a mix."""
    old, new = (
        graph_of(*[f"old{i}" for i in range(200)]),
        graph_of(*[f"new{i}" for i in range(200)]),
    )
    memory_store.put_graph(G1, old)
    seen: list[int] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(len(objects(memory_store, G1)))

    reader = threading.Thread(target=read)
    reader.start()
    for i in range(20):
        memory_store.put_graph(G1, new if i % 2 == 0 else old)
    stop.set()
    reader.join()
    assert seen
    assert set(seen) == {200}


def test_store_remove_graph(memory_store: OxigraphStore) -> None:
    memory_store.put_graph(G1, graph_of("a"))
    assert memory_store.has_graph(G1)
    assert memory_store.remove_graph(G1) is True
    assert memory_store.remove_graph(G1) is False
    assert not memory_store.has_graph(G1)
    assert memory_store.stats().triples == 0


def test_store_persists_across_reopen(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    store.put_graph(G1, graph_of("a"))
    store.close()
    reopened = OxigraphStore(path)
    assert objects(reopened, G1) == {"a"}
    reopened.close()


def test_store_second_open_says_in_use(tmp_path: Path) -> None:
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(StoreError, match=r"in use by another process \(is `kg serve` running\?\)"):
        OxigraphStore(tmp_path / "store")
    store.close()


def test_store_closed_store_raises(memory_store: OxigraphStore) -> None:
    memory_store.close()
    with pytest.raises(StoreError, match="closed"):
        memory_store.graph_iris()


def test_store_open_store_uses_settings(tmp_path: Path) -> None:
    store = open_store(Settings(store_path=tmp_path / "s"))
    assert isinstance(store, OxigraphStore)
    store.close()
    remote = open_store(Settings(store_path=tmp_path / "s", store_url="http://127.0.0.1:7/query"))
    assert isinstance(remote, RemoteStore)
    assert remote.update_url == "http://127.0.0.1:7/update"
    remote.close()


def test_store_union_default_graph(memory_store: OxigraphStore) -> None:
    memory_store.put_graph(G1, graph_of("a"))
    memory_store.put_graph(G2, graph_of("b"))
    union = memory_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    only_default = memory_store.query(
        "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", use_default_graph_as_union=False
    )
    chosen = memory_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", default_graph=[G2])
    assert isinstance(union, ox.QuerySolutions)
    assert isinstance(only_default, ox.QuerySolutions)
    assert isinstance(chosen, ox.QuerySolutions)
    assert next(union)["n"].value == "2"
    assert next(only_default)["n"].value == "0"
    assert next(chosen)["n"].value == "1"


def test_store_named_graphs_restrict_graph_clause(memory_store: OxigraphStore) -> None:
    memory_store.put_graph(G1, graph_of("a"))
    memory_store.put_graph(G2, graph_of("b"))
    rows = memory_store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", named_graphs=[G1])
    assert isinstance(rows, ox.QuerySolutions)
    assert [row["g"].value for row in rows] == [G1]


def test_store_query_syntax_error_has_parser_message(memory_store: OxigraphStore) -> None:
    with pytest.raises(QuerySyntaxError, match="error at 1:"):
        memory_store.query("SELEC ?x")


def test_store_update_applies(memory_store: OxigraphStore) -> None:
    memory_store.update(f'INSERT DATA {{ GRAPH <{G1}> {{ <http://example.org/s> <{P}> "x" }} }}')
    assert objects(memory_store, G1) == {"x"}


def test_store_dump_graph_and_dataset(sample_store: OxigraphStore) -> None:
    graph_iri = "http://127.0.0.1:8000/graph/alpha"
    turtle = sample_store.dump(ox.RdfFormat.TURTLE, graph_iri)
    assert b"documentId" in turtle
    trig = sample_store.dump(ox.RdfFormat.TRIG)
    assert b"graph/beta" in trig
    with pytest.raises(ValueError, match="named graphs"):
        sample_store.dump(ox.RdfFormat.TURTLE)
    with pytest.raises(NotFoundError):
        sample_store.dump(ox.RdfFormat.TURTLE, "http://127.0.0.1:8000/graph/nope")


def test_store_sample_fixture_loads(sample_store: OxigraphStore) -> None:
    # alpha, beta, the ontology, the gazetteer and the actor registry
    assert len(sample_store.graph_iris()) == 5
    assert sample_store.stats().graphs == 5


def test_store_load_trig_is_idempotent(sample_store: OxigraphStore) -> None:
    before = sample_store.stats()
    load_trig(sample_store)
    assert sample_store.stats() == before


@pytest.mark.parametrize(
    "hostile",
    ['x" } ; DROP ALL ; { "', 'x\\" } DROP ALL', "line\nbreak", "tab\tand 'single'", "Erdoğan"],
)
def test_store_terms_literal_round_trips(memory_store: OxigraphStore, hostile: str) -> None:
    """A literal built by `sparql_literal` is one term whatever it holds."""
    query = f"SELECT ?x WHERE {{ {values_clause('x', [sparql_literal(hostile)])} }}"
    rows = memory_store.query(query)
    assert isinstance(rows, ox.QuerySolutions)
    assert [row["x"].value for row in rows] == [hostile]


def test_store_terms_refuse_bad_iris_and_variables() -> None:
    with pytest.raises(ValueError, match="IRI"):
        sparql_iri("http://example.org/> } DROP ALL { <x")
    with pytest.raises(ValueError, match="variable"):
        values_clause("x } DROP ALL {", [])
