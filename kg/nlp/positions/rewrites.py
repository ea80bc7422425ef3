"""Rewrites of the stance cues: when the construction around a cue changes its stance.

Each rewrite is a function of a `Candidate` that returns the new stance, or None when it does not
apply; the tables run in order and `rewritten` records the name of each one that changed the
stance (`Position.method`: "cue:warned|rewrite:warning-about-is-claim").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from spacy.tokens import Token

from kg.nlp.positions.candidate import Candidate, CueWords, Item
from kg.nlp.positions.context import AUTHOR, DocContext
from kg.nlp.positions.dedupe import FALLBACK_TOPIC
from kg.nlp.positions.stance import FLIP
from kg.nlp.positions.syntax import (
    SUBJECT_LIKE,
    THIRD_PERSON,
    conditional_resolve,
    imperative,
    negated,
)
from kg.records import Stance

Rewrite = Callable[[Candidate], Stance | None]

RENOUNCEABLE = frozenset({Stance.DEMANDS, Stance.PROPOSES, Stance.SUPPORTS})
"""Stances whose object clause can ask for something to be given up."""


def cognitive(cue: Token, words: CueWords) -> bool:
    """ "must (come to) understand that ...": the obligation is to know, not to act."""
    verb = cue.head if cue.pos_ == "AUX" else cue
    chain = [verb, *(c for c in verb.children if c.dep_ in {"xcomp", "advcl"})]
    return any(v.lemma_.lower() in words.cognition for v in chain)


def rewrite_author_obligation_is_support(cand: Candidate) -> Stance | None:
    """An opinion piece recommends what "must" be done: the author supports it."""
    if cand.key in cand.words.obligations and cand.holders == (AUTHOR,):
        return Stance.SUPPORTS
    return None


def rewrite_cognitive_obligation_is_claim(cand: Candidate) -> Stance | None:
    """ "X must understand that Y": the writer asserts Y, demands nothing of X."""
    if cand.key in cand.words.obligations and cognitive(cand.cue, cand.words):
        return Stance.CLAIMS
    return None


def rewrite_negation_flip(cand: Candidate) -> Stance | None:
    """ "does not support a ceasefire": a negated cue turns support into opposition (negation
    inside its object clause only changes the direction)."""
    return FLIP.get(cand.stance) if negated(cand.cue) else None


def rewrite_walk_away_is_threat(cand: Candidate) -> Stance | None:
    """ "willing to walk away from any deal": a rejection held in readiness is a threat."""
    cue = cand.cue
    if (
        cand.stance == Stance.REJECTS
        and cue.dep_ == "xcomp"
        and cue.head.lemma_.lower() in cand.words.readiness
    ):
        return Stance.THREATENS
    return None


def rewrite_warning_about_is_claim(cand: Candidate) -> Stance | None:
    """ "warned that Russia could test Nato": a warning about what a third party may do is a
    claim; "warned that Russia will seize more land unless Kyiv withdraws" stays a threat."""
    amap = cand.ctx.amap
    if cand.stance == Stance.THREATENS and any(
        c.dep_ == "ccomp"
        and any(
            g.dep_ in SUBJECT_LIKE and (g.i in amap or g.lower_ in THIRD_PERSON) for g in c.children
        )
        and not conditional_resolve(c)
        for c in cand.cue.children
    ):
        return Stance.CLAIMS
    return None


def rewrite_imperative_is_demand(cand: Candidate) -> Stance | None:
    """ "... sent a message to the Kremlin: accept a ceasefire": an imperative addressed to
    another party demands what it supports."""
    if cand.stance == Stance.SUPPORTS and imperative(cand.cue):
        return Stance.DEMANDS
    return None


OBLIGATION_REWRITES: tuple[tuple[str, Rewrite], ...] = (
    ("author-obligation-is-support", rewrite_author_obligation_is_support),
    ("cognitive-obligation-is-claim", rewrite_cognitive_obligation_is_claim),
)
"""Rewrites of an obligation cue ("must"), once its holder is known."""

STANCE_REWRITES: tuple[tuple[str, Rewrite], ...] = (
    ("negation-flip", rewrite_negation_flip),
    ("walk-away-is-threat", rewrite_walk_away_is_threat),
    ("warning-about-is-claim", rewrite_warning_about_is_claim),
    ("imperative-is-demand", rewrite_imperative_is_demand),
)
"""Rewrites of the cue's stance, after the vetoes."""


def rewritten(cand: Candidate, rewrites: tuple[tuple[str, Rewrite], ...]) -> Candidate:
    """The candidate after the rewrites in order, each one that changed the stance named."""
    for name, rewrite in rewrites:
        stance = rewrite(cand)
        if stance is not None and stance != cand.stance:
            cand = dataclasses.replace(cand, stance=stance, rules=(*cand.rules, name))
    return cand


def gives_up(ctx: DocContext, part: frozenset[int], topic: str, words: CueWords) -> bool:
    """A renunciation verb of the clause governs the topic ("halt strikes", "renounce")."""
    doc = ctx.doc
    for i in sorted(part):
        verb = doc[i]
        if verb.pos_ != "VERB" or verb.dep_ not in {"ccomp", "xcomp", "conj"}:
            continue
        if any(c.dep_ in {"xcomp", "ccomp"} for c in verb.children):
            continue  # "stop buying Russian oil": an activity is given up, not the topic
        particle = [c.i for c in verb.children if c.dep_ == "prt"]
        phrase = " ".join([verb.lemma_.lower(), *(doc[k].lower_ for k in particle)])
        if phrase not in words.renunciation and verb.lemma_.lower() not in words.renunciation:
            continue
        rest = part - {verb.i, *particle}
        if ctx.topic(rest) == topic:
            return True
    return False


def rewrite_conditional_penalty_is_threat(cand: Candidate, item: Item) -> Stance | None:
    """ "sanctions may be imposed if Moscow does not ...": a penalty under a condition is a
    threat; "ready to halt strikes if Moscow does the same" gives the penalty up, an offer."""
    doc, words = cand.ctx.doc, cand.words
    if (
        cand.stance in {Stance.CLAIMS, Stance.SUPPORTS}
        and item.topic in words.penalties
        and not gives_up(cand.ctx.base, item.part, item.topic, words)
        and any(doc[i].dep_ == "mark" and doc[i].lower_ in {"if", "unless"} for i in item.part)
    ):
        return Stance.THREATENS
    return None


def renounced(cand: Candidate, item: Item) -> bool:
    """The clause asks for the topic to be given up: "demands that Kyiv renounce NATO membership",
    "to halt military aid", so a position for it is against the topic. A renunciation verb flips
    the direction only when the topic term does not contain it ("end the war", "give up
    territory" name the topic itself), the topic is not itself a concession, and the verb gives
    up a thing, not an activity."""
    cue_stance = cand.ctx.cue_stance
    if cand.cue.i not in cue_stance or cue_stance[cand.cue.i] not in RENOUNCEABLE:
        return False
    if item.topic in cand.words.concession_topics or item.topic == FALLBACK_TOPIC:
        return False
    return gives_up(cand.ctx.base, item.part, item.topic, cand.words)
