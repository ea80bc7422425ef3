"""Typed extraction records: what the NLP step hands to the mapping step.

Records are frozen and hold only plain values, so an `Extraction` is easy to test, compare and
map. Every statement carries a `Span` whose `text` equals `article.text[start:end]`.

Events, positions and quotes also carry, computed after extraction (`kg.nlp.sentences`), the
`sentence` their evidence stands in and the `holder_mention` that says who (the holder, the
speaker or the agent): the evidence stays the exact span the rule matched, and these two let a
reader see who said it.

The vocabulary enums (`ActorType`, `EventType`, `EventStatus`, `ParticipantRole`, `Stance`,
`Direction`) are `kg.vocab`'s, re-exported here because every record names them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from kg.vocab import ActorType as ActorType
from kg.vocab import Direction as Direction
from kg.vocab import EventStatus as EventStatus
from kg.vocab import EventType as EventType
from kg.vocab import ParticipantRole as ParticipantRole
from kg.vocab import Stance as Stance


class DatePrecision(StrEnum):
    """How much of a date the text states: "March 18, 2025", "last week", "in March", "in 2014"."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class Span:
    """A character range of the article text; `text == article.text[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class StatedDate:
    """A date as precise as the text states it (`kg.dates`): the period's first day, its
    precision, and the words that state it (None when it is not read from the text)."""

    first: dt.date
    precision: DatePrecision
    span: Span | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """One input article, as read from a file, a JSONL line or a POST body."""

    doc_id: str
    text: str
    content_hash: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    outlet: str | None = None
    author: str | None = None
    file: str | None = None
    published_evidence: Span | None = None
    """The words `published` was read from when the text states it (a dateline, a "Published:"
    line) and the metadata did not; None when it comes from the metadata."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A resolved actor. `key` is a stable slug: same canonical name, same key, in every build."""

    key: str
    name: str
    type: ActorType
    aliases: tuple[str, ...] = ()
    wikidata: str | None = None


@dataclass(frozen=True, slots=True)
class Mention:
    """One surface form in the text resolved to an actor, and the rule that resolved it."""

    actor: str
    span: Span
    rule: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Role:
    """An office or role the article states for an actor ("Kremlin press secretary")."""

    actor: str
    label: str
    span: Span


@dataclass(frozen=True, slots=True)
class Merge:
    """A record that several surface forms were merged into one actor, and by which rule."""

    actor: str
    rule: str
    surface_forms: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Participant:
    actor: str
    role: ParticipantRole


@dataclass(frozen=True, slots=True)
class Event:
    type: EventType
    participants: tuple[Participant, ...]
    evidence: Span
    method: str
    confidence: float
    place: str | None = None
    time_expression: str | None = None
    date: StatedDate | None = None
    status: EventStatus = EventStatus.HAPPENED
    sentence: Span | None = None
    holder_mention: Span | None = None


@dataclass(frozen=True, slots=True)
class Position:
    """Who takes which stance on which topic, with the exact span the rule matched as evidence."""

    holder: str
    stance: Stance
    topic: str
    direction: Direction
    evidence: Span
    method: str
    confidence: float
    target: str | None = None
    reported_by: str | None = None
    hedged: bool = False
    author_opinion: bool = False
    sentence: Span | None = None
    holder_mention: Span | None = None
    date: StatedDate | None = None
    """When the text says the holder took it ("said on Tuesday", "in 2014 Putin demanded")."""


@dataclass(frozen=True, slots=True)
class Quote:
    """Text in quotation marks attributed to a speaker; `evidence` spans the quoted words."""

    speaker: str
    evidence: Span
    method: str
    confidence: float
    sentence: Span | None = None
    holder_mention: Span | None = None


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one article, plus what produced it."""

    article: Article
    actors: tuple[Actor, ...] = ()
    mentions: tuple[Mention, ...] = ()
    roles: tuple[Role, ...] = ()
    merges: tuple[Merge, ...] = ()
    events: tuple[Event, ...] = ()
    positions: tuple[Position, ...] = ()
    quotes: tuple[Quote, ...] = ()
    extractor_version: str = "0"
    pipeline: str = ""
    pipeline_version: str = ""
    notes: tuple[str, ...] = field(default=())
