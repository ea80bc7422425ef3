"""The former home of the read model, kept for its callers: the reads live in `kg.read.queries`."""

from __future__ import annotations

from kg.read.queries import (
    ACTOR_TYPES,
    DateRange,
    get_document,
    list_documents,
    list_events,
    list_positions,
    list_quotes,
    stats,
)

__all__ = [
    "ACTOR_TYPES",
    "DateRange",
    "get_document",
    "list_documents",
    "list_events",
    "list_positions",
    "list_quotes",
    "stats",
]
