"""Liveness and figures."""

from __future__ import annotations

from fastapi import APIRouter

from api import examples
from api.deps import SnapshotDep, StoreDep
from api.strict import STRICT
from kg.read import queries
from kg.read.records import Health, Stats

router = APIRouter(tags=["health"], dependencies=STRICT)


@router.get(
    "/health",
    summary="Liveness",
    description="`ok` and the number of named graphs when the store answers; a 503 "
    "problem+json when it does not (the app is starting or stopping).",
    responses={200: examples.ok(examples.HEALTH), 503: examples.STORE_DOWN},
)
def health(store: StoreDep) -> Health:
    """`ok` when the store answers."""
    return Health(status="ok", graphs=store.stats().graphs)


@router.get(
    "/stats",
    summary="Counts",
    description="Counts of documents, distinct actors, events, positions and quotes in the "
    "article graphs, and of named graphs and triples in the whole store.",
    responses={200: examples.ok(examples.STATS), 503: examples.STORE_DOWN},
)
def stats(store: SnapshotDep) -> Stats:
    """Counts of documents, actors, events, positions, quotes, graphs and triples."""
    return queries.stats(store)
