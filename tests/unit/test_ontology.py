"""Every ontology file parses with both RDF libraries newskg uses, and the loaders read them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph

from kg.mapping import gazetteer_graph, ontology_dir, ontology_files, ontology_graph
from kg.namespaces import KG, OWL, RDF, SH

ONTOLOGY_FILES = sorted(ontology_dir().glob("*.ttl"))


def test_ontology_dir_holds_core_files() -> None:
    names = {path.name for path in ONTOLOGY_FILES}
    assert {"newskg.ttl", "shapes.ttl"} <= names


@pytest.mark.parametrize("path", ONTOLOGY_FILES, ids=lambda path: path.name)
def test_ontology_file_parses_with_rdflib_and_pyoxigraph(path: Path) -> None:
    graph = Graph().parse(path, format="turtle")
    # pyoxigraph streams every statement, repeats included; rdflib keeps a set.
    triples = {str(quad.triple) for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)}
    assert len(graph) > 0
    assert len(triples) == len(graph)


def test_ontology_graph_excludes_shapes_and_gazetteer() -> None:
    names = {path.name for path in ontology_files()}
    assert "newskg.ttl" in names
    assert "shapes.ttl" not in names
    assert "actors.ttl" not in names
    graph = ontology_graph()
    assert (KG.Position, RDF.type, OWL.Class) in graph
    assert not any(graph.triples((None, SH.path, None)))


def test_ontology_gazetteer_graph_is_a_graph() -> None:
    # The gazetteer is another engineer's file; only check that loading it works.
    assert isinstance(gazetteer_graph(), Graph)
