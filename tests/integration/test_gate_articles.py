"""The compiled gate (kg.gate) and pySHACL agree on the real graphs of every bundled and fixture
article, and on each of them with a statement broken (slow: the real pipeline)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from spacy.language import Language

from kg.articles import read_txt
from kg.iris import Iris
from kg.mapping import to_graph
from kg.namespaces import KG, OA, RDF
from kg.nlp.extract import extract
from kg.validation import Validator, default_validator
from tests.unit.test_gate import agree

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = sorted((ROOT / "data" / "articles").glob("*.txt")) + sorted(
    (ROOT / "tests" / "fixtures" / "articles").glob("*.txt")
)


@pytest.fixture(scope="module")
def validator() -> Validator:
    return default_validator()


def _graph(nlp: Language, path: Path) -> Graph:
    return to_graph(extract(nlp, read_txt(path)), Iris("http://127.0.0.1:8000/"))


def _broken(graph: Graph) -> Graph:
    """The graph with a position's stance gone, a quote's speaker a literal and a selector's
    offsets swapped: three shapes fail at once."""
    broken = Graph(identifier=graph.identifier)
    broken += graph
    for position in sorted(broken.subjects(RDF.type, KG.Position), key=str)[:1]:
        broken.remove((position, KG.stance, None))
    for quote in sorted(broken.subjects(RDF.type, KG.Quote), key=str)[:1]:
        broken.set((quote, KG.speaker, Literal("someone")))
    for selector in sorted(broken.subjects(OA.start, None), key=str)[:1]:
        start, end = broken.value(selector, OA.start), broken.value(selector, OA.end)
        assert isinstance(start, Literal)
        assert isinstance(end, Literal)
        broken.set((selector, OA.start, end))
        broken.set((selector, OA.end, start))
    return broken


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.name)
def test_gate_articles_agree_with_pyshacl(
    real_nlp: Language, validator: Validator, path: Path
) -> None:
    graph = _graph(real_nlp, path)
    assert isinstance(graph.identifier, URIRef)
    assert agree(validator, graph).conforms
    report = agree(validator, _broken(graph))
    assert not report.conforms
