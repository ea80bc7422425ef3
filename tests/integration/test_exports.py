"""Exports: RDF syntaxes, the property-graph projection (GraphML, CSV), and GET /graph."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import read_graph
from kg.errors import NotFoundError
from kg.exports import (
    EDGE_COLUMNS,
    NODE_COLUMNS,
    ExportFormat,
    csv_edges,
    csv_nodes,
    export_chunks,
    graphml,
    neo4j_files,
    neo4j_import_command,
    property_graph,
    rdf_chunks,
    rdf_dump,
)
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE, load_trig
from tests.utils.neo4j_import import check_import

ALPHA_GRAPH = f"{SAMPLE_BASE}graph/alpha"
PUTIN = f"{SAMPLE_BASE}id/actor/vladimir-putin"
GAZETTEER_PUTIN = "https://w3id.org/newskg/actor/vladimir-putin"


def test_exports_turtle_round_trips_isomorphic_in_rdflib_and_pyoxigraph(
    sample_store: OxigraphStore,
) -> None:
    stored = read_graph(sample_store, ALPHA_GRAPH)
    turtle = b"".join(export_chunks(sample_store, ExportFormat.TURTLE, ALPHA_GRAPH))
    by_rdflib = Graph().parse(data=turtle, format="turtle")
    assert isomorphic(by_rdflib, stored)
    by_pyoxigraph = Graph()
    for quad in ox.parse(turtle, format=ox.RdfFormat.TURTLE):
        by_pyoxigraph.parse(data=f"{quad.subject} {quad.predicate} {quad.object} .", format="nt")
    assert isomorphic(by_pyoxigraph, stored)
    assert len(stored) > 50


@pytest.mark.parametrize("fmt", [f for f in ExportFormat if f.rdf_format is not None])
def test_exports_rdf_formats_parse(sample_store: OxigraphStore, fmt: ExportFormat) -> None:
    assert fmt.rdf_format is not None
    data = b"".join(export_chunks(sample_store, fmt))
    quads = list(ox.parse(data, format=fmt.rdf_format))
    union = len(list(sample_store.store.quads_for_pattern(None, None, None, None)))
    if fmt.rdf_format.supports_datasets:
        assert len(quads) == union
        assert {q.graph_name for q in quads} >= {ox.NamedNode(ALPHA_GRAPH)}
    else:
        assert 0 < len(quads) <= union


@pytest.mark.parametrize("fmt", [f for f in ExportFormat if f.rdf_format is not None])
def test_exports_streamed_dump_equals_the_dump(tmp_path: Path, fmt: ExportFormat) -> None:
    """The embedded store's export is spooled through a temporary file, not memory."""
    assert fmt.rdf_format is not None
    store = OxigraphStore(tmp_path / "store")
    try:
        load_trig(store)
        for graph in (None, ALPHA_GRAPH):
            streamed = b"".join(rdf_chunks(store, fmt.rdf_format, graph))
            assert streamed == rdf_dump(store, fmt.rdf_format, graph)
        unread = rdf_chunks(store, fmt.rdf_format)
        del unread  # dropped before the first chunk: its temporary file is closed, no warning
        with pytest.raises(NotFoundError):
            rdf_chunks(store, fmt.rdf_format, f"{SAMPLE_BASE}graph/nope")
    finally:
        store.close()


def test_exports_property_graph_nodes_and_edges(sample_store: OxigraphStore) -> None:
    graph = property_graph(sample_store)
    by_id = {n.Id: n for n in graph.nodes}
    assert by_id[PUTIN].type == "Actor"
    assert by_id[PUTIN].kind == "Person"
    assert by_id[PUTIN].Label == "Vladimir Putin"
    assert {n.type for n in graph.nodes} == {"Actor", "Event", "Document", "Topic"}
    relations = {e.Label for e in graph.edges}
    assert relations == {
        "participation", "position", "target", "mention", "reports", "author", "publisher",
    }  # fmt: skip
    rejects = [e for e in graph.edges if e.Label == "position" and e.Source == PUTIN]
    assert rejects
    assert rejects[0].stance == "rejects"
    assert rejects[0].topic == "nato_membership_ukraine"
    assert rejects[0].direction == "against"
    assert all(e.Source in by_id and e.Target in by_id for e in graph.edges)
    mention = next(
        e for e in graph.edges if e.Label == "mention" and e.Target == PUTIN and "alpha" in e.Source
    )
    assert mention.Weight == 2.0


def _add_gazetteer_putin(store: OxigraphStore) -> None:
    """Putin as the real gazetteer (ontology/actors.ttl) describes him: under its own IRI."""
    registry = ox.NamedNode(f"{SAMPLE_BASE}graph/gazetteer")
    node = ox.NamedNode(GAZETTEER_PUTIN)
    kg, skos = "https://w3id.org/newskg/ns#", "http://www.w3.org/2004/02/skos/core#"
    store.store.extend(
        [
            ox.Quad(node, ox.NamedNode(f"{kg}actorKey"), ox.Literal("vladimir-putin"), registry),
            ox.Quad(node, ox.NamedNode(f"{skos}prefLabel"), ox.Literal("Vladimir Putin"), registry),
            ox.Quad(
                node, ox.NamedNode(f"{skos}altLabel"), ox.Literal("the Kremlin leader"), registry
            ),
        ]
    )


def test_exports_property_graph_one_node_per_actor_without_the_gazetteer(
    sample_store: OxigraphStore,
) -> None:
    """The gazetteer's Putin (its own IRI, same key) merges into the article's actor; Guterres,
    whom no article mentions, is left out unless asked for."""
    _add_gazetteer_putin(sample_store)
    graph = property_graph(sample_store)
    actors = [n for n in graph.nodes if n.type == "Actor"]
    keys = [n.key for n in actors]
    assert len(keys) == len(set(keys))
    assert len({n.Label for n in actors}) == len(actors)
    assert "antonio-guterres" not in keys
    assert GAZETTEER_PUTIN not in {n.Id for n in graph.nodes}
    putin = next(n for n in actors if n.key == "vladimir-putin")
    assert putin.Id == PUTIN
    assert putin.wikidata == "http://www.wikidata.org/entity/Q7747"
    assert "the Kremlin leader" not in putin.aliases  # the gazetteer's own alias
    ends = {e.Source for e in graph.edges} | {e.Target for e in graph.edges}
    assert all(n.Id in ends for n in actors)  # no isolated actor

    full = property_graph(sample_store, with_gazetteer=True)
    by_key = {n.key: n for n in full.nodes if n.type == "Actor"}
    assert set(by_key) == {*keys, "antonio-guterres"}
    assert by_key["vladimir-putin"].Id == PUTIN
    assert "the Kremlin leader" in by_key["vladimir-putin"].aliases
    assert by_key["antonio-guterres"].Label == "António Guterres"
    assert len(full.edges) == len(graph.edges)


def test_exports_neo4j_files_pass_the_import_header_check(
    sample_store: OxigraphStore, tmp_path: Path
) -> None:
    _add_gazetteer_putin(sample_store)
    projected = property_graph(sample_store, with_gazetteer=True)
    files = neo4j_files(projected)
    for file in files:
        (tmp_path / file.name).write_bytes(b"".join(file.chunks()))
    loaded = check_import(
        [tmp_path / f.name for f in files if not f.relationships],
        [tmp_path / f.name for f in files if f.relationships],
    )
    assert len(loaded.nodes) == len(projected.nodes)
    assert len(loaded.relationships) == len(projected.edges)
    assert {f.name for f in files} == {
        "Actor.csv", "Document.csv", "Event.csv", "Topic.csv", "HAS_PARTICIPANT.csv",
        "HOLDS_POSITION.csv", "TARGETS.csv", "MENTIONS.csv", "REPORTS.csv", "WRITTEN_BY.csv",
        "PUBLISHED_BY.csv",
    }  # fmt: skip
    putin = loaded.nodes[("", PUTIN)]
    assert loaded.labels[("", PUTIN)] == {"Actor", "Person"}
    assert putin["name"] == "Vladimir Putin"
    assert isinstance(putin["aliases"], list)
    assert {"Vladimir Vladimirovich Putin", "the Kremlin leader"} <= set(putin["aliases"])
    held = [r for r in loaded.relationships if r[0] == PUTIN and r[1] == "HOLDS_POSITION"]
    assert held
    assert all(isinstance(r[3]["confidence"], float) and r[3]["stance"] for r in held)
    mentions = [r for r in loaded.relationships if r[1] == "MENTIONS" and r[2] == PUTIN]
    assert {r[3]["count"] for r in mentions} >= {2}
    command = neo4j_import_command(files, "import")
    assert command.startswith("neo4j-admin database import full neo4j")
    for file in files:
        option = "--relationships" if file.relationships else "--nodes"
        assert f"{option}=import/{file.name}" in command


def test_exports_property_graph_of_one_document(sample_store: OxigraphStore) -> None:
    whole, alpha = property_graph(sample_store), property_graph(sample_store, ALPHA_GRAPH)
    assert 0 < len(alpha.edges) < len(whole.edges)
    assert all(e.document in ("", f"{SAMPLE_BASE}id/document/alpha") for e in alpha.edges)


def test_exports_graphml_opens_in_networkx(sample_store: OxigraphStore) -> None:
    projected = property_graph(sample_store)
    graph = nx.read_graphml(io.BytesIO(b"".join(graphml(projected))))
    assert graph.is_directed()
    assert graph.number_of_nodes() == len(projected.nodes)
    assert graph.number_of_edges() == len(projected.edges)
    assert graph.nodes[PUTIN]["label"] == "Vladimir Putin"
    attributes = [d for _, target, d in graph.edges(data=True) if target == PUTIN]
    assert {"participation", "mention"} <= {d["label"] for d in attributes}
    assert all(isinstance(d["weight"], float) for d in attributes)


def test_exports_csv_tables(sample_store: OxigraphStore) -> None:
    projected = property_graph(sample_store)
    nodes = list(csv.DictReader(io.StringIO(b"".join(csv_nodes(projected)).decode())))
    edges = list(csv.DictReader(io.StringIO(b"".join(csv_edges(projected)).decode())))
    assert tuple(nodes[0]) == NODE_COLUMNS
    assert tuple(edges[0]) == EDGE_COLUMNS
    assert len(nodes) == len(projected.nodes)
    assert len(edges) == len(projected.edges)
    ids = {n["Id"] for n in nodes}
    assert all(e["Source"] in ids and e["Target"] in ids for e in edges)


# --- GET /graph ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "accept", "media_type"),
    [
        ({}, None, "application/trig"),
        ({"graph": "alpha"}, None, "text/turtle"),
        ({}, "application/n-quads", "application/n-quads"),
        ({"format": "jsonld"}, None, "application/ld+json"),
        ({"format": "rdfxml", "graph": "alpha"}, None, "application/rdf+xml"),
        ({}, "application/graphml+xml", "application/graphml+xml"),
        ({"format": "csv-nodes"}, None, "text/csv"),
        ({"format": "csv-edges", "graph": "beta"}, None, "text/csv"),
        ({"format": "ntriples"}, "text/csv", "application/n-triples"),
    ],
)
def test_api_graph_formats(
    api_client: TestClient, params: dict[str, str], accept: str | None, media_type: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = api_client.get("/graph", params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert len(response.content) > 100


def test_api_graph_turtle_of_one_document_is_the_stored_graph(
    api_client: TestClient, sample_store: OxigraphStore
) -> None:
    response = api_client.get("/graph", params={"graph": "alpha", "format": "turtle"})
    parsed = Graph().parse(data=response.content, format="turtle")
    assert isomorphic(parsed, read_graph(sample_store, ALPHA_GRAPH))


def test_api_graph_iri_dereferences_to_the_graph(
    api_client: TestClient, sample_store: OxigraphStore
) -> None:
    response = api_client.get("/graph/alpha", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    parsed = Graph().parse(data=response.content, format="turtle")
    assert isomorphic(parsed, read_graph(sample_store, ALPHA_GRAPH))
    assert api_client.get("/graph/nope").status_code == 404


@pytest.mark.parametrize(
    ("params", "accept", "status"),
    [
        ({"format": "docx"}, None, 406),
        ({}, "text/csv", 406),
        ({}, "image/png", 406),
        ({"graph": "nope"}, None, 404),
    ],
)
def test_api_graph_errors(
    api_client: TestClient, params: dict[str, str], accept: str | None, status: int
) -> None:
    headers = {"accept": accept} if accept else {}
    response = api_client.get("/graph", params=params, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
