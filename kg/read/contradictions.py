"""Contradictions: one holder for and against one topic within one stance family.

A position's direction is the holder's net polarity (kg/phrasing.py), so "demands, for regime
change" and "demands, against regime change" by one holder say opposite things. They are facts
of the articles (the holder changed its mind, two articles report it differently, or the
extractor misread one), so REST (`/actors/{id}/contradictions`), the actor page and `kg
validate` show both sides with their evidence; none of them is an error. Positions of different
families do not contradict: one may claim that something will happen and demand that it not.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Literal, cast

from kg.phrasing import AGAINST, FOR, family
from kg.read import queries
from kg.read.records import ActorContradictions, ActorRef, Contradiction, Position
from kg.store import GraphStore

Family = Literal["wants", "threatens", "claims"]


def find_contradictions(positions: Iterable[Position]) -> list[Contradiction]:
    """Group `positions` by holder, topic and stance family; keep the groups with a position
    for and one against, ordered by holder id, topic label, then family.

    The positions keep their given order inside each side (REST lists them in evidence order).
    """
    sides: dict[tuple[str, str, str], dict[str, list[Position]]] = defaultdict(
        lambda: {FOR: [], AGAINST: []}
    )
    for position in positions:
        name = family(position.stance)
        if name is None or position.direction not in (FOR, AGAINST):
            continue
        sides[(position.actor.id, position.topic.id, name)][position.direction].append(position)
    found = [
        Contradiction(
            actor=side[FOR][0].actor,
            topic=side[FOR][0].topic,
            family=cast(Family, name),
            positions_for=side[FOR],
            positions_against=side[AGAINST],
        )
        for (_, _, name), side in sides.items()
        if side[FOR] and side[AGAINST]
    ]
    return sorted(
        found, key=lambda c: (c.actor.id, queries.fold(c.topic.label), c.topic.id, c.family)
    )


def _all_positions(store: GraphStore, actor: str | None) -> list[Position]:
    """Every position (of `actor` when given), in the REST order: two page reads."""
    total = queries.list_positions(store, actor=actor, limit=0, offset=0).total
    if total == 0:
        return []
    return queries.list_positions(store, actor=actor, limit=total, offset=0).items


def store_contradictions(store: GraphStore) -> list[Contradiction]:
    """Every contradiction in the store's articles, by holder id, topic label, family."""
    return find_contradictions(_all_positions(store, None))


def actor_contradictions(store: GraphStore, actor_id: str) -> ActorContradictions:
    """The contradictions of one actor (an existing one: the route checks it)."""
    items = find_contradictions(_all_positions(store, actor_id))
    actor = queries.get_actor(store, actor_id)
    return ActorContradictions(
        actor=ActorRef(id=actor.id, name=actor.name, aliases=actor.aliases, iri=actor.iri),
        items=items,
        total=len(items),
    )


FAMILY_WORDS = {
    "wants": "what it wants",
    "threatens": "what it threatens",
    "claims": "what it claims",
}
_QUOTE_CHARS = 90
_EN_DASH = "\u2013"


def _cite(position: Position, titles: dict[str, str]) -> str:
    """Where a position stands: the article's display title, the characters, the evidence."""
    text = " ".join(position.evidence.text.split())
    if len(text) > _QUOTE_CHARS:
        text = text[: _QUOTE_CHARS - 1].rstrip() + "…"
    title = titles.get(position.document, position.document)
    where = f"characters {position.evidence.start}{_EN_DASH}{position.evidence.end}"
    return f"“{title}” ({position.document}), {where}: “{text}”"


def report_lines(found: list[Contradiction], titles: dict[str, str]) -> list[str]:
    """`kg validate`'s contradictions section: a heading, then per contradiction the holder,
    the topic and the family, and each side's positions as sentences with their citations."""
    lines = [f"{len(found)} contradictions (facts of the articles, not errors; docs/positions.md)"]
    for item in found:
        lines.append(
            f"  {item.actor.name} ({item.actor.id}) on {item.topic.label}, "
            f"{FAMILY_WORDS[item.family]}:"
        )
        for side, positions in ((FOR, item.positions_for), (AGAINST, item.positions_against)):
            for position in positions:
                lines.append(f"    {side:<8} {position.summary}")
                lines.append(f"    {'':<8}   {_cite(position, titles)}")
    return lines


def store_report(store: GraphStore) -> list[str]:
    """`report_lines` for every contradiction of the store, citing articles by display title."""
    found = store_contradictions(store)
    titles: dict[str, str] = {}
    if found:
        total = queries.list_documents(store, limit=1, offset=0).total
        documents = queries.list_documents(store, limit=total, offset=0).items
        titles = {d.id: d.display_title for d in documents}
    return report_lines(found, titles)
