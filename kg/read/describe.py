"""The description of one IRI, as linked data answers it (`GET /id/…`, `api.routers.linked_data`):
its own triples over every graph, plus its evidence resources and their text selectors (a concise
bounded description for the newskg model)."""

from __future__ import annotations

import pyoxigraph as ox

from kg import vocab
from kg.errors import NotFoundError, QueryError
from kg.store.base import GraphStore
from kg.store.terms import sparql_iri

__all__ = ["describe"]

_DESCRIBE = (
    vocab.sparql_prefixes("kg", "oa")
    + """CONSTRUCT { ?x ?p ?o . ?ev ?ep ?eo . ?sel ?sp ?so }
WHERE {
  VALUES ?x { %s }
  { ?x ?p ?o }
  UNION { ?x kg:evidence ?ev . ?ev ?ep ?eo }
  UNION { ?x kg:evidence ?ev . ?ev oa:hasSelector ?sel . ?sel ?sp ?so }
}"""
)


def describe(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The triples that describe `iri`: its own, and its evidence with their selectors.

    Raises:
        NotFoundError: the store says nothing about `iri`.
    """
    try:
        node = sparql_iri(iri)
    except ValueError as exc:
        raise NotFoundError(f"{iri!r} is not an IRI this server mints") from exc
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | None = store.query(
        _DESCRIBE % node
    )
    triples = list(result) if isinstance(result, ox.QueryTriples) else None
    # pyoxigraph results belong to this thread: drop it before raising, so no traceback keeps it
    result = None
    if triples is None:  # pragma: no cover - a CONSTRUCT
        raise QueryError("internal error: CONSTRUCT did not return triples")
    if not triples:
        raise NotFoundError(f"nothing is known about {iri}")
    return triples
