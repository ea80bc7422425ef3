"""kg_quotes: quote marks, speaker attribution forms, scare quotes (hand-built Docs)."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp.quotes import QuoteExtractor, find_quote_ranges
from kg.records import ActorType
from tests.unit.nlp_docs import Tok, make_doc

PUTIN: dict[str, tuple[str, ActorType, list[int]]] = {
    "vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [])
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He said \u201cwe will win\u201d today.", ["we will win"]),
        ('He said "we will win" today.', ["we will win"]),
        ('He said "we will win\u201d today.', ["we will win"]),
        ("\u201cWe will win.\n\n\u201cAnd soon,\u201d he said.", ["We will win.", "And soon,"]),
        ("\u201cOne \u2018inner\u2019 word,\u201d he said.", ["One \u2018inner\u2019 word,"]),
        ("No quotes at all.", []),
        (
            "He said: \u2018Russia\u2019s army won\u2019t stop.\u2019 Then",
            ["Russia\u2019s army won\u2019t stop."],
        ),
        ("\u201d stray closer", []),
        # a quote left open resumes in a paragraph that only closes it, past an interjection
        (
            'Quote: "We agreed.\n\nAdvertisement:\n\nThey refused." Then more.',
            ["We agreed.", "They refused."],
        ),
        # paragraphs that lost their opening mark continue the open quote
        ('"We agreed.\n\nThey refused." Then', ["We agreed.\n\nThey refused."]),
        # one paragraph that lost its opening mark belongs to the resumed quote
        (
            'He said: "We agreed.\n\nAd:\n\nThey refused for days.\n\nThen they came." Then',
            ["We agreed.", "They refused for days.\n\nThen they came."],
        ),
        # two paragraphs of narrative between: the stray closer is not a quote's end
        (
            'He said: "We agreed.\n\nThe talks went on for hours.\n\nThe delegates were tired.'
            '\n\nThey refused." Then',
            ["We agreed."],
        ),
        # a straight mark placed as a closer never opens a quote
        ('The word peace." Then "we will win" he said.', ["we will win"]),
    ],
)
def test_nlp_quote_ranges(text: str, expected: list[str]) -> None:
    assert [text[q.start : q.end] for q in find_quote_ranges(text)] == expected


def _extract(
    blank_nlp: Language, toks: list[Tok], actors: dict[str, tuple[str, ActorType, list[int]]]
) -> list[tuple[str, str]]:
    doc = make_doc(blank_nlp.vocab, toks, actors)
    doc._.kg_quote_ranges = None
    extractor = QuoteExtractor(blank_nlp, "kg_quotes")
    _, quotes = extractor.match(doc)
    return [(q.speaker, q.evidence.text) for q in quotes]


def test_nlp_quote_speaker_before_verb(blank_nlp: Language) -> None:
    toks = [
        Tok("\u201c", 3, "punct", "PUNCT", "``", space=False),
        Tok("We", 3, "nsubj", "PRON", "PRP"),
        Tok("will", 3, "aux", "AUX", "MD"),
        Tok("win", 9, "ccomp", "VERB", "VB"),
        Tok("the", 5, "det", "DET", "DT"),
        Tok("war", 3, "dobj", "NOUN", "NN", space=False),
        Tok(",", 9, "punct", "PUNCT", ",", space=False),
        Tok("\u201d", 9, "punct", "PUNCT", "''"),
        Tok("Putin", 9, "nsubj", "PROPN", "NNP"),
        Tok("said", 9, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(".", 9, "punct", "PUNCT", "."),
    ]
    actors = {"vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [8])}
    assert _extract(blank_nlp, toks, actors) == [("vladimir-putin", "We will win the war,")]


def test_nlp_quote_inverted_said_x(blank_nlp: Language) -> None:
    toks = [
        Tok("\u201c", 3, "punct", "PUNCT", "``", space=False),
        Tok("We", 3, "nsubj", "PRON", "PRP"),
        Tok("will", 3, "aux", "AUX", "MD"),
        Tok("win", 6, "ccomp", "VERB", "VB", space=False),
        Tok(",", 6, "punct", "PUNCT", ",", space=False),
        Tok("\u201d", 6, "punct", "PUNCT", "''"),
        Tok("said", 6, "ROOT", "VERB", "VBD", "say"),
        Tok("Zelensky", 6, "nsubj", "PROPN", "NNP", space=False),
        Tok(".", 6, "punct", "PUNCT", "."),
    ]
    actors = {"volodymyr-zelensky": ("Volodymyr Zelensky", ActorType.PERSON, [7])}
    assert _extract(blank_nlp, toks, actors) == [("volodymyr-zelensky", "We will win,")]


def test_nlp_quote_colon_form(blank_nlp: Language) -> None:
    toks = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(":", 1, "punct", "PUNCT", ":"),
        Tok("\u201c", 6, "punct", "PUNCT", "``", space=False),
        Tok("We", 6, "nsubj", "PRON", "PRP"),
        Tok("will", 6, "aux", "AUX", "MD"),
        Tok("win", 1, "ccomp", "VERB", "VB", space=False),
        Tok(".", 6, "punct", "PUNCT", ".", space=False),
        Tok("\u201d", 1, "punct", "PUNCT", "''", space=False),
    ]
    actors = {"vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [0])}
    assert _extract(blank_nlp, toks, actors) == [("vladimir-putin", "We will win.")]


def test_nlp_quote_according_to(blank_nlp: Language) -> None:
    toks = [
        Tok("\u201c", 2, "punct", "PUNCT", "``", space=False),
        Tok("Peace", 2, "nsubj", "NOUN", "NN"),
        Tok("is", 2, "ROOT", "AUX", "VBZ", "be"),
        Tok("far", 4, "advmod", "ADV", "RB"),
        Tok("away", 2, "advmod", "ADV", "RB", space=False),
        Tok(",", 2, "punct", "PUNCT", ",", space=False),
        Tok("\u201d", 2, "punct", "PUNCT", "''"),
        Tok("according", 2, "prep", "VERB", "VBG"),
        Tok("to", 7, "prep", "ADP", "IN"),
        Tok("Peskov", 8, "pobj", "PROPN", "NNP", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    actors = {"dmitry-peskov": ("Dmitry Peskov", ActorType.PERSON, [9])}
    assert _extract(blank_nlp, toks, actors) == [("dmitry-peskov", "Peace is far away,")]


def test_nlp_quote_scare_quotes_are_not_quotes(blank_nlp: Language) -> None:
    toks = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say"),
        Tok("the", 3, "det", "DET", "DT"),
        Tok("war", 5, "nsubj", "NOUN", "NN"),
        Tok("must", 5, "aux", "AUX", "MD"),
        Tok("address", 1, "ccomp", "VERB", "VB"),
        Tok("its", 9, "poss", "PRON", "PRP$"),
        Tok("\u201c", 9, "punct", "PUNCT", "``", space=False),
        Tok("root", 9, "compound", "NOUN", "NN"),
        Tok("causes", 5, "dobj", "NOUN", "NNS", space=False),
        Tok("\u201d", 9, "punct", "PUNCT", "''", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    actors = {"vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [0])}
    assert _extract(blank_nlp, toks, actors) == []


def test_nlp_quote_without_speaker_is_dropped(blank_nlp: Language) -> None:
    toks = [
        Tok("A", 1, "det", "DET", "DT"),
        Tok("rush", 1, "ROOT", "NOUN", "NN"),
        Tok("to", 1, "prep", "ADP", "IN"),
        Tok("\u201c", 4, "punct", "PUNCT", "``", space=False),
        Tok("peace", 2, "pobj", "NOUN", "NN", space=False),
        Tok("\u201d", 1, "punct", "PUNCT", "''", space=False),
    ]
    assert _extract(blank_nlp, toks, PUTIN) == []


def test_nlp_quote_ranges_mark_continued_paragraphs() -> None:
    text = '"One.\n\n"Two," he said.\n\nMore: "Three."'
    assert [q.continues for q in find_quote_ranges(text)] == [False, True, False]


def test_nlp_quote_pronoun_speaker_skips_names_inside_quotes(blank_nlp: Language) -> None:
    toks = [
        Tok("\u201c", 2, "punct", "PUNCT", "``", space=False),
        Tok("Peace", 2, "nsubj", "NOUN", "NN"),
        Tok("waits", 6, "ccomp", "VERB", "VBZ", "wait", space=False),
        Tok(",", 6, "punct", "PUNCT", ",", space=False),
        Tok("\u201d", 6, "punct", "PUNCT", "''"),
        Tok("Rutte", 6, "nsubj", "PROPN", "NNP"),
        Tok("said", 6, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(".", 6, "punct", "PUNCT", "."),
        Tok("\u201c", 11, "punct", "PUNCT", "``", space=False),
        Tok("Putin", 11, "nsubj", "PROPN", "NNP"),
        Tok("will", 11, "aux", "AUX", "MD"),
        Tok("stop", 15, "ccomp", "VERB", "VB", space=False),
        Tok(",", 15, "punct", "PUNCT", ",", space=False),
        Tok("\u201d", 15, "punct", "PUNCT", "''"),
        Tok("he", 15, "nsubj", "PRON", "PRP"),
        Tok("added", 15, "ROOT", "VERB", "VBD", "add", space=False),
        Tok(".", 15, "punct", "PUNCT", "."),
    ]
    actors = {
        "mark-rutte": ("Mark Rutte", ActorType.PERSON, [5]),
        "vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [9]),
    }
    assert _extract(blank_nlp, toks, actors) == [
        ("mark-rutte", "Peace waits,"),
        ("mark-rutte", "Putin will stop,"),
    ]


def test_nlp_quote_unresolved_speaker_blocks_continuation(blank_nlp: Language) -> None:
    """A quote whose own verb has an unknown speaker ("the envoy said") is not given to the
    previous speaker, even right after that speaker's quote."""
    toks = [
        Tok("\u201c", 2, "punct", "PUNCT", "``", space=False),
        Tok("Talks", 2, "nsubj", "NOUN", "NNS"),
        Tok("failed", 6, "ccomp", "VERB", "VBD", "fail", space=False),
        Tok(",", 6, "punct", "PUNCT", ",", space=False),
        Tok("\u201d", 6, "punct", "PUNCT", "''"),
        Tok("Putin", 6, "nsubj", "PROPN", "NNP"),
        Tok("said", 6, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(".", 6, "punct", "PUNCT", "."),
        Tok("\u201c", 11, "punct", "PUNCT", "``", space=False),
        Tok("We", 11, "nsubj", "PRON", "PRP"),
        Tok("will", 11, "aux", "AUX", "MD"),
        Tok("try", 16, "ccomp", "VERB", "VB", space=False),
        Tok(",", 16, "punct", "PUNCT", ",", space=False),
        Tok("\u201d", 16, "punct", "PUNCT", "''"),
        Tok("the", 15, "det", "DET", "DT"),
        Tok("envoy", 16, "nsubj", "NOUN", "NN"),
        Tok("said", 16, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(".", 16, "punct", "PUNCT", "."),
    ]
    actors = {"vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [5])}
    assert _extract(blank_nlp, toks, actors) == [("vladimir-putin", "Talks failed,")]
