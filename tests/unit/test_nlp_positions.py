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


def test_nlp_positions_counterfactual_frame_gives_nothing(blank_nlp: Language) -> None:
    # "You might think Russia would accept a ceasefire.": the frame denies the clause
    toks = [
        Tok("You", 2, "nsubj", "PRON", "PRP"),
        Tok("might", 2, "aux", "AUX", "MD"),
        Tok("think", 2, "ROOT", "VERB", "VB"),
        Tok("Russia", 5, "nsubj", "PROPN", "NNP"),
        Tok("would", 5, "aux", "AUX", "MD"),
        Tok("accept", 2, "ccomp", "VERB", "VB"),
        Tok("a", 7, "det", "DET", "DT"),
        Tok("ceasefire", 5, "dobj", "NOUN", "NN", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    assert _positions(blank_nlp, toks, {"russia": (*RUSSIA, [3])}) == []


def test_nlp_positions_conditional_antecedent_gives_nothing(blank_nlp: Language) -> None:
    # "If Russia accepts a ceasefire, talks resume."
    toks = [
        Tok("If", 2, "mark", "SCONJ", "IN"),
        Tok("Russia", 2, "nsubj", "PROPN", "NNP"),
        Tok("accepts", 7, "advcl", "VERB", "VBZ", "accept"),
        Tok("a", 4, "det", "DET", "DT"),
        Tok("ceasefire", 2, "dobj", "NOUN", "NN", space=False),
        Tok(",", 7, "punct", "PUNCT", ","),
        Tok("talks", 7, "nsubj", "NOUN", "NNS", "talk"),
        Tok("resume", 7, "ROOT", "VERB", "VBP"),
        Tok(".", 7, "punct", "PUNCT", "."),
    ]
    assert _positions(blank_nlp, toks, {"russia": (*RUSSIA, [1])}) == []


def test_nlp_positions_contrasted_negation_is_not_support(blank_nlp: Language) -> None:
    # "Moscow wants territory, not peace.": peace is denied, territory is wanted
    toks = [
        Tok("Moscow", 1, "nsubj", "PROPN", "NNP"),
        Tok("wants", 1, "ROOT", "VERB", "VBZ", "want"),
        Tok("territory", 1, "dobj", "NOUN", "NN", space=False),
        Tok(",", 2, "punct", "PUNCT", ","),
        Tok("not", 2, "neg", "PART", "RB"),
        Tok("peace", 2, "appos", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    found = _positions(blank_nlp, toks, {"russia": (*RUSSIA, [0])})
    assert [(p.stance.value, p.topic, p.direction.value) for p in found] == [
        ("demands", "territorial_concessions", "for")
    ]


def test_nlp_positions_not_x_but_y_keeps_only_y(blank_nlp: Language) -> None:
    # "Russia wants not a ceasefire but territory."
    toks = [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("wants", 1, "ROOT", "VERB", "VBZ", "want"),
        Tok("not", 4, "neg", "PART", "RB"),
        Tok("a", 4, "det", "DET", "DT"),
        Tok("ceasefire", 1, "dobj", "NOUN", "NN"),
        Tok("but", 4, "cc", "CCONJ", "CC"),
        Tok("territory", 4, "conj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    found = _positions(blank_nlp, toks, {"russia": (*RUSSIA, [0])})
    assert [(p.topic, p.direction.value) for p in found] == [("territorial_concessions", "for")]


def test_nlp_positions_object_list_gives_one_position_per_item(blank_nlp: Language) -> None:
    # "Russia demands a pledge that Ukraine will never join NATO, sanctions relief, and a
    # ceasefire.": the negation of the first item stays in the first item
    toks = [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("demands", 1, "ROOT", "VERB", "VBZ", "demand"),
        Tok("a", 3, "det", "DET", "DT"),
        Tok("pledge", 1, "dobj", "NOUN", "NN"),
        Tok("that", 8, "mark", "SCONJ", "IN"),
        Tok("Ukraine", 8, "nsubj", "PROPN", "NNP"),
        Tok("will", 8, "aux", "AUX", "MD"),
        Tok("never", 8, "neg", "ADV", "RB"),
        Tok("join", 3, "acl", "VERB", "VB"),
        Tok("NATO", 8, "dobj", "PROPN", "NNP", space=False),
        Tok(",", 9, "punct", "PUNCT", ","),
        Tok("sanctions", 12, "compound", "NOUN", "NNS", "sanction"),
        Tok("relief", 9, "appos", "NOUN", "NN", space=False),
        Tok(",", 12, "punct", "PUNCT", ","),
        Tok("and", 12, "cc", "CCONJ", "CC"),
        Tok("a", 16, "det", "DET", "DT"),
        Tok("ceasefire", 12, "conj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {"russia": (*RUSSIA, [0]), "ukraine": ("Ukraine", ActorType.COUNTRY, [5])}
    found = _positions(blank_nlp, toks, actors)
    assert sorted((p.topic, p.direction.value) for p in found) == [
        ("ceasefire", "for"),
        ("nato_membership_ukraine", "against"),
        ("sanctions_relief", "for"),
    ]
    assert {p.evidence.text for p in found} == {
        "Russia demands a pledge that Ukraine will never join NATO",
        "sanctions relief",
        "a ceasefire",
    }


def test_nlp_positions_another_actors_desire_is_not_the_holders_topic(
    blank_nlp: Language,
) -> None:
    # "Putin wants to exploit the desire of Trump for peace."
    toks = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("wants", 1, "ROOT", "VERB", "VBZ", "want"),
        Tok("to", 3, "aux", "PART", "TO"),
        Tok("exploit", 1, "xcomp", "VERB", "VB"),
        Tok("the", 5, "det", "DET", "DT"),
        Tok("desire", 3, "dobj", "NOUN", "NN"),
        Tok("of", 5, "prep", "ADP", "IN"),
        Tok("Trump", 6, "pobj", "PROPN", "NNP"),
        Tok("for", 5, "prep", "ADP", "IN"),
        Tok("peace", 8, "pobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {
        "vladimir-putin": (*PUTIN, [0]),
        "donald-trump": ("Donald Trump", ActorType.PERSON, [7]),
    }
    found = _positions(blank_nlp, toks, actors)
    assert all(p.holder != "vladimir-putin" for p in found)


def test_nlp_positions_noun_cue_under_another_stance_verb(blank_nlp: Language) -> None:
    # "Russia rejects the ceasefire proposal.": Russia does not propose it
    toks = [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("rejects", 1, "ROOT", "VERB", "VBZ", "reject"),
        Tok("the", 4, "det", "DET", "DT"),
        Tok("ceasefire", 4, "compound", "NOUN", "NN"),
        Tok("proposal", 1, "dobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    found = _positions(blank_nlp, toks, {"russia": (*RUSSIA, [0])})
    assert [(p.stance.value, p.topic) for p in found] == [("rejects", "ceasefire")]


def test_nlp_positions_descriptive_topic_needs_a_claim(blank_nlp: Language) -> None:
    # "Russia welcomes its battlefield gains.": nobody supports the battlefield situation
    toks = [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("welcomes", 1, "ROOT", "VERB", "VBZ", "welcome"),
        Tok("its", 4, "poss", "PRON", "PRP$"),
        Tok("battlefield", 4, "compound", "NOUN", "NN"),
        Tok("gains", 1, "dobj", "NOUN", "NNS", "gain", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    assert _positions(blank_nlp, toks, {"russia": (*RUSSIA, [0])}) == []
