"""Acts that take a stance, on hand-built Docs: each act, and what keeps an act that was not
done (negated, future, conditional) or not said to concern the topic out of the graph."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp.lexicon import load_lexicon
from kg.nlp.positions.actions import Act, act_positions, acts_from_lexicon
from kg.nlp.positions.context import DocContext
from kg.records import ActorType, Direction, Position, Stance
from tests.unit.nlp_docs import Tok, make_doc
from tests.unit.test_nlp_positions_attribution import topic_matcher

EU = {"european-union": ("European Union", ActorType.ORGANIZATION, [0])}


@pytest.fixture(scope="module")
def acts() -> tuple[Act, ...]:
    return acts_from_lexicon(load_lexicon())


def _run(
    blank_nlp: Language,
    toks: list[Tok],
    acts: tuple[Act, ...],
    more: dict[str, tuple[str, ActorType, list[int]]] | None = None,
) -> list[Position]:
    doc = make_doc(blank_nlp.vocab, toks, {**EU, **(more or {})})
    doc._.kg_quotes = []
    doc._.kg_quote_ranges = []
    return act_positions(DocContext.of(doc, topic_matcher(doc)), acts)


def _imposed(aux: Tok | None = None, mark: Tok | None = None) -> list[Tok]:
    """ "The EU [aux] imposed new sanctions on Moscow ." (EU at 0, verb at 1 or 2)"""
    pre = [t for t in (mark, aux) if t is not None]
    verb = 1 + len(pre)
    toks = [Tok("EU", verb, "nsubj", "PROPN", "NNP")]
    toks += [Tok(t.text, verb, t.dep, t.pos, t.tag) for t in pre]
    toks += [
        Tok("imposed", verb, "ROOT", "VERB", "VBD", "impose"),
        Tok("new", verb + 2, "amod", "ADJ", "JJ"),
        Tok("sanctions", verb, "dobj", "NOUN", "NNS", "sanction"),
        Tok("on", verb + 2, "prep", "ADP", "IN"),
        Tok("Moscow", verb + 3, "pobj", "PROPN", "NNP", space=False),
        Tok(".", verb, "punct", "PUNCT", "."),
    ]
    return toks


def test_act_imposing_sanctions_supports_them(blank_nlp: Language, acts: tuple[Act, ...]) -> None:
    [pos] = _run(blank_nlp, _imposed(), acts)
    assert (pos.holder, pos.stance, pos.topic, pos.direction) == (
        "european-union",
        Stance.SUPPORTS,
        "sanctions",
        Direction.FOR,
    )
    assert pos.method == "act:imposes-penalty:impose"
    assert pos.evidence.text == "EU imposed new sanctions on Moscow"


def test_act_not_done_is_no_position(blank_nlp: Language, acts: tuple[Act, ...]) -> None:
    """ "EU will impose", "EU did not impose", "if EU imposed": a threat or nothing, not an act."""
    for aux, mark in (
        (Tok("will", 0, "aux", "AUX", "MD"), None),
        (Tok("not", 0, "neg", "PART", "RB"), None),
        (None, Tok("if", 0, "mark", "SCONJ", "IN")),
    ):
        assert _run(blank_nlp, _imposed(aux, mark), acts) == []


def test_act_calling_off_talks_opposes_them(blank_nlp: Language, acts: tuple[Act, ...]) -> None:
    toks = [
        Tok("EU", 1, "nsubj", "PROPN", "NNP"),
        Tok("called", 1, "ROOT", "VERB", "VBD", "call"),
        Tok("off", 1, "prt", "ADP", "RP"),
        Tok("the", 4, "det", "DET", "DT"),
        Tok("talks", 1, "dobj", "NOUN", "NNS", "talks"),
    ]
    [pos] = _run(blank_nlp, toks, acts)
    assert (pos.stance, pos.topic, pos.direction) == (
        Stance.OPPOSES,
        "peace_talks",
        Direction.AGAINST,
    )
    # "called the talks useful" calls nothing off
    toks[2] = Tok("useful", 1, "oprd", "ADJ", "JJ")
    assert _run(blank_nlp, toks, acts) == []


def test_act_supplying_weapons_needs_ukraine_named(
    blank_nlp: Language, acts: tuple[Act, ...]
) -> None:
    def sent(recipient: str) -> list[Tok]:
        return [
            Tok("EU", 1, "nsubj", "PROPN", "NNP"),
            Tok("sent", 1, "ROOT", "VERB", "VBD", "send"),
            Tok("weapons", 1, "dobj", "NOUN", "NNS", "weapon"),
            Tok("to", 1, "prep", "ADP", "IN"),
            Tok(recipient, 3, "pobj", "PROPN", "NNP"),
        ]

    ukraine = {"ukraine": ("Ukraine", ActorType.COUNTRY, [4])}
    [pos] = _run(blank_nlp, sent("Ukraine"), acts, ukraine)
    assert (pos.stance, pos.topic) == (Stance.SUPPORTS, "military_aid_ukraine")
    armenia = {"armenia": ("Armenia", ActorType.COUNTRY, [4])}
    assert _run(blank_nlp, sent("Armenia"), acts, armenia) == []
