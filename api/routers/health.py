"""Liveness and figures."""

from __future__ import annotations

from fastapi import APIRouter

from api import queries
from api.deps import StoreDep
from api.problems import PROBLEM_RESPONSES
from api.schemas import Health, Stats

router = APIRouter(tags=["health"], responses=PROBLEM_RESPONSES)


@router.get("/health")
def health(store: StoreDep) -> Health:
    """`ok` when the store answers."""
    return Health(status="ok", graphs=store.stats().graphs)


@router.get("/stats")
def stats(store: StoreDep) -> Stats:
    """Counts of documents, actors, events, positions, quotes, graphs and triples."""
    return queries.stats(store)
