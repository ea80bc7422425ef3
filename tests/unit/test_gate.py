"""kg.gate: the compiled shapes give the same violations as pySHACL, the reference, on the demo
graph, on a mutated graph for every case of test_validation (every shape and constraint that
can fail), and on a mutation of every constrained property of every statement."""

from __future__ import annotations

import dataclasses
import re

import pyoxigraph as ox
import pytest
from pyshacl.errors import ReportableRuntimeError
from rdflib import BNode, Graph, Literal, URIRef

from kg.gate import CompiledShapes, UnsupportedShapeError, _predicates
from kg.iris import Iris
from kg.mapping import ontology_dir, read_ontology_file
from kg.namespaces import KG, RDF, SH, XSD
from kg.validation import ValidationReport, Validator, Violation
from tests.unit.test_validation import CASES, DOC, mutated


def agree(validator: Validator, graph: Graph, *, exact: bool = True) -> ValidationReport:
    """Run both; they must agree on conformance and (`exact`) on every violation."""
    compiled = validator.check(graph)
    try:
        reference = validator.validate(graph)
    except (ReportableRuntimeError, TypeError, SyntaxError):
        # pySHACL cannot validate some broken graphs: a blank node to compare, a literal where
        # its Oxigraph data graph needs a subject. The gate must reject them.
        assert not compiled.conforms
        return compiled
    assert compiled.conforms is reference.conforms
    if exact:
        assert _unlabelled(compiled) == _unlabelled(reference)
    return compiled


_BLANK = re.compile(r"^N?[0-9a-f]{16,32}$")


def _unlabelled(report: ValidationReport) -> list[Violation]:
    """The violations with blank node labels made equal: pySHACL reads the data back from
    Oxigraph, which gives blank nodes labels of its own."""

    def label(text: str | None) -> str | None:
        return "_:blank" if text is not None and _BLANK.match(text) else text

    return sorted(
        (
            dataclasses.replace(v, focus_node=label(v.focus_node) or "", value=label(v.value))
            for v in report.violations
        ),
        key=repr,
    )


def test_gate_demo_graph_conforms_in_both(shapes_validator: Validator, demo_graph: Graph) -> None:
    assert agree(shapes_validator, demo_graph).conforms


@pytest.mark.parametrize("case", sorted(CASES))
def test_gate_agrees_with_pyshacl_on_every_case(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris, case: str
) -> None:
    _, mutation, message = CASES[case]
    report = agree(shapes_validator, mutated(demo_graph, iris, mutation))
    assert not report.conforms
    assert any(message in v.message for v in report.violations)


def _constrained_predicates() -> list[URIRef]:
    shapes = read_ontology_file("shapes.ttl")
    return sorted({p for p in shapes.objects(None, SH.path) if isinstance(p, URIRef)}, key=str)


@pytest.mark.parametrize("predicate", _constrained_predicates(), ids=lambda p: str(p))
@pytest.mark.parametrize("how", ["drop", "duplicate", "bnode", "wrong-literal"])
def test_gate_agrees_with_pyshacl_on_every_constrained_property(
    shapes_validator: Validator, demo_graph: Graph, predicate: URIRef, how: str
) -> None:
    """Every triple of a shape's path, removed, doubled or given a value of the wrong kind."""
    graph = Graph(identifier=demo_graph.identifier)
    graph += demo_graph
    triples = sorted(graph.triples((None, predicate, None)))
    if not triples:
        pytest.skip(f"the demo graph has no {predicate}")
    subject, _, obj = triples[0]
    if how == "drop":
        graph.remove((subject, predicate, obj))
    elif how == "duplicate":
        graph.add((subject, predicate, Literal("extra") if isinstance(obj, Literal) else BNode()))
    elif how == "bnode":
        graph.set((subject, predicate, BNode()))
    else:
        graph.set((subject, predicate, Literal("-1.5", datatype=XSD.decimal)))
    # A blank node actor is described in the registry graph too; pySHACL loads each graph into
    # Oxigraph apart, so for it they are two blank nodes (both rejected, with other messages).
    shared_blank = predicate == KG.namingOf and how in {"duplicate", "bnode"}
    agree(shapes_validator, graph, exact=not shared_blank)


def test_gate_agrees_with_pyshacl_on_the_fixture_articles(shapes_validator: Validator) -> None:
    """The mapped graphs of the fixtures' expected data (tests/fixtures/sample.trig)."""
    store = ox.Store()
    store.load(path=ontology_dir().parent / "tests" / "fixtures" / "sample.trig")
    graphs = []
    for name in store.named_graphs():
        assert isinstance(name, ox.NamedNode)
        graph = Graph(identifier=URIRef(name.value))
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=name)
        graphs.append(graph.parse(data=data, format="nt"))
    assert graphs
    for graph in graphs:
        agree(shapes_validator, graph)


def test_gate_ensure_conforms_uses_the_compiled_shapes(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris
) -> None:
    assert shapes_validator.gate == "compiled"
    bad = mutated(demo_graph, iris, lambda g, n: g.remove((n.doc, KG.text, None)))
    report = shapes_validator.check(bad)
    assert report.graph is None
    assert not report.conforms
    assert str(iris.document(DOC)) in {v.focus_node for v in report.violations}


def test_gate_pyshacl_setting_runs_the_reference(demo_graph: Graph) -> None:
    shapes = (ontology_dir() / "shapes.ttl").read_text(encoding="utf-8")
    validator = Validator(shapes, Graph(), gate="pyshacl")
    assert validator.gate == "pyshacl"
    report = validator.ensure_conforms if False else validator.validate
    assert report(demo_graph).graph is not None


def test_gate_unsupported_feature_is_refused_at_load() -> None:
    shapes = Graph()
    shape = URIRef("https://example.org/shape")
    shapes.add((shape, RDF.type, SH.NodeShape))
    shapes.add((shape, SH.targetClass, KG.Document))
    shapes.add((shape, SH.closed, Literal(True)))
    with pytest.raises(UnsupportedShapeError):
        CompiledShapes(shapes)


def test_gate_unsupported_shapes_fall_back_to_pyshacl() -> None:
    turtle = """
        @prefix sh: <http://www.w3.org/ns/shacl#> .
        <https://example.org/shape> a sh:NodeShape ;
            sh:targetClass <https://w3id.org/newskg/ns#Document> ; sh:closed true .
    """
    validator = Validator(turtle, Graph())
    assert validator.gate == "pyshacl"


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        ("?this <https://example.org/p> ?v . ?v <https://example.org/q> ?w", {"p", "q"}),
        (
            "?this <https://example.org/p> ?v FILTER EXISTS { ?v <https://example.org/r> 1 }",
            {"p", "r"},
        ),
        ("?this ?any ?v", None),
        ("?this <https://example.org/p>+ ?v", None),
    ],
    ids=["patterns", "exists", "variable", "path"],
)
def test_gate_sparql_constraint_copies_only_the_predicates_it_reads(
    where: str, expected: set[str] | None
) -> None:
    found = _predicates(f"SELECT ?this WHERE {{ {where} }}")
    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert {str(p) for p in found} == {f"https://example.org/{name}" for name in expected}
