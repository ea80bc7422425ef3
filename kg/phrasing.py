"""A position as a sentence ("demands: Ukraine stays out of NATO"), and which positions contradict.

A position's `kg:direction` is the holder's net polarity towards its topic (`for`: the holder
wants the topic to happen or holds it true), whatever the stance verb: "rejects, against a
ceasefire" means the holder wants no ceasefire. Printing the verb beside the direction word makes
the reader decode a double negative, so a summary never prints the direction. It prints the
stance verb, then the phrase of the topic (`ontology/topics.ttl`) whose outcome the verb acts on:

- an affirmative verb (demands, proposes, supports, threatens, claims) takes the phrase of the
  direction: for -> `kg:forPhrase`, against -> `kg:againstPhrase`;
- a negative verb (opposes, rejects) takes the other one: against -> `kg:forPhrase` ("rejects: a
  ceasefire"), for -> `kg:againstPhrase` ("rejects: the fighting goes on");
- without a for or against reading (`n/a`), and for every accusation, the verb and a preposition
  take `kg:topicPhrase` ("claims about: the peace talks", "accuses over: sanctions").

No phrase carries a negation (`NEGATIONS`), so a negative verb never meets a negated phrase.

A contradiction is one holder for and against one topic within one stance family (`FAMILIES`):
what the holder wants (demands, proposes, supports, opposes, rejects), threatens, or claims.
Accusations have no for or against reading and never contradict. docs/positions.md states the
same rule for readers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef

from kg.namespaces import KG
from kg.vocab import Direction, Stance

__all__ = [
    "AGAINST",
    "FAMILIES",
    "FOR",
    "NEGATIONS",
    "STANCES",
    "StanceWording",
    "TopicPhrasing",
    "family",
    "negations_in",
    "phrasings_from_graph",
    "repository_phrasings",
    "summarize",
]

#: REST directions with a for or against reading.
FOR, AGAINST = Direction.FOR.value, Direction.AGAINST.value


@dataclass(frozen=True, slots=True)
class StanceWording:
    """How one stance reads: whether its verb negates what follows, its family, and the
    preposition before a topic without a for or against reading."""

    negative: bool
    family: str | None
    preposition: str


#: Every stance of `stance:scheme` (ontology/newskg.ttl), by REST value.
STANCES: Mapping[str, StanceWording] = {
    Stance.DEMANDS.value: StanceWording(negative=False, family="wants", preposition="about"),
    Stance.PROPOSES.value: StanceWording(negative=False, family="wants", preposition="about"),
    Stance.SUPPORTS.value: StanceWording(negative=False, family="wants", preposition="about"),
    Stance.OPPOSES.value: StanceWording(negative=True, family="wants", preposition="about"),
    Stance.REJECTS.value: StanceWording(negative=True, family="wants", preposition="about"),
    Stance.THREATENS.value: StanceWording(negative=False, family="threatens", preposition="over"),
    Stance.CLAIMS.value: StanceWording(negative=False, family="claims", preposition="about"),
    Stance.ACCUSES.value: StanceWording(negative=False, family=None, preposition="over"),
}

#: Stance families, within which one holder for and against one topic is a contradiction.
FAMILIES: Mapping[str, tuple[str, ...]] = {
    name: tuple(s for s, wording in STANCES.items() if wording.family == name)
    for name in ("wants", "threatens", "claims")
}

#: Words that negate or reverse what follows; no topic phrase may contain one.
NEGATIONS = frozenset(
    {
        "not", "no", "never", "none", "nor", "neither", "without", "cannot", "against",
        "stop", "stops", "end", "ends", "halt", "halts", "drop", "drops", "dropped",
        "abandon", "abandoned", "cancel", "cancelled", "lift", "lifted", "cut", "cuts",
        "withhold", "withheld", "refuse", "refused", "reject", "rejected", "oppose", "opposed",
    }
)  # fmt: skip
_APOSTROPHE = "\u2019"  # the typographic apostrophe (right single quotation mark)
_WORD = re.compile(rf"[\w'{_APOSTROPHE}-]+")


def negations_in(phrase: str) -> list[str]:
    """The words of `phrase` that negate or reverse it (an "n't" counts as one)."""
    words = [w.lower() for w in _WORD.findall(phrase)]
    return [w for w in words if w in NEGATIONS or w.replace(_APOSTROPHE, "'").endswith("n't")]


@dataclass(frozen=True, slots=True)
class TopicPhrasing:
    """The three phrases of a topic (`kg:forPhrase`, `kg:againstPhrase`, `kg:topicPhrase`)."""

    for_phrase: str
    against_phrase: str
    topic_phrase: str

    @classmethod
    def from_label(cls, label: str) -> TopicPhrasing:
        """Phrases for a topic outside the scheme, from its label and without a negation."""
        return cls(label, f"an alternative to {label}", label)


def family(stance: str) -> str | None:
    """The stance's family (`FAMILIES`); None for an accusation or an unknown stance."""
    wording = STANCES.get(stance)
    return wording.family if wording else None


def summarize(stance: str, direction: str, phrasing: TopicPhrasing) -> str:
    """The position as "<stance> <preposition>: <phrase>" (see the module docstring).

    >>> nato = TopicPhrasing("Ukraine joins NATO", "Ukraine stays out of NATO", "NATO")
    >>> summarize("demands", "against", nato)
    'demands: Ukraine stays out of NATO'
    >>> summarize("rejects", "against", nato)
    'rejects: Ukraine joins NATO'
    >>> summarize("claims", "n/a", nato)
    'claims about: NATO'
    """
    wording = STANCES.get(stance, StanceWording(negative=False, family=None, preposition="about"))
    if direction not in (FOR, AGAINST) or wording.family is None:
        return f"{stance} {wording.preposition}: {phrasing.topic_phrase}"
    wants_topic = (direction == FOR) != wording.negative
    return f"{stance}: {phrasing.for_phrase if wants_topic else phrasing.against_phrase}"


def _english(values: Iterable[object]) -> str | None:
    """The `@en` literal among `values`, else one without a language, else None."""
    plain = None
    for value in values:
        if isinstance(value, Literal):
            if value.language == "en":
                return str(value)
            if value.language is None:
                plain = str(value)
    return plain


def phrasings_from_graph(graph: Graph) -> dict[str, TopicPhrasing]:
    """Concept IRI -> its phrases, for each concept of `graph` carrying all three."""
    found: dict[str, TopicPhrasing] = {}
    for concept in set(graph.subjects(KG.forPhrase, None)):
        if not isinstance(concept, URIRef):
            continue
        phrases = [
            _english(graph.objects(concept, prop))
            for prop in (KG.forPhrase, KG.againstPhrase, KG.topicPhrase)
        ]
        if all(phrases):
            for_phrase, against_phrase, topic_phrase = (str(p) for p in phrases)
            found[str(concept)] = TopicPhrasing(for_phrase, against_phrase, topic_phrase)
    return found


@lru_cache(maxsize=1)
def repository_phrasings() -> dict[str, TopicPhrasing]:
    """The phrases of ontology/topics.ttl, for a store built before topics carried them."""
    from kg.mapping import read_ontology_file

    try:
        graph = read_ontology_file("topics.ttl")
    except FileNotFoundError:
        return {}
    return phrasings_from_graph(graph)
