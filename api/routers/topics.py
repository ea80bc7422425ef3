"""Topics: the negotiation issues of `ontology/topics.ttl`, and who stands where on each."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from api.deps import MAX_LIMIT, PagingDep, SnapshotDep, answer_kept
from api.problems import PROBLEM_RESPONSES
from api.routers.positions import TOPIC_PATTERN
from api.strict import STRICT
from kg.read import aggregates
from kg.read.records import (
    ActorType,
    Direction,
    Page,
    Stance,
    TopicDetail,
    TopicPositions,
    TopicSummary,
)

router = APIRouter(
    prefix="/topics", tags=["topics"], responses=PROBLEM_RESPONSES, dependencies=STRICT
)

TopicPath = Annotated[
    str,
    Path(
        pattern=TOPIC_PATTERN,
        max_length=200,
        description="Topic id (`skos:notation`), e.g. `ceasefire`; list them at /topics.",
    ),
]

_CEASEFIRE: dict[str, Any] = {
    "id": "ceasefire",
    "label": "Ceasefire",
    "iri": "https://w3id.org/newskg/topic/ceasefire",
    "definition": "A halt or pause in the fighting, full or partial (air, sea, energy).",
    "positions": 14,
    "actors": 9,
}
_BASE = "http://127.0.0.1:8000/id/"
_EVIDENCE = (
    "Zelensky is ready for a 30-day ceasefire at sea if Russia agrees, "
    "the Kyiv Independent reported."
)
_POSITION_EXAMPLE: dict[str, Any] = {
    "id": "kyiv-truce/position/5b0e1c9a7d21",
    "actor": {
        "id": "volodymyr-zelenskyy",
        "name": "Volodymyr Zelenskyy",
        "aliases": ["Zelensky"],
        "iri": _BASE + "actor/volodymyr-zelenskyy",
    },
    "stance": "supports",
    "topic": {"id": "ceasefire", "label": "Ceasefire"},
    "direction": "for",
    "summary": "supports: a ceasefire",
    "target": {
        "id": "russia",
        "name": "Russia",
        "aliases": ["Russia"],
        "iri": _BASE + "actor/russia",
    },
    "reported_by": {
        "id": "kyiv-independent",
        "name": "Kyiv Independent",
        "aliases": ["the Kyiv Independent"],
        "iri": _BASE + "actor/kyiv-independent",
    },
    "hedged": False,
    "evidence": {"document": "kyiv-truce", "start": 0, "end": len(_EVIDENCE), "text": _EVIDENCE},
    "confidence": 0.8,
    "document": "kyiv-truce",
    "iri": _BASE + "document/kyiv-truce/position/5b0e1c9a7d21",
}


def _example(value: object, description: str) -> dict[int | str, dict[str, Any]]:
    return {200: {"description": description, "content": {"application/json": {"example": value}}}}


@router.get(
    "",
    summary="List the topics",
    responses=_example(
        {"items": [_CEASEFIRE], "total": 1, "limit": 100, "offset": 0},
        "Topics by label, each with its number of positions and of distinct holders.",
    ),
)
def list_topics(
    store: SnapshotDep,
    paging: PagingDep,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Id, label or alternative label contains this (case/accent-blind).",
        ),
    ] = None,
    used: Annotated[
        bool | None,
        Query(description="true: only topics with positions; false: only topics without."),
    ] = None,
) -> Page[TopicSummary]:
    """Every concept of the topic scheme, by label, with how many positions the articles take
    on it and how many distinct actors hold them."""
    return aggregates.list_topics(store, q=q, used=used, limit=paging.limit, offset=paging.offset)


@router.get(
    "/{topic_id}",
    summary="One topic",
    responses=_example(
        {
            **_CEASEFIRE,
            "narrower": [],
            "alt_labels": ["armistice", "cease-fire", "ceasefire", "truce"],
        },
        "The topic with its narrower topics and alternative labels.",
    ),
)
def get_topic(store: SnapshotDep, topic_id: TopicPath) -> TopicDetail:
    """One topic: label, definition, broader and narrower topics, alternative labels (the
    extractor's lexicon) and its use in the articles; 404 for an unknown id."""
    return aggregates.get_topic(store, topic_id)


@router.get(
    "/{topic_id}/positions",
    response_model=TopicPositions,
    summary="Who stands where on a topic",
    responses=_example(
        {
            "topic": _CEASEFIRE,
            "total": 1,
            "groups": [
                {
                    "stance": "supports",
                    "direction": "for",
                    "count": 1,
                    "actors": [
                        {
                            "actor": {
                                "id": "volodymyr-zelenskyy",
                                "name": "Volodymyr Zelenskyy",
                                "aliases": ["Zelensky"],
                                "type": "Person",
                                "iri": _BASE + "actor/volodymyr-zelenskyy",
                            },
                            "count": 1,
                            "positions": [_POSITION_EXAMPLE],
                        }
                    ],
                }
            ],
        },
        "Positions grouped by stance and direction, then by holder, each with its sentence.",
    ),
)
def topic_positions(
    store: SnapshotDep,
    topic_id: TopicPath,
    stance: Annotated[Stance | None, Query(description="Only this stance.")] = None,
    direction: Annotated[Direction | None, Query(description="Only this direction.")] = None,
    type: Annotated[ActorType | None, Query(description="Only holders of this type.")] = None,
    date_from: Annotated[
        dt.date | None,
        Query(alias="from", description="Only articles published on or after (YYYY-MM-DD)."),
    ] = None,
    date_to: Annotated[
        dt.date | None,
        Query(alias="to", description="Only articles published on or before (YYYY-MM-DD)."),
    ] = None,
    per_actor: Annotated[
        int,
        Query(
            ge=1,
            le=MAX_LIMIT,
            description="At most this many positions listed per holder and group "
            "(`count` is always complete).",
        ),
    ] = 100,
) -> Response:
    """Who stands where on one topic: positions grouped by stance and direction (largest group
    first), each group by holder (most positions first, then name), each position with its
    evidence sentence. The topic's own counts ignore the filters; `total` and the groups
    respect them. 404 for an unknown topic."""
    return answer_kept(
        store,
        ("topic", topic_id, stance, direction, type, date_from, date_to, per_actor),
        lambda: aggregates.topic_positions(
            store,
            topic_id,
            stance=stance,
            direction=direction,
            actor_type=type,
            date_from=date_from,
            date_to=date_to,
            per_actor=per_actor,
        ),
    )
