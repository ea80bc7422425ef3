"""What every position rule reads about one Doc, built once per Doc and never changed."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from kg.nlp.common import actor_types, get_list, quoted_token_ids, token_actor_map
from kg.nlp.positions.topics import TopicMatcher, TopicSpan, best_topic
from kg.records import ActorType, Mention, Quote, Stance

FIRST_PERSON = frozenset({"i", "we", "me", "us"})
AUTHOR = "__author__"
"""Placeholder holder key, replaced by the article's author/outlet key."""


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement: the source's actor key, the cue token and the content range."""

    source: str
    cue: int
    first: int
    last: int
    kind: str
    """The construction that found it: "verb", "parenthetical", "according-to", "evaluation"."""


@dataclass(frozen=True, slots=True)
class DocContext:
    """The Doc with its actor mentions by token, actor types, quoted tokens and quotes."""

    doc: Doc
    amap: dict[int, Mention]
    types: dict[str, ActorType]
    quoted: frozenset[int]
    quotes: tuple[Quote, ...]
    topic_spans: tuple[TopicSpan, ...] = ()
    """The topic terms found in the Doc (`TopicMatcher.spans`)."""

    @classmethod
    def of(cls, doc: Doc, topics: TopicMatcher | None = None) -> DocContext:
        """Read the annotations of the earlier components (`kg_mentions`, `kg_quotes`) and
        find the topic terms (none without a matcher)."""
        return cls(
            doc=doc,
            amap=token_actor_map(doc),
            types=actor_types(doc),
            quoted=frozenset(quoted_token_ids(doc)),
            quotes=tuple(get_list(doc, "kg_quotes")),
            topic_spans=topics.spans(doc) if topics is not None else (),
        )

    def topic(self, ids: Collection[int]) -> str:
        """The topic of the clause made of the tokens `ids` (the catch-all when none)."""
        return best_topic(self.topic_spans, ids)

    def topic_among(self, ids: Collection[int], only: frozenset[str]) -> str | None:
        """The clause's topic among `only`, or None."""
        return best_topic(self.topic_spans, ids, only)

    def speaker_at(self, tok: Token) -> str | None:
        """The speaker of the quote a token stands in, if any."""
        for quote in self.quotes:
            if quote.evidence.start <= tok.idx < quote.evidence.end:
                return quote.speaker
        return None


@dataclass(frozen=True, slots=True)
class CueContext:
    """A Doc's context for the stance-cue rules: which tokens are stance cues, and of which stance.

    Built once per Doc from the cue matches, so no rule reads state left over from another Doc.
    """

    base: DocContext
    cue_tokens: frozenset[int]
    """Tokens of every cue match, overlapping ones included."""
    cue_stance: Mapping[int, Stance]
    """Token id -> stance of the (longest, non-overlapping) cue it is part of."""

    @classmethod
    def of(
        cls, base: DocContext, spans: Sequence[SpacySpan], stances: Mapping[str, Stance]
    ) -> CueContext:
        """The cue matches `spans`, labelled with lexicon keys of `stances`."""
        strings = base.doc.vocab.strings
        return cls(
            base=base,
            cue_tokens=frozenset(t.i for span in spans for t in span),
            cue_stance=MappingProxyType(
                {t.i: stances[strings[span.label]] for span in filter_spans(spans) for t in span}
            ),
        )

    @property
    def doc(self) -> Doc:
        return self.base.doc

    @property
    def amap(self) -> dict[int, Mention]:
        return self.base.amap

    @property
    def types(self) -> dict[str, ActorType]:
        return self.base.types

    @property
    def quoted(self) -> frozenset[int]:
        return self.base.quoted

    @property
    def quotes(self) -> tuple[Quote, ...]:
        return self.base.quotes
