"""Actor networks (shared events and positions) and the actors-by-topics stance matrix."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api.deps import MAX_LIMIT, PagingDep, SnapshotDep, answer_kept
from api.problems import PROBLEM_RESPONSES
from api.strict import STRICT
from kg.read import aggregates
from kg.read.records import ActorNetwork, ActorType, Network, StanceMatrix

router = APIRouter(tags=["network"], responses=PROBLEM_RESPONSES, dependencies=STRICT)

ACTOR_PATTERN = r"^[A-Za-z0-9_.\-]+$"
DOCUMENT_PATTERN = r"^[A-Za-z0-9_.\-]+$"

ActorPath = Annotated[
    str,
    Path(
        pattern=ACTOR_PATTERN,
        max_length=200,
        description="Actor id (`kg:actorKey`), e.g. `vladimir-putin`; search them at /actors.",
    ),
]
DocumentQuery = Annotated[
    str | None,
    Query(
        pattern=DOCUMENT_PATTERN,
        max_length=200,
        description="Only what this document says (an unknown id gives an empty answer).",
    ),
]

_WITKOFF: dict[str, Any] = {
    "id": "steve-witkoff",
    "name": "Steve Witkoff",
    "aliases": ["Witkoff"],
    "type": "Person",
    "iri": "http://127.0.0.1:8000/id/actor/steve-witkoff",
}
_USHAKOV: dict[str, Any] = {
    "id": "yuri-ushakov",
    "name": "Yuri Ushakov",
    "aliases": ["Ushakov"],
    "type": "Person",
    "iri": "http://127.0.0.1:8000/id/actor/yuri-ushakov",
}


def _example(value: object, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {"application/json": {"example": value}}}}


@router.get(
    "/actors/{actor_id}/network",
    response_model=ActorNetwork,
    summary="Actors linked to an actor",
    responses=_example(
        {
            "actor": _USHAKOV,
            "links": [
                {
                    "actor": _WITKOFF,
                    "events": 2,
                    "positions": 0,
                    "weight": 2,
                    "documents": ["moscow-talks", "kremlin-readout"],
                }
            ],
            "total": 1,
            "limit": 100,
            "offset": 0,
        },
        "Linked actors, strongest link first.",
    ),
)
def actor_network(store: SnapshotDep, paging: PagingDep, actor_id: ActorPath) -> Response:
    """The actors linked to this one: co-participants of the same events (the place of an
    event is no participant), and the other side of its positions (holder and target, holder
    and the source reporting it). `events` and `positions` count distinct statements,
    `weight` is their sum; links by weight (descending), then name. 404 for an unknown actor."""
    return answer_kept(
        store,
        ("network", actor_id, paging.limit, paging.offset),
        lambda: aggregates.actor_network(store, actor_id, limit=paging.limit, offset=paging.offset),
    )


@router.get(
    "/network",
    summary="The actor network",
    responses=_example(
        {
            "nodes": [
                {k: v for k, v in _USHAKOV.items() if k != "aliases"} | {"degree": 1, "weight": 2},
                {k: v for k, v in _WITKOFF.items() if k != "aliases"} | {"degree": 1, "weight": 2},
            ],
            "edges": [
                {
                    "source": "steve-witkoff",
                    "target": "yuri-ushakov",
                    "events": 2,
                    "positions": 0,
                    "weight": 2,
                }
            ],
        },
        "Nodes by weight; undirected edges with `source` < `target`.",
    ),
)
def network(
    store: SnapshotDep,
    min_weight: Annotated[
        int, Query(ge=1, description="Only edges of at least this weight (events + positions).")
    ] = 1,
    type: Annotated[
        ActorType | None, Query(description="Only actors of this type (both ends of an edge).")
    ] = None,
    document: DocumentQuery = None,
    limit: Annotated[
        int,
        Query(
            ge=1, le=MAX_LIMIT, description=f"At most this many nodes (heaviest), 1..{MAX_LIMIT}."
        ),
    ] = 100,
) -> Network:
    """The whole actor network, ready to draw: actors as nodes, links through shared events
    and positions as undirected edges (`source` < `target`). The `limit` heaviest nodes are
    kept (by the summed weight of their edges, then name) with the edges among them; a node's
    `degree` and `weight` count its edges before that cut."""
    return aggregates.network(
        store, min_weight=min_weight, actor_type=type, document=document, limit=limit
    )


@router.get(
    "/stance-matrix",
    summary="Actors by topics: stances and directions",
    responses=_example(
        {
            "actors": [
                {
                    "id": "vladimir-putin",
                    "name": "Vladimir Putin",
                    "type": "Person",
                    "iri": "http://127.0.0.1:8000/id/actor/vladimir-putin",
                    "positions": 3,
                }
            ],
            "topics": [
                {
                    "id": "territorial_concessions",
                    "label": "Territorial concessions",
                    "iri": "https://w3id.org/newskg/topic/territorial_concessions",
                    "positions": 2,
                },
                {
                    "id": "ceasefire",
                    "label": "Ceasefire",
                    "iri": "https://w3id.org/newskg/topic/ceasefire",
                    "positions": 1,
                },
            ],
            "cells": [
                {
                    "actor": "vladimir-putin",
                    "topic": "territorial_concessions",
                    "stance": "demands",
                    "direction": "for",
                    "count": 2,
                    "positions": [
                        "kremlin-readout/position/9a8b7c6d5e4f",
                        "tass-brief/position/1a2b3c4d5e6f",
                    ],
                },
                {
                    "actor": "vladimir-putin",
                    "topic": "ceasefire",
                    "stance": "rejects",
                    "direction": "against",
                    "count": 1,
                    "positions": ["kremlin-readout/position/0f1e2d3c4b5a"],
                },
            ],
        },
        "Rows, columns and the non-empty cells.",
    ),
)
def stance_matrix(
    store: SnapshotDep,
    type: Annotated[ActorType | None, Query(description="Only holders of this type.")] = None,
    min_positions: Annotated[
        int,
        Query(alias="min", ge=1, description="Only actors holding at least this many positions."),
    ] = 1,
    actors: Annotated[
        int,
        Query(ge=1, le=MAX_LIMIT, description="At most this many rows (most positions first)."),
    ] = 30,
    document: DocumentQuery = None,
) -> StanceMatrix:
    """Actors by topics, from all positions (or one document's): rows are the holders with the
    most positions (then by name), columns the topics they take positions on (most positions
    first, then label); each non-empty cell gives a stance and direction, how many positions
    have them and their ids (see /positions)."""
    return aggregates.stance_matrix(
        store, actor_type=type, min_positions=min_positions, max_actors=actors, document=document
    )
