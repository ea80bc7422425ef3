"""Actors: people, organisations, countries, places and groups named in the articles."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from api import queries
from api.deps import PagingDep, StoreDep
from api.problems import PROBLEM_RESPONSES
from api.routers.positions import StanceQuery, TopicQuery
from api.schemas import Actor, ActorType, Page, Position
from kg.errors import NotFoundError

router = APIRouter(prefix="/actors", tags=["actors"], responses=PROBLEM_RESPONSES)


@router.get("")
def list_actors(
    store: StoreDep,
    paging: PagingDep,
    q: Annotated[
        str | None,
        Query(max_length=200, description="Name, alias or id contains this (case/accent-blind)."),
    ] = None,
    type: Annotated[ActorType | None, Query(description="Only this actor type.")] = None,
) -> Page[Actor]:
    """Actors by name."""
    return queries.list_actors(
        store, q=q, actor_type=type, limit=paging.limit, offset=paging.offset
    )


@router.get("/{actor_id}")
def get_actor(store: StoreDep, actor_id: str) -> Actor:
    """One actor: names, aliases, type, Wikidata link, stated roles, documents."""
    return queries.get_actor(store, actor_id)


@router.get("/{actor_id}/positions")
def list_actor_positions(
    store: StoreDep,
    paging: PagingDep,
    actor_id: str,
    topic: TopicQuery = None,
    stance: StanceQuery = None,
) -> Page[Position]:
    """The positions this actor holds, optionally on one topic or with one stance."""
    if not queries.actor_exists(store, actor_id):
        raise NotFoundError(f"no actor with id {actor_id!r}; search them at /actors?q=")
    return queries.list_positions(
        store,
        document=None,
        actor=actor_id,
        topic=topic,
        stance=stance,
        limit=paging.limit,
        offset=paging.offset,
    )
