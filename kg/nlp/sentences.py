"""Who said it: the sentence of an evidence span and the mention of its holder.

A rule's evidence is the exact span it matched ("the promise of staged sanctions relief"), which
often leaves out who holds the position. After extraction, each event, position and quote gets
the sentence its evidence stands in and the mention of its holder (the position's holder, the
quote's speaker, the event's agent) that a reader needs to see who said it:

1. the holder's mention in that sentence nearest before (or inside) the evidence, else the first
   one after it in the sentence;
2. else a pronoun of the sentence that resolves to the holder: its antecedent (the nearest
   earlier mention of an actor of a fitting type, at most two sentences back) is the holder, or
   it is a subject pronoun of a fitting type and the holder is named at most three sentences
   back (the salient actor the extractor attributed the statement to): "So he ignored it";
3. else the holder's mention in the previous sentence nearest the evidence, and the sentence
   span then starts at that previous sentence, so that it still shows who;
4. else none (the writer's own opinion, whose holder is the byline, has none).

The sentence span always contains the evidence. Pure functions over record spans in article
offsets and the sentence bounds of the processed Docs.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.nlp.common import PERSON_PRONOUNS, SUBJECT_DEPS
from kg.records import ActorType, Mention, Span

__all__ = ["PRONOUN_TYPES", "SentenceIndex", "holder_context"]

_NON_PERSON = frozenset({ActorType.COUNTRY, ActorType.ORGANIZATION, ActorType.GROUP})
#: Pronoun -> the actor types its antecedent may have.
PRONOUN_TYPES: dict[str, frozenset[ActorType]] = {
    **{p: frozenset({ActorType.PERSON}) for p in PERSON_PRONOUNS | {"himself", "herself"}},
    **dict.fromkeys(("it", "its", "itself", "they", "them", "their", "themselves"), _NON_PERSON),
}
#: How many sentences before the pronoun's own its nearest antecedent may stand in.
ANTECEDENT_SENTENCES = 2
#: How many sentences back the holder of a subject pronoun may be named.
SALIENCE_SENTENCES = 3


@dataclass(frozen=True, slots=True)
class Pronoun:
    span: Span
    subject: bool


@dataclass(frozen=True, slots=True)
class SentenceIndex:
    """The sentences and pronouns of one article, in article offsets."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    pronouns: tuple[Pronoun, ...]

    @classmethod
    def from_docs(cls, text: str, docs: Iterable[tuple[int, Doc]]) -> SentenceIndex:
        """Index the processed chunk Docs of an article (`offset` = the chunk's start); a Doc
        without sentence boundaries counts as one sentence."""
        bounds: list[tuple[int, int]] = []
        pronouns: list[Pronoun] = []
        for offset, doc in docs:
            if doc.has_annotation("SENT_START"):
                bounds += [(offset + s.start_char, offset + s.end_char) for s in doc.sents]
            elif len(doc):
                bounds.append((offset, offset + len(doc.text)))
            pronouns += [
                Pronoun(
                    Span(offset + t.idx, offset + t.idx + len(t.text), t.text),
                    t.dep_ in SUBJECT_DEPS,
                )
                for t in doc
                if t.lower_ in PRONOUN_TYPES
            ]
        bounds.sort()
        return cls(
            text=text,
            starts=tuple(s for s, _ in bounds),
            ends=tuple(e for _, e in bounds),
            pronouns=tuple(sorted(pronouns, key=lambda p: p.span.start)),
        )

    def sentence_at(self, offset: int) -> int:
        """The index of the sentence holding character `offset` (the nearest before it)."""
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span(self, start: int, end: int) -> Span:
        """The record Span of [start, end), trimmed of surrounding whitespace."""
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return Span(start, end, self.text[start:end])


def holder_context(
    index: SentenceIndex,
    evidence: Span,
    holder: str | None,
    mentions: list[Mention],
    actor_types: Mapping[str, ActorType],
) -> tuple[Span, Span | None]:
    """The sentence of `evidence` and the mention of `holder` that shows who (module docstring).

    Args:
        index: the article's sentences and pronouns.
        evidence: the statement's evidence span (article offsets).
        holder: the actor key of the holder, speaker or agent; None when the record has none.
        mentions: every mention of the article, sorted by start offset.
        actor_types: actor key -> its type, for pronoun antecedents.

    Returns:
        (sentence, holder mention or pronoun, or None).
    """
    if not index.starts:
        return evidence, None
    first = index.sentence_at(evidence.start)
    last = index.sentence_at(max(evidence.start, evidence.end - 1))
    start, end = index.starts[first], max(index.ends[last], evidence.end)
    start = min(start, evidence.start)
    if holder is None:
        return index.span(start, end), None
    own = [m.span for m in mentions if m.actor == holder]
    inside = [s for s in own if start <= s.start and s.end <= end]
    before = [s for s in inside if s.start < evidence.end]
    if before:
        return index.span(start, end), max(before, key=lambda s: s.start)
    if inside:
        return index.span(start, end), inside[0]
    pronoun = _resolved_pronoun(index, evidence, holder, start, end, first, mentions, actor_types)
    if pronoun is not None:
        return index.span(start, end), pronoun
    if first > 0:
        previous = [s for s in own if index.starts[first - 1] <= s.start and s.end <= start]
        if previous:
            return index.span(index.starts[first - 1], end), previous[-1]
    return index.span(start, end), None


def _resolved_pronoun(
    index: SentenceIndex,
    evidence: Span,
    holder: str,
    start: int,
    end: int,
    sentence: int,
    mentions: list[Mention],
    actor_types: Mapping[str, ActorType],
) -> Span | None:
    """A pronoun of [start, end) whose antecedent is `holder`: those before the evidence's end
    nearest first, then those after it."""
    candidates = [p for p in index.pronouns if start <= p.span.start and p.span.end <= end]
    ordered = [p for p in reversed(candidates) if p.span.start < evidence.end]
    ordered += [p for p in candidates if p.span.start >= evidence.end]
    earliest = index.starts[max(0, sentence - ANTECEDENT_SENTENCES)]
    salient = index.starts[max(0, sentence - SALIENCE_SENTENCES)]
    holder_named = any(
        m.actor == holder and salient <= m.span.start and m.span.end <= start for m in mentions
    )
    for pronoun in ordered:
        fitting = PRONOUN_TYPES[pronoun.span.text.lower()]
        antecedent = None
        for mention in mentions:
            if mention.span.end > pronoun.span.start:
                break
            if mention.span.start >= earliest and actor_types.get(mention.actor) in fitting:
                antecedent = mention
        if antecedent is not None and antecedent.actor == holder:
            return pronoun.span
    for pronoun in ordered:
        fitting = PRONOUN_TYPES[pronoun.span.text.lower()]
        if pronoun.subject and holder_named and actor_types.get(holder) in fitting:
            return pronoun.span
    return None
