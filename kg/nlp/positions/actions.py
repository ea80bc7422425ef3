"""Acts that take a stance: "Treasury is sanctioning Rosneft", "we cancelled the summit".

What an actor does can say more than what it says: imposing sanctions is support for sanctions,
cancelling a summit is opposition to it, sending weapons is support for military aid. Each rule
is a pair of word lists of `ontology/lexicon.ttl` (the act's verbs, its objects) with the stance
and the topic it gives when the clause names no other topic. Only acts reported as done: not
negated, not future or hypothetical, not under a condition (those are threats or offers, for
the stance cues to read).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from spacy.tokens import Token

from kg.nlp.common import paragraph_bounds, subject_of, token_span
from kg.nlp.lexicon import Lexicon
from kg.nlp.positions.context import FIRST_PERSON, DocContext
from kg.nlp.positions.dedupe import FALLBACK_TOPIC
from kg.nlp.positions.stance import BASE_DIRECTION
from kg.records import ActorType, Position, Stance

logger = logging.getLogger(__name__)

NOT_DONE = frozenset({"will", "would", "could", "might", "may", "should", "can", "'ll", "\u2019ll"})
CONDITIONS = frozenset({"if", "unless", "whether"})
MAX_EVIDENCE_TOKENS = 45


@dataclass(frozen=True, slots=True)
class Act:
    """One kind of act: verbs and objects (lemmas), the stance it takes, its default topic."""

    name: str
    verbs: frozenset[str]
    objects: frozenset[str]
    stance: Stance
    topic: str
    party: str | None = None
    """An actor the clause must name ("sent air defence to Ukraine"): a supply of weapons is
    support for Ukraine's military aid only when the text says it goes to Ukraine."""


def acts_from_lexicon(lexicon: Lexicon) -> tuple[Act, ...]:
    """The acts, each from two word lists of lexicon.ttl."""
    words = lexicon.word_list
    penalties = words("act_penalty_object")
    meetings = words("act_meeting_object")
    aid = words("act_aid_object")
    aid_topic = "military_aid_ukraine"
    return (
        Act("imposes-penalty", words("act_impose"), penalties, Stance.SUPPORTS, "sanctions"),
        Act("lifts-penalty", words("act_relieve"), penalties, Stance.SUPPORTS, "sanctions_relief"),
        Act("cancels-meeting", words("act_cancel"), meetings, Stance.OPPOSES, "leaders_meeting"),
        Act("supplies-aid", words("act_supply"), aid, Stance.SUPPORTS, aid_topic, "ukraine"),
        Act("halts-aid", words("act_halt"), aid, Stance.OPPOSES, aid_topic, "ukraine"),
        Act(
            "disputes-claim",
            words("act_dispute"),
            words("act_claim_object"),
            Stance.REJECTS,
            FALLBACK_TOPIC,
        ),
        Act(
            "signs-agreement",
            words("act_sign"),
            words("act_agreement_object"),
            Stance.SUPPORTS,
            "peace_deal",
        ),
    )


def _done(verb: Token) -> bool:
    """Reported as done: no negation, no future or modal, no condition above it."""
    for tok in [verb, *verb.ancestors][:3]:
        for child in tok.children:
            if child.dep_ == "neg" or (child.dep_ == "aux" and child.lower_ in NOT_DONE):
                return False
            if child.dep_ == "mark" and child.lower_ in CONDITIONS:
                return False
        if tok.dep_ not in {"conj", "xcomp", "advcl", "pcomp"}:
            break
    return True


def _object(verb: Token, act: Act) -> Token | None:
    """The act's object: direct object, or "sanctions on", "the summit with" as its head."""
    for child in verb.children:
        if child.dep_ in {"dobj", "nsubjpass"} and child.lemma_.lower() in act.objects:
            return child
        if child.dep_ in {"dobj", "nsubjpass"}:
            for grand in child.children:
                # "a new package of sanctions", "a series of strikes"
                if grand.dep_ == "prep" and grand.lower_ == "of":
                    for pobj in grand.children:
                        if pobj.dep_ == "pobj" and pobj.lemma_.lower() in act.objects:
                            return pobj
    return None


def _holders(ctx: DocContext, verb: Token) -> list[str]:
    """Who acts: the subject (or the passive's "by" agent); "we" inside a quote is the speaker."""
    subj: Token | None = None
    if any(c.dep_ == "auxpass" for c in verb.children):
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subj = next((p for p in agent.children if p.dep_ == "pobj"), None) if agent else None
    else:
        subj = subject_of(verb)
    if subj is None:
        return []
    if subj.lower_ in FIRST_PERSON:
        speaker = ctx.speaker_at(verb) if verb.i in ctx.quoted else None
        return [speaker] if speaker else []
    mention = ctx.amap.get(subj.i)
    key = mention.actor if mention is not None else None
    if key is None:
        for child in subj.children:
            if child.dep_ in {"compound", "appos"} and child.i in ctx.amap:
                key = ctx.amap[child.i].actor
    if key is None or ctx.types.get(key) == ActorType.PLACE:
        return []
    return [key]


def _evidence(ctx: DocContext, verb: Token) -> tuple[int, int]:
    sent = verb.sent
    left, right = paragraph_bounds(ctx.doc, verb, sent.start, sent.end - 1)
    if right - left + 1 > MAX_EVIDENCE_TOKENS:
        subj = subject_of(verb)
        left = max(left, min(verb.left_edge.i, subj.left_edge.i if subj is not None else verb.i))
        right = min(right, verb.right_edge.i, left + MAX_EVIDENCE_TOKENS - 1)
    while right > left and ctx.doc[right].is_punct:
        right -= 1
    return left, right


def act_positions(ctx: DocContext, acts: tuple[Act, ...]) -> list[Position]:
    """A position for each act done by an actor, with the act's clause as evidence."""
    out: list[Position] = []
    for verb in ctx.doc:
        if verb.pos_ not in {"VERB", "AUX"}:
            continue
        lemma = verb.lemma_.lower()
        particle = next((c.lower_ for c in verb.children if c.dep_ == "prt"), None)
        if particle is not None:
            lemma = f"{lemma} {particle}"  # "call off", "roll back"
        for act in acts:
            if lemma not in act.verbs:
                continue
            obj = _object(verb, act)
            if obj is None:
                continue
            if not _done(verb):
                logger.debug("act %s at %d dropped by rule not-done", act.name, verb.i)
                continue
            holders = _holders(ctx, verb)
            if not holders:
                logger.debug("act %s at %d dropped by rule no-actor", act.name, verb.i)
                continue
            left, right = _evidence(ctx, verb)
            topic = ctx.topic(range(obj.left_edge.i, obj.right_edge.i + 1))
            if act.party is not None and not any(
                ctx.amap[i].actor == act.party for i in range(left, right + 1) if i in ctx.amap
            ):
                logger.debug("act %s at %d dropped by rule party-not-named", act.name, verb.i)
                continue
            if topic == FALLBACK_TOPIC:
                topic = act.topic
            out += [
                Position(
                    holder=holder,
                    stance=act.stance,
                    topic=topic,
                    direction=BASE_DIRECTION[act.stance],
                    evidence=token_span(ctx.doc, left, right),
                    method=f"act:{act.name}:{lemma}",
                    confidence=0.55,
                )
                for holder in holders
            ]
            break
    return out
