"""The SHACL gate: check an article graph against `ontology/shapes.ttl` before it is stored.

`validate` wraps pySHACL and returns a frozen, typed `ValidationReport`; `ensure_conforms` raises
`NonConformingGraphError` carrying that report, so the build rejects the article whole and the
API can list the violations in its problem+json.

Four choices keep this safe and fast:

- pySHACL writes into the shapes graph it is given (pySHACL issue #314), so the shapes are parsed
  once into a pristine graph that pySHACL never sees, and every call gets its own copy.
- The data graph is an in-memory Oxigraph store (pySHACL >= 0.30 accepts one): pySHACL then runs
  the SHACL-SPARQL evidence-integrity query in Oxigraph (about 10 ms per article) instead of
  rdflib's SPARQL engine (about 200 ms), and reads triples through it for the core constraints.
- No inference (`inference="none"`): the shapes name every class they target explicitly.
- pySHACL gets an equivalent form of the shapes in which each property shape of a targeted
  node shape carries its targets itself (`targeted_property_shapes`): same violations, half
  the time, because pySHACL sets up a property shape reached through `sh:property` once per
  focus node.
- The data is the article graph plus only the topic concept triples
  (`?topic a skos:Concept ; skos:inScheme topic:scheme`) that the kg:topic class check needs,
  instead of the whole ontology, plus the registry's descriptions of the actors the article
  names (an article graph holds only its `kg:Naming`s; the actors are described once, in the
  registry graph, `kg.registry`): by default those its own namings give
  (`kg.registry.describe_actors`), which is what the registry holds for an article stored alone.

pySHACL runs under one process-wide lock: with rdflib data graphs it parses SPARQL with rdflib's
pyparsing grammar, which is not thread-safe (rdflib #1282; a concurrent test here failed with
TypeErrors inside pyparsing before the lock), and validation is pure Python under the GIL anyway.

Violations make a graph non-conforming; warnings and infos are logged and do not.

The gate itself (`ensure_conforms`, what `kg.prepare` calls) runs the compiled form of the same
shapes (`kg.gate`: direct checks generated from the shapes graph at load, about 4x faster)
unless KG_GATE=pyshacl; `validate` always runs pySHACL, the reference, whose report graph the
API serves. `tests/unit/test_gate.py` holds the two to the same violations.

Cost, measured on the bundled articles (1.8k-2.7k triples, about 120 evidence spans each) on a
shared, busy 2-CPU machine: 0.33-0.55 s per article graph (CPU 0.40-0.55 s) with the shapes as
written, 0.25-0.28 s of CPU per synthetic article graph of bench/graph.py (2.7k triples) with
the targeted form; almost all of it is pySHACL's per focus node, per constraint overhead for
the core constraints, and it grows linearly with the number of statements.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from pyshacl.graph_abstraction import DataGraph
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.errors import NonConformingGraphError
from kg.gate import CompiledShapes, DataIndex, Result, UnsupportedShapeError
from kg.mapping import ontology_dir
from kg.namespaces import RDF, SH, SKOS, TOPIC

__all__ = [
    "ValidationReport",
    "Validator",
    "Violation",
    "default_validator",
    "ensure_conforms",
    "targeted_property_shapes",
    "topic_concepts",
    "validate",
]

logger = logging.getLogger(__name__)

SHAPES_FILE = "shapes.ttl"
TOPICS_FILE = "topics.ttl"
TOPIC_SCHEME = TOPIC.scheme

# See the module docstring: rdflib's SPARQL parser is not thread-safe (rdflib #1282). One lock
# for the process, not per Validator, because the parser grammar is module state.
_PYSHACL_LOCK = threading.Lock()


@dataclass(frozen=True, slots=True)
class Violation:
    """One SHACL result, with terms rendered as strings (IRIs in full, paths in SPARQL syntax).

    `source_shape` names the node shape (`https://w3id.org/newskg/shapes#PositionShape`) when
    the failing constraint sits in one of its anonymous property shapes.
    """

    focus_node: str
    path: str | None
    severity: str
    message: str
    source_shape: str
    value: str | None = None


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of validating one graph: `conforms` is False iff there is a violation."""

    conforms: bool
    violations: tuple[Violation, ...]
    text: str
    graph: Graph | None = field(default=None, compare=False, repr=False)
    """pySHACL's report graph (`sh:ValidationReport`), for serving it as RDF."""

    @property
    def messages(self) -> tuple[str, ...]:
        """The distinct violation messages, sorted: handy in logs and tests."""
        return tuple(sorted({violation.message for violation in self.violations}))


class Validator:
    """Validates graphs against one set of shapes and one set of topic concepts.

    Safe to share between threads: the pristine shapes and concept graphs are only ever read
    (copied), pySHACL only sees the private copies of each call, and the pySHACL run itself
    holds a process-wide lock (see `_PYSHACL_LOCK`).

    Args:
        shapes_turtle: the SHACL shapes as Turtle text.
        concepts: the topic concept triples the kg:topic class check needs (see
            `topic_concepts`); empty means no topic is known, so every position fails.
        targeted: hand pySHACL the equivalent, faster form of the shapes (see
            `targeted_property_shapes`); False gives it the shapes as written (for comparisons).
        gate: what `ensure_conforms` runs: "compiled" (`check`) or "pyshacl" (`validate`).
            Shapes the compiler does not support make it run pySHACL, with a warning.
    """

    def __init__(
        self,
        shapes_turtle: str,
        concepts: Graph,
        *,
        targeted: bool = True,
        gate: str = "compiled",
    ) -> None:
        shapes = Graph().parse(data=shapes_turtle, format="turtle")
        self._written = shapes
        self._shapes = targeted_property_shapes(shapes) if targeted else shapes
        self._concepts = concepts
        self._parents = _parent_shapes(shapes)
        self._compiled: CompiledShapes | None = None
        if gate == "compiled":
            try:
                with _PYSHACL_LOCK:  # the compiler parses SHACL-SPARQL with rdflib's parser
                    self._compiled = CompiledShapes(shapes)
            except UnsupportedShapeError as exc:
                logger.warning("the SHACL gate runs pySHACL: %s", exc)
        elif gate != "pyshacl":
            raise ValueError(f"unknown gate {gate!r}: compiled or pyshacl")

    @property
    def gate(self) -> str:
        """What `ensure_conforms` runs: "compiled" or "pyshacl"."""
        return "compiled" if self._compiled is not None else "pyshacl"

    def check(self, graph: Graph, actors: Graph | None = None) -> ValidationReport:
        """Validate `graph` (with `actors`, as `validate`) with the compiled shapes (`kg.gate`):
        the same violations as `validate`, without pySHACL's report graph.

        Raises:
            UnsupportedShapeError: the shapes could not be compiled (gate="pyshacl" then).
        """
        from kg.registry import describe_actors

        compiled = self._compiled
        if compiled is None:
            with _PYSHACL_LOCK:
                compiled = self._compiled = CompiledShapes(self._written)
        if actors is None:
            actors = describe_actors([graph])
        results = compiled.validate(DataIndex([graph, self._concepts, actors]))
        violations = tuple(
            sorted({self._violation(result) for result in results}, key=_violation_order)
        )
        _log_warnings(violations)
        conforms = not any(v.severity == "Violation" for v in violations)
        text = "Validation Report\nConforms: {}\nResults ({}):\n{}".format(
            conforms,
            len(violations),
            "".join(f"  {v.severity} {v.focus_node}: {v.message}\n" for v in violations),
        )
        return ValidationReport(conforms=conforms, violations=violations, text=text)

    def _violation(self, result: Result) -> Violation:
        severity = _local_name(result.severity)
        return Violation(
            focus_node=str(result.focus),
            path=None if result.path is None else _render_path(self._written, result.path),
            severity=severity,
            message=result.message,
            source_shape=str(self._parents.get(result.shape, result.shape)),
            value=None if result.value is None else str(result.value),
        )

    def validate(self, graph: Graph, actors: Graph | None = None) -> ValidationReport:
        """Validate `graph` (not modified) and return the typed report.

        Args:
            graph: an article graph.
            actors: the registry's descriptions of the actors `graph` names; None: those its
                own namings give (`kg.registry.describe_actors`).

        Raises:
            pyshacl.errors.ReportableRuntimeError: the shapes themselves are broken (a bug,
                not a data problem).
        """
        from kg.registry import describe_actors

        if actors is None:
            actors = describe_actors([graph])
        shapes = _copy(self._shapes)
        data = DataGraph.from_oxigraph_store(_oxigraph_store(graph, self._concepts, actors))
        with _PYSHACL_LOCK:
            conforms, report_graph, text = pyshacl.validate(
                data,
                shacl_graph=shapes,
                inference="none",
                inplace=True,
                allow_warnings=True,
                advanced=False,
            )
        violations = _violations(report_graph, self._parents)
        _log_warnings(violations)
        return ValidationReport(
            conforms=bool(conforms), violations=violations, text=str(text), graph=report_graph
        )

    def ensure_conforms(self, graph: Graph, actors: Graph | None = None) -> ValidationReport:
        """Validate `graph` (with `actors`, as `validate`) and raise unless it conforms.

        Runs the compiled shapes (`check`) unless the validator's gate is "pyshacl".

        Raises:
            NonConformingGraphError: with the report; the message lists the first violations.
        """
        if self._compiled is not None:
            report = self.check(graph, actors)
        else:
            report = self.validate(graph, actors)
        if not report.conforms:
            raise NonConformingGraphError(_summary(graph, report), report)
        return report


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def targeted_property_shapes(shapes: Graph) -> Graph:
    """An equivalent shapes graph in which the property shapes of targeted node shapes carry
    the node shape's targets themselves, instead of hanging from it by `sh:property`.

    By SHACL's definitions both forms validate the same focus nodes against the same
    constraints, and the results name the same focus node, path, value, message and source
    shape (the property shape), so `Validator` reports the same violations; pySHACL's report
    graph may hold fewer copies of a result that the first form reported once per node shape.
    What changes is pySHACL's cost: a property shape reached through `sh:property` is set up
    again for every focus node, a targeted one once for all of them (about 2x faster on our
    article graphs: 0.25-0.28 s instead of 0.45-0.56 s of CPU). Node shapes that are
    referenced from other shapes (`sh:node`, lists), have no target or are deactivated are
    left as they are.
    """
    flat = Graph()
    flat += shapes
    referenced = set(shapes.objects())
    for node_shape in set(shapes.subjects(SH.property, None)):
        targets = [(p, o) for p in _TARGETS for o in shapes.objects(node_shape, p)]
        if not targets or node_shape in referenced or (node_shape, SH.deactivated, None) in shapes:
            continue
        for property_shape in shapes.objects(node_shape, SH.property):
            flat.remove((node_shape, SH.property, property_shape))
            for predicate, target in targets:
                flat.add((property_shape, predicate, target))
    return flat


def topic_concepts(topics: Graph) -> Graph:
    """The two triples per topic concept that the kg:topic class check needs.

    Only concepts `skos:inScheme topic:scheme` count; they are typed skos:Concept here whatever
    the topics file says, so the check depends on scheme membership alone.
    """
    concepts = Graph()
    for concept in topics.subjects(SKOS.inScheme, TOPIC_SCHEME):
        if isinstance(concept, URIRef):
            concepts.add((concept, RDF.type, SKOS.Concept))
            concepts.add((concept, SKOS.inScheme, TOPIC_SCHEME))
    return concepts


@lru_cache(maxsize=1)
def default_validator() -> Validator:
    """The validator for the repository's ontology/shapes.ttl and ontology/topics.ttl, its gate
    chosen by KG_GATE.

    Raises:
        FileNotFoundError: ontology/shapes.ttl is missing. A missing topics.ttl is logged and
            leaves no topic valid.
    """
    from kg.config import get_settings

    folder = ontology_dir()
    shapes = (folder / SHAPES_FILE).read_text(encoding="utf-8")
    concepts = topic_concepts(_read_topics(folder / TOPICS_FILE))
    return Validator(shapes, concepts, gate=get_settings().gate)


def validate(graph: Graph, actors: Graph | None = None) -> ValidationReport:
    """Validate an article graph with the repository's shapes; see `Validator.validate`."""
    return default_validator().validate(graph, actors)


def ensure_conforms(graph: Graph, actors: Graph | None = None) -> ValidationReport:
    """Raise `NonConformingGraphError` unless the graph conforms; see `Validator.ensure_conforms`.

    Raises:
        NonConformingGraphError: the graph violates a shape; `.report` holds every violation.
    """
    return default_validator().ensure_conforms(graph, actors)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _log_warnings(violations: tuple[Violation, ...]) -> None:
    for violation in violations:
        if violation.severity != "Violation":
            logger.warning(
                "SHACL %s on %s: %s", violation.severity, violation.focus_node, violation.message
            )


def _read_topics(path: Path) -> Graph:
    if not path.exists():
        logger.warning("no %s: every kg:topic will be reported as unknown", path)
        return Graph()
    return Graph().parse(path, format="turtle")


def _oxigraph_store(*graphs: Graph) -> ox.Store:
    """An in-memory Oxigraph store holding the triples of `graphs` in its default graph."""
    store = ox.Store()
    for graph in graphs:
        store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    return store


def _copy(graph: Graph) -> Graph:
    copy = Graph()
    copy += graph
    return copy


def _parent_shapes(shapes: Graph) -> dict[Node, Node]:
    """Anonymous property shape -> the named node shape (or shared shape) that declares it."""
    parents: dict[Node, Node] = {}
    for parent, child in shapes.subject_objects(SH.property):
        if isinstance(child, BNode):
            parents[child] = parent
    for parent, child in shapes.subject_objects(SH.sparql):
        if isinstance(child, BNode):
            parents[child] = parent
    return parents


def _violations(report: Graph, parents: dict[Node, Node]) -> tuple[Violation, ...]:
    found: list[Violation] = []
    for result in report.objects(None, SH.result):
        shape = report.value(result, SH.sourceShape)
        severity = report.value(result, SH.resultSeverity)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        found.append(
            Violation(
                focus_node=str(report.value(result, SH.focusNode)),
                path=None if path is None else _render_path(report, path),
                severity=_local_name(severity) if severity is not None else "Violation",
                message=str(report.value(result, SH.resultMessage) or ""),
                source_shape=str(parents.get(shape, shape) if shape is not None else ""),
                value=None if value is None else str(value),
            )
        )
    # One property shape with sh:class and sh:node reports the same failure twice; keep one.
    return tuple(sorted(set(found), key=_violation_order))


def _violation_order(violation: Violation) -> tuple[str, str, str, str]:
    return (violation.focus_node, violation.path or "", violation.message, violation.value or "")


def _render_path(report: Graph, path: Node) -> str:
    """A SHACL path in SPARQL property-path syntax: `<p>`, `^<p>`, `<p>/<q>`."""
    if isinstance(path, URIRef):
        return f"<{path}>"
    inverse = report.value(path, SH.inversePath)
    if inverse is not None:
        return "^" + _render_path(report, inverse)
    if report.value(path, RDF.first) is not None:
        return "/".join(_render_path(report, step) for step in Collection(report, path))
    return str(path)


def _local_name(iri: Node) -> str:
    text = str(iri)
    return text.rsplit("#", 1)[-1]


def _summary(graph: Graph, report: ValidationReport, limit: int = 5) -> str:
    shown = "; ".join(
        f"{violation.message} (focus {violation.focus_node})"
        for violation in report.violations[:limit]
    )
    more = len(report.violations) - limit
    suffix = f"; and {more} more" if more > 0 else ""
    return (
        f"graph {graph.identifier} does not conform to ontology/shapes.ttl: "
        f"{len(report.violations)} violation(s): {shown}{suffix}"
    )
