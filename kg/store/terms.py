"""Terms: rdflib to pyoxigraph conversion, and the one safe way to put values into SPARQL text.

User input never reaches SPARQL text by string concatenation. `sparql_iri` and `sparql_literal`
build pyoxigraph terms (which validate IRIs) and serialise them with pyoxigraph's own escaping;
`values_clause` binds a list of such terms to a variable with a `VALUES` block.

>>> sparql_literal('say "hi" }')
'"say \\\\"hi\\\\" }"'
>>> values_clause("id", [sparql_literal("a"), sparql_literal("b")])
'VALUES ?id { "a" "b" }'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from kg.errors import MappingError

_VARIABLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def sparql_iri(value: str) -> str:
    """`<value>` for SPARQL text.

    Raises:
        ValueError: `value` is not a valid absolute IRI.
    """
    return str(ox.NamedNode(value))


def sparql_literal(value: str | int | bool, datatype: str | None = None) -> str:
    """A SPARQL literal: a string (escaped), an integer, a boolean, or a typed lexical form.

    Raises:
        ValueError: `datatype` is not a valid IRI.
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(int(value))
    if datatype is not None:
        return str(ox.Literal(value, datatype=ox.NamedNode(datatype)))
    return str(ox.Literal(value))


def values_clause(variable: str, terms: Iterable[str]) -> str:
    """`VALUES ?variable { t1 t2 … }` from terms made by `sparql_iri` / `sparql_literal`.

    Raises:
        ValueError: `variable` is not a plain SPARQL variable name.
    """
    if not _VARIABLE.match(variable):
        raise ValueError(f"not a SPARQL variable name: {variable!r}")
    return f"VALUES ?{variable} {{ {' '.join(terms)} }}"


def to_oxigraph(
    term: Node, bnodes: dict[BNode, ox.BlankNode]
) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """Convert one rdflib term; blank nodes map to fresh pyoxigraph blank nodes via `bnodes`.

    Raises:
        MappingError: the term is an invalid IRI or literal, or of an unsupported kind.
    """
    try:
        if isinstance(term, URIRef):
            return ox.NamedNode(str(term))
        if isinstance(term, BNode):
            if term not in bnodes:
                bnodes[term] = ox.BlankNode()
            return bnodes[term]
        if isinstance(term, RdfLiteral):
            if term.language:
                return ox.Literal(str(term), language=term.language)
            if term.datatype is not None:
                return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
            return ox.Literal(str(term))
    except ValueError as exc:
        raise MappingError(f"cannot store the RDF term {term!r}: {exc}") from exc
    raise MappingError(f"cannot store the RDF term {term!r}: unsupported term kind")


def graph_triples(graph: Graph) -> Iterator[ox.Triple]:
    """The triples of an rdflib graph as pyoxigraph triples.

    Raises:
        MappingError: a term cannot be converted (see `to_oxigraph`).
    """
    bnodes: dict[BNode, ox.BlankNode] = {}
    # An article graph names the same few thousand terms over and over: convert each once.
    seen: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
    for s, p, o in graph:
        subject = seen.get(s)
        if subject is None:
            subject = seen[s] = to_oxigraph(s, bnodes)
        predicate = seen.get(p)
        if predicate is None:
            predicate = seen[p] = to_oxigraph(p, bnodes)
        if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
            raise MappingError(f"cannot store the triple ({s!r}, {p!r}, {o!r}): not valid RDF")
        obj = seen.get(o)
        if obj is None:
            obj = seen[o] = to_oxigraph(o, bnodes)
        yield ox.Triple(subject, predicate, obj)


def put_graph_update(graph_iri: str, graph: Graph) -> tuple[str, int]:
    """The one SPARQL update that replaces the named graph `graph_iri` by `graph`, and its size.

    `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }` is one update request, which a
    SPARQL 1.1 store applies as one transaction: readers see the old graph or the new one
    (docs/stores.md says what Virtuoso guarantees). The triples with blank nodes are inserted by
    a second operation, `INSERT { … } WHERE {}`; an empty graph is only dropped.

    Raises:
        MappingError: `graph_iri` or a term of `graph` cannot be stored.
    """
    try:
        name = sparql_iri(graph_iri)
    except ValueError as exc:
        raise MappingError(f"cannot store a graph named {graph_iri!r}: {exc}") from exc
    triples = list(graph_triples(graph))
    if not triples:  # an empty graph is an absent one; Virtuoso refuses an empty INSERT DATA
        return f"DROP SILENT GRAPH {name}", 0
    ground: list[str] = []
    blank: list[str] = []
    for triple in triples:
        terms = (triple.subject, triple.object)
        (blank if any(isinstance(t, ox.BlankNode) for t in terms) else ground).append(str(triple))
    operations = [f"DROP SILENT GRAPH {name}"]
    if ground:
        body = " .\n".join(ground)
        operations.append(f"INSERT DATA {{ GRAPH {name} {{\n{body}\n}} }}")
    if blank:
        # Virtuoso refuses blank nodes in INSERT DATA; a template over the one empty solution of
        # `WHERE {}` inserts the same triples, each label one fresh blank node, on any server
        template = " .\n".join(blank)
        operations.append(f"INSERT {{ GRAPH {name} {{\n{template}\n}} }} WHERE {{}}")
    return " ;\n".join(operations), len(triples)
