"""Events: meetings, calls, talks, proposals, sanctions, attacks… with participants."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api import examples
from api.deps import ActorQuery, Filters, ListFilter, QQuery, SnapshotDep, answer
from api.routers.positions import ORDER
from api.strict import STRICT
from kg.read import queries
from kg.read.records import Event, EventType, Page, RawPage
from kg.store import GraphStore

router = APIRouter(prefix="/events", tags=["events"], dependencies=STRICT)

TypeQuery = Annotated[
    EventType | None, Query(description="Only events of this type.", examples=["meeting"])
]


@dataclass(frozen=True, slots=True, kw_only=True)
class EventFilter(ListFilter):
    """The parameters of `/events` (and, `actor` from the path, of `/actors/{actor_id}/events`),
    in their OpenAPI order; a dependency through `Filters`."""

    type: TypeQuery = None
    actor: ActorQuery = None
    q: QQuery = None

    def page(self, store: GraphStore) -> RawPage:
        """The page of events these filters select."""
        return queries.events_page(
            store, event_type=self.type, actor=self.actor, q=self.q, **self.arguments()
        )


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
    store: SnapshotDep, filters: Annotated[EventFilter, Depends(Filters(EventFilter))]
) -> Response:
    """Events, filtered and paged (see the description above)."""
    return answer(filters.page(store))
