"""The former home of the aggregate reads, kept for its callers: see `kg.read.aggregates`."""

from __future__ import annotations

from kg.read.aggregates import (
    actor_network,
    get_topic,
    list_topics,
    network,
    stance_matrix,
    topic_positions,
)

__all__ = [
    "actor_network",
    "get_topic",
    "list_topics",
    "network",
    "stance_matrix",
    "topic_positions",
]
