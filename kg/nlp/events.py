"""kg_events: events from trigger lexicons (`ontology/lexicon.ttl`) and dependency structure.

A trigger (verb or noun) becomes an event when actors stand in its local syntax: the subject of a
trigger verb or of the verb that governs a trigger noun is the agent; a possessor ("Russia's
invasion") is the agent; objects and "against" phrases are recipients; "with"/"between"/"of"
phrases are participants. Invasions and annexations, being rare and specific, may fall back to
the countries named in the sentence. Repeated mentions of the same occurrence (same type, same
participants, compatible year) merge into one event.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from kg.dates import resolve
from kg.nlp.actors import CALENDAR_WORDS
from kg.nlp.common import (
    actor_types,
    build_cue_matcher,
    clause_chain,
    expand_conj,
    paragraph_bounds,
    register_extensions,
    resolve_token,
    subject_of,
    token_actor_map,
    token_span,
)
from kg.nlp.lexicon import load_lexicon
from kg.records import (
    ActorType,
    Event,
    EventStatus,
    EventType,
    Mention,
    Participant,
    ParticipantRole,
    Span,
    Stance,
    StatedDate,
)

logger = logging.getLogger(__name__)

FALLBACK_TYPES = frozenset({EventType.INVASION, EventType.ANNEXATION})
NEEDS_CONTEXT = frozenset({EventType.TALKS, EventType.MEETING, EventType.PHONE_CALL})
PARTICIPANT_PREPS = frozenset({"with", "between", "of", "by", "from"})
RECIPIENT_PREPS = frozenset({"against", "on", "to"})
FUTURE_AUX = frozenset({"will", "'ll", "\u2019ll", "shall", "would"})  # "said he would meet"
PLANNED_CUES = frozenset({"expect", "plan", "set", "schedule", "prepare", "arrive", "going"})
# Cues that make the event ahead in any tense ("was expected to meet", "prepared for talks");
# "arrived for talks" or "set the stage" say nothing about the event's future.
PLANNING_VERBS = frozenset({"expect", "plan", "schedule", "prepare"})
# Where the status search stops: "Witkoff, who met Ushakov last month, is expected to ..." met.
CLAUSE_EDGES = frozenset(
    {"nsubj", "nsubjpass", "ROOT", "relcl", "acl", "advcl", "ccomp", "parataxis"}
)
CANCEL_CUES = frozenset({"cancel", "postpone", "scrap", "call off", "abandon"})
PROPOSAL_CUE = "kg:proposal-noun"
OFFER_CUE = "kg:ceasefire-offer"
CONDITION_MARKS = frozenset({"if", "unless"})
# Offers and threats are conditional by nature: "would cease fire if", "or face sanctions".
CONDITIONAL_TYPES = frozenset({EventType.CEASEFIRE_PROPOSAL, EventType.SANCTIONS_THREAT})
# Nouns that count the occurrences of a trigger: "held the second round of negotiations".
COUNTING_NOUNS = frozenset({"round", "session", "series", "resumption", "start"})
CONTENT_POS = frozenset({"VERB", "NOUN", "PROPN", "ADJ"})
OBJECT_PREPS = frozenset({"to", "with", "of"})
TEMPORAL_PREPS = frozenset({"after", "before", "following", "since", "during", "until", "ahead"})
PAIRED_TYPES = frozenset({EventType.TALKS, EventType.MEETING, EventType.PHONE_CALL})
GENERIC_DETS = frozenset({"these", "this", "those", "such", "any", "every", "no"})
YEAR = re.compile(r"\b(19|20)\d\d\b")
MAX_EVIDENCE_TOKENS = 45
# How far back a definite mention without an agent ("the sanctions") may point to an event.
RECENT_SENTENCES = 4


def resolve_date(
    expression: SpacySpan | None, published: dt.date | None, *, ahead: bool = False
) -> StatedDate | None:
    """The date a time expression of the text states (`kg.dates.resolve`), with its words.

    A bare weekday is the last one on or before publication, or with `ahead` (a planned event:
    "is expected to meet on Thursday") the first one on or after it."""
    if expression is None:
        return None
    stated = resolve(expression.text, published, ahead=ahead)
    if stated is None:
        return None
    span = token_span(expression.doc, expression.start, expression.end - 1)
    return dataclasses.replace(stated, span=span)


# A trigger verb with one of these particles or prepositions is another phrasal verb:
# "China called on all parties to ...", "called for talks", "talked up the deal" are no calls.
# Modals that make the writer's (or a speaker's) recommendation, not a reported occurrence.
RECOMMENDING = frozenset({"should", "must", "ought"})
VIOLENT_TYPES = frozenset({EventType.ATTACK, EventType.INVASION, EventType.ANNEXATION})
POSSIBILITY_AUX = frozenset({"could", "might", "may", "would", "will", "'ll", "\u2019ll"})
MENACE_VERBS = frozenset({"threaten", "vow", "warn", "promise", "pledge", "plan", "prepare"})
OTHER_PHRASAL = frozenset(
    {
        ("call", "on"),
        ("call", "upon"),
        ("call", "for"),
        ("call", "off"),
        ("call", "out"),
        ("call", "up"),
        ("talk", "up"),
    }
)
CONDITION_CLAUSE = frozenset({"if", "unless", "whether"})
# A call's object named as something ("called Putin a killer", "called him weak") is no call.
NAMING_DEPS = frozenset({"oprd", "appos", "attr", "acomp"})
# Prepositions that make a talk a topic, not a conversation: "talked about NATO".
TOPIC_PREPS = frozenset({"about", "of", "on"})
COUNTERPART_PREPS = frozenset({"to", "with", "between", "from"})
# "attacked the plan as a ploy", "attacked the EU over its stance": criticism.
CRITICISM_PREPS = frozenset({"over", "for", "as"})
SANCTION_TYPES = frozenset({EventType.SANCTIONS, EventType.SANCTIONS_THREAT})


def _hypothetical(trigger: Token) -> bool:
    """A violent act only possible, predicted or menaced: "Russia could attack a Nato member",
    "threatened to strike European capitals", "a possible invasion", "prepare for an attack"."""
    verb = trigger if trigger.pos_ == "VERB" else None
    if verb is None and trigger.dep_ == "dobj" and trigger.head.pos_ == "VERB":
        verb = trigger.head  # "threatened a strike", "could launch an attack"
    if verb is None and trigger.dep_ == "pobj" and trigger.head.head.pos_ == "VERB":
        verb = trigger.head.head  # "must prepare for an attack"
    if verb is None:
        return any(c.lower_ in {"possible", "potential", "future"} for c in trigger.children)
    if any(c.dep_ == "aux" and c.lower_ in POSSIBILITY_AUX for c in verb.children):
        return True
    if verb.i != trigger.i and verb.lemma_.lower() in MENACE_VERBS:
        return True
    governor = verb.head if verb.dep_ in {"xcomp", "ccomp"} else None
    return governor is not None and governor.lemma_.lower() in MENACE_VERBS


def _negated(trigger: Token) -> bool:
    """ "Putin did not meet Zelensky", "Ukraine was not invited to the summit", "has no plans to
    speak to Zelensky": no occurrence (of the event, of the act that would make the subject take
    part, or of the plan it hangs on). A negated verb further up may deny something else: "did not
    wait long to call him"."""
    verb = trigger
    if trigger.pos_ != "VERB" and trigger.dep_ in {"dobj", "pobj"}:
        verb = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    tok = trigger
    for _ in range(3):  # up a chain of complements to a noun denied: "has no plans to speak"
        if tok.dep_ not in {"xcomp", "acl", "dobj", "pobj", "prep"} or tok.head.i == tok.i:
            return False
        tok = tok.head
        if tok.pos_ == "NOUN" and any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children):
            return True
    return False


def _supposed(trigger: Token) -> bool:
    """ "If Russia attacks a Nato member", "whether Putin will meet Zelensky": the clause that
    states a condition or a question reports no occurrence."""
    tok = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
    for _ in range(2):
        if tok is None:
            return False
        if any(c.dep_ == "mark" and c.lower_ in CONDITION_CLAUSE for c in tok.children):
            return True
        tok = tok.head if tok.dep_ in {"xcomp", "conj"} else None
    return False


def _modifier(trigger: Token) -> bool:
    """A trigger that only qualifies a noun ("strike drones", "offensive weapons", "the sanctions
    regime", "a terror attack", "sanctioned banks") names no event of its own."""
    return trigger.dep_ in {"amod", "compound"}


def _calls_for(verb: Token) -> bool:
    """ "called on the EU to lift sanctions", "called for talks": the object is only wanted."""
    return verb.lemma_.lower() == "call" and any(
        c.dep_ == "prep" and c.lower_ in {"on", "upon", "for"} for c in verb.children
    )


def _phrasal_other(trigger: Token) -> bool:
    """Whether a verb trigger is part of a phrasal verb that means something else."""
    if trigger.pos_ != "VERB":
        return False
    lemma = trigger.lemma_.lower()
    return any(
        c.dep_ in {"prep", "prt"}
        and (lemma, c.lower_) in OTHER_PHRASAL
        and not any(  # "called on Monday" is a call on a day
            g.ent_type_ in {"DATE", "TIME"} or g.lower_ in CALENDAR_WORDS for g in c.children
        )
        for c in trigger.children
    )


def _lemma_phrase(tok: Token) -> set[str]:
    """A word's lemma, and with its particles ("rule out")."""
    lemma = tok.lemma_.lower()
    return {lemma} | {f"{lemma} {c.lower_}" for c in tok.children if c.dep_ == "prt"}


def _trigger_token(span: SpacySpan) -> Token:
    """The content word of a trigger span: "or face" is its verb, not its conjunction."""
    root = span.root
    if root.pos_ in CONTENT_POS:
        return root
    content = [t for t in span if t.pos_ in CONTENT_POS]
    return content[-1] if content else root


def _anchor(trigger: Token) -> Token:
    """The phrase a trigger noun stands in: "the second round of talks" for "talks"."""
    tok = trigger
    while (
        tok.dep_ == "pobj"
        and tok.head.lower_ == "of"
        and tok.head.head.lemma_.lower() in COUNTING_NOUNS
    ):
        tok = tok.head.head
    return tok


def _governing_verb(trigger: Token) -> Token | None:
    """The verb a trigger noun is the object of ("held talks", "held off on sanctions")."""
    anchor = _anchor(trigger)
    head = anchor.head.head if anchor.dep_ == "pobj" else anchor.head
    if anchor.dep_ in {"dobj", "pobj"} and head.pos_ in {"VERB", "AUX"}:
        return head
    return None


def _conditional(trigger: Token) -> bool:
    """ "would cease fire and enter talks if Ukraine withdrew": an offer on a condition, not an
    event ahead (the condition may hang on any verb of the coordination)."""
    verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
    if verb is None:
        return False
    verbs = expand_conj(verb.head if verb.dep_ == "conj" else verb)
    return any(
        c.dep_ == "advcl"
        and any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children)
        for v in verbs
        for c in v.children
    )


def _habitual(trigger: Token) -> bool:
    """ "every time I speak with him", "whenever they meet": a habit, not one occurrence."""
    verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
    if verb is None:
        return False
    if any(c.lower_ == "whenever" for c in verb.children):
        return True
    head = verb.head
    return (
        verb.dep_ == "relcl"
        and head.lemma_.lower() == "time"
        and any(c.dep_ == "det" and c.lower_ in {"every", "each"} for c in head.children)
    )


def _imperative(trigger: Token) -> bool:
    """ "Stop the attacks on Ukraine!", "impose sanctions now": an order, not a report."""
    verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
    return (
        verb is not None
        and verb.tag_ == "VB"
        and verb.dep_ in {"ROOT", "parataxis"}
        and not any(c.dep_ in {"nsubj", "nsubjpass", "aux", "auxpass"} for c in verb.children)
    )


def _definite(trigger: Token) -> bool:
    """ "the sanctions", "the meeting": a noun the reader already knows of."""
    return trigger.pos_ == "NOUN" and any(
        c.dep_ == "det" and c.lower_ == "the" for c in _anchor(trigger).children
    )


def _window_start(token: Token, sentences: int) -> int:
    """The character offset where the sentence `sentences` before the token's own begins."""
    doc = token.doc
    start = token.sent.start
    for _ in range(sentences):
        if start == 0:
            break
        start = doc[start - 1].sent.start
    return doc[start].idx


def _family(etype: EventType) -> EventType:
    """Meetings and talks between the same people in one sentence are one occurrence."""
    return EventType.TALKS if etype == EventType.MEETING else etype


def _objects(trigger: Token) -> list[Token]:
    """The objects of a trigger: direct ("welcomed Witkoff"), or of to/with/of ("spoke to
    Putin", "the seizure of Crimea"), with their conjuncts."""
    out: list[Token] = []
    for child in trigger.children:
        if child.dep_ in {"dobj", "obj", "dative"}:
            out += expand_conj(child)
        elif child.dep_ == "prep" and child.lower_ in OBJECT_PREPS:
            out += [t for p in child.children if p.dep_ == "pobj" for t in expand_conj(p)]
    return out


def _subject(verb: Token) -> Token | None:
    """The subject of a verb trigger, also across a progressive conjunct: "Trump is disappointed
    and is giving Putin ten days ... or face sanctions" (subject_of stops at a bare "-ing")."""
    subj = subject_of(verb)
    if subj is not None:
        return subj
    last = list(clause_chain(verb))[-1]
    if last.dep_ == "conj" and any(c.dep_ == "aux" for c in last.children):
        return subject_of(last.head)
    return None


def _same_occurrence(prev: Event, year: re.Match[str] | None, time: str | None) -> bool:
    """Whether a mention with the same type and participants as `prev` is that event again:
    not when both name different years or different times ("on Tuesday" / "earlier in July")."""
    prev_year = YEAR.search(prev.evidence.text)
    if year is not None and prev_year is not None and year.group() != prev_year.group():
        return False
    return time is None or prev.time_expression is None or time == prev.time_expression


def _pairings(
    etype: EventType, parts: dict[str, ParticipantRole]
) -> list[dict[str, ParticipantRole]]:
    """One agent talking "with both X and Y" had two conversations: one event per counterpart."""
    agents = {k: r for k, r in parts.items() if r == ParticipantRole.AGENT}
    others = {k: r for k, r in parts.items() if r != ParticipantRole.AGENT}
    if (
        etype not in PAIRED_TYPES
        or len(agents) != 1
        or len(others) < 2
        or ParticipantRole.RECIPIENT in others.values()  # "welcomed X and Y": one reception
    ):
        return [parts]
    return [{**agents, key: role} for key, role in sorted(others.items())]


class EventExtractor:
    """The kg_events component."""

    def __init__(self, nlp: Language, name: str, *, ontology_dir: str | None = None) -> None:
        """Args:
        nlp (Language): the pipeline.
        name (str): the component name.
        ontology_dir (str | None): folder of lexicon.ttl; None = the repo's ontology/.
        """
        register_extensions()
        self.name = name
        lexicon = load_lexicon(ontology_dir)
        self.triggers = lexicon.events
        self.matcher = build_cue_matcher(nlp.vocab, self.triggers)
        self.irrealis = lexicon.word_list("irrealis")
        self.threat_cues = lexicon.word_list("threat_cue")
        self.proposal_nouns = lexicon.word_list("proposal_noun")
        self.relief = lexicon.word_list("relief")
        # "China condemned the invasion", "Kyiv welcomed the talks": a verb judging or
        # reporting an event does not make its subject the event's agent
        self.commenting = frozenset(
            cue
            for cue, stance in lexicon.stances.items()
            if " " not in cue
            and stance in {Stance.OPPOSES, Stance.REJECTS, Stance.ACCUSES, Stance.CLAIMS}
            and cue not in {"announce", "declare"}  # "announced sanctions": the agent's act
        ) | {"welcome", "praise", "hail", "applaud", "support", "back", "endorse", "describe"}
        self.verb_only = lexicon.word_list("event_verb_only")
        self.person_object = lexicon.word_list("event_person_object")
        self.actor_object = lexicon.word_list("event_actor_object")
        self.territorial = lexicon.word_list("event_territorial")
        self.needs_agent = lexicon.word_list("event_needs_agent")
        self.offering = lexicon.word_list("event_ceasefire_offer")
        self.delegations = lexicon.word_list("event_delegation")
        self.forgoing = lexicon.word_list("event_forgoing")
        self.unrealised = lexicon.word_list("event_unrealised")
        self.counterpart = lexicon.word_list("event_counterpart")
        self.needs_office = lexicon.word_list("event_needs_office")
        self.offices = lexicon.word_list("event_office_object")
        self.literal = lexicon.word_list("event_literal")
        self.figurative = lexicon.word_list("event_figurative_object")
        self.imposing = lexicon.word_list("event_imposing")
        self.penalties = lexicon.word_list("event_penalty")
        self.needs_two = lexicon.word_list("event_needs_two")
        self.frame_nouns = lexicon.word_list("event_frame_noun")
        self.modal_adjectives = lexicon.word_list("event_modal_adjective")
        # "Ukrainian and Russian officials met": the countries a delegation stands for
        self.demonyms = {
            d.lower(): actor.key
            for actor in lexicon.actors.values()
            if actor.type == ActorType.COUNTRY
            for d in actor.demonyms
        }
        self.ceasefire_terms = frozenset(
            w
            for t in lexicon.topics
            if t.id == "ceasefire"
            for term in t.terms
            for w in [term.lower()]
            if " " not in w
        )

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[Event]:
        amap = token_actor_map(doc)
        types = actor_types(doc)
        events: list[Event] = []
        seen: dict[tuple[EventType, frozenset[str]], int] = {}
        headlines: list[tuple[int, int]] = (doc.user_data or {}).get("kg_headlines", [])
        for span in filter_spans(self._trigger_spans(doc)):
            cue = doc.vocab.strings[span.label]
            if cue in {PROPOSAL_CUE, OFFER_CUE}:
                cue = "ceasefire proposal"
            if len(span) == 1 and span.text.lower() != cue and span.text.lower() in self.triggers:
                cue = span.text.lower()  # the exact form wins over a lemma ("talks" vs "talk")
            etype = self.triggers[cue]
            trigger = _trigger_token(span)
            if trigger.pos_ not in CONTENT_POS:
                continue
            if any(s <= trigger.idx < e for s, e in headlines):
                continue  # a headline announces what the body reports
            offered = doc.vocab.strings[span.label] == OFFER_CUE
            if self._not_occurred(trigger, cue, etype, offered=offered):
                continue
            if not self._fits_restrictions(trigger, cue, amap, types):
                continue
            if etype == EventType.SANCTIONS and self._relieved(trigger):
                continue  # "lift sanctions", "the easing of sanctions": relief, not a measure
            etype = self._refine(trigger, etype)
            if etype in VIOLENT_TYPES and _hypothetical(trigger):
                continue  # "warned that Russia could attack", "threatened to strike": not a fact
            parts = self._participants(trigger, span, amap, types, etype)
            if not parts and etype in FALLBACK_TYPES and YEAR.search(trigger.sent.text):
                parts = {
                    m.actor: ParticipantRole.AGENT
                    for i, m in amap.items()
                    if doc[i].sent.start == trigger.sent.start
                    and types.get(m.actor) == ActorType.COUNTRY
                }
            parts = {k: r for k, r in parts.items() if types.get(k) != ActorType.PLACE}
            if not parts or (
                cue in self.needs_agent and ParticipantRole.AGENT not in parts.values()
            ):
                continue
            place = self._place(trigger, amap, types)
            time_span = self._time(trigger)
            time = time_span.text if time_span is not None else None
            if (
                etype in NEEDS_CONTEXT
                and len(parts) < 2
                and place is None
                and time is None
                and not self._person_object(trigger, amap, types)
            ):
                continue
            sent_text = trigger.sent.text
            year = YEAR.search(sent_text)
            key = (etype, frozenset(parts))
            if key in seen and _same_occurrence(events[seen[key]], year, time):
                continue
            status = self._status(trigger)
            if self._repeated(events, etype, parts, trigger, time, status):
                continue
            evidence = self._evidence(trigger)
            seen[key] = len(events)
            published = doc.user_data.get("kg_published") if doc.user_data else None
            date = resolve_date(
                time_span,
                published if isinstance(published, dt.date) else None,
                ahead=status == EventStatus.PLANNED,
            )
            for group in _pairings(etype, parts):
                events.append(
                    Event(
                        type=etype,
                        participants=tuple(
                            sorted(
                                (Participant(actor=k, role=r) for k, r in group.items()),
                                key=lambda p: (p.actor, p.role),
                            )
                        ),
                        evidence=evidence,
                        method=f"trigger:{cue}",
                        confidence=0.6,
                        place=place,
                        time_expression=time,
                        date=date,
                        status=status,
                    )
                )
        return events

    def _trigger_spans(self, doc: Doc) -> list[SpacySpan]:
        """Lexicon matches, plus truce nouns named by a proposal ("a US proposal for a 30-day
        ceasefire") or offered ("Medinsky proposed a ceasefire", "called for a truce")."""
        spans = [SpacySpan(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        proposal_key = doc.vocab.strings.add(PROPOSAL_CUE)
        spans += [
            SpacySpan(doc, t.i, t.i + 1, label=proposal_key)
            for t in doc
            if t.lemma_.lower() in self.proposal_nouns
            and any(
                s.lemma_.lower() in self.ceasefire_terms
                for s in doc[t.i : min(t.i + 7, t.sent.end)]
            )
        ]
        offer_key = doc.vocab.strings.add(OFFER_CUE)
        spans += [
            SpacySpan(doc, t.i, t.i + 1, label=offer_key) for t in doc if self._offered_truce(t)
        ]
        return spans

    def _offered_truce(self, tok: Token) -> bool:
        """A truce noun that is the object of an offering verb: "proposed a two-day ceasefire",
        "the memorandum calls for a ceasefire"."""
        if (
            tok.lemma_.lower() not in self.ceasefire_terms
            and tok.lower_ not in self.ceasefire_terms
        ):
            return False
        if tok.dep_ == "dobj":
            verb = tok.head
        elif tok.dep_ == "pobj" and tok.head.lower_ == "for":
            verb = tok.head.head
        else:
            return False
        return verb.pos_ == "VERB" and verb.lemma_.lower() in self.offering

    def _not_occurred(self, trigger: Token, cue: str, etype: EventType, *, offered: bool) -> bool:
        """The trigger names no event that took place or is planned: another phrasal verb,
        negated, wanted or refused (unless it is the offer itself), generic, conditional,
        forgone, or a noun use of a verb-only trigger."""
        if cue in self.verb_only and trigger.pos_ != "VERB":
            return True  # "cease fire" is no dismissal, "a warm welcome" no meeting
        if (
            _phrasal_other(trigger)
            or _negated(trigger)
            or _modifier(trigger)
            or self._judged_possible(trigger)
            or (not offered and self._irrealis(trigger, etype))
            or self._forgone(trigger)
            or _habitual(trigger)
            or _imperative(trigger)
            or any(c.dep_ == "det" and c.lower_ in GENERIC_DETS for c in trigger.children)
        ):
            return True
        return etype not in CONDITIONAL_TYPES and (_conditional(trigger) or _supposed(trigger))

    def _judged_possible(self, trigger: Token) -> bool:
        """ "A meeting between Putin and Zelensky is possible", "talks are unlikely": a
        judgement of an event's chances is no report of it."""
        anchor = _anchor(trigger)
        if anchor.dep_ not in {"nsubj", "nsubjpass"}:
            return False
        return any(
            c.dep_ in {"acomp", "attr"}
            and c.lemma_.lower() in self.modal_adjectives
            and not any(g.dep_ in {"xcomp", "ccomp"} for g in c.children)  # "unlikely to work"
            for c in anchor.head.children
        )

    def _forgone(self, trigger: Token) -> bool:
        """ "held off on new sanctions", "refrained from strikes": it did not take place."""
        verb = trigger if trigger.pos_ == "VERB" else _governing_verb(trigger)
        if verb is None:
            return False
        lemma = verb.lemma_.lower()
        particles = [c.lower_ for c in verb.children if c.dep_ == "prt"]
        return lemma in self.forgoing or any(f"{lemma} {p}" in self.forgoing for p in particles)

    def _fits_restrictions(
        self, trigger: Token, cue: str, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> bool:
        """Ambiguous triggers count only with the object that makes them an event: a person
        welcomed or spoken to, an actor briefed, a place captured or seized, an office holder
        fired, a literal target struck, sanctions imposed, a deadline with a penalty."""
        if cue in self.person_object:
            return self._person_object(trigger, amap, types)
        if cue in self.counterpart:
            return self._counterpart(trigger, amap, types)
        if cue in self.needs_office:
            return self._office_object(trigger, amap, types)
        if cue in self.literal and self._figurative(trigger, amap, types):
            return False
        if cue in self.needs_two and self._frame_named(trigger):
            return False
        if cue in self.needs_agent and self.triggers[cue] == EventType.SANCTIONS_THREAT:
            return self._penalty_near(trigger)
        if cue in {"sanction", "new sanctions"} and trigger.pos_ != "VERB":
            return self._imposed(trigger)
        objects = _objects(trigger)
        if cue in self.actor_object:
            return any(
                (key := resolve_token(t, amap, types)) is not None
                and types.get(key) != ActorType.PLACE
                for t in objects
            )
        if cue in self.territorial:
            return any(
                types.get(amap[s.i].actor) == ActorType.PLACE
                for t in objects
                for s in t.subtree
                if s.i in amap
            )
        return True

    def _counterpart(
        self, trigger: Token, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> bool:
        """A call or a talk with someone: a person object or one spoken to or with ("spoke to
        Putin", "a call with Trump"), or two persons talking ("Trump and Putin spoke"); not
        "spoke of Putin", "talked about NATO", "called Putin a killer", "a call for talks"."""
        children = list(trigger.children)
        objects = [c for c in children if c.dep_ in {"dobj", "dative"}]
        if trigger.pos_ == "VERB" and any(
            (objects and c.dep_ in NAMING_DEPS)
            or (c.dep_ == "dobj" and any(g.dep_ in NAMING_DEPS for g in c.children))
            for c in children
        ):
            return False
        heard: list[Token] = []
        for child in children:
            if trigger.pos_ == "VERB" and (
                child.dep_ in {"dobj", "dative"} or (child.dep_ == "oprd" and not objects)
            ):  # the parser reads "called Putin on Monday" as a predicate at times
                heard += expand_conj(child)
            elif child.dep_ == "prep" and child.lower_ in COUNTERPART_PREPS:
                heard += [t for p in child.children if p.dep_ == "pobj" for t in expand_conj(p)]
        if any(
            types.get(key) == ActorType.PERSON
            for t in heard
            if (key := resolve_token(t, amap, types)) is not None
        ):
            return True
        if any(
            c.dep_ == "prep"
            and c.lower_ in TOPIC_PREPS | {"at"}
            and not any(  # "talked on Tuesday" is a talk on a day
                g.ent_type_ in {"DATE", "TIME"} or g.lower_ in CALENDAR_WORDS for g in c.children
            )
            for c in children
        ):
            return False  # "talked about NATO", "spoke at the summit"
        subj = _subject(trigger) if trigger.pos_ == "VERB" else None
        speakers = {
            key
            for t in (expand_conj(subj) if subj is not None else [])
            if (key := resolve_token(t, amap, types)) is not None
            and types.get(key) == ActorType.PERSON
        }
        return len(speakers) >= 2

    def _office_object(
        self, trigger: Token, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> bool:
        """ "fired the army chief", "quit his post", "quit on Friday", "the dismissal of
        Zaluzhny"; not "fired missiles", "quit the grain deal", "the dismissal of the plan"."""
        objects = [
            t
            for t in _objects(trigger)
            if not (t.dep_ == "pobj" and t.head.lower_ in {"to", "with"})
        ]
        if not objects:
            return trigger.lemma_.lower() == "quit" and trigger.pos_ == "VERB"
        return any(
            t.lemma_.lower() in self.offices
            or types.get(resolve_token(t, amap, types) or "") == ActorType.PERSON
            for t in objects
        )

    def _figurative(
        self, trigger: Token, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> bool:
        """ "struck a deal", "met the demands", "attacked the plan", "attacked Orban over his
        stance": the verb's object is no target or no one met."""
        if trigger.pos_ == "VERB":
            objects = [c for c in trigger.children if c.dep_ in {"dobj", "obj"}]
        else:  # "Lavrov's attack on the plan"
            objects = [
                p
                for c in trigger.children
                if c.dep_ == "prep" and c.lower_ == "on"
                for p in c.children
                if p.dep_ == "pobj"
            ]
        if any(t.lemma_.lower() in self.figurative for o in objects for t in expand_conj(o)):
            return True
        if trigger.lemma_.lower() not in {"attack", "assault"}:
            return False
        if trigger.pos_ == "VERB" and any(
            c.dep_ == "prep" and c.lower_ in CRITICISM_PREPS for c in trigger.children
        ):
            return True
        return any(
            types.get(key) in {ActorType.PERSON, ActorType.ORGANIZATION, ActorType.GROUP}
            for o in objects
            for t in expand_conj(o)
            if (key := resolve_token(t, amap, types)) is not None
        )

    def _frame_named(self, trigger: Token) -> bool:
        """ "the line of contact", "the Contact Group": the trigger is part of a name."""
        head = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
        return head.i != trigger.i and head.lemma_.lower() in self.frame_nouns

    def _penalty_near(self, trigger: Token) -> bool:
        """A deadline or an ultimatum is a sanctions threat only with a penalty in its sentence or
        the one before ("ten days to agree or face tariffs"), not "a deadline for a decision"."""
        doc = trigger.doc
        start = trigger.sent.start
        if start > 0:
            start = doc[start - 1].sent.start
        return any(
            t.lemma_.lower() in self.penalties
            or (t.lemma_.lower() == "face" and t.i > 0 and doc[t.i - 1].lower_ == "or")
            for t in doc[start : trigger.sent.end]
        )

    def _imposed(self, trigger: Token) -> bool:
        """A mention of sanctions is an act only when a verb imposes or menaces them ("slapped
        sanctions on", "sanctions were announced", "sanctions, which Trump is considering"); not
        "sanctions have hurt Russia", "the impact of sanctions", "enacting sanctions would help"."""
        tok = _anchor(trigger)
        while tok.dep_ == "conj" and tok.head.pos_ in {"NOUN", "PROPN"}:
            tok = tok.head  # "tariffs and sanctions"
        verbs = [c for c in trigger.children if c.dep_ == "relcl"]
        verbs += [c for v in verbs for c in v.children if c.dep_ in {"ccomp", "xcomp"}]
        if tok.dep_ in {"dobj", "nsubjpass"}:
            verbs.append(tok.head)
        elif tok.dep_ == "pobj":
            verbs.append(tok.head.head)
        return any(
            v.pos_ in {"VERB", "AUX"}
            and _lemma_phrase(v) & self.imposing
            and v.dep_ not in {"csubj", "csubjpass"}  # "enacting sanctions would help"
            and not (  # a gerund without anyone to act: "Enacting sanctions ..., is an option"
                v.tag_ == "VBG"
                and v.dep_ != "pcomp"
                and not any(c.dep_ in {"aux", "auxpass"} for c in v.children)
                and subject_of(v) is None
            )
            for v in verbs
        )

    def _person_object(
        self, trigger: Token, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> bool:
        """Whether a verb trigger has a person as object: "welcomed Witkoff", "call him"."""
        return trigger.pos_ == "VERB" and any(
            types.get(key) == ActorType.PERSON
            for t in _objects(trigger)
            if (key := resolve_token(t, amap, types)) is not None
        )

    def _relieved(self, trigger: Token) -> bool:
        head = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
        return head.lemma_.lower() in self.relief or head.lower_ in self.relief

    def _irrealis(self, trigger: Token, etype: EventType) -> bool:
        """An event only wanted, proposed, refused, weighed or menaced ("craves a summit",
        "ruled out a meeting", "is considering strikes") did not take place; sanctions weighed
        or menaced are a threat (`_refine`)."""
        governors = self.irrealis | self.unrealised
        if etype in SANCTION_TYPES:
            governors = governors - self.threat_cues
        verb = trigger if trigger.pos_ == "VERB" else trigger.head
        if trigger.dep_ == "pobj":
            verb = trigger.head.head  # "must prepare for talks"
        if verb.pos_ == "VERB" and any(
            c.dep_ == "aux" and c.lower_ in RECOMMENDING for c in verb.children
        ):
            return True  # "Europe should tighten sanctions": a recommendation
        tok = trigger
        for _ in range(3):  # "readiness to host new rounds of talks": up a chain of objects
            head = tok.head
            if tok.dep_ == "pobj":
                head = head.head
            if head.i == tok.i or tok.dep_ not in {"dobj", "pobj", "xcomp", "ccomp", "acl"}:
                return False
            if _lemma_phrase(head) & governors or _calls_for(head):
                return tok.dep_ != "acl" or head.pos_ in {"NOUN", "ADJ"}
            tok = head
        return False

    def _refine(self, trigger: Token, etype: EventType) -> EventType:
        """Sanctions only considered or threatened are a threat; a proposal of a truce is a
        ceasefire proposal; a meeting of delegations is talks."""
        window = list(trigger.sent)
        if etype == EventType.SANCTIONS and any(
            t.lemma_.lower() in self.threat_cues or t.tag_ == "MD" for t in window
        ):
            return EventType.SANCTIONS_THREAT
        if trigger.lemma_.lower() in self.proposal_nouns and any(
            t.lemma_.lower() in self.ceasefire_terms for t in trigger.subtree
        ):
            return EventType.CEASEFIRE_PROPOSAL
        if etype == EventType.MEETING and trigger.pos_ == "VERB":
            subj = subject_of(trigger)
            if subj is not None and subj.lemma_.lower() in self.delegations:
                return EventType.TALKS  # "the two delegations met": negotiators meet to negotiate
        return etype

    def _repeated(
        self,
        events: list[Event],
        etype: EventType,
        parts: dict[str, ParticipantRole],
        trigger: Token,
        time: str | None,
        status: EventStatus,
    ) -> bool:
        """A later mention of an earlier event: same type and status, a shared participant, and
        no time of its own or a definite article ("the sanctions"); a definite noun without an
        agent of its own, a few sentences after; or a mention in the same sentence (meetings
        and talks alike)."""
        definite = _definite(trigger)
        for prev in events:
            if prev.type != etype or prev.status != status:
                continue
            known = {p.actor for p in prev.participants}
            if (
                definite
                and ParticipantRole.AGENT not in parts.values()
                and prev.evidence.end >= _window_start(trigger, RECENT_SENTENCES)
            ):
                return True  # "announcing the sanctions against X": those just reported
            if known & set(parts) and (time is None or definite) and len(set(parts) - known) < 2:
                return True
        for prev in events:
            if (
                _family(prev.type) == _family(etype)
                and prev.evidence.start <= trigger.idx < prev.evidence.end
            ):
                return True  # one sentence, one occurrence of a type
        return False

    def _participants(
        self,
        trigger: Token,
        span: SpacySpan,
        amap: dict[int, Mention],
        types: dict[str, ActorType],
        etype: EventType,
    ) -> dict[str, ParticipantRole]:
        """Who takes part; "on" names a target ("strikes on Kyiv"), but the topic of talks,
        meetings and calls ("talks on Ukraine")."""
        parts: dict[str, ParticipantRole] = {}

        def add(tok: Token, role: ParticipantRole) -> None:
            for t in expand_conj(tok):
                named = key = resolve_token(t, amap, types)
                if key is None:
                    for sub in t.subtree:
                        if sub.i in amap and sub.i - t.i < 4:
                            key = amap[sub.i].actor
                            break
                if key is not None:
                    parts.setdefault(key, role)
                if named is None or types.get(named) == ActorType.GROUP:
                    for country in self._represented(t, amap, types):
                        parts.setdefault(country, role)

        verbal = trigger.pos_ == "VERB" or (trigger.dep_ == "conj" and trigger.head.pos_ == "VERB")
        if verbal:
            subj = _subject(trigger)
            if subj is not None:
                add(subj, ParticipantRole.AGENT)
            objects = [c for c in trigger.children if c.dep_ in {"dobj", "obj"}]
            if not objects:  # "called Putin on Monday", read as a predicate at times
                objects = [c for c in trigger.children if c.dep_ == "oprd"]
            for child in objects:
                add(child, ParticipantRole.RECIPIENT)
        else:
            for child, role in self._noun_participants(trigger, amap):
                add(child, role)
            for tok in span:
                if tok.i in amap and tok.i != trigger.i:
                    parts.setdefault(amap[tok.i].actor, ParticipantRole.PARTICIPANT)
        for child in trigger.children:
            if child.dep_ == "prep":
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    low = child.lower_
                    if low in PARTICIPANT_PREPS:
                        add(pobj, ParticipantRole.PARTICIPANT)
                    elif low in RECIPIENT_PREPS and not (low == "on" and etype in PAIRED_TYPES):
                        add(pobj, ParticipantRole.RECIPIENT)
        return parts

    def _noun_participants(
        self, trigger: Token, amap: dict[int, Mention]
    ) -> list[tuple[Token, ParticipantRole]]:
        """Who takes part in an event named by a noun: its possessor or modifying name ("Russia's
        invasion", "the EU Foreign Affairs Council meeting", "US-led talks"), the head it is in
        apposition to, and the subject of the verb it is the object of ("Kyiv held talks")."""
        out: list[tuple[Token, ParticipantRole]] = []
        for child in trigger.children:
            if (
                child.dep_ in {"compound", "amod", "nmod"}
                and child.i in amap
                and amap[child.i].rule == "capital-metonymy"
            ):
                continue  # "the Budapest summit", "the Istanbul talks": where, not who
            if (
                child.dep_ == "poss"
                or (child.dep_ in {"compound", "amod", "nmod"} and child.i in amap)
                or (child.dep_ == "compound" and child.pos_ == "PROPN")
                or (child.dep_ == "amod" and child.tag_ == "VBN")  # "US-led", "Turkish-brokered"
            ):
                out.append((child, ParticipantRole.AGENT))
        if trigger.dep_ == "appos":
            out.append((trigger.head, ParticipantRole.PARTICIPANT))  # "the Contact Group meeting"
        anchor = _anchor(trigger)
        if anchor.dep_ == "pobj" and anchor.head.lower_ in TEMPORAL_PREPS:
            return out  # "Kallas spoke after the Council meeting": she need not have attended
        for tok in {trigger, anchor}:
            if tok.dep_ == "pobj" and tok.head.head.pos_ == "NOUN":
                out += [
                    (c, ParticipantRole.AGENT) for c in tok.head.head.children if c.dep_ == "poss"
                ]
        if anchor.dep_ == "nsubjpass":  # "sanctions were imposed on X by Y"
            for child in anchor.head.children:
                role = {"agent": ParticipantRole.AGENT}.get(child.dep_)
                if child.dep_ == "prep" and child.lower_ in RECIPIENT_PREPS - {"to"}:
                    role = ParticipantRole.RECIPIENT
                if role is not None:
                    out += [(p, role) for p in child.children if p.dep_ == "pobj"]
        if anchor.dep_ in {"dobj", "pobj", "attr"}:
            verb = anchor.head.head if anchor.dep_ == "pobj" else anchor.head
            if verb.pos_ in {"VERB", "AUX"} and verb.lemma_.lower() not in self.commenting:
                subj = subject_of(verb)
                if subj is not None:
                    out.append((subj, ParticipantRole.AGENT))
        return out

    def _represented(
        self, tok: Token, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> list[str]:
        """The countries an unnamed delegation is named after: "Ukrainian and Russian officials"
        (not "the Russian envoy Kirill Dmitriev", a person of his own)."""
        if tok.lemma_.lower() not in self.delegations:
            return []
        out: list[str] = []
        for child in tok.children:
            if child.dep_ != "amod":
                continue
            for adj in expand_conj(child):
                mention = amap.get(adj.i)
                if mention is not None and types.get(mention.actor) == ActorType.COUNTRY:
                    out.append(mention.actor)
                elif self.demonyms.get(adj.lower_) in types:
                    out.append(self.demonyms[adj.lower_])
        return out

    def _place(
        self, trigger: Token, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> str | None:
        for tok in trigger.sent:
            mention = amap.get(tok.i)
            if mention is None or types.get(mention.actor) != ActorType.PLACE:
                continue
            if tok.head.lower_ in {"in", "at"} and abs(tok.i - trigger.i) < 16:
                return mention.actor
        return None

    def _time(self, trigger: Token) -> SpacySpan | None:
        """The time expression nearest the trigger in its sentence (a DATE or TIME entity, else
        "recently")."""
        best: tuple[int, SpacySpan] | None = None
        for ent in trigger.sent.ents:
            if ent.label_ not in {"DATE", "TIME"}:
                continue
            dist = min(abs(ent.start - trigger.i), abs(ent.end - 1 - trigger.i))
            if dist <= 12 and (best is None or dist < best[0]):
                best = (dist, ent)
        if best is None:
            for tok in trigger.sent:
                if tok.lower_ == "recently" and abs(tok.i - trigger.i) <= 8:
                    return trigger.doc[tok.i : tok.i + 1]
        return best[1] if best else None

    def _status(self, trigger: Token) -> EventStatus:
        tok = trigger
        for step in range(4):  # "prepared for another round of talks": up to the verb
            lemma = tok.lemma_.lower()
            if lemma in CANCEL_CUES:
                return EventStatus.CANCELLED
            if any(c.lower_ in FUTURE_AUX for c in tok.children):
                return EventStatus.PLANNED
            if lemma in PLANNED_CUES and tok.tag_ in {"VBZ", "VBP", "VBG"}:
                return EventStatus.PLANNED  # "arrives for talks this week", "is set to meet"
            if lemma in PLANNING_VERBS and step > 0:
                return EventStatus.PLANNED  # "was expected to meet", "prepared for talks"
            if tok.dep_ in CLAUSE_EDGES or (
                step >= 2 and tok.pos_ == "VERB" and tok.dep_ != "xcomp"
            ):
                break  # its own clause ends; "expected to travel for talks" goes on up the xcomp
            tok = tok.head
        return EventStatus.HAPPENED

    def _evidence(self, trigger: Token) -> Span:
        sent = trigger.sent
        doc = trigger.doc
        first, last = paragraph_bounds(doc, trigger, sent.start, sent.end - 1)
        if last - first + 1 <= MAX_EVIDENCE_TOKENS:
            return token_span(doc, first, last)
        clause = trigger
        while clause.head is not clause and clause.pos_ not in {"VERB", "AUX"}:
            clause = clause.head
        left, right = clause.left_edge.i, clause.right_edge.i
        if right - left > MAX_EVIDENCE_TOKENS:
            left, right = max(left, trigger.i - 20), min(right, trigger.i + 20)
        return token_span(doc, max(left, first), min(right, last))

    def set_annotations(self, doc: Doc, events: list[Event]) -> None:
        doc._.kg_events = events


@Language.factory(
    "kg_events",
    assigns=["doc._.kg_events"],
    requires=["doc._.kg_mentions", "token.dep", "token.lemma"],
    default_config={"ontology_dir": None},
)
def make_event_extractor(nlp: Language, name: str, ontology_dir: str | None) -> EventExtractor:
    """Factory of the kg_events component."""
    return EventExtractor(nlp, name, ontology_dir=ontology_dir)
