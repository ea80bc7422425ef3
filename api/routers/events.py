"""Events: meetings, calls, talks, proposals, sanctions, attacks… with participants."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api import queries
from api.deps import PagingDep, StoreDep
from api.problems import PROBLEM_RESPONSES
from api.schemas import Event, Page

router = APIRouter(prefix="/events", tags=["events"], responses=PROBLEM_RESPONSES)

EventType = Literal[
    "meeting",
    "phone_call",
    "talks",
    "ceasefire_proposal",
    "sanctions",
    "sanctions_threat",
    "attack",
    "resignation",
    "invasion",
    "annexation",
    "other",
]


@router.get("")
def list_events(
    store: StoreDep,
    paging: PagingDep,
    document: Annotated[str | None, Query(description="Only events of this document.")] = None,
    type: Annotated[EventType | None, Query(description="Only events of this type.")] = None,
) -> Page[Event]:
    """Events in document order, then evidence order; 404 if `document` is unknown."""
    return queries.list_events(
        store, document=document, event_type=type, limit=paging.limit, offset=paging.offset
    )
