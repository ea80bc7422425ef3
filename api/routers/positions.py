"""Positions: who demands, proposes, supports, opposes, rejects, threatens, claims, accuses what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response

from api import examples
from api.deps import ActorQuery, Filters, ListFilter, QQuery, SnapshotDep, answer
from api.strict import STRICT
from kg.read import queries
from kg.read.records import Direction, Page, Position, RawPage, Stance
from kg.store import GraphStore

router = APIRouter(prefix="/positions", tags=["positions"], dependencies=STRICT)

TOPIC_PATTERN = r"^[A-Za-z0-9_\-]+$"

TopicQuery = Annotated[
    str | None,
    Query(
        pattern=TOPIC_PATTERN,
        max_length=100,
        description="Topic id (`skos:notation`, as in `/topics`); an unknown id is a 422 "
        "that suggests the closest ids.",
        examples=["ceasefire"],
    ),
]
StanceQuery = Annotated[Stance | None, Query(description="Only this stance.", examples=["rejects"])]
DirectionQuery = Annotated[
    Direction | None,
    Query(
        description="The holder's polarity towards the topic: `for`, `against` or `n/a`.",
        examples=["against"],
    ),
]

OrderQuery = Annotated[
    Literal["document", "date"],
    Query(
        description="`document` (the default): by document, then place in it. `date`: a "
        "timeline, by each position's date (`date.start`, the shorter period first when two "
        "start on the same day; a position the text does not date has its article's published "
        "date), the undated last, then by document.",
        examples=["date"],
    ),
]


@dataclass(frozen=True, slots=True, kw_only=True)
class PositionFilter(ListFilter):
    """The parameters of `/positions` (and, `actor` from the path, of
    `/actors/{actor_id}/positions`), in their OpenAPI order; a dependency through `Filters`."""

    actor: ActorQuery = None
    topic: TopicQuery = None
    stance: StanceQuery = None
    direction: DirectionQuery = None
    q: QQuery = None
    order: OrderQuery = "document"

    def page(self, store: GraphStore) -> RawPage:
        """The page of positions these filters select."""
        return queries.positions_page(
            store,
            actor=self.actor,
            topic=self.topic,
            stance=self.stance,
            direction=self.direction,
            q=self.q,
            by_date=self.order == "date",
            **self.arguments(),
        )


ORDER = (
    "Ordered by document id, then evidence start and end offsets, then IRI: a stable order "
    "that `limit`/`offset` page through; `total` counts every match."
)
POSITIONS_EXAMPLE = examples.with_paging(examples.page(examples.POSITION))


@router.get(
    "",
    response_model=Page[Position],
    summary="List positions",
    description="Positions (stance, topic, direction) held by actors, each with the sentence "
    "that states it. Filters combine with AND: `actor` is the holder's id; `q` matches the "
    "holder's id, name or an alias, or the evidence text; `from`/`to` bound the position's "
    "own date if it has one, else its article's published date (a date of a month or a year "
    "counts when that period meets the bounds). " + ORDER + " `order=date` lists them by date.",
    response_description="A page of positions with their evidence sentences",
    responses=examples.list_responses("/positions", POSITIONS_EXAMPLE),
)
def list_positions(
    store: SnapshotDep,
    filters: Annotated[PositionFilter, Depends(Filters(PositionFilter))],
) -> Response:
    """Positions, filtered and paged (see the description above)."""
    return answer(filters.page(store))
