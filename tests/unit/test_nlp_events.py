"""kg_events: participants from syntax, repeated mentions merge, irrealis is not an event."""

from __future__ import annotations

from spacy.language import Language

from kg.nlp.events import EventExtractor, _pairings, _phrasal_other
from kg.records import ActorType, Event, EventStatus, EventType, ParticipantRole
from tests.unit.nlp_docs import Tok, make_doc

WITKOFF = ("Steve Witkoff", ActorType.PERSON)
PUTIN = ("Vladimir Putin", ActorType.PERSON)


def _events(
    blank_nlp: Language, toks: list[Tok], actors: dict[str, tuple[str, ActorType, list[int]]]
) -> list[Event]:
    doc = make_doc(blank_nlp.vocab, toks, actors)
    return EventExtractor(blank_nlp, "kg_events").match(doc)


def _meeting_sentence(verb: str, lemma: str) -> list[Tok]:
    return [
        Tok("Witkoff", 1, "nsubj", "PROPN", "NNP"),
        Tok(verb, 1, "ROOT", "VERB", "VBD", lemma),
        Tok("a", 3, "det", "DET", "DT"),
        Tok("meeting", 1, "dobj", "NOUN", "NN", "meeting"),
        Tok("with", 3, "prep", "ADP", "IN"),
        Tok("Putin", 4, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]


def test_nlp_events_meeting_participants_from_syntax(blank_nlp: Language) -> None:
    actors = {"steve-witkoff": (*WITKOFF, [0]), "vladimir-putin": (*PUTIN, [5])}
    [event] = _events(blank_nlp, _meeting_sentence("held", "hold"), actors)
    assert event.type == EventType.MEETING
    roles = {(p.actor, p.role) for p in event.participants}
    assert roles == {
        ("steve-witkoff", ParticipantRole.AGENT),
        ("vladimir-putin", ParticipantRole.PARTICIPANT),
    }
    assert event.evidence.text == "Witkoff held a meeting with Putin."


def test_nlp_events_wanted_meeting_is_not_an_event(blank_nlp: Language) -> None:
    actors = {"steve-witkoff": (*WITKOFF, [0]), "vladimir-putin": (*PUTIN, [5])}
    assert _events(blank_nlp, _meeting_sentence("sought", "seek"), actors) == []


def test_nlp_events_one_counterpart_per_conversation() -> None:
    parts = {
        "yuri-ushakov": ParticipantRole.AGENT,
        "steve-witkoff": ParticipantRole.PARTICIPANT,
        "kirill-dmitriev": ParticipantRole.PARTICIPANT,
    }
    groups = _pairings(EventType.TALKS, parts)
    assert [sorted(g) for g in groups] == [
        ["kirill-dmitriev", "yuri-ushakov"],
        ["steve-witkoff", "yuri-ushakov"],
    ]
    assert _pairings(EventType.ATTACK, parts) == [parts]


def _call_sentence(particle: str) -> list[Tok]:
    return [
        Tok("Witkoff", 1, "nsubj", "PROPN", "NNP"),
        Tok("called", 1, "ROOT", "VERB", "VBD", "call"),
        Tok(particle, 1, "prep", "ADP", "IN"),
        Tok("Putin", 2, "pobj", "PROPN", "NNP"),
        Tok("on", 1, "prep", "ADP", "IN"),
        Tok("Monday", 4, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]


def test_nlp_events_call_on_is_not_a_phone_call(blank_nlp: Language) -> None:
    actors = {"steve-witkoff": (*WITKOFF, [0]), "vladimir-putin": (*PUTIN, [3])}
    assert _events(blank_nlp, _call_sentence("on"), actors) == []
    doc = make_doc(blank_nlp.vocab, _call_sentence("on"), actors)
    assert _phrasal_other(doc[1])
    doc = make_doc(blank_nlp.vocab, _call_sentence("with"), actors)
    assert not _phrasal_other(doc[1])  # "on Monday" names the day of the call


def test_nlp_events_recommendation_is_not_an_event(blank_nlp: Language) -> None:
    toks = [
        Tok("Witkoff", 2, "nsubj", "PROPN", "NNP"),
        Tok("should", 2, "aux", "AUX", "MD"),
        Tok("meet", 2, "ROOT", "VERB", "VB", "meet"),
        Tok("Putin", 2, "dobj", "PROPN", "NNP"),
        Tok("in", 2, "prep", "ADP", "IN"),
        Tok("Moscow", 4, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    actors = {"steve-witkoff": (*WITKOFF, [0]), "vladimir-putin": (*PUTIN, [3])}
    assert _events(blank_nlp, toks, actors) == []


def test_nlp_events_offer_to_host_is_not_an_event(blank_nlp: Language) -> None:
    toks = [
        Tok("Witkoff", 1, "nsubj", "PROPN", "NNP"),
        Tok("reaffirmed", 1, "ROOT", "VERB", "VBD", "reaffirm"),
        Tok("his", 3, "poss", "PRON", "PRP$"),
        Tok("readiness", 1, "dobj", "NOUN", "NN", "readiness"),
        Tok("to", 5, "aux", "PART", "TO"),
        Tok("host", 3, "acl", "VERB", "VB", "host"),
        Tok("talks", 5, "dobj", "NOUN", "NNS", "talk"),
        Tok("with", 6, "prep", "ADP", "IN"),
        Tok("Putin", 7, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {"steve-witkoff": (*WITKOFF, [0]), "vladimir-putin": (*PUTIN, [8])}
    assert _events(blank_nlp, toks, actors) == []


RUSSIA = ("Russia", ActorType.COUNTRY)
NATO = ("NATO", ActorType.ORGANIZATION)


def _attack_sentence(aux: str | None) -> list[Tok]:
    """ "Russia [could] attack(ed) NATO ." with or without a modal."""
    toks = [Tok("Russia", 2 if aux else 1, "nsubj", "PROPN", "NNP")]
    if aux:
        toks.append(Tok(aux, 2, "aux", "AUX", "MD"))
    verb = len(toks)
    toks.append(Tok("attack" if aux else "attacked", verb, "ROOT", "VERB", "VB", "attack"))
    toks.append(Tok("NATO", verb, "dobj", "PROPN", "NNP", space=False))
    toks.append(Tok(".", verb, "punct", "PUNCT", "."))
    return toks


def test_nlp_events_a_possible_attack_is_not_an_event(blank_nlp: Language) -> None:
    actors = {"russia": (*RUSSIA, [0]), "nato": (*NATO, [3])}
    assert _events(blank_nlp, _attack_sentence("could"), actors) == []
    [event] = _events(
        blank_nlp, _attack_sentence(None), {"russia": (*RUSSIA, [0]), "nato": (*NATO, [2])}
    )
    assert event.type == EventType.ATTACK


def test_nlp_events_a_threatened_strike_is_not_an_event(blank_nlp: Language) -> None:
    toks = [
        Tok("Medvedev", 1, "nsubj", "PROPN", "NNP"),
        Tok("threatened", 1, "ROOT", "VERB", "VBD", "threaten"),
        Tok("to", 3, "aux", "PART", "TO"),
        Tok("strike", 1, "xcomp", "VERB", "VB", "strike"),
        Tok("NATO", 3, "dobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {"dmitry-medvedev": ("Dmitry Medvedev", ActorType.PERSON, [0]), "nato": (*NATO, [4])}
    assert _events(blank_nlp, toks, actors) == []


def test_nlp_events_an_expected_meeting_is_planned(blank_nlp: Language) -> None:
    toks = [
        Tok("Witkoff", 2, "nsubjpass", "PROPN", "NNP"),
        Tok("is", 2, "auxpass", "AUX", "VBZ", "be"),
        Tok("expected", 2, "ROOT", "VERB", "VBN", "expect"),
        Tok("to", 4, "aux", "PART", "TO"),
        Tok("meet", 2, "xcomp", "VERB", "VB", "meet"),
        Tok("Putin", 4, "dobj", "PROPN", "NNP", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    actors = {"steve-witkoff": (*WITKOFF, [0]), "vladimir-putin": (*PUTIN, [5])}
    [event] = _events(blank_nlp, toks, actors)
    assert event.type == EventType.MEETING
    assert event.status == EventStatus.PLANNED
    [held] = _events(blank_nlp, _meeting_sentence("held", "hold"), actors)
    assert held.status == EventStatus.HAPPENED


def test_nlp_events_lifting_sanctions_is_not_a_sanctions_event(blank_nlp: Language) -> None:
    def sentence(verb: str, lemma: str) -> list[Tok]:
        return [
            Tok("Washington", 1, "nsubj", "PROPN", "NNP"),
            Tok(verb, 1, "ROOT", "VERB", "VBD", lemma),
            Tok("sanctions", 1, "dobj", "NOUN", "NNS", "sanction"),
            Tok("on", 1, "prep", "ADP", "IN"),
            Tok("Russia", 3, "pobj", "PROPN", "NNP", space=False),
            Tok(".", 1, "punct", "PUNCT", "."),
        ]

    actors = {
        "united-states": ("Washington", ActorType.COUNTRY, [0]),
        "russia": (*RUSSIA, [4]),
    }
    assert _events(blank_nlp, sentence("lifted", "lift"), actors) == []
    [imposed] = _events(blank_nlp, sentence("imposed", "impose"), actors)
    assert imposed.type == EventType.SANCTIONS


def test_nlp_events_called_on_to_impose_is_not_an_event(blank_nlp: Language) -> None:
    toks = [
        Tok("Orban", 1, "nsubj", "PROPN", "NNP"),
        Tok("called", 1, "ROOT", "VERB", "VBD", "call"),
        Tok("on", 1, "prep", "ADP", "IN"),
        Tok("Brussels", 2, "pobj", "PROPN", "NNP"),
        Tok("to", 5, "aux", "PART", "TO"),
        Tok("impose", 1, "xcomp", "VERB", "VB", "impose"),
        Tok("sanctions", 5, "dobj", "NOUN", "NNS", "sanction", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {
        "viktor-orban": ("Viktor Orban", ActorType.PERSON, [0]),
        "european-union": ("Brussels", ActorType.ORGANIZATION, [3]),
    }
    assert _events(blank_nlp, toks, actors) == []


def test_nlp_events_who_condemns_an_invasion_is_not_its_agent(blank_nlp: Language) -> None:
    def sentence(verb: str, lemma: str) -> list[Tok]:
        return [
            Tok("China", 1, "nsubj", "PROPN", "NNP"),
            Tok(verb, 1, "ROOT", "VERB", "VBD", lemma),
            Tok("the", 3, "det", "DET", "DT"),
            Tok("attack", 1, "dobj", "NOUN", "NN", "attack"),
            Tok("on", 3, "prep", "ADP", "IN"),
            Tok("Kyiv", 4, "pobj", "PROPN", "NNP", space=False),
            Tok(".", 1, "punct", "PUNCT", "."),
        ]

    actors = {
        "china": ("China", ActorType.COUNTRY, [0]),
        "ukraine": ("Kyiv", ActorType.COUNTRY, [5]),
    }
    for verb, lemma in [("condemned", "condemn"), ("welcomed", "welcome")]:
        for event in _events(blank_nlp, sentence(verb, lemma), actors):
            assert "china" not in {p.actor for p in event.participants}, verb
    [launched] = _events(blank_nlp, sentence("launched", "launch"), actors)
    assert ("china", ParticipantRole.AGENT) in {(p.actor, p.role) for p in launched.participants}
