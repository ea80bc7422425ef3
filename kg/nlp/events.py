"""kg_events: events from trigger lexicons (`ontology/lexicon.ttl`) and dependency structure.

A trigger (verb or noun) becomes an event when actors stand in its local syntax: the subject of a
trigger verb or of the verb that governs a trigger noun is the agent; a possessor ("Russia's
invasion") is the agent; objects and "against" phrases are recipients; "with"/"between"/"of"
phrases are participants. Invasions and annexations, being rare and specific, may fall back to
the countries named in the sentence. Repeated mentions of the same occurrence (same type, same
participants, compatible year) merge into one event.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from kg.nlp.actors import CALENDAR_WORDS
from kg.nlp.common import (
    actor_types,
    build_cue_matcher,
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
PAIRED_TYPES = frozenset({EventType.TALKS, EventType.MEETING, EventType.PHONE_CALL})
GENERIC_DETS = frozenset({"these", "this", "those", "such", "any", "every", "no"})
YEAR = re.compile(r"\b(19|20)\d\d\b")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MAX_EVIDENCE_TOKENS = 45


def resolve_date(
    expression: str | None, published: dt.date | None, *, ahead: bool = False
) -> dt.date | None:
    """A calendar date for simple relative expressions ("on Friday", "last week", "yesterday").

    A bare weekday is the last one on or before publication, or with `ahead` (a planned event:
    "is expected to meet on Thursday") the first one on or after it."""
    if not expression or published is None:
        return None
    low = expression.lower()
    for offset, name in enumerate(WEEKDAYS):
        if name in low:
            delta = (published.weekday() - offset) % 7
            if "next" in low:
                return published + dt.timedelta(days=(offset - published.weekday()) % 7 or 7)
            if ahead and "last" not in low:
                return published + dt.timedelta(days=(offset - published.weekday()) % 7)
            return published - dt.timedelta(days=delta)
    fixed = {"yesterday": -1, "today": 0, "tomorrow": 1, "last week": -7, "next week": 7}
    for phrase, days in fixed.items():
        if phrase in low:
            return published + dt.timedelta(days=days)
    return None


# A trigger verb with one of these particles or prepositions is another phrasal verb:
# "China called on all parties to ...", "called for talks", "talked up the deal" are no calls.
# Modals that make the writer's (or a speaker's) recommendation, not a reported occurrence.
RECOMMENDING = frozenset({"should", "must", "ought"})
VIOLENT_TYPES = frozenset({EventType.ATTACK, EventType.INVASION, EventType.ANNEXATION})
POSSIBILITY_AUX = frozenset({"could", "might", "may", "would", "will", "'ll", "\u2019ll"})
MENACE_VERBS = frozenset({"threaten", "vow", "warn", "promise", "pledge", "plan", "prepare"})
OTHER_PHRASAL = frozenset({("call", "on"), ("call", "upon"), ("call", "for"), ("talk", "up")})


def _hypothetical(trigger: Token) -> bool:
    """A violent act only possible, predicted or menaced: "Russia could attack a Nato member",
    "threatened to strike European capitals", "a possible invasion"."""
    verb = trigger if trigger.pos_ == "VERB" else None
    if verb is None and trigger.dep_ in {"dobj", "pobj"} and trigger.head.pos_ == "VERB":
        verb = trigger.head  # "threatened a strike", "could launch an attack"
    if verb is None:
        return any(c.lower_ in {"possible", "potential", "future"} for c in trigger.children)
    if any(c.dep_ == "aux" and c.lower_ in POSSIBILITY_AUX for c in verb.children):
        return True
    governor = verb.head if verb.dep_ in {"xcomp", "ccomp"} else None
    return governor is not None and governor.lemma_.lower() in MENACE_VERBS


def _negated(trigger: Token) -> bool:
    """ "Putin did not meet Zelensky", "Ukraine was not invited to the summit": no occurrence
    (of the event, or of the act that would make the subject take part)."""
    verb = trigger
    if trigger.pos_ != "VERB" and trigger.dep_ in {"dobj", "pobj"}:
        verb = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
    return any(c.dep_ == "neg" for c in verb.children)


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


def _pairings(
    etype: EventType, parts: dict[str, ParticipantRole]
) -> list[dict[str, ParticipantRole]]:
    """One agent talking "with both X and Y" had two conversations: one event per counterpart."""
    agents = {k: r for k, r in parts.items() if r == ParticipantRole.AGENT}
    others = {k: r for k, r in parts.items() if r != ParticipantRole.AGENT}
    if etype not in PAIRED_TYPES or len(agents) != 1 or len(others) < 2:
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
        ) | {"welcome", "praise", "hail", "applaud", "support", "back", "endorse"}
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
        spans = [SpacySpan(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        # "a US proposal for a 30-day ceasefire": a proposal noun naming a truce is a trigger too
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
        events: list[Event] = []
        seen: dict[tuple[EventType, frozenset[str]], int] = {}
        headlines: list[tuple[int, int]] = (doc.user_data or {}).get("kg_headlines", [])
        for span in filter_spans(spans):
            cue = doc.vocab.strings[span.label]
            if cue == PROPOSAL_CUE:
                cue = "ceasefire proposal"
            if len(span) == 1 and span.text.lower() != cue and span.text.lower() in self.triggers:
                cue = span.text.lower()  # the exact form wins over a lemma ("talks" vs "talk")
            etype = self.triggers[cue]
            trigger = span.root
            if trigger.pos_ not in {"VERB", "NOUN", "PROPN", "ADJ"}:
                continue
            if any(s <= trigger.idx < e for s, e in headlines):
                continue  # a headline announces what the body reports
            if (
                _phrasal_other(trigger)
                or _negated(trigger)
                or self._irrealis(trigger)
                or any(c.dep_ == "det" and c.lower_ in GENERIC_DETS for c in trigger.children)
            ):
                continue
            if etype == EventType.SANCTIONS and self._relieved(trigger):
                continue  # "lift sanctions", "the easing of sanctions": relief, not a measure
            etype = self._refine(trigger, etype)
            if etype in VIOLENT_TYPES and _hypothetical(trigger):
                continue  # "warned that Russia could attack", "threatened to strike": not a fact
            parts = self._participants(trigger, span, amap, types)
            if not parts and etype in FALLBACK_TYPES and YEAR.search(trigger.sent.text):
                parts = {
                    m.actor: ParticipantRole.AGENT
                    for i, m in amap.items()
                    if doc[i].sent.start == trigger.sent.start
                    and types.get(m.actor) == ActorType.COUNTRY
                }
            parts = {k: r for k, r in parts.items() if types.get(k) != ActorType.PLACE}
            if not parts:
                continue
            place = self._place(trigger, amap, types)
            time = self._time(trigger)
            if etype in NEEDS_CONTEXT and len(parts) < 2 and place is None and time is None:
                continue
            sent_text = trigger.sent.text
            year = YEAR.search(sent_text)
            key = (etype, frozenset(parts))
            if key in seen:
                prev = events[seen[key]]
                prev_year = YEAR.search(prev.evidence.text)
                if year is None or prev_year is None or year.group() == prev_year.group():
                    continue
            if self._repeated(events, etype, parts, trigger, time):
                continue
            evidence = self._evidence(trigger)
            seen[key] = len(events)
            published = doc.user_data.get("kg_published") if doc.user_data else None
            status = self._status(trigger)
            date = resolve_date(
                time,
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

    def _relieved(self, trigger: Token) -> bool:
        head = trigger.head.head if trigger.dep_ == "pobj" else trigger.head
        return head.lemma_.lower() in self.relief or head.lower_ in self.relief

    def _irrealis(self, trigger: Token) -> bool:
        """An event only wanted, proposed or refused ("craves a summit") is a position."""
        verb = trigger if trigger.pos_ == "VERB" else trigger.head
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
            if head.lemma_.lower() in self.irrealis or _calls_for(head):
                return tok.dep_ != "acl" or head.pos_ in {"NOUN", "ADJ"}
            tok = head
        return False

    def _refine(self, trigger: Token, etype: EventType) -> EventType:
        """Sanctions only considered or threatened are a threat; a proposal of a truce is a
        ceasefire proposal."""
        window = list(trigger.sent)
        if etype == EventType.SANCTIONS and any(
            t.lemma_.lower() in self.threat_cues or t.tag_ == "MD" for t in window
        ):
            return EventType.SANCTIONS_THREAT
        if trigger.lemma_.lower() in self.proposal_nouns and any(
            t.lemma_.lower() in self.ceasefire_terms for t in trigger.subtree
        ):
            return EventType.CEASEFIRE_PROPOSAL
        return etype

    def _repeated(
        self,
        events: list[Event],
        etype: EventType,
        parts: dict[str, ParticipantRole],
        trigger: Token,
        time: str | None,
    ) -> bool:
        """A later mention of an earlier event: same type, a shared participant, and either the
        same sentence or no time of its own."""
        for prev in events:
            known = {p.actor for p in prev.participants}
            if prev.type != etype or not (known & set(parts)):
                continue
            if time is None and len(set(parts) - known) < 2:
                return True
        for prev in events:
            if prev.type == etype and prev.evidence.start <= trigger.idx < prev.evidence.end:
                return True  # one sentence, one occurrence of a type
        return False

    def _participants(
        self,
        trigger: Token,
        span: SpacySpan,
        amap: dict[int, Mention],
        types: dict[str, ActorType],
    ) -> dict[str, ParticipantRole]:
        parts: dict[str, ParticipantRole] = {}

        def add(tok: Token, role: ParticipantRole) -> None:
            for t in expand_conj(tok):
                key = resolve_token(t, amap, types)
                if key is None:
                    for sub in t.subtree:
                        if sub.i in amap and sub.i - t.i < 4:
                            key = amap[sub.i].actor
                            break
                if key is not None:
                    parts.setdefault(key, role)

        verbal = trigger.pos_ == "VERB" or (trigger.dep_ == "conj" and trigger.head.pos_ == "VERB")
        if verbal:
            subj = subject_of(trigger)
            if subj is not None:
                add(subj, ParticipantRole.AGENT)
            for child in trigger.children:
                if child.dep_ in {"dobj", "obj"}:
                    add(child, ParticipantRole.RECIPIENT)
        else:
            for child in trigger.children:
                if (
                    child.dep_ in {"compound", "amod", "nmod"}
                    and child.i in amap
                    and amap[child.i].rule == "capital-metonymy"
                ):
                    continue  # "the Budapest summit", "the Istanbul talks": where, not who
                if child.dep_ == "poss" or (
                    child.dep_ in {"compound", "amod", "nmod"} and child.i in amap
                ):
                    add(child, ParticipantRole.AGENT)
            for tok in span:
                if tok.i in amap and tok.i != trigger.i:
                    parts.setdefault(amap[tok.i].actor, ParticipantRole.PARTICIPANT)
            head = trigger.head
            if trigger.dep_ == "pobj" and head.head.pos_ == "NOUN":
                for child in head.head.children:
                    if child.dep_ == "poss":
                        add(child, ParticipantRole.AGENT)
            if trigger.dep_ in {"dobj", "pobj", "nsubjpass", "attr"}:
                verb = head.head if trigger.dep_ == "pobj" else head
                if (
                    verb.pos_ in {"VERB", "AUX"}
                    and trigger.dep_ != "nsubjpass"
                    and verb.lemma_.lower() not in self.commenting
                ):
                    subj = subject_of(verb)
                    if subj is not None:
                        add(subj, ParticipantRole.AGENT)
        for child in trigger.children:
            if child.dep_ == "prep":
                for pobj in child.children:
                    if pobj.dep_ != "pobj":
                        continue
                    low = child.lower_
                    if low in PARTICIPANT_PREPS:
                        add(pobj, ParticipantRole.PARTICIPANT)
                    elif low in RECIPIENT_PREPS:
                        add(pobj, ParticipantRole.RECIPIENT)
        return parts

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

    def _time(self, trigger: Token) -> str | None:
        best: tuple[int, str] | None = None
        for ent in trigger.sent.ents:
            if ent.label_ not in {"DATE", "TIME"}:
                continue
            dist = min(abs(ent.start - trigger.i), abs(ent.end - 1 - trigger.i))
            if dist <= 12 and (best is None or dist < best[0]):
                best = (dist, ent.text)
        if best is None:
            for tok in trigger.sent:
                if tok.lower_ == "recently" and abs(tok.i - trigger.i) <= 8:
                    return tok.text
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
