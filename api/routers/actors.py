"""Actors: people, organisations, countries, places and groups named in the articles, and what
each of them holds, does and says (`/actors/{id}/positions`, `/events`, `/quotes`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Response

from api import examples
from api.deps import DocumentQuery, Filters, PagingDep, QQuery, SnapshotDep, answer
from api.routers.events import DATES, EVENTS_EXAMPLE, EventFilter
from api.routers.positions import ORDER, POSITIONS_EXAMPLE, PositionFilter
from api.routers.quotes import QUOTES_EXAMPLE, QuoteFilter
from api.strict import STRICT
from kg.errors import NotFoundError
from kg.read import contradictions, queries
from kg.read.records import Actor, ActorContradictions, ActorType, Event, Page, Position, Quote
from kg.store import GraphStore

router = APIRouter(prefix="/actors", tags=["actors"], dependencies=STRICT)

ActorId = Annotated[
    str,
    Path(
        max_length=200,
        description="The actor id (`kg:actorKey`), as listed by `/actors`.",
        examples=["vladimir-putin"],
    ),
]
ACTORS_EXAMPLE = examples.with_paging(examples.page(examples.ACTOR))

#: The filters of `/positions`, `/events` and `/quotes`, the actor from the path.
ActorPositions = Annotated[PositionFilter, Depends(Filters(PositionFilter, actor_path=ActorId))]
ActorEvents = Annotated[EventFilter, Depends(Filters(EventFilter, actor_path=ActorId))]
ActorQuotes = Annotated[
    QuoteFilter, Depends(Filters(QuoteFilter, actor_path=ActorId, dropped=("speaker",)))
]


def _require(store: GraphStore, actor_id: str | None) -> None:
    """404 unless `actor_id` (the path's, so None only by mistake) is a known actor."""
    if actor_id is None or not queries.actor_exists(store, actor_id):
        raise NotFoundError(f"no actor with id {actor_id!r}; search them at /actors?q=")


@router.get(
    "",
    summary="List actors",
    description="Actors named in the articles (the registry's other entries are left out), "
    "merged over the articles by id, ordered by name (case- and accent-folded) then id. "
    "`q` matches the id, the name or an alias seen in an article; `document` keeps the actors "
    "that article mentions.",
    response_description="A page of actors",
    responses=examples.list_responses(
        "/actors", examples.with_paging(examples.page(examples.ACTOR))
    ),
)
def list_actors(
    store: SnapshotDep,
    paging: PagingDep,
    q: QQuery = None,
    type: Annotated[
        ActorType | None, Query(description="Only this actor type.", examples=["Person"])
    ] = None,
    document: DocumentQuery = None,
) -> Page[Actor]:
    """Actors by name, filtered and paged."""
    return queries.list_actors(
        store,
        q=q,
        actor_type=type,
        document=document,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get(
    "/{actor_id}",
    summary="One actor",
    description="Names, aliases seen in the articles, type, verified Wikidata link, the roles "
    "the articles state, and the ids of the documents naming it; 404 for an unknown id.",
    responses=examples.actor_responses("/actors/{actor_id}", examples.ACTOR),
)
def get_actor(store: SnapshotDep, actor_id: ActorId) -> Actor:
    """One actor: names, aliases, type, Wikidata link, stated roles, documents."""
    return queries.get_actor(store, actor_id)


@router.get(
    "/{actor_id}/positions",
    response_model=Page[Position],
    summary="An actor's positions",
    description="The positions this actor holds, with the same filters as `/positions` "
    "(`document`, `topic`, `stance`, `direction`, `q` on the evidence text, `from`/`to`); "
    "404 for an unknown actor. " + ORDER + " With `topic` and `order=date` it is the timeline "
    "of the actor's positions on that topic: each position's `date` is the date the text "
    "gives for the statement, else its article's published date (`date.basis`).",
    response_description="A page of positions",
    responses=examples.actor_responses("/actors/{actor_id}/positions", POSITIONS_EXAMPLE),
)
def list_actor_positions(store: SnapshotDep, filters: ActorPositions) -> Response:
    """The positions this actor holds, filtered and paged; `order=date` gives a timeline."""
    _require(store, filters.actor)
    return answer(filters.page(store))


@router.get(
    "/{actor_id}/events",
    response_model=Page[Event],
    summary="An actor's events",
    description="The events this actor takes part in (any role), with the same filters as "
    "`/events` (`document`, `type`, `q`, `from`/`to`); 404 for an unknown actor. "
    + DATES
    + " "
    + ORDER,
    response_description="A page of events",
    responses=examples.actor_responses("/actors/{actor_id}/events", EVENTS_EXAMPLE),
)
def list_actor_events(store: SnapshotDep, filters: ActorEvents) -> Response:
    """The events this actor takes part in, filtered and paged."""
    _require(store, filters.actor)
    return answer(filters.page(store))


@router.get(
    "/{actor_id}/quotes",
    response_model=Page[Quote],
    summary="An actor's quotes",
    description="What this actor is quoted as saying, with the same filters as `/quotes` "
    "(`document`, `q` on the quoted text, `from`/`to`); 404 for an unknown actor. " + ORDER,
    response_description="A page of quotes",
    responses=examples.actor_responses("/actors/{actor_id}/quotes", QUOTES_EXAMPLE),
)
def list_actor_quotes(store: SnapshotDep, filters: ActorQuotes) -> Response:
    """What this actor is quoted as saying, filtered and paged."""
    _require(store, filters.actor)
    return answer(filters.page(store))


@router.get(
    "/{actor_id}/contradictions",
    summary="An actor's contradictions",
    description="The topics on which this actor is both for and against within one stance "
    "family (`wants`: demands, proposes, supports, opposes, rejects; `threatens`; `claims`), "
    "each with both sides' positions and their evidence, ordered by topic label then family. "
    "They are facts of the articles, not errors: the same report is a section of `kg "
    "validate`. An empty `items` when there is none; 404 for an unknown actor.",
    response_description="The actor's contradictions",
    responses=examples.actor_responses(
        "/actors/{actor_id}/contradictions", examples.CONTRADICTIONS
    ),
)
def list_actor_contradictions(store: SnapshotDep, actor_id: ActorId) -> ActorContradictions:
    """The topics this actor is both for and against, with both sides' positions."""
    _require(store, actor_id)
    return contradictions.actor_contradictions(store, actor_id)
