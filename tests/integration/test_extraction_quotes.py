"""kg_quotes on short invented texts with the real parser (slow): attribution forms beyond one
sentence, pronoun speakers, quotes without a reporting verb, and what stays a scare quote."""

from __future__ import annotations

import hashlib

import pytest
from spacy.language import Language

from kg.nlp.extract import extract
from kg.records import Article

pytestmark = pytest.mark.slow


def _quotes(nlp: Language, text: str) -> list[tuple[str, str]]:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article = Article(doc_id="t", text=text, content_hash=digest)
    return [(q.speaker, q.evidence.text) for q in extract(nlp, article).quotes]


def test_extraction_quotes_standalone_quote_after_attribution_continues(
    real_nlp: Language,
) -> None:
    text = (
        "Zelensky met Macron in Paris on Monday.\n\n"
        '"We will not give up our land," Zelensky told reporters. '
        '"Our people have paid too high a price for that."'
    )
    assert _quotes(real_nlp, text) == [
        ("volodymyr-zelensky", "We will not give up our land,"),
        ("volodymyr-zelensky", "Our people have paid too high a price for that."),
    ]


def test_extraction_quotes_another_speaker_between_stops_continuation(
    real_nlp: Language,
) -> None:
    text = (
        '"We will not give up our land," Zelensky told reporters. Macron said he agreed with '
        'him. "Europe stands with Ukraine and will keep paying."'
    )
    assert _quotes(real_nlp, text)[1] == (
        "emmanuel-macron",
        "Europe stands with Ukraine and will keep paying.",
    )


def test_extraction_quotes_pronoun_skips_names_inside_quotes(real_nlp: Language) -> None:
    text = (
        '"Putin is not interested in peace," Rutte said. "He wants more territory. He will '
        'not stop."\nThe alliance met on Tuesday.\n"We must all do more," he added.'
    )
    assert [speaker for speaker, _ in _quotes(real_nlp, text)] == ["mark-rutte"] * 3


def test_extraction_quotes_source_label_and_resumed_paragraph(real_nlp: Language) -> None:
    text = (
        "Source: Volodymyr Zelensky in his evening address\n\n"
        'Quote: "Russia rejected the ceasefire again. We will keep working with our partners.\n\n'
        "Advertisement:\n\n"
        'Only pressure will make Moscow stop the war."\n\n'
        "Details: the president spoke after a night of attacks."
    )
    assert _quotes(real_nlp, text) == [
        (
            "volodymyr-zelensky",
            "Russia rejected the ceasefire again. We will keep working with our partners.",
        ),
        ("volodymyr-zelensky", "Only pressure will make Moscow stop the war."),
    ]


def test_extraction_quotes_colon_after_a_person_clause(real_nlp: Language) -> None:
    text = (
        "Dmitry Peskov gave a blunt assessment: "
        '"The talks have reached a dead end and nobody in Moscow expects progress."'
    )
    assert [s for s, _ in _quotes(real_nlp, text)] == ["dmitry-peskov"]


def test_extraction_quotes_cited_statement_is_its_authors(real_nlp: Language) -> None:
    text = (
        "Peskov cited a statement from the European Commission: "
        '"Sanctions will stay until Russia withdraws all of its forces."'
    )
    assert [s for s, _ in _quotes(real_nlp, text)] == ["european-commission"]


def test_extraction_quotes_after_a_reporting_sentence(real_nlp: Language) -> None:
    text = (
        "Sergei Lavrov argues that the West has given Moscow nothing. "
        '"No Western leader has promised to lift the sanctions after a peace deal."'
    )
    assert [s for s, _ in _quotes(real_nlp, text)] == ["sergey-lavrov"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a quoted predicate adjective of an actor: its own words about itself
        ('The Kremlin is "open to a meeting at any level" with Kyiv.', ["kremlin"]),
        ('The proposal is "dead on arrival" in its current form.', []),
        # a short phrase in the clause of a reporting verb that follows it
        ('Donald Trump is "very angry" with Putin, he said on Sunday.', ["donald-trump"]),
        # ", he said," as a parenthesis governs the whole sentence
        (
            "Yuri Ushakov spoke to reporters on Tuesday. More bluntly, he said, Kyiv and Moscow "
            'were "no nearer to a deal" after the talks.',
            ["yuri-ushakov"],
        ),
        # a sentence-initial "according to" outranks a verb in a relative clause
        (
            "Yuri Ushakov spoke on Wednesday. According to him, the aim of Zelensky, who said "
            'the plan had shrunk to 20 points, is "to add terms that Moscow cannot accept" to '
            "the text.",
            ["yuri-ushakov"],
        ),
        # a participle reports a thought; the words are the outer speaker's
        (
            'Donald Trump imposed sanctions after concluding that Putin was "not serious about '
            'peace", Marco Rubio said.',
            ["marco-rubio"],
        ),
        # scare quotes and titles stay out
        ('Putin again spoke of the "root causes" of the conflict.', []),
        ('The "coalition of the willing" met in Paris, Macron said.', []),
    ],
)
def test_extraction_quotes_short_phrases(
    real_nlp: Language, text: str, expected: list[str]
) -> None:
    assert [s for s, _ in _quotes(real_nlp, text)] == expected
