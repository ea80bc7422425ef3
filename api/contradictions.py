"""The former home of the contradiction report, kept for its callers: see
`kg.read.contradictions`."""

from __future__ import annotations

from kg.read.contradictions import (
    actor_contradictions,
    find_contradictions,
    store_contradictions,
    store_report,
)

__all__ = [
    "actor_contradictions",
    "find_contradictions",
    "store_contradictions",
    "store_report",
]
