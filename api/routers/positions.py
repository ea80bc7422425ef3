"""Positions: who demands, proposes, supports, opposes, rejects, threatens, claims, accuses what."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import queries
from api.deps import PagingDep, StoreDep
from api.problems import PROBLEM_RESPONSES
from api.schemas import Page, Position, Stance

router = APIRouter(prefix="/positions", tags=["positions"], responses=PROBLEM_RESPONSES)

TOPIC_PATTERN = r"^[A-Za-z0-9_\-]+$"

DocumentQuery = Annotated[str | None, Query(description="Only positions of this document.")]
TopicQuery = Annotated[
    str | None, Query(pattern=TOPIC_PATTERN, description="Topic id (skos:notation).")
]
StanceQuery = Annotated[Stance | None, Query(description="Only this stance.")]


@router.get("")
def list_positions(
    store: StoreDep,
    paging: PagingDep,
    document: DocumentQuery = None,
    actor: Annotated[str | None, Query(description="Holder's actor id.")] = None,
    topic: TopicQuery = None,
    stance: StanceQuery = None,
) -> Page[Position]:
    """Positions in document order, then evidence order; 404 if `document` is unknown."""
    return queries.list_positions(
        store,
        document=document,
        actor=actor,
        topic=topic,
        stance=stance,
        limit=paging.limit,
        offset=paging.offset,
    )
