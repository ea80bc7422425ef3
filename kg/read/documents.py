"""What is stored of each article, as the writers need it: the content hash of every stored
article (is this article new, changed, a duplicate?), the named graph of one, its graph as rdflib
(for the SHACL gate and comparisons), what it holds (counted like `kg.build.extraction_counts`),
and the article graphs a store holds (`kg validate`).

Reads only; the build (`kg.build`), POST /documents (`api.ingest`) and the CLI call these
instead of writing their own SPARQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg import vocab
from kg.errors import NotFoundError, StoreError
from kg.iris import RESERVED_DOC_IDS
from kg.mapping import EVENT_CLASSES
from kg.read import queries
from kg.read.records import Document
from kg.store.base import GraphStore

if TYPE_CHECKING:
    import rdflib

__all__ = [
    "STORED_DOCUMENTS",
    "GraphCounts",
    "article_graphs",
    "graph_of",
    "read_graph",
    "stored_counts",
    "stored_document",
    "stored_hashes",
]

KG = vocab.KG_NS
#: Every stored article's id and content hash.
STORED_DOCUMENTS = f"""
SELECT ?id ?hash WHERE {{
  GRAPH ?g {{ ?doc <{KG}documentId> ?id ; <{KG}contentHash> ?hash }}
}}
"""


@dataclass(frozen=True, slots=True)
class GraphCounts:
    """What one article graph holds."""

    actors: int
    events: int
    positions: int
    quotes: int
    triples: int


def _solutions(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> ox.QuerySolutions:
    if not isinstance(result, ox.QuerySolutions):  # pragma: no cover - SELECTs only
        raise StoreError("internal read query did not return solutions")
    return result


def stored_hashes(store: GraphStore) -> dict[str, str]:
    """doc_id -> content hash of every stored article."""
    rows = _solutions(store.query(STORED_DOCUMENTS))
    return {_value(row, "id"): _value(row, "hash") for row in rows}


def graph_of(store: GraphStore, doc_id: str) -> str | None:
    """The named graph holding the document `doc_id`, or None."""
    rows = _solutions(
        store.query(
            f"SELECT ?g WHERE {{ GRAPH ?g {{ ?doc <{KG}documentId> {ox.Literal(doc_id)} }} }}"
            " LIMIT 1"
        )
    )
    for row in rows:
        return _value(row, "g")
    return None


def read_graph(store: GraphStore, graph_iri: str) -> rdflib.Graph:
    """One stored named graph as an rdflib Graph (for SHACL validation and comparisons).

    Raises:
        NotFoundError: `graph_iri` is not a stored graph.
    """
    import rdflib

    graph = rdflib.Graph(identifier=rdflib.URIRef(graph_iri))
    graph.parse(data=store.dump(ox.RdfFormat.N_TRIPLES, graph_iri), format="nt")
    return graph


def stored_document(store: GraphStore, doc_id: str) -> Document:
    """The document as GET /documents lists it.

    Raises:
        NotFoundError: no such document.
    """
    detail = queries.get_document(store, doc_id)
    return Document(**detail.model_dump(exclude={"actors"}))


def stored_counts(store: GraphStore, doc_id: str) -> GraphCounts:
    """What the stored graph of `doc_id` holds, counted like `kg.build.extraction_counts`.

    Raises:
        NotFoundError: no such document.
    """
    graph = graph_of(store, doc_id)
    if graph is None:
        raise NotFoundError(f"no document with id {doc_id!r}; list them at /documents")
    events = " ".join(f"<{cls}>" for cls in EVENT_CLASSES.values())
    rows = _solutions(
        store.query(
            f"""SELECT ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {{ GRAPH <{graph}> {{
  {{ ?naming <{KG}namingOf> ?x BIND("actors" AS ?what) }}
  UNION {{ VALUES ?cls {{ {events} }} ?x a ?cls BIND("events" AS ?what) }}
  UNION {{ ?x a <{KG}Position> BIND("positions" AS ?what) }}
  UNION {{ ?x a <{KG}Quote> BIND("quotes" AS ?what) }}
}} }} GROUP BY ?what"""
        )
    )
    found: dict[str, int] = {"actors": 0, "events": 0, "positions": 0, "quotes": 0}
    for row in rows:
        found[_value(row, "what")] = int(_value(row, "n"))
    triples = _solutions(
        store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    )
    found["triples"] = next(int(_value(row, "n")) for row in triples)
    return GraphCounts(**found)


def article_graphs(store: GraphStore, base_iri: str) -> list[tuple[str, str]]:
    """(document id, graph IRI) of every article graph minted under `base_iri`, by IRI: the
    graphs `{base}graph/{id}`, without the ontology, gazetteer and registry graphs."""
    prefix = f"{base_iri}graph/"
    return [
        (iri[len(prefix) :], iri)
        for iri in sorted(store.graph_iris())
        if iri.startswith(prefix)
        and iri[len(prefix) :] not in RESERVED_DOC_IDS
        and "/" not in iri[len(prefix) :]
    ]


def _value(row: ox.QuerySolution, name: str) -> str:
    term = row[name]
    if term is None:  # pragma: no cover - every variable read here is bound
        raise StoreError(f"internal read query left ?{name} unbound")
    return str(term.value)
