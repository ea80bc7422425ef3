"""Small syntactic tests on a parsed Doc that several stance-cue rules share."""

from __future__ import annotations

from spacy.tokens import Doc, Token

SUBJECT_LIKE = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"})
THIRD_PERSON = frozenset({"they", "he", "she", "it", "them", "their"})
NP_START_TAGS = frozenset({"DT", "PRP$", "JJ", "NN", "NNS", "NNP", "NNPS", "CD"})


def imperative(cue: Token) -> bool:
    """A bare verb opening a clause after a colon ("...: accept X or face Y")."""
    verb = cue.head if cue.dep_ == "conj" and cue.head.pos_ == "VERB" else cue
    if verb.tag_ != "VB" or any(c.dep_ in {"aux", "mark"} for c in verb.children):
        return False
    doc = verb.doc
    if verb.i > 0 and doc[verb.i - 1].text in {":", "\u2014"}:
        return True  # right after the colon, whatever the parser hung on its left
    if any(c.dep_ in SUBJECT_LIKE for c in verb.children):
        return False
    i = verb.left_edge.i - 1
    return i >= 0 and doc[i].text in {":", "\u2014"}


def conditional_resolve(clause: Token) -> bool:
    """ "warned that Russia will seize more land unless Kyiv withdraws": a resolve ("will",
    "would") under a condition announces a penalty, a threat; "could"/"might" under it stays a
    prediction about the subject."""
    resolve = any(c.dep_ == "aux" and c.lower_ in {"will", "would", "'ll"} for c in clause.children)
    condition = any(
        c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in {"if", "unless"} for m in c.children)
        for c in clause.children
    )
    return resolve and condition


def colon_items(cue: Token) -> list[tuple[int, int]]:
    """ "Putin's demands have not shifted: A, B, and C": the items after the colon that
    spells out a subject stance noun, split at commas that open a new noun phrase."""
    if cue.pos_ != "NOUN" or cue.dep_ not in SUBJECT_LIKE:
        return []
    colon = next((c for c in cue.head.children if c.text == ":" and c.i > cue.i), None)
    if colon is None:
        return []
    doc, end = cue.doc, cue.sent.end - 1
    while end > colon.i and doc[end].is_punct:
        end -= 1
    starts = [colon.i + 1]
    depth = 0
    for tok in doc[colon.i + 1 : end + 1]:
        if tok.text in {"(", "["}:
            depth += 1
        elif tok.text in {")", "]"}:
            depth -= 1
        if tok.text != "," or depth > 0 or tok.i + 1 > end:
            continue
        nxt = doc[tok.i + 1]
        if nxt.lower_ in {"and", "or"} and tok.i + 2 <= end:
            nxt = doc[tok.i + 2]
        if nxt.tag_ in NP_START_TAGS:
            starts.append(nxt.i)
    if len(starts) < 2:
        return []
    return ranges(doc, starts, end)


def ranges(doc: Doc, starts: list[int], last: int) -> list[tuple[int, int]]:
    """Token ranges from each start to the next (the last one to `last`), without trailing
    punctuation or the coordinator that joins them."""
    items: list[tuple[int, int]] = []
    for k, first in enumerate(starts):
        end = starts[k + 1] - 1 if k + 1 < len(starts) else last
        while end > first and (doc[end].is_punct or doc[end].lower_ in {"and", "or"}):
            end -= 1
        items.append((first, end))
    return items


def negated(cue: Token) -> bool:
    """The cue itself is negated ("does not support"; "is not ready" for an adjective)."""
    return any(c.dep_ == "neg" for c in cue.children) or (
        cue.pos_ == "ADJ" and any(c.dep_ == "neg" for c in cue.head.children)
    )
