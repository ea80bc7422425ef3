"""The compiled SHACL gate: the shapes of `ontology/shapes.ttl` turned, once, into direct checks.

pySHACL spends about 160 ms of CPU per article graph of the bench corpus, mostly on its per
focus node, per constraint set-up; the checks themselves are dictionary look-ups (this module:
about 40 ms, of which indexing the graph and the one SHACL-SPARQL query take half).
`CompiledShapes` reads a shapes graph at load and builds, for every shape, its targets, its
path and one small check per constraint component it uses; `validate` then indexes the data
graph once (subject -> predicate -> objects and the reverse) and runs the checks. The shapes
stay the only source: nothing here names a class or a property of the ontology.

The checks follow pySHACL's semantics (0.40) closely enough that the results are the same
`kg.validation.Violation`s (focus node, path, value, message, source shape): the test
`tests/unit/test_gate.py` runs both on every fixture and on a mutated graph for every shape.
SHACL-SPARQL constraints (`sh:sparql` with `sh:select`) run in Oxigraph once per shape, with
`$this` as a plain variable whose rows are kept for the shape's focus nodes (the pre-binding of
the spec, for queries that bind `$this` in their graph pattern, as ours do).

A shapes graph that uses a feature not compiled here (another path kind or constraint
component, `sh:closed`, SHACL-AF...) raises `UnsupportedShapeError` at load, and the caller
(`kg.validation.Validator`) falls back to pySHACL: the gate never passes what it cannot check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import TypeAlias

import pyoxigraph as ox
from pyshacl.rdfutil.compare import compare_literal
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.namespaces import RDF, RDFS, SH, XSD

__all__ = ["CompiledShapes", "DataIndex", "Result", "UnsupportedShapeError"]

Term: TypeAlias = Node
Values: TypeAlias = dict[Term, set[Term]]
"""predicate -> objects (or, reversed, subjects) of one node."""


class UnsupportedShapeError(ValueError):
    """The shapes use a SHACL feature that `CompiledShapes` does not compile."""


@dataclass(frozen=True, slots=True)
class Result:
    """One failed constraint: the raw terms of a SHACL validation result."""

    focus: Term
    shape: Term
    path: Term | None
    value: Term | None
    message: str
    severity: Term


class DataIndex:
    """The data graph indexed both ways, for path look-ups in O(1)."""

    def __init__(self, graphs: Iterable[Graph]) -> None:
        self.out: dict[Term, Values] = {}
        self.back: dict[Term, Values] = {}
        out, back, string = self.out, self.back, _XSD_STRING
        for graph in graphs:
            for s, p, o in graph:
                if type(o) is Literal and o.datatype == string:
                    o = Literal(str(o))
                out_s = out.get(s)
                if out_s is None:
                    out_s = out[s] = {}
                objects = out_s.get(p)
                if objects is None:
                    out_s[p] = {o}
                else:
                    objects.add(o)
                back_o = back.get(o)
                if back_o is None:
                    back_o = back[o] = {}
                subjects = back_o.get(p)
                if subjects is None:
                    back_o[p] = {s}
                else:
                    subjects.add(s)

    def objects(self, node: Term, predicate: Term) -> set[Term]:
        values = self.out.get(node)
        return values.get(predicate, set()) if values is not None else set()

    def subjects(self, predicate: Term, node: Term) -> set[Term]:
        values = self.back.get(node)
        return values.get(predicate, set()) if values is not None else set()

    def subjects_of(self, predicate: Term) -> Iterator[Term]:
        for node, values in self.out.items():
            if predicate in values:
                yield node

    def objects_of(self, predicate: Term) -> Iterator[Term]:
        for node, values in self.back.items():
            if predicate in values:
                yield node

    def instances(self, cls: Term) -> set[Term]:
        """SHACL instances of `cls`: rdf:type / rdfs:subClassOf* in the data graph."""
        found: set[Term] = set()
        for sub in self.subclasses(cls):
            found |= self.subjects(RDF.type, sub)
        return found

    def subclasses(self, cls: Term) -> set[Term]:
        seen = {cls}
        todo = [cls]
        while todo:
            for sub in self.subjects(RDFS.subClassOf, todo.pop()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        return seen

    def is_instance(self, node: Term, cls: Term) -> bool:
        types = self.objects(node, RDF.type)
        if cls in types:
            return True
        seen: set[Term] = set()
        todo = list(types)
        while todo:
            current = todo.pop()
            if current == cls:
                return True
            if current in seen:
                continue
            seen.add(current)
            todo.extend(self.objects(current, RDFS.subClassOf))
        return False

    def oxigraph(self, predicates: frozenset[Term] | None) -> ox.Store:
        """The data as an in-memory Oxigraph store (default graph), for SPARQL constraints:
        only the triples of `predicates` (all when None)."""
        store = ox.Store()
        terms: dict[Term, ox.NamedNode | ox.BlankNode | ox.Literal] = {}

        def term(node: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
            found = terms.get(node)
            if found is None:
                found = terms[node] = _ox(node)
            return found

        store.extend(
            ox.Quad(term(s), term(p), term(o), ox.DefaultGraph())  # type: ignore[arg-type]
            for s, values in self.out.items()
            if not isinstance(s, Literal)  # not RDF; no SPARQL pattern could match it
            for p, objects in values.items()
            if predicates is None or p in predicates
            for o in objects
        )
        return store


# A compiled path: node -> its value nodes.
PathFn = Callable[[DataIndex, Term], set[Term]]
# A compiled constraint: (index, focus, value nodes) -> the failing value nodes; None stands for
# a result without sh:value (cardinality, hasValue).
Check = Callable[[DataIndex, Term, set[Term]], list[Term | None]]


@dataclass(slots=True)
class _Shape:
    node: Term
    path: Term | None
    path_fn: PathFn | None
    message: str
    severity: Term
    targets: list[Callable[[DataIndex], set[Term]]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    properties: list[_Shape] = field(default_factory=list)
    sparql: list[_Sparql] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Sparql:
    """One SHACL-SPARQL constraint: its query with `$this` turned into `?this`, its messages,
    and the predicates its graph patterns use (None: any, e.g. a variable predicate), so that
    only those triples are copied into Oxigraph."""

    query: str
    messages: list[str]
    predicates: frozenset[Term] | None


_KNOWN = {
    SH.path,
    SH.message,
    SH.severity,
    SH.deactivated,
    SH.property,
    SH.sparql,
    SH.targetClass,
    SH.targetNode,
    SH.targetSubjectsOf,
    SH.targetObjectsOf,
    SH.name,
    SH.description,
    SH.order,
    SH.group,
    SH.declare,
    SH.prefixes,
    RDF.type,
    RDFS.label,
    RDFS.comment,
}
_HANDLED_WITH_ANOTHER = {SH.flags}  # read by sh:pattern


class CompiledShapes:
    """Every shape of a shapes graph as direct checks; see the module docstring.

    Raises:
        UnsupportedShapeError: the shapes use a feature that is not compiled.
    """

    def __init__(self, shapes: Graph) -> None:
        self._graph = shapes
        self._shapes: dict[Term, _Shape] = {}
        roots = set(shapes.subjects(RDF.type, SH.NodeShape)) | set(
            shapes.subjects(RDF.type, SH.PropertyShape)
        )
        for predicate in (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf):
            roots |= set(shapes.subjects(predicate, None))
        self.roots = [
            self._shape(node)
            for node in sorted(roots, key=str)
            if (node, SH.deactivated, Literal(True)) not in shapes
        ]
        self.roots = [shape for shape in self.roots if shape.targets]

    def validate(self, data: DataIndex) -> list[Result]:
        """Every failed constraint of every targeted shape on `data`."""
        results: list[Result] = []
        for shape in self.roots:
            focus = set().union(*(target(data) for target in shape.targets))
            if not focus:
                continue
            for node in focus:
                results.extend(self._evaluate(shape, data, node))
            for constraint in shape.sparql:
                results.extend(self._run_sparql(shape, constraint, data, focus))
        return results

    def conforms(self, shape: _Shape, data: DataIndex, node: Term) -> bool:
        return not any(True for _ in self._evaluate(shape, data, node))

    # -- evaluation ---------------------------------------------------------------------------

    def _evaluate(self, shape: _Shape, data: DataIndex, focus: Term) -> Iterator[Result]:
        values = {focus} if shape.path_fn is None else shape.path_fn(data, focus)
        for check in shape.checks:
            for value in check(data, focus, values):
                shown = value if shape.path_fn is not None or value is not None else focus
                yield Result(focus, shape.node, shape.path, shown, shape.message, shape.severity)
        for prop in shape.properties:
            yield from self._evaluate(prop, data, focus)

    def _run_sparql(
        self, shape: _Shape, constraint: _Sparql, data: DataIndex, focus: set[Term]
    ) -> Iterator[Result]:
        messages = constraint.messages
        store = data.oxigraph(constraint.predicates)
        solutions = store.query(constraint.query)
        assert isinstance(solutions, ox.QuerySolutions)  # noqa: S101 - SELECT only
        names = [v.value for v in solutions.variables]
        for row in solutions:
            bound = {name: row[name] for name in names if row[name] is not None}
            this = _rdflib(bound["this"]) if "this" in bound else None
            if this is None or this not in focus:
                continue
            value = _rdflib(bound["value"]) if "value" in bound else this
            words = {name: str(_rdflib(term)) for name, term in bound.items()}
            for message in messages or [shape.message]:
                text = message
                for name, shown in words.items():
                    text = re.sub("{[?$]" + name + "}", shown.replace("\\", "\\\\"), text)
                yield Result(this, shape.node, shape.path, value, text, shape.severity)

    # -- compilation --------------------------------------------------------------------------

    def _shape(self, node: Term) -> _Shape:
        if node in self._shapes:
            return self._shapes[node]
        g = self._graph
        path = g.value(node, SH.path)
        messages = [str(m) for m in g.objects(node, SH.message)]
        shape = _Shape(
            node=node,
            path=path,
            path_fn=None if path is None else self._path(path),
            message=messages[0] if messages else "",
            severity=g.value(node, SH.severity) or SH.Violation,
        )
        self._shapes[node] = shape
        for predicate, obj in sorted(g.predicate_objects(node), key=lambda po: str(po[0])):
            self._compile(shape, predicate, obj)
        return shape

    def _compile(self, shape: _Shape, predicate: Term, obj: Term) -> None:
        g = self._graph
        if predicate in _TARGETS:
            shape.targets.append(_target(predicate, obj))
        elif predicate == SH.property:
            if (obj, SH.deactivated, Literal(True)) not in g:
                shape.properties.append(self._shape(obj))
        elif predicate == SH.sparql:
            shape.sparql.append(self._sparql(obj))
        elif predicate in _KNOWN or predicate in _HANDLED_WITH_ANOTHER:
            return
        else:
            shape.checks.append(self._constraint(shape, predicate, obj))

    def _constraint(self, shape: _Shape, predicate: Term, obj: Term) -> Check:
        g = self._graph
        if predicate == SH.minCount:
            least = _integer(obj)
            return lambda _data, _focus, values: [None] if len(values) < least else []
        if predicate == SH.maxCount:
            most = _integer(obj)
            return lambda _data, _focus, values: [None] if len(values) > most else []
        if predicate == SH.datatype:
            return _each(lambda _data, v: _has_datatype(v, obj))
        if predicate == SH.nodeKind:
            kinds = _NODE_KINDS.get(obj)
            if kinds is None:
                raise UnsupportedShapeError(f"sh:nodeKind {obj} in shape {shape.node}")
            return _each(lambda _data, v: isinstance(v, kinds))
        if predicate == SH["class"]:
            return _each(lambda data, v: data.is_instance(v, obj))
        if predicate == SH["in"]:
            members = set(Collection(g, obj))
            return _each(lambda _data, v: v in members)
        if predicate == SH.hasValue:
            return lambda _data, _focus, values: [] if obj in values else [None]
        if predicate == SH.pattern:
            flags = str(g.value(shape.node, SH.flags) or "")
            regex = re.compile(str(obj), _regex_flags(flags))
            return _each(lambda _data, v: not isinstance(v, BNode) and bool(regex.search(str(v))))
        if predicate in (SH.minLength, SH.maxLength):
            bound = _integer(obj)
            if predicate == SH.minLength:
                return _each(lambda _data, v: not isinstance(v, BNode) and len(str(v)) >= bound)
            return _each(lambda _data, v: not isinstance(v, BNode) and len(str(v)) <= bound)
        if predicate in _RANGES:
            if not isinstance(obj, Literal):
                raise UnsupportedShapeError(f"{predicate} {obj} in shape {shape.node}")
            limit, passes = obj, _RANGES[predicate]
            return _each(lambda _data, v: _in_range(v, limit, passes))
        if predicate in (SH.equals, SH.disjoint):
            other_pred = obj
            if predicate == SH.equals:

                def equals(data: DataIndex, focus: Term, values: set[Term]) -> list[Term | None]:
                    others = data.objects(focus, other_pred)
                    return sorted(values ^ others, key=str)

                return equals

            def disjoint(data: DataIndex, focus: Term, values: set[Term]) -> list[Term | None]:
                return sorted(values & data.objects(focus, other_pred), key=str)

            return disjoint
        if predicate in (SH.lessThan, SH.lessThanOrEquals):
            other_pred, strict = obj, predicate == SH.lessThan

            def less(data: DataIndex, focus: Term, values: set[Term]) -> list[Term | None]:
                others = data.objects(focus, other_pred)
                return [v for v in values if not all(_less(v, o, strict) for o in others)]

            return less
        if predicate == SH.node:
            target = self._shape(obj)
            return _each(lambda data, v: self.conforms(target, data, v))
        if predicate in (SH["or"], SH["and"], SH.xone):
            shapes = [self._shape(member) for member in Collection(g, obj)]
            need: dict[Term, Callable[[int], bool]] = {
                SH["or"]: lambda n: n >= 1,
                SH["and"]: lambda n: n == len(shapes),
                SH.xone: lambda n: n == 1,
            }
            enough = need[predicate]
            return _each(lambda data, v: enough(sum(self.conforms(m, data, v) for m in shapes)))
        if predicate == SH["not"]:
            negated = self._shape(obj)
            return _each(lambda data, v: not self.conforms(negated, data, v))
        raise UnsupportedShapeError(f"{predicate} in shape {shape.node} is not compiled")

    def _path(self, path: Term) -> PathFn:
        g = self._graph
        if isinstance(path, URIRef):
            return lambda data, node: set(data.objects(node, path))
        inverse = g.value(path, SH.inversePath)
        if isinstance(inverse, URIRef):
            return lambda data, node: set(data.subjects(inverse, node))
        if g.value(path, RDF.first) is not None:
            steps = [self._path(step) for step in Collection(g, path)]

            def sequence(data: DataIndex, node: Term) -> set[Term]:
                current = {node}
                for step in steps:
                    current = set().union(*(step(data, n) for n in current))
                return current

            return sequence
        raise UnsupportedShapeError(f"the SHACL path {path} is not compiled")

    def _sparql(self, constraint: Term) -> _Sparql:
        g = self._graph
        select = g.value(constraint, SH.select)
        if select is None or (constraint, SH.deactivated, Literal(True)) in g:
            raise UnsupportedShapeError(f"SPARQL constraint {constraint} without sh:select")
        prefixes = []
        for declarer in g.objects(constraint, SH.prefixes):
            for declaration in g.objects(declarer, SH.declare):
                prefix, namespace = (
                    g.value(declaration, SH.prefix),
                    g.value(declaration, SH.namespace),
                )
                prefixes.append(f"PREFIX {prefix}: <{namespace}>\n")
        query = "".join(prefixes) + re.sub(r"\$this\b", "?this", str(select))
        messages = [str(m) for m in g.objects(constraint, SH.message)]
        return _Sparql(query, messages, _predicates(query))


# -- helpers ------------------------------------------------------------------------------------


def _predicates(query: str) -> frozenset[Term] | None:
    """The predicate IRIs of every triple pattern of `query` (in filters' EXISTS too), or None
    when one is a variable or a property path: then the query needs every triple."""
    from rdflib.plugins.sparql import prepareQuery

    found: set[Term] = set()
    whole = False

    def walk(node: object) -> None:
        nonlocal whole
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "triples" and isinstance(value, list):
                    for triple in value:
                        if isinstance(triple[1], URIRef):
                            found.add(triple[1])
                        else:
                            whole = True
                else:
                    walk(value)
        elif isinstance(node, list | tuple):
            for item in node:
                walk(item)

    walk(prepareQuery(query).algebra)
    return None if whole else frozenset(found)


def _each(passes: Callable[[DataIndex, Term], bool]) -> Check:
    """A value-node check: every value node that does not pass is a result."""

    def check(data: DataIndex, _focus: Term, values: set[Term]) -> list[Term | None]:
        return [value for value in values if not passes(data, value)]

    return check


def _integer(term: Term) -> int:
    value = term.toPython() if isinstance(term, Literal) else None
    if not isinstance(value, int):
        raise UnsupportedShapeError(f"expected an integer, got {term}")
    return value


_TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf)


def _target(kind: Term, obj: Term) -> Callable[[DataIndex], set[Term]]:
    """The focus nodes of one sh:target* declaration."""
    if kind == SH.targetClass:
        return lambda data: data.instances(obj)
    if kind == SH.targetNode:
        return lambda _data: {obj}
    if kind == SH.targetSubjectsOf:
        return lambda data: set(data.subjects_of(obj))
    return lambda data: set(data.objects_of(obj))


_NODE_KINDS: dict[Term, tuple[type, ...]] = {
    SH.IRI: (URIRef,),
    SH.BlankNode: (BNode,),
    SH.Literal: (Literal,),
    SH.BlankNodeOrIRI: (BNode, URIRef),
    SH.BlankNodeOrLiteral: (BNode, Literal),
    SH.IRIOrLiteral: (URIRef, Literal),
}

_RANGES: dict[Term, Callable[[int], bool]] = {
    SH.minInclusive: lambda cmp: cmp >= 0,
    SH.minExclusive: lambda cmp: cmp > 0,
    SH.maxInclusive: lambda cmp: cmp <= 0,
    SH.maxExclusive: lambda cmp: cmp < 0,
}

_PYTHON_TYPES: dict[Term, type | tuple[type, ...]] = {
    XSD.string: (str, bytes),
    RDF.langString: (str, bytes),
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


_XSD_STRING = XSD.string
_RDFS_LITERAL = RDFS.Literal
_RDFS_DATATYPE = RDFS.Datatype
_RDF_LANGSTRING = RDF.langString


def _has_datatype(value: Term, datatype: Term) -> bool:
    """pySHACL's sh:datatype: the datatype, and a well-formed value of it."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        return _python_value_fits(value, datatype)
    if datatype == _RDFS_LITERAL:
        return True
    if datatype == _RDFS_DATATYPE and value.datatype:
        return True
    if value.datatype is None and value.language is None and datatype == _XSD_STRING:
        return _python_value_fits(value, datatype)
    if datatype == _RDF_LANGSTRING and value.language:
        return _python_value_fits(value, datatype)
    return False


def _python_value_fits(value: Literal, datatype: Term) -> bool:
    expected = _PYTHON_TYPES.get(datatype)
    return expected is None or isinstance(value.value, expected)


def _in_range(value: Term, limit: Literal, passes: Callable[[int], bool]) -> bool:
    """pySHACL's value range check: literals of comparable kinds only."""
    if not isinstance(value, Literal):
        return False
    if isinstance(limit.value, str) != isinstance(value.value, str):
        return False
    try:
        return passes(compare_literal(value, limit))  # type: ignore[no-untyped-call]
    except (TypeError, NotImplementedError):
        return False


def _less(value: Term, other: Term, strict: bool) -> bool:
    """pySHACL's sh:lessThan(OrEquals): IRIs and strings compare as strings, with each other
    only; other literals by value."""
    left, left_text = _comparable(value)
    right, right_text = _comparable(other)
    if left_text != right_text or isinstance(value, BNode) or isinstance(other, BNode):
        return False
    try:
        return bool(left < right if strict else left <= right)  # type: ignore[operator]
    except TypeError:
        return False


def _comparable(term: Term) -> tuple[object, bool]:
    if isinstance(term, URIRef):
        return str(term), True
    if isinstance(term, Literal) and isinstance(term.value, str):
        return term.value, True
    return term, False


def _regex_flags(flags: str) -> int:
    out = 0
    for letter, flag in (("i", re.IGNORECASE), ("m", re.MULTILINE), ("s", re.DOTALL)):
        if letter in flags:
            out |= flag
    if "x" in flags:
        out |= re.VERBOSE
    return out


def _ox(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"cannot store {term!r}")


def _rdflib(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == str(XSD.string):
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unexpected SPARQL term {term!r}")
