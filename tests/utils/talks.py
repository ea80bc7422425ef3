"""The "talks" data set: two small articles built from hand-made records through
`kg.mapping.to_graph`, with the real ontology graph, for the aggregate endpoints' tests.

talks-one (2025-03-10): Putin meets Witkoff and Ushakov in Moscow, calls Witkoff; Putin demands
territory of Ukraine and rejects a ceasefire, the Kremlin rejects one (reported by ISW),
Witkoff backs one. talks-two (2025-03-20): Witkoff meets Ushakov; Zelenskyy rejects territorial
concessions to Russia and supports a ceasefire; Putin rejects one again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from kg.iris import Iris
from kg.mapping import ontology_graph, to_graph
from kg.records import (
    Actor,
    ActorType,
    Article,
    Direction,
    Event,
    EventType,
    Extraction,
    Participant,
    ParticipantRole,
    Position,
    Stance,
)
from kg.registry import put_article
from kg.store import GraphStore
from tests.utils.extraction import BASE_IRI, span

TEXT_ONE = (
    "Vladimir Putin met Steve Witkoff and Yuri Ushakov in Moscow. "
    "Putin later called Witkoff. "
    "Putin demanded that Ukraine cede Donetsk. "
    "Putin rejected a ceasefire. "
    "The Kremlin rejected a truce, ISW said. "
    "Witkoff backed a ceasefire."
)
TEXT_TWO = (
    "Steve Witkoff met Yuri Ushakov again. "
    "Volodymyr Zelenskyy rejected any territorial concessions to Russia. "
    "Zelenskyy supported a ceasefire. "
    "Putin again rejected a ceasefire."
)
PERSON, PLACE, COUNTRY, ORG = (
    ActorType.PERSON,
    ActorType.PLACE,
    ActorType.COUNTRY,
    ActorType.ORGANIZATION,
)


def _article(doc_id: str, text: str, published: dt.date) -> Article:
    return Article(
        doc_id=doc_id,
        text=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=doc_id,
        published=published,
    )


def _position(
    text: str,
    sentence: str,
    holder: str,
    stance: Stance,
    topic: str,
    direction: Direction,
    **extra: Any,
) -> Position:
    return Position(
        holder,
        stance,
        topic,
        direction,
        span(sentence, text=text),
        "test",
        0.8,
        **extra,
    )


def talks_one(doc_id: str = "talks-one") -> Extraction:
    t = TEXT_ONE
    return Extraction(
        article=_article(doc_id, t, dt.date(2025, 3, 10)),
        actors=(
            Actor("vladimir-putin", "Vladimir Putin", PERSON, ("Putin",)),
            Actor("steve-witkoff", "Steve Witkoff", PERSON, ("Witkoff",)),
            Actor("yuri-ushakov", "Yuri Ushakov", PERSON),
            Actor("moscow", "Moscow", PLACE),
            Actor("ukraine", "Ukraine", COUNTRY),
            Actor("kremlin", "Kremlin", ORG, ("The Kremlin",)),
            Actor("isw", "ISW", ORG),
        ),
        events=(
            Event(
                EventType.MEETING,
                (
                    Participant("vladimir-putin", ParticipantRole.AGENT),
                    Participant("steve-witkoff", ParticipantRole.PARTICIPANT),
                    Participant("yuri-ushakov", ParticipantRole.PARTICIPANT),
                ),
                span("Vladimir Putin met Steve Witkoff and Yuri Ushakov in Moscow.", text=t),
                "test",
                0.7,
                place="moscow",
            ),
            Event(
                EventType.PHONE_CALL,
                (
                    Participant("vladimir-putin", ParticipantRole.AGENT),
                    Participant("steve-witkoff", ParticipantRole.RECIPIENT),
                ),
                span("Putin later called Witkoff.", text=t),
                "test",
                0.7,
            ),
        ),
        positions=(
            _position(
                t,
                "Putin demanded that Ukraine cede Donetsk.",
                "vladimir-putin",
                Stance.DEMANDS,
                "territorial_concessions",
                Direction.FOR,
                target="ukraine",
            ),
            _position(
                t,
                "Putin rejected a ceasefire.",
                "vladimir-putin",
                Stance.REJECTS,
                "ceasefire",
                Direction.AGAINST,
            ),
            _position(
                t,
                "The Kremlin rejected a truce, ISW said.",
                "kremlin",
                Stance.REJECTS,
                "ceasefire",
                Direction.AGAINST,
                reported_by="isw",
            ),
            _position(
                t,
                "Witkoff backed a ceasefire.",
                "steve-witkoff",
                Stance.SUPPORTS,
                "ceasefire",
                Direction.FOR,
            ),
        ),
    )


def talks_two(doc_id: str = "talks-two") -> Extraction:
    t = TEXT_TWO
    return Extraction(
        article=_article(doc_id, t, dt.date(2025, 3, 20)),
        actors=(
            Actor("steve-witkoff", "Steve Witkoff", PERSON),
            Actor("yuri-ushakov", "Yuri Ushakov", PERSON, ("Ushakov",)),
            Actor("volodymyr-zelenskyy", "Volodymyr Zelenskyy", PERSON, ("Zelenskyy",)),
            Actor("russia", "Russia", COUNTRY),
            Actor("vladimir-putin", "Vladimir Putin", PERSON, ("Putin",)),
        ),
        events=(
            Event(
                EventType.MEETING,
                (
                    Participant("steve-witkoff", ParticipantRole.AGENT),
                    Participant("yuri-ushakov", ParticipantRole.PARTICIPANT),
                ),
                span("Steve Witkoff met Yuri Ushakov again.", text=t),
                "test",
                0.7,
            ),
        ),
        positions=(
            _position(
                t,
                "Volodymyr Zelenskyy rejected any territorial concessions to Russia.",
                "volodymyr-zelenskyy",
                Stance.REJECTS,
                "territorial_concessions",
                Direction.AGAINST,
                target="russia",
            ),
            _position(
                t,
                "Zelenskyy supported a ceasefire.",
                "volodymyr-zelenskyy",
                Stance.SUPPORTS,
                "ceasefire",
                Direction.FOR,
            ),
            _position(
                t,
                "Putin again rejected a ceasefire.",
                "vladimir-putin",
                Stance.REJECTS,
                "ceasefire",
                Direction.AGAINST,
            ),
        ),
    )


def load_talks(store: GraphStore, copies: int = 1) -> None:
    """The ontology graph and `copies` pairs of talks articles (ids suffixed from the second)."""
    iris = Iris(BASE_IRI)
    store.put_graph(str(iris.ontology_graph()), ontology_graph())
    for n in range(copies):
        suffix = f"-{n}" if n else ""
        for extraction in (talks_one(f"talks-one{suffix}"), talks_two(f"talks-two{suffix}")):
            put_article(store, to_graph(extraction, iris), iris)
