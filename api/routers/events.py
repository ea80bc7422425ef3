"""Events: meetings, calls, talks, proposals, sanctions, attacks… with participants."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import examples
from api.deps import ActorQuery, DatesDep, DocumentQuery, PagingDep, QQuery, SnapshotDep, answer
from api.routers.positions import ORDER
from api.strict import STRICT
from kg.read import queries
from kg.read.records import Event, EventType, Page

router = APIRouter(prefix="/events", tags=["events"], dependencies=STRICT)

TypeQuery = Annotated[
    EventType | None, Query(description="Only events of this type.", examples=["meeting"])
]
DATES = (
    "`from`/`to` bound the event's resolved date (`date`, `sem:hasTimeStamp`) when it has "
    "one, else its article's published date."
)
EVENTS_EXAMPLE = examples.with_paging(examples.page(examples.EVENT))


@router.get(
    "",
    response_model=Page[Event],
    summary="List events",
    description="Events with their participants (and roles), place, stated time, resolved date "
    "and status, each with its evidence sentence. Filters combine with AND: `actor` is a "
    "participant's id; `q` matches a participant's id, name or alias, or the evidence text; "
    + DATES
    + " "
    + ORDER,
    response_description="A page of events",
    responses=examples.list_responses("/events", EVENTS_EXAMPLE),
)
def list_events(
    store: SnapshotDep,
    paging: PagingDep,
    dates: DatesDep,
    document: DocumentQuery = None,
    type: TypeQuery = None,
    actor: ActorQuery = None,
    q: QQuery = None,
) -> Response:
    """Events, filtered and paged (see the description above)."""
    return answer(
        queries.events_page(
            store,
            document=document,
            event_type=type,
            actor=actor,
            q=q,
            dates=dates,
            limit=paging.limit,
            offset=paging.offset,
        )
    )
