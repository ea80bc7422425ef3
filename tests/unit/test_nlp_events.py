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
POLAND = ("Poland", ActorType.COUNTRY)


def _attack_sentence(aux: str | None, target: str = "Poland") -> list[Tok]:
    """ "Russia [could] attack(ed) Poland ." with or without a modal."""
    toks = [Tok("Russia", 2 if aux else 1, "nsubj", "PROPN", "NNP")]
    if aux:
        toks.append(Tok(aux, 2, "aux", "AUX", "MD"))
    verb = len(toks)
    toks.append(Tok("attack" if aux else "attacked", verb, "ROOT", "VERB", "VB", "attack"))
    toks.append(Tok(target, verb, "dobj", "PROPN", "NNP", space=False))
    toks.append(Tok(".", verb, "punct", "PUNCT", "."))
    return toks


def test_nlp_events_a_possible_attack_is_not_an_event(blank_nlp: Language) -> None:
    actors = {"russia": (*RUSSIA, [0]), "poland": (*POLAND, [3])}
    assert _events(blank_nlp, _attack_sentence("could"), actors) == []
    [event] = _events(
        blank_nlp, _attack_sentence(None), {"russia": (*RUSSIA, [0]), "poland": (*POLAND, [2])}
    )
    assert event.type == EventType.ATTACK


def test_nlp_events_attacking_an_organisation_is_criticism(blank_nlp: Language) -> None:
    """ "Russia attacked NATO" in words: a verb attack on an organisation or a person is no
    military attack (those strike countries and places)."""
    actors = {"russia": (*RUSSIA, [0]), "nato": (*NATO, [2])}
    assert _events(blank_nlp, _attack_sentence(None, "NATO"), actors) == []


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


FRANCE = ("France", ActorType.COUNTRY)
ITALY = ("Italy", ActorType.COUNTRY)
MACRON = ("Emmanuel Macron", ActorType.PERSON)
SCHOLZ = ("Olaf Scholz", ActorType.PERSON)


def _types_and_roles(events: list[Event]) -> list[tuple[EventType, set[tuple[str, str]]]]:
    return [(e.type, {(p.actor, str(p.role)) for p in e.participants}) for e in events]


def test_nlp_events_cease_fire_is_an_offer_and_conditional_talks_are_none(
    blank_nlp: Language,
) -> None:
    # "France would cease fire and open talks if Italy withdrew."
    toks = [
        Tok("France", 2, "nsubj", "PROPN", "NNP"),
        Tok("would", 2, "aux", "AUX", "MD"),
        Tok("cease", 2, "ROOT", "VERB", "VB", "cease"),
        Tok("fire", 2, "dobj", "NOUN", "NN", "fire"),
        Tok("and", 2, "cc", "CCONJ", "CC"),
        Tok("open", 2, "conj", "VERB", "VB", "open"),
        Tok("talks", 5, "dobj", "NOUN", "NNS", "talk"),
        Tok("if", 9, "mark", "SCONJ", "IN"),
        Tok("Italy", 9, "nsubj", "PROPN", "NNP"),
        Tok("withdrew", 5, "advcl", "VERB", "VBD", "withdraw", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    actors = {"france": (*FRANCE, [0]), "italy": (*ITALY, [8])}
    [event] = _events(blank_nlp, toks, actors)
    assert event.type == EventType.CEASEFIRE_PROPOSAL  # not a dismissal ("fire"), no talks
    assert event.status == EventStatus.PLANNED


def test_nlp_events_an_offered_truce_is_a_ceasefire_proposal(blank_nlp: Language) -> None:
    toks = [
        Tok("Macron", 1, "nsubj", "PROPN", "NNP"),
        Tok("proposed", 1, "ROOT", "VERB", "VBD", "propose"),
        Tok("a", 3, "det", "DET", "DT"),
        Tok("truce", 1, "dobj", "NOUN", "NN", "truce", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    [event] = _events(blank_nlp, toks, {"emmanuel-macron": (*MACRON, [0])})
    assert _types_and_roles([event]) == [
        (EventType.CEASEFIRE_PROPOSAL, {("emmanuel-macron", "agent")})
    ]


def test_nlp_events_a_round_of_talks_takes_the_verb_subject(blank_nlp: Language) -> None:
    # "France and Italy held a third round of negotiations in Rome."
    toks = [
        Tok("France", 3, "nsubj", "PROPN", "NNP"),
        Tok("and", 0, "cc", "CCONJ", "CC"),
        Tok("Italy", 0, "conj", "PROPN", "NNP"),
        Tok("held", 3, "ROOT", "VERB", "VBD", "hold"),
        Tok("a", 6, "det", "DET", "DT"),
        Tok("third", 6, "amod", "ADJ", "JJ"),
        Tok("round", 3, "dobj", "NOUN", "NN", "round"),
        Tok("of", 6, "prep", "ADP", "IN"),
        Tok("negotiations", 7, "pobj", "NOUN", "NNS", "negotiation", space=False),
        Tok(".", 3, "punct", "PUNCT", "."),
    ]
    actors = {"france": (*FRANCE, [0]), "italy": (*ITALY, [2])}
    assert _types_and_roles(_events(blank_nlp, toks, actors)) == [
        (EventType.TALKS, {("france", "agent"), ("italy", "agent")})
    ]


def _spoke_sentence(obj: str) -> list[Tok]:
    return [
        Tok("Macron", 1, "nsubj", "PROPN", "NNP"),
        Tok("spoke", 1, "ROOT", "VERB", "VBD", "speak"),
        Tok("to", 1, "prep", "ADP", "IN"),
        Tok(obj, 2, "pobj", "PROPN" if obj[0].isupper() else "NOUN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]


def test_nlp_events_speaking_is_a_call_only_with_a_person(blank_nlp: Language) -> None:
    actors = {"emmanuel-macron": (*MACRON, [0]), "olaf-scholz": (*SCHOLZ, [3])}
    [call] = _events(blank_nlp, _spoke_sentence("Scholz"), actors)
    assert call.type == EventType.PHONE_CALL  # a person as object is context enough
    assert (
        _events(blank_nlp, _spoke_sentence("reporters"), {"emmanuel-macron": (*MACRON, [0])}) == []
    )


def test_nlp_events_a_reception_of_two_guests_is_one_meeting(blank_nlp: Language) -> None:
    # "Macron welcomed Witkoff and Scholz on Monday."
    toks = [
        Tok("Macron", 1, "nsubj", "PROPN", "NNP"),
        Tok("welcomed", 1, "ROOT", "VERB", "VBD", "welcome"),
        Tok("Witkoff", 1, "dobj", "PROPN", "NNP"),
        Tok("and", 2, "cc", "CCONJ", "CC"),
        Tok("Scholz", 2, "conj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {
        "emmanuel-macron": (*MACRON, [0]),
        "steve-witkoff": (*WITKOFF, [2]),
        "olaf-scholz": (*SCHOLZ, [4]),
    }
    [event] = _events(blank_nlp, toks, actors)
    assert event.type == EventType.MEETING
    assert {p.actor for p in event.participants} == {
        "emmanuel-macron",
        "steve-witkoff",
        "olaf-scholz",
    }


def _capture_sentence(obj: str) -> list[Tok]:
    return [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("captured", 1, "ROOT", "VERB", "VBD", "capture"),
        Tok(obj, 1, "dobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]


def test_nlp_events_a_capture_is_an_attack_only_of_a_place(blank_nlp: Language) -> None:
    town = {"russia": (*RUSSIA, [0]), "avdiivka": ("Avdiivka", ActorType.PLACE, [2])}
    [event] = _events(blank_nlp, _capture_sentence("Avdiivka"), town)
    assert _types_and_roles([event]) == [(EventType.ATTACK, {("russia", "agent")})]
    ship = {"russia": (*RUSSIA, [0]), "tanker-co": ("Tanker Co", ActorType.ORGANIZATION, [2])}
    assert _events(blank_nlp, _capture_sentence("Tankers"), ship) == []


def test_nlp_events_officials_meeting_is_talks_of_their_countries(blank_nlp: Language) -> None:
    # "French and Italian officials met in Geneva."
    toks = [
        Tok("French", 3, "amod", "ADJ", "JJ", "french"),
        Tok("and", 0, "cc", "CCONJ", "CC"),
        Tok("Italian", 0, "conj", "ADJ", "JJ", "italian"),
        Tok("officials", 4, "nsubj", "NOUN", "NNS", "official"),
        Tok("met", 4, "ROOT", "VERB", "VBD", "meet"),
        Tok("in", 4, "prep", "ADP", "IN"),
        Tok("Geneva", 5, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 4, "punct", "PUNCT", "."),
    ]
    actors = {
        "france": (*FRANCE, [0]),
        "italy": (*ITALY, [2]),
        "geneva": ("Geneva", ActorType.PLACE, [6]),
    }
    [event] = _events(blank_nlp, toks, actors)
    assert event.type == EventType.TALKS
    assert {p.actor for p in event.participants} == {"france", "italy"}


def test_nlp_events_held_off_sanctions_did_not_happen(blank_nlp: Language) -> None:
    toks = [
        Tok("France", 1, "nsubj", "PROPN", "NNP"),
        Tok("held", 1, "ROOT", "VERB", "VBD", "hold"),
        Tok("off", 1, "prt", "ADP", "RP"),
        Tok("on", 1, "prep", "ADP", "IN"),
        Tok("new", 5, "amod", "ADJ", "JJ"),
        Tok("sanctions", 3, "pobj", "NOUN", "NNS", "sanction", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    assert _events(blank_nlp, toks, {"france": (*FRANCE, [0])}) == []


def test_nlp_events_a_habit_is_not_an_occurrence(blank_nlp: Language) -> None:
    # "Every time Macron speaks with Scholz, nothing changes."
    toks = [
        Tok("Every", 1, "det", "DET", "DT"),
        Tok("time", 8, "npadvmod", "NOUN", "NN", "time"),
        Tok("Macron", 3, "nsubj", "PROPN", "NNP"),
        Tok("speaks", 1, "relcl", "VERB", "VBZ", "speak"),
        Tok("with", 3, "prep", "ADP", "IN"),
        Tok("Scholz", 4, "pobj", "PROPN", "NNP", space=False),
        Tok(",", 8, "punct", "PUNCT", ","),
        Tok("nothing", 8, "nsubj", "PRON", "NN"),
        Tok("changes", 8, "ROOT", "VERB", "VBZ", "change", space=False),
        Tok(".", 8, "punct", "PUNCT", "."),
    ]
    actors = {"emmanuel-macron": (*MACRON, [2]), "olaf-scholz": (*SCHOLZ, [5])}
    assert _events(blank_nlp, toks, actors) == []


def test_nlp_events_the_sanctions_again_are_the_same_event(blank_nlp: Language) -> None:
    # "France imposed sanctions on Italy. Paris detailed the sanctions against Fiat."
    toks = [
        Tok("France", 1, "nsubj", "PROPN", "NNP"),
        Tok("imposed", 1, "ROOT", "VERB", "VBD", "impose"),
        Tok("sanctions", 1, "dobj", "NOUN", "NNS", "sanction"),
        Tok("on", 2, "prep", "ADP", "IN"),
        Tok("Italy", 3, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
        Tok("Observers", 7, "nsubj", "NOUN", "NNS", "observer"),
        Tok("described", 7, "ROOT", "VERB", "VBD", "describe"),
        Tok("the", 9, "det", "DET", "DT"),
        Tok("sanctions", 7, "dobj", "NOUN", "NNS", "sanction"),
        Tok("against", 9, "prep", "ADP", "IN"),
        Tok("Fiat", 10, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 7, "punct", "PUNCT", "."),
    ]
    actors = {
        "france": (*FRANCE, [0]),
        "italy": (*ITALY, [4]),
        "fiat": ("Fiat", ActorType.ORGANIZATION, [11]),
    }
    [event] = _events(blank_nlp, toks, actors)
    assert {p.actor for p in event.participants} == {"france", "italy"}


def test_nlp_events_a_named_council_meeting_has_the_organisation(blank_nlp: Language) -> None:
    # "Kallas spoke after the EU Foreign Council meeting on Monday."
    toks = [
        Tok("Kallas", 1, "nsubj", "PROPN", "NNP"),
        Tok("spoke", 1, "ROOT", "VERB", "VBD", "speak"),
        Tok("after", 1, "prep", "ADP", "IN"),
        Tok("the", 7, "det", "DET", "DT"),
        Tok("EU", 6, "compound", "PROPN", "NNP"),
        Tok("Foreign", 6, "compound", "PROPN", "NNP"),
        Tok("Council", 7, "compound", "PROPN", "NNP"),
        Tok("meeting", 2, "pobj", "NOUN", "NN", "meeting"),
        Tok("on", 7, "prep", "ADP", "IN"),
        Tok("Monday", 8, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {
        "kaja-kallas": ("Kaja Kallas", ActorType.PERSON, [0]),
        "european-union": ("European Union", ActorType.ORGANIZATION, [4]),
    }
    doc = make_doc(blank_nlp.vocab, toks, actors, ents=["O"] * 9 + ["B-DATE", "O"])
    [event] = EventExtractor(blank_nlp, "kg_events").match(doc)
    assert event.type == EventType.MEETING
    assert {p.actor for p in event.participants} == {"european-union"}


def test_nlp_events_an_order_is_not_an_event(blank_nlp: Language) -> None:
    # "Launch the attacks on Italy." / "France launched the attacks on Italy."
    def sentence(subject: bool) -> list[Tok]:
        toks = [Tok("France", 1, "nsubj", "PROPN", "NNP")] if subject else []
        verb = len(toks)
        return [
            *toks,
            Tok(
                "launched" if subject else "Launch",
                verb,
                "ROOT",
                "VERB",
                "VBD" if subject else "VB",
                "launch",
            ),
            Tok("the", verb + 2, "det", "DET", "DT"),
            Tok("attacks", verb, "dobj", "NOUN", "NNS", "attack"),
            Tok("on", verb + 2, "prep", "ADP", "IN"),
            Tok("Italy", verb + 3, "pobj", "PROPN", "NNP", space=False),
            Tok(".", verb, "punct", "PUNCT", "."),
        ]

    assert _events(blank_nlp, sentence(False), {"italy": (*ITALY, [4])}) == []
    reported = _events(
        blank_nlp, sentence(True), {"france": (*FRANCE, [0]), "italy": (*ITALY, [5])}
    )
    assert [e.type for e in reported] == [EventType.ATTACK]
