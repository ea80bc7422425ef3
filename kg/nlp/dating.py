"""When a statement was made, as the text says it: "Putin said on Tuesday that ...", "In 2014
Putin demanded ...".

A position's date is a DATE entity of its sentence that modifies the verb its evidence hangs on
(the evidence's head or one of the verbs above it, such as the reporting verb "said"), directly
or through a preposition ("on Tuesday", "in 2014"). A date that modifies something else in the
sentence dates that thing, not the statement: in "Putin said the invasion in 2022 was a
mistake", 2022 dates the invasion. The expression is resolved by `kg.dates.resolve`; one that
needs the published date when there is none gives no date.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.dates import resolve
from kg.nlp.common import token_span
from kg.records import Span, StatedDate

__all__ = ["statement_date"]

_VERBAL = frozenset({"VERB", "AUX"})


def statement_date(
    doc: Doc, offset: int, evidence: Span, published: dt.date | None
) -> StatedDate | None:
    """The date the text gives for the statement whose evidence is `evidence` (article offsets;
    `doc` is the chunk that starts at `offset`), its span in article offsets; None if none."""
    span = doc.char_span(evidence.start - offset, evidence.end - offset, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    verbs = _governing_verbs(span.root)
    best: tuple[int, SpacySpan] | None = None
    for ent in span.root.sent.ents:
        if ent.label_ != "DATE":
            continue
        attached = ent.root.head
        if attached.dep_ == "prep" or attached.pos_ == "ADP":
            attached = attached.head
        if attached.i not in verbs:
            continue
        distance = min(abs(ent.start - t) for t in (span.start, span.end - 1))
        if best is None or distance < best[0]:
            best = (distance, ent)
    if best is None:
        return None
    stated = resolve(best[1].text, published)
    if stated is None:
        return None
    found = token_span(doc, best[1].start, best[1].end - 1)
    shifted = Span(found.start + offset, found.end + offset, found.text)
    return dataclasses.replace(stated, span=shifted)


def _governing_verbs(root: Token) -> set[int]:
    """The verbs from the evidence's head up to its sentence's root (token indices)."""
    out = {root.i} if root.pos_ in _VERBAL else set()
    out |= {t.i for t in root.ancestors if t.pos_ in _VERBAL}
    return out
