"""Topic terms of `ontology/topics.ttl` found in a clause: the longest term wins."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import overload

from spacy.tokens import Doc

from kg.nlp.lexicon import Topic
from kg.nlp.positions.dedupe import FALLBACK_TOPIC


@dataclass(frozen=True, slots=True)
class _Term:
    id: str
    pattern: re.Pattern[str]
    length: int


class TopicMatcher:
    """The topic of a text: its longest topic term, then the earliest, then the topic id."""

    def __init__(self, topics: Iterable[Topic]) -> None:
        terms: list[_Term] = []
        for topic in topics:
            for term in topic.terms:
                pattern = re.compile(
                    r"(?<![\w-])" + re.escape(term.lower()) + r"(?:s|es)?(?![\w-])"
                )
                terms.append(_Term(topic.id, pattern, len(term)))
        self.terms = tuple(sorted(terms, key=lambda t: (-t.length, t.id)))

    @overload
    def find(self, text: str) -> str: ...
    @overload
    def find(self, text: str, only: frozenset[str]) -> str | None: ...
    def find(self, text: str, only: frozenset[str] | None = None) -> str | None:
        """The topic of `text` (the catch-all when none); with `only`, one of those or None."""
        low = text.lower()
        best: tuple[int, int, str] | None = None
        for term in self.terms:
            if only is not None and term.id not in only:
                continue
            found = term.pattern.search(low)
            if found is not None:
                cand = (-term.length, found.start(), term.id)
                if best is None or cand < best:
                    best = cand
        if best is not None:
            return best[2]
        return FALLBACK_TOPIC if only is None else None


def scope_text(doc: Doc, scope: set[int]) -> str:
    """The scope's tokens as text; a gap between tokens becomes a break no term can cross."""
    parts: list[str] = []
    previous = -2
    for i in sorted(scope):
        if i != previous + 1 and parts:
            parts.append(" | ")
        parts.append(doc[i].text_with_ws if i + 1 in scope else doc[i].text)
        previous = i
    return "".join(parts)
