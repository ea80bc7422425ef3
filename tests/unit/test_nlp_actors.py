"""kg_actors: capitals as governments or places, surname merges, no merge of namesakes."""

from __future__ import annotations

from typing import Any

from spacy.language import Language

from kg.nlp.actors import ActorResolver
from tests.unit.nlp_docs import Tok, make_doc


def _resolve(blank_nlp: Language, toks: list[Tok], ents: list[str] | None = None) -> Any:
    doc = make_doc(blank_nlp.vocab, toks, ents=ents)
    return ActorResolver(blank_nlp, "kg_actors").match(doc)


def test_nlp_actors_capital_as_government(blank_nlp: Language) -> None:
    toks = [
        Tok("Moscow", 2, "nsubj", "PROPN", "NNP"),
        Tok("has", 2, "aux", "AUX", "VBZ"),
        Tok("said", 2, "ROOT", "VERB", "VBN", "say"),
        Tok("it", 5, "nsubj", "PRON", "PRP"),
        Tok("will", 5, "aux", "AUX", "MD"),
        Tok("agree", 2, "ccomp", "VERB", "VB", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    actors, mentions, _, _ = _resolve(blank_nlp, toks)
    assert [(m.actor, m.rule) for m in mentions] == [("russia", "capital-metonymy")]
    assert [(a.key, a.type.value, a.aliases) for a in actors] == [
        ("russia", "Country", ("Moscow",))
    ]


def test_nlp_actors_capital_literal_place(blank_nlp: Language) -> None:
    toks = [
        Tok("Talks", 2, "nsubjpass", "NOUN", "NNS", "talk"),
        Tok("were", 2, "auxpass", "AUX", "VBD"),
        Tok("held", 2, "ROOT", "VERB", "VBN", "hold"),
        Tok("in", 2, "prep", "ADP", "IN"),
        Tok("Moscow", 3, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    actors, mentions, _, _ = _resolve(blank_nlp, toks)
    assert [(m.actor, m.rule) for m in mentions] == [("moscow", "capital-literal")]
    assert actors[0].type.value == "Place"


def test_nlp_actors_white_house_speaking_is_the_administration(blank_nlp: Language) -> None:
    toks = [
        Tok("The", 2, "det", "DET", "DT"),
        Tok("White", 2, "compound", "PROPN", "NNP"),
        Tok("House", 3, "nsubj", "PROPN", "NNP"),
        Tok("said", 3, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(".", 3, "punct", "PUNCT", "."),
    ]
    _, mentions, _, _ = _resolve(blank_nlp, toks)
    assert [(m.actor, m.rule) for m in mentions] == [
        ("trump-administration", "white-house-metonymy")
    ]


def _people(names: list[tuple[str, str]]) -> tuple[list[Tok], list[str]]:
    """'First Last met First Last. Last said no.' with PERSON entities."""
    (f1, l1), (f2, l2) = names
    toks = [
        Tok(f1, 1, "compound", "PROPN", "NNP"),
        Tok(l1, 2, "nsubj", "PROPN", "NNP"),
        Tok("met", 2, "ROOT", "VERB", "VBD", "meet"),
        Tok(f2, 4, "compound", "PROPN", "NNP"),
        Tok(l2, 2, "dobj", "PROPN", "NNP", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
        Tok(l1, 7, "nsubj", "PROPN", "NNP"),
        Tok("said", 7, "ROOT", "VERB", "VBD", "say"),
        Tok("no", 7, "dobj", "DET", "DT", space=False),
        Tok(".", 7, "punct", "PUNCT", "."),
    ]
    ents = ["B-PERSON", "I-PERSON", "O", "B-PERSON", "I-PERSON", "O", "B-PERSON", "O", "O", "O"]
    return toks, ents


def test_nlp_actors_surname_merges_into_the_full_name(blank_nlp: Language) -> None:
    toks, ents = _people([("Anna", "Petrova"), ("Ivan", "Sidorov")])
    actors, mentions, _, merges = _resolve(blank_nlp, toks, ents)
    assert sorted(a.key for a in actors) == ["anna-petrova", "ivan-sidorov"]
    assert [(m.actor, m.rule) for m in mentions if m.span.text == "Petrova"] == [
        ("anna-petrova", "surname")
    ]
    assert any(m.actor == "anna-petrova" and m.rule == "surname" for m in merges)


def test_nlp_actors_two_people_sharing_a_surname_never_merge(blank_nlp: Language) -> None:
    toks, ents = _people([("John", "Smith"), ("Peter", "Smith")])
    actors, mentions, _, _ = _resolve(blank_nlp, toks, ents)
    assert sorted(a.key for a in actors) == ["john-smith", "peter-smith"]
    assert not [m for m in mentions if m.span.text == "Smith"]


def test_nlp_actors_name_modifying_a_plural_noun_is_no_person(blank_nlp: Language) -> None:
    toks = [
        Tok("Kyiv", 1, "nsubj", "PROPN", "NNP"),
        Tok("wants", 1, "ROOT", "VERB", "VBZ", "want"),
        Tok("more", 4, "amod", "ADJ", "JJR"),
        Tok("Patriot", 4, "compound", "PROPN", "NNP"),
        Tok("systems", 1, "dobj", "NOUN", "NNS", "system", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    ents = ["B-GPE", "O", "O", "B-PERSON", "O", "O"]
    actors, _, _, _ = _resolve(blank_nlp, toks, ents)
    assert [a.key for a in actors] == ["ukraine"]


def _collective(adjective: str, adjective_pos: str, head: str) -> list[Tok]:
    """ "<Adjective> <head> said ." opening the sentence."""
    return [
        Tok(adjective, 1, "amod", adjective_pos, "JJ", adjective.lower()),
        Tok(head, 2, "nsubj", "NOUN", "NNS", head.lower()),
        Tok("said", 2, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]


def test_nlp_actors_collectives_named_by_nationality_or_bloc_are_groups(
    blank_nlp: Language,
) -> None:
    actors, _, _, _ = _resolve(blank_nlp, _collective("Ukrainian", "ADJ", "authorities"))
    assert [(a.key, a.type.value) for a in actors] == [("ukrainian-authorities", "Group")]
    actors, _, _, _ = _resolve(blank_nlp, _collective("Western", "ADJ", "officials"))
    assert [(a.key, a.type.value) for a in actors] == [("western-officials", "Group")]


def test_nlp_actors_a_capital_only_opening_the_sentence_names_no_group(
    blank_nlp: Language,
) -> None:
    actors, _, _, _ = _resolve(blank_nlp, _collective("Senior", "ADJ", "officials"))
    assert actors == []
