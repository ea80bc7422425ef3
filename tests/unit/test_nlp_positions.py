"""kg_positions: negation and "yes, but" keep the direction; nested attribution; reporters."""

from __future__ import annotations

from spacy.language import Language

from kg.nlp.positions import PositionExtractor
from kg.records import ActorType, Position
from tests.unit.nlp_docs import Tok, make_doc

PUTIN = ("Vladimir Putin", ActorType.PERSON)
RUSSIA = ("Russia", ActorType.COUNTRY)


def _positions(
    blank_nlp: Language, toks: list[Tok], actors: dict[str, tuple[str, ActorType, list[int]]]
) -> list[Position]:
    doc = make_doc(blank_nlp.vocab, toks, actors)
    doc._.kg_quotes = []
    doc._.kg_quote_ranges = []
    return PositionExtractor(blank_nlp, "kg_positions").match(doc)


def test_nlp_positions_negated_object_clause_makes_direction_against(blank_nlp: Language) -> None:
    toks = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("demands", 1, "ROOT", "VERB", "VBZ", "demand"),
        Tok("that", 5, "mark", "SCONJ", "IN"),
        Tok("Ukraine", 5, "nsubj", "PROPN", "NNP"),
        Tok("never", 5, "neg", "ADV", "RB"),
        Tok("join", 1, "ccomp", "VERB", "VB"),
        Tok("NATO", 5, "dobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {"vladimir-putin": (*PUTIN, [0]), "ukraine": ("Ukraine", ActorType.COUNTRY, [3])}
    [pos] = _positions(blank_nlp, toks, actors)
    assert (pos.holder, pos.stance.value, pos.topic, pos.direction.value) == (
        "vladimir-putin",
        "demands",
        "nato_membership_ukraine",
        "against",
    )


def test_nlp_positions_yes_but_does_not_flip(blank_nlp: Language) -> None:
    toks = [
        Tok("Yes", 3, "intj", "INTJ", "UH", space=False),
        Tok(",", 3, "punct", "PUNCT", ","),
        Tok("Russia", 3, "nsubj", "PROPN", "NNP"),
        Tok("supports", 3, "ROOT", "VERB", "VBZ", "support"),
        Tok("a", 5, "det", "DET", "DT"),
        Tok("ceasefire", 3, "dobj", "NOUN", "NN", space=False),
        Tok(",", 3, "punct", "PUNCT", ","),
        Tok("but", 3, "cc", "CCONJ", "CC"),
        Tok("not", 9, "neg", "PART", "RB"),
        Tok("now", 3, "conj", "ADV", "RB", space=False),
        Tok(".", 3, "punct", "PUNCT", "."),
    ]
    [pos] = _positions(blank_nlp, toks, {"russia": (*RUSSIA, [2])})
    assert (pos.stance.value, pos.topic, pos.direction.value) == ("supports", "ceasefire", "for")


def test_nlp_positions_negated_cue_is_opposition(blank_nlp: Language) -> None:
    toks = [
        Tok("Russia", 3, "nsubj", "PROPN", "NNP"),
        Tok("does", 3, "aux", "AUX", "VBZ", "do"),
        Tok("not", 3, "neg", "PART", "RB"),
        Tok("support", 3, "ROOT", "VERB", "VB", "support"),
        Tok("a", 5, "det", "DET", "DT"),
        Tok("ceasefire", 3, "dobj", "NOUN", "NN", space=False),
        Tok(".", 3, "punct", "PUNCT", "."),
    ]
    [pos] = _positions(blank_nlp, toks, {"russia": (*RUSSIA, [0])})
    assert (pos.stance.value, pos.direction.value) == ("opposes", "against")


def test_nlp_positions_nested_attribution_keeps_inner_holder(blank_nlp: Language) -> None:
    toks = [
        Tok("ISW", 1, "nsubj", "PROPN", "NNP"),
        Tok("noted", 1, "ROOT", "VERB", "VBD", "note"),
        Tok("that", 4, "mark", "SCONJ", "IN"),
        Tok("Putin", 4, "nsubj", "PROPN", "NNP"),
        Tok("claimed", 1, "ccomp", "VERB", "VBD", "claim"),
        Tok("he", 6, "nsubj", "PRON", "PRP"),
        Tok("is", 4, "ccomp", "AUX", "VBZ", "be"),
        Tok("willing", 6, "acomp", "ADJ", "JJ"),
        Tok("to", 9, "aux", "PART", "TO"),
        Tok("negotiate", 7, "xcomp", "VERB", "VB", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {
        "vladimir-putin": (*PUTIN, [3]),
        "isw": ("Institute for the Study of War", ActorType.ORGANIZATION, [0]),
    }
    positions = _positions(blank_nlp, toks, actors)
    assert any(p.holder == "vladimir-putin" and p.reported_by == "isw" for p in positions)


def test_nlp_positions_reporter_holds_an_accusation(blank_nlp: Language) -> None:
    toks = [
        Tok("Zelensky", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say"),
        Tok("that", 5, "mark", "SCONJ", "IN"),
        Tok("Putin", 5, "nsubj", "PROPN", "NNP"),
        Tok("was", 5, "aux", "AUX", "VBD", "be"),
        Tok("trying", 1, "ccomp", "VERB", "VBG", "try"),
        Tok("to", 7, "aux", "PART", "TO"),
        Tok("sabotage", 5, "xcomp", "VERB", "VB", "sabotage"),
        Tok("the", 9, "det", "DET", "DT"),
        Tok("talks", 7, "dobj", "NOUN", "NNS", "talk", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {
        "vladimir-putin": (*PUTIN, [3]),
        "volodymyr-zelensky": ("Volodymyr Zelensky", ActorType.PERSON, [0]),
    }
    positions = _positions(blank_nlp, toks, actors)
    [accusation] = [p for p in positions if p.stance.value == "accuses"]
    assert (accusation.holder, accusation.target) == ("volodymyr-zelensky", "vladimir-putin")
