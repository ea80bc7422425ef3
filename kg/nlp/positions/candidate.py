"""A stance cue on its way to positions: the match, its holders so far and the rules it met.

The cue rules (`vetoes`, `rewrites`) are functions of a `Candidate`; each rewrite that changes the
stance adds its name to `rules`, which `Position.method` records as provenance.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.vocab import Vocab

from kg.nlp.lexicon import Lexicon
from kg.nlp.positions.context import CueContext
from kg.nlp.positions.topics import TopicMatcher
from kg.records import Stance

Tokenize = Callable[[str], Doc]
CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ"})


@dataclass(frozen=True, slots=True)
class CueWords:
    """The word lists of `ontology/lexicon.ttl` and the settings the cue rules read."""

    stances: Mapping[str, Stance]
    """Lexicon key of a cue ("warn", "or face") -> its stance."""
    obligations: frozenset[str]
    frames: frozenset[str]
    frame_modals: frozenset[str]
    irrealis_modals: frozenset[str]
    readiness: frozenset[str]
    cognition: frozenset[str]
    penalties: frozenset[str]
    renunciation: frozenset[str]
    concession_topics: frozenset[str]
    descriptive: frozenset[str]
    pretense: frozenset[str]
    issue_nouns: frozenset[str]
    """Nouns that name an issue put forward ("proposal", "plan"): with "this" they refer back."""
    topicless: frozenset[Stance]
    """Stances kept when no topic term is found (a component setting)."""
    topics: TopicMatcher

    @classmethod
    def from_lexicon(
        cls, lexicon: Lexicon, topicless: frozenset[Stance], vocab: Vocab, tokenize: Tokenize
    ) -> CueWords:
        """The lists of `lexicon`; an unknown list name raises `ExtractionError` at load."""
        return cls(
            stances=dict(lexicon.stances),
            obligations=lexicon.word_list("obligation"),
            frames=lexicon.word_list("counterfactual_frame"),
            frame_modals=lexicon.word_list("frame_modal"),
            irrealis_modals=lexicon.word_list("irrealis_modal"),
            readiness=lexicon.word_list("readiness"),
            cognition=lexicon.word_list("cognition"),
            penalties=lexicon.word_list("penalty_topic"),
            renunciation=lexicon.word_list("renunciation"),
            concession_topics=lexicon.word_list("concession_topic"),
            descriptive=lexicon.word_list("descriptive_topic"),
            pretense=lexicon.word_list("pretense"),
            issue_nouns=lexicon.word_list("proposal_noun"),
            topicless=topicless,
            topics=TopicMatcher(vocab, tokenize, lexicon.topics),
        )


@dataclass(frozen=True, slots=True)
class Candidate:
    """One cue match with what the rules read: the Doc's context, the cue, its stance so far."""

    ctx: CueContext
    words: CueWords
    span: SpacySpan
    """The matched cue phrase ("warned", "or face")."""
    cue: Token
    """The phrase's content word (`content_word`)."""
    key: str
    """The cue's lexicon key."""
    stance: Stance
    holders: tuple[str, ...] = ()
    reported_by: str | None = None
    target: str | None = None
    rules: tuple[str, ...] = ()
    """The rewrites that changed the stance, in order."""

    def method(self, rules: tuple[str, ...] | None = None) -> str:
        """Provenance for `Position.method`: the cue and the rewrites that applied, e.g.
        "cue:warned|rewrite:warning-about-is-claim"; `rules` defaults to the candidate's."""
        names = self.rules if rules is None else rules
        return "|".join([f"cue:{self.span.text.lower()}", *(f"rewrite:{r}" for r in names)])


def content_word(span: SpacySpan) -> Token:
    """The token of a cue phrase that carries it: its root, or in "or face" the content word."""
    cue: Token = span.root
    if len(span) > 1 and cue.pos_ not in CONTENT_POS:
        cue = next((t for t in span if t.pos_ in CONTENT_POS), cue)
    return cue


@dataclass(frozen=True, slots=True)
class Item:
    """One statement of a cue (the cue's whole scope, or one item of a list it governs)."""

    part: frozenset[int]
    """Token ids of the item's scope."""
    topic: str
    listed: bool
    """The cue governs a list ("wants X, Y and Z"), so each item needs its own topic."""
    explicit: bool
    """A strong claim with a content clause ("claimed that ..."), kept without a topic."""
