"""Topic terms of `ontology/topics.ttl` found in a clause: the longest term wins.

Terms are matched on tokens, by two `PhraseMatcher`s: on `LEMMA` (a term written in base form,
"end the war", also finds "ending the war" and "ended the war") and on `LOWER` (a term written
as it is used, "talks", finds that form). Matches are computed once per Doc; a clause is a set
of token ids, and a term counts only when all its tokens are in the clause, so a term cannot
straddle the gap between two parts of a clause.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import overload

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.nlp.lexicon import Topic
from kg.nlp.positions.dedupe import FALLBACK_TOPIC


@dataclass(frozen=True, slots=True)
class TopicSpan:
    """A topic term found in a Doc: tokens [start, end), its topic and its length in characters."""

    start: int
    end: int
    topic: str
    length: int


class TopicMatcher:
    """Finds topic terms in Docs; `best` picks a clause's topic from a Doc's matches."""

    def __init__(
        self, vocab: Vocab, tokenize: Callable[[str], Doc], topics: Iterable[Topic]
    ) -> None:
        self.lemma = PhraseMatcher(vocab, attr="LEMMA")
        self.lower = PhraseMatcher(vocab, attr="LOWER")
        self.lengths: dict[tuple[str, str], int] = {}
        for topic in topics:
            lemma_docs: list[Doc] = []
            lower_docs: list[Doc] = []
            for term in topic.terms:
                words = [t.text for t in tokenize(term.lower())]
                spaces = [True] * (len(words) - 1) + [False]
                lemma_docs.append(Doc(vocab, words=words, spaces=spaces, lemmas=words))
                lower_docs.append(Doc(vocab, words=words, spaces=spaces))
            self.lemma.add(topic.id, lemma_docs)
            self.lower.add(topic.id, lower_docs)

    def spans(self, doc: Doc) -> tuple[TopicSpan, ...]:
        """Every topic term of the Doc, each match once."""
        strings = doc.vocab.strings
        found = {
            (start, end, strings[label])
            for matcher in (self.lemma, self.lower)
            for label, start, end in matcher(doc)
        }
        return tuple(
            TopicSpan(start, end, topic, doc[end - 1].idx + len(doc[end - 1]) - doc[start].idx)
            for start, end, topic in sorted(found)
        )


@overload
def best_topic(spans: Iterable[TopicSpan], ids: Collection[int]) -> str: ...
@overload
def best_topic(
    spans: Iterable[TopicSpan], ids: Collection[int], only: frozenset[str]
) -> str | None: ...
def best_topic(
    spans: Iterable[TopicSpan], ids: Collection[int], only: frozenset[str] | None = None
) -> str | None:
    """The topic of the clause `ids`: its longest term, then the earliest, then the topic id;
    the catch-all when none; with `only`, one of those topics or None."""
    members = ids if isinstance(ids, (set, frozenset, range)) else set(ids)
    best: tuple[int, int, str] | None = None
    for span in spans:
        if only is not None and span.topic not in only:
            continue
        if not all(i in members for i in range(span.start, span.end)):
            continue
        cand = (-span.length, span.start, span.topic)
        if best is None or cand < best:
            best = cand
    if best is not None:
        return best[2]
    return FALLBACK_TOPIC if only is None else None


def scope_text(doc: Doc, scope: Collection[int]) -> str:
    """The scope's tokens as text; a gap between tokens becomes a break."""
    parts: list[str] = []
    previous = -2
    for i in sorted(scope):
        if i != previous + 1 and parts:
            parts.append(" | ")
        parts.append(doc[i].text_with_ws if i + 1 in scope else doc[i].text)
        previous = i
    return "".join(parts)


DEMONSTRATIVES = frozenset({"this", "that", "these", "those"})
ANTECEDENT_SENTENCES = 2


def anaphor_in(doc: Doc, cue: int, part: Collection[int], issues: frozenset[str]) -> int | None:
    """The token by which a cue's clause refers back to an issue: the cue's own object pronoun
    ("we support it") or a demonstrative issue noun ("this proposal", "that plan")."""
    for i in sorted(part):
        tok = doc[i]
        if tok.lower_ in {"it", "this"} and tok.dep_ == "dobj" and tok.head.i == cue:
            return i
        if tok.lemma_.lower() in issues and any(
            c.dep_ == "det" and c.lower_ in DEMONSTRATIVES for c in tok.children
        ):
            return i
    return None


def antecedent_topic(doc: Doc, spans: Iterable[TopicSpan], anaphor: int) -> str | None:
    """The topic of the issue an anaphor refers to: the last topic term before it, in its own
    sentence or the previous ones (at most `ANTECEDENT_SENTENCES` back)."""
    sent = doc[anaphor].sent
    earliest = sent.start
    for _ in range(ANTECEDENT_SENTENCES):
        if earliest == 0:
            break
        earliest = doc[earliest - 1].sent.start
    before = [s for s in spans if earliest <= s.start and s.end <= anaphor]
    if not before:
        return None
    return max(before, key=lambda s: (s.end, s.length)).topic
