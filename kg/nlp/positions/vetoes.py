"""Vetoes of the stance cues: when a matched cue states no position, whose rule says why.

Each veto is a predicate on a `Candidate` (True: drop it), with the example it exists for. The
tables run in order: `CUE_VETOES` on the cue alone, `HOLDER_VETOES` once its holders are known.
A dropped candidate is logged at DEBUG with the name of the rule that dropped it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from kg.nlp.common import subject_of
from kg.nlp.positions.candidate import Candidate, Item
from kg.nlp.positions.dedupe import FALLBACK_TOPIC
from kg.nlp.positions.syntax import colon_items, negated
from kg.records import Stance

logger = logging.getLogger(__name__)

Veto = Callable[[Candidate], bool]

STANCE_POS = frozenset({"VERB", "NOUN", "ADJ", "AUX", "ADP"})
OBLIGATION_AUX = frozenset({"must", "ought"})
CONDITIONS = frozenset({"if", "unless", "until", "till"})
POSSIBILITY = frozenset({"could", "might", "may"})
UNSTATED_WHEN_NEGATED = frozenset({Stance.REJECTS, Stance.ACCUSES, Stance.THREATENS})


def veto_not_a_stance_word(cand: Candidate) -> bool:
    """Only a verb, noun, adjective, modal ("must") or preposition ("or face") holds a stance; a
    cue word the parser tagged otherwise (an adverb, a proper noun in a name) states none."""
    return cand.cue.pos_ not in STANCE_POS


def veto_auxiliary_not_obligation(cand: Candidate) -> bool:
    """Of the auxiliaries only "must" and "ought" oblige: "will", "can" state no stance."""
    cue = cand.cue
    return cue.pos_ == "AUX" and cue.lemma_.lower() not in OBLIGATION_AUX


def veto_see_without_as(cand: Candidate) -> bool:
    """ "see" is a stance only as "sees X as Y" or "sees that ...", not "saw the talks"."""
    cue = cand.cue
    return cue.lemma_.lower() == "see" and not any(
        c.lower_ == "as" or c.dep_ == "ccomp" for c in cue.children
    )


def veto_challenge_without_to(cand: Candidate) -> bool:
    """A proposal is "challenged him to a meeting", not "challenge Nato"."""
    cue = cand.cue
    return cue.lemma_.lower() == "challenge" and not any(
        (c.dep_ == "prep" and c.lower_ == "to") or c.dep_ == "xcomp" for c in cue.children
    )


def veto_prepared_without_to(cand: Candidate) -> bool:
    """Readiness is "prepared to talk"; "prepared for talks" is work done."""
    cue = cand.cue
    return cue.lower_ == "prepared" and not any(c.dep_ == "xcomp" for c in cue.children)


def veto_noun_subject_without_holder(cand: Candidate) -> bool:
    """ "once a peace agreement was ready": a cue noun as subject with no actor in its phrase is
    an issue talked about, no one's stance, unless a colon spells it out ("the demands: A, B")."""
    cue, amap = cand.cue, cand.ctx.amap
    return (
        cue.pos_ == "NOUN"
        and cue.dep_ in {"nsubj", "nsubjpass"}
        and not any(t.i in amap for t in cue.subtree if t.i != cue.i)
        and not colon_items(cue)
    )


def veto_counterfactual(cand: Candidate) -> bool:
    """The cue sits under a counterfactual frame ("you might think Putin would be eager ...",
    "one would expect", "it is easy to assume that") or in the antecedent of a conditional
    ("if X wants ...", "until Russia agreed to a ceasefire"): the frame denies the clause. A
    relative clause on the way ("the territory he is demanding") is presupposed, not framed,
    and stops the search."""
    words = cand.words
    tok = cand.cue
    for _ in range(8):
        if tok.dep_ in {"relcl", "acl"} or tok.head.i == tok.i:
            return False
        if tok.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in CONDITIONS for c in tok.children
        ):
            return True  # "... until Russia agreed to a ceasefire": not (yet) Russia's stance
        head = tok.head
        if head.lemma_.lower() in words.frames and tok.dep_ in {"ccomp", "xcomp", "dobj"}:
            subj = subject_of(head)
            modal = any(c.dep_ == "aux" and c.lower_ in words.frame_modals for c in head.children)
            generic = subj is not None and subj.lower_ in {"you", "one"}
            easy = head.dep_ == "xcomp" and (
                head.head.lower_ in words.frame_modals
                or any(
                    c.dep_ == "acomp" and c.lower_ in words.frame_modals for c in head.head.children
                )
            )
            if modal or generic or easy:
                return True
        tok = head
    return False


def veto_object_controlled(cand: Candidate) -> bool:
    """A verb cue whose understood subject is the object of the verb that governs it.

    "X pressured Kyiv to accept a deal", "urged Beijing to press Moscow to accept a ceasefire":
    the acceptance is what X asks of Kyiv, neither X's stance (the governing verb carries it,
    when it is a cue) nor yet Kyiv's.
    """
    cue = cand.cue
    head = cue.head
    return (
        cue.pos_ == "VERB"
        and cue.dep_ == "xcomp"
        and head.i != cue.i
        and head.pos_ == "VERB"
        and any(c.dep_ == "dobj" and c.i < cue.i for c in head.children)
    )


def veto_pretense(cand: Candidate) -> bool:
    """ "Russia has pretended to support peace talks", "feigned interest in a ceasefire": the
    frame says the stance is not held."""
    tok = cand.cue
    for _ in range(3):
        if tok.head.i == tok.i or tok.dep_ not in {"xcomp", "ccomp", "dobj", "pobj", "prep"}:
            return False
        tok = tok.head
        if tok.lemma_.lower() in cand.words.pretense:
            return True
    return False


def veto_possibility(cand: Candidate) -> bool:
    """ "said that Russia could at any time agree to a ceasefire": what a party could do, even
    in reported speech, is the speaker's possibility, not the party's stance (a reported
    "would" is the party's own future and stays). The party's own words ("we could accept")
    are an offer and stay too."""
    cue = cand.cue
    verb = cue.head if cue.pos_ in {"ADJ", "AUX"} and cue.dep_ != "ROOT" else cue
    return (
        cue.i not in cand.ctx.quoted
        and cand.key not in cand.words.obligations
        and any(c.dep_ == "aux" and c.lower_ in POSSIBILITY for c in verb.children)
    )


def veto_no_holder(cand: Candidate) -> bool:
    """No one holds the stance: no subject, owner, speaker, reporter or author was found."""
    return not cand.holders


def veto_irrealis_modal(cand: Candidate) -> bool:
    """ "Washington could offer ...": the writer's possibility, not a position. A modal inside a
    reported or quoted clause is the source's, and an obligation cue is modal by nature."""
    cue = cand.cue
    verb = cue.head if cue.pos_ in {"ADJ", "AUX"} and cue.dep_ != "ROOT" else cue
    return (
        cand.reported_by is None
        and cue.i not in cand.ctx.quoted
        and cand.key not in cand.words.obligations
        and not any(t.dep_ == "ccomp" for t in [verb, *verb.ancestors])
        and any(c.dep_ == "aux" and c.lower_ in cand.words.irrealis_modals for c in verb.children)
    )


def veto_negated_object_of_non_cue(cand: Candidate) -> bool:
    """ "will not sign any agreement that ...": a cue noun as the object of a negated verb that is
    no cue itself; what is refused is not stated."""
    cue = cand.cue
    return (
        cue.pos_ == "NOUN"
        and cue.dep_ == "dobj"
        and cue.head.lemma_.lower() not in cand.words.stances
        and any(c.dep_ == "neg" for c in cue.head.children)
    )


def veto_negated_negative_stance(cand: Candidate) -> bool:
    """ "has not condemned the invasion", "did not reject": not taking a negative stance is no
    stance taken (unlike "does not support", which is opposition)."""
    return negated(cand.cue) and cand.stance in UNSTATED_WHEN_NEGATED


CUE_VETOES: tuple[tuple[str, Veto], ...] = (
    ("not-a-stance-word", veto_not_a_stance_word),
    ("auxiliary-not-obligation", veto_auxiliary_not_obligation),
    ("see-without-as", veto_see_without_as),
    ("challenge-without-to", veto_challenge_without_to),
    ("prepared-without-to", veto_prepared_without_to),
    ("noun-subject-without-holder", veto_noun_subject_without_holder),
    ("counterfactual", veto_counterfactual),
    ("object-controlled", veto_object_controlled),
    ("pretense", veto_pretense),
)
"""Vetoes on the cue alone, before its holders are looked for."""

HOLDER_VETOES: tuple[tuple[str, Veto], ...] = (
    ("no-holder", veto_no_holder),
    ("irrealis-modal", veto_irrealis_modal),
    ("possibility", veto_possibility),
    ("negated-object-of-non-cue", veto_negated_object_of_non_cue),
    ("negated-negative-stance", veto_negated_negative_stance),
)
"""Vetoes once the holders are known (and the obligation rewrites applied)."""


def vetoed(cand: Candidate, vetoes: tuple[tuple[str, Veto], ...]) -> str | None:
    """The name of the first veto that drops the candidate (logged at DEBUG), or None."""
    for name, veto in vetoes:
        if veto(cand):
            logger.debug(
                "stance cue %r at char %d dropped by veto %s", cand.key, cand.cue.idx, name
            )
            return name
    return None


ItemVeto = Callable[[Candidate, Item], bool]


def veto_unnamed_list_item(_cand: Candidate, item: Item) -> bool:
    """ "wants X, Y and Z": an item of a list that names no topic of the scheme is left out."""
    return item.listed and item.topic == FALLBACK_TOPIC


def veto_no_topic(cand: Candidate, item: Item) -> bool:
    """A stance on no topic of the scheme says nothing an analyst can use; accusations, rejections
    and threats (the component's `topicless_stances`) and explicit claims stand alone."""
    return (
        item.topic == FALLBACK_TOPIC
        and cand.stance not in cand.words.topicless
        and not item.explicit
    )


def veto_descriptive_topic(cand: Candidate, item: Item) -> bool:
    """Nobody "supports" the battlefield situation: a descriptive topic takes claims and
    accusations only."""
    return (
        item.topic in cand.words.descriptive
        and item.topic != FALLBACK_TOPIC
        and cand.stance not in {Stance.CLAIMS, Stance.ACCUSES}
    )


def veto_no_issue_named(cand: Candidate, item: Item) -> bool:
    """ "refuses to budge": a stance with no issue named at all; "trying to sabotage" is kept,
    the verb names the wrong."""
    doc = cand.ctx.doc
    return (
        item.topic == FALLBACK_TOPIC
        and cand.stance != Stance.ACCUSES
        and not any(doc[i].pos_ in {"NOUN", "PROPN", "PRON"} for i in item.part)
    )


def veto_noun_cue_without_issue(cand: Candidate, item: Item) -> bool:
    """ "his claims get ahead of the facts": a noun cue needs an issue (or a that-clause)."""
    return item.topic == FALLBACK_TOPIC and cand.cue.pos_ == "NOUN" and not item.explicit


ITEM_VETOES: tuple[tuple[str, ItemVeto], ...] = (
    ("unnamed-list-item", veto_unnamed_list_item),
    ("no-topic", veto_no_topic),
    ("descriptive-topic", veto_descriptive_topic),
    ("no-issue-named", veto_no_issue_named),
    ("noun-cue-without-issue", veto_noun_cue_without_issue),
)
"""Vetoes of one statement of the cue, once its topic is known."""


def item_vetoed(cand: Candidate, item: Item) -> str | None:
    """The name of the first item veto that drops the statement (logged at DEBUG), or None."""
    for name, veto in ITEM_VETOES:
        if veto(cand, item):
            logger.debug(
                "statement of stance cue %r at char %d dropped by veto %s",
                cand.key,
                cand.cue.idx,
                name,
            )
            return name
    return None
