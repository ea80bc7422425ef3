"""The stance of an attributed statement: what the source does with its content.

An attribution's cue is most often neutral ("said", "told reporters"); the stance is then in the
content: a stance word governed by the source ("said Ukraine wants a ceasefire": the speaker's
own "want" when its subject is the source or "we"), an evaluation ("called the talks useful"),
an obligation ("said Kyiv must withdraw"). Each rule is a function from the attribution to a
stance or None; `classify` tries them in order and names the rule that decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.nlp.common import subject_of
from kg.nlp.lexicon import Lexicon
from kg.nlp.positions.context import FIRST_PERSON, Attribution, DocContext
from kg.records import Direction, Stance

FLIP = {
    Stance.SUPPORTS: Stance.OPPOSES,
    Stance.PROPOSES: Stance.OPPOSES,
    Stance.DEMANDS: Stance.OPPOSES,
    Stance.OPPOSES: Stance.SUPPORTS,
}
BASE_DIRECTION = {
    Stance.DEMANDS: Direction.FOR,
    Stance.PROPOSES: Direction.FOR,
    Stance.SUPPORTS: Direction.FOR,
    Stance.THREATENS: Direction.FOR,
    Stance.OPPOSES: Direction.AGAINST,
    Stance.REJECTS: Direction.AGAINST,
    Stance.CLAIMS: Direction.NOT_APPLICABLE,
    Stance.ACCUSES: Direction.NOT_APPLICABLE,
}
"""The direction a stance has towards its topic as named, before negation in its scope."""
EVALUATING_CUES = frozenset(
    {"call", "describe", "characterize", "characterise", "term", "label", "brand", "dub", "hail"}
)
"""Cues whose object clause is an evaluation of something ("called the talks useful")."""
EMPHASIS_CUES = frozenset(
    {"stress", "emphasize", "emphasise", "underscore", "underline", "highlight", "reiterate"}
)
"""Cues whose object is what the source insists on ("stressed the importance of X")."""
COMMITMENT_NOUNS = frozenset({"commitment", "right", "determination", "solidarity"})
"""Objects of "affirmed", "reaffirmed", "expressed" that state an adherence."""


@dataclass(frozen=True, slots=True)
class StanceWords:
    """The word lists the stance rules read, from `ontology/lexicon.ttl`."""

    cues: dict[str, Stance]
    positive: frozenset[str]
    negative: frozenset[str]
    obligations: frozenset[str]
    conditionals: frozenset[str]
    beliefs: frozenset[str]
    distancing: frozenset[str] = frozenset()
    """Cues by which a writer marks a statement as the source's claim ("claimed", "alleged")."""
    reporting: frozenset[str] = frozenset()
    """Attribution cues: a content clause under one of them is someone else's words."""
    misconduct: frozenset[str] = frozenset()
    """Words of wrongdoing that make a statement about another party an accusation."""
    intentions: frozenset[str] = frozenset()
    """Auxiliaries of a stated intention ("we will", "we'll")."""

    @classmethod
    def from_lexicon(cls, lexicon: Lexicon) -> StanceWords:
        """The lists of `ontology/lexicon.ttl` (one-word stance cues only)."""
        return cls(
            cues={cue: s for cue, s in lexicon.stances.items() if " " not in cue},
            positive=lexicon.word_list("positive_evaluation"),
            negative=lexicon.word_list("negative_evaluation"),
            obligations=lexicon.word_list("modal_obligation"),
            conditionals=lexicon.word_list("conditional"),
            beliefs=lexicon.word_list("belief"),
            distancing=lexicon.word_list("strong_claim"),
            reporting=lexicon.word_list("reporting") | lexicon.word_list("attribution"),
            misconduct=lexicon.word_list("misconduct"),
            intentions=lexicon.word_list("intention"),
        )


Rule = Callable[[DocContext, Attribution, StanceWords], Stance | None]


def _content(doc: Doc, att: Attribution) -> list[Token]:
    return list(doc[att.first : att.last + 1])


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children) or (
        tok.dep_ in {"xcomp", "acomp"} and any(c.dep_ == "neg" for c in tok.head.children)
    )


def _own(ctx: DocContext, tok: Token, att: Attribution) -> bool:
    """The stance word is the source's own: no subject, the source, or "we"/"I"."""
    subj = subject_of(tok)
    if subj is None and tok.dep_ == "acomp":
        subj = subject_of(tok.head)  # "they are willing": the copula's subject
    if subj is None:
        return True
    if subj.lower_ in FIRST_PERSON or subj.lower_ in {"he", "she", "they"}:
        return True
    mention = ctx.amap.get(subj.i)
    return mention is not None and mention.actor == att.source


SPINE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "conj", "acomp", "advcl", "parataxis"})
"""Links of the content's main predication; a modifier ("the US-proposed concept") is not it."""


def on_spine(tok: Token, att: Attribution) -> bool:
    """The token is a predicate of the content: it and its heads up to the content's edge are
    clause links, not modifiers or clauses of someone else ("saying there must be ...")."""
    while att.first <= tok.i <= att.last:
        participle = tok.tag_ == "VBG" and not any(c.dep_ == "aux" for c in tok.children)
        if tok.dep_ not in SPINE_DEPS or participle:
            return False
        if tok.head.i == tok.i or not att.first <= tok.head.i <= att.last:
            return True
        tok = tok.head
    return True


def cue_verb(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """The cue is itself a stance word ("insisted that", "warned that ... unless")."""
    if att.kind in {"quote", "block"}:
        return None  # the statement stands apart from its cue: no verb to read
    cue = ctx.doc[att.cue]
    stance = words.cues.get(cue.lemma_.lower())
    if stance is None or stance == Stance.CLAIMS:
        return None
    if stance == Stance.THREATENS and not any(
        t.lower_ in words.conditionals for t in _content(ctx.doc, att)
    ):
        return None  # "warned that Russia could attack": a warning about, not a threat
    return stance


def _reported_inside(tok: Token, att: Attribution, words: StanceWords) -> bool:
    """The token sits in a clause the content reports from someone else ("noted that officials
    claimed they are willing"): a reporting verb of the content governs it."""
    for anc in tok.ancestors:
        if not att.first <= anc.i <= att.last:
            return False
        if anc.i != att.cue and anc.pos_ == "VERB" and anc.lemma_.lower() in words.reporting:
            return True
    return False


def _endorses_statement(tok: Token) -> bool:
    """A verb of agreement whose object is a that-clause, on itself or, as the parser often
    attaches it, on the verb it is conjoined with ("can't help but agree with X that ...")."""
    heads = [tok, tok.head] if tok.dep_ == "conj" else [tok]
    return any(c.dep_ == "ccomp" and c.i > tok.i for h in heads for c in h.children)


def content_cue(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """The highest stance word of the content that the source holds ("said we want peace")."""
    best: tuple[int, Stance] | None = None
    for tok in _content(ctx.doc, att):
        stance = words.cues.get(tok.lemma_.lower())
        if stance is None or stance == Stance.CLAIMS or tok.pos_ not in {"VERB", "ADJ"}:
            continue
        if not _own(ctx, tok, att) or _reported_inside(tok, att, words):
            continue
        if stance == Stance.SUPPORTS and _endorses_statement(tok):
            continue  # "agree with X that ...": endorsing a statement is a claim, not support
        depth = sum(1 for _ in tok.ancestors)
        if _negated(tok):
            flipped = FLIP.get(stance)
            if flipped is None:
                continue
            stance = flipped
        if best is None or depth < best[0]:
            best = (depth, stance)
    return best[1] if best else None


def evaluation(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """ "called the meeting useful", "described the plan as unacceptable"."""
    cue = ctx.doc[att.cue]
    if att.kind != "evaluation" and cue.lemma_.lower() not in EVALUATING_CUES:
        return None
    content = _content(ctx.doc, att)
    if any(t.lemma_.lower() in words.negative for t in content):
        return Stance.OPPOSES
    if any(t.lemma_.lower() in words.positive for t in content):
        return Stance.SUPPORTS
    return None


def emphasis(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """ "stressed the importance of X", "underscored the need for X": what is stressed is
    wanted; a need asked of others is a demand."""
    if att.kind in {"quote", "block"}:
        return None  # the statement stands apart from its cue: no verb to read
    cue = ctx.doc[att.cue]
    if cue.lemma_.lower() not in EMPHASIS_CUES:
        return None
    for obj in cue.children:
        if obj.dep_ != "dobj":
            continue
        lemma = obj.lemma_.lower()
        if lemma in {"need", "necessity"}:
            return Stance.DEMANDS
        if lemma in words.positive:
            return Stance.SUPPORTS
    return None


def object_cue(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """ "expressed readiness for", "affirmed its commitment to", "voiced support for": the
    cue's direct object names the stance."""
    if att.kind in {"quote", "block"}:
        return None  # the statement stands apart from its cue: no verb to read
    cue = ctx.doc[att.cue]
    for obj in cue.children:
        if obj.dep_ != "dobj":
            continue
        lemma = obj.lemma_.lower()
        stance = words.cues.get(lemma)
        if lemma in COMMITMENT_NOUNS:
            stance = Stance.SUPPORTS
        if stance is not None and stance != Stance.CLAIMS:
            return stance
    return None


def obligation(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """ "said Kyiv must withdraw", "we must act": what the source says must be done."""
    for tok in _content(ctx.doc, att):
        if (
            tok.dep_ == "aux"
            and tok.lower_ in words.obligations
            and tok.head.i != att.cue
            and on_spine(tok.head, att)
        ):
            return Stance.DEMANDS
    return None


def _spine_subjects(ctx: DocContext, att: Attribution) -> list[Token]:
    """The subjects of the content's own predicates."""
    return [
        t
        for t in _content(ctx.doc, att)
        if t.dep_ in {"nsubj", "nsubjpass"} and on_spine(t.head, att)
    ]


def _other_party(ctx: DocContext, att: Attribution, subj: Token) -> bool:
    """A subject that names an actor other than the source, or "they"/"he" inside the source's
    own words (a quote, a block), where a third person is the party spoken about."""
    mention = ctx.amap.get(subj.i)
    if mention is not None:
        return mention.actor != att.source
    return att.kind in {"quote", "block"} and subj.lower_ in {"they", "he", "she"}


def accusation(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """ "the Kremlin is playing games", "they don't want to end this war": the source says
    another party does wrong (a wrongdoing word in the content, whose subject is that party)."""
    if not any(_other_party(ctx, att, s) for s in _spine_subjects(ctx, att)):
        return None
    content = _content(ctx.doc, att)
    if any(t.lemma_.lower() in words.misconduct for t in content):
        return Stance.ACCUSES
    return None


def intention(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """ "we will discuss ... at the meeting", "we'll try to arrange talks": an intention the
    source states in its own words is support for what it intends."""
    if att.kind not in {"quote", "block"}:
        return None
    for subj in _spine_subjects(ctx, att):
        verb = subj.head
        if subj.lower_ not in {"we", "i"} or _negated(verb):
            continue
        if any(c.dep_ == "aux" and c.lower_ in words.intentions for c in verb.children):
            return Stance.SUPPORTS
    return None


def own_evaluation(ctx: DocContext, att: Attribution, words: StanceWords) -> Stance | None:
    """In the source's own words, a predicate of evaluation: "meetings are crucial" supports,
    "the plan is unacceptable" opposes, what it evaluates."""
    if att.kind not in {"quote", "block"}:
        return None
    for tok in _content(ctx.doc, att):
        if tok.dep_ != "acomp" or not on_spine(tok, att) or _negated(tok):
            continue
        lemma = tok.lemma_.lower()
        if lemma in words.negative:
            return Stance.OPPOSES
        if lemma in words.positive:
            return Stance.SUPPORTS
    return None


RULES: tuple[tuple[str, Rule], ...] = (
    ("cue-verb", cue_verb),
    ("emphasis", emphasis),
    ("object-cue", object_cue),
    ("evaluation", evaluation),
    ("accusation", accusation),
    ("content-cue", content_cue),
    ("own-evaluation", own_evaluation),
    ("intention", intention),
    ("obligation", obligation),
)


def classify(ctx: DocContext, att: Attribution, words: StanceWords) -> tuple[Stance, str]:
    """The stance of an attribution and the rule that chose it ("claims" when none did)."""
    for name, rule in RULES:
        stance = rule(ctx, att, words)
        if stance is not None:
            return stance, name
    return Stance.CLAIMS, "default"
