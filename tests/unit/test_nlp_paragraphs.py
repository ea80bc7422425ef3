"""Paragraph breaks: headings and subheadings never run into the next paragraph."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp.common import is_paragraph_break
from kg.nlp.paragraphs import ParagraphBreaker


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He left.\nThe negotiator\nMoscow has made its demands clear.", True),
        ("Talks Resume In Geneva\nThe delegations met on Monday.", True),
        ("He spoke to the\nKremlin on Monday.", False),
        ("He said that the talks with\nMoscow would go on.", False),
        ("U.S. President Donald Trump\nthat the talks would start.", False),
    ],
)
def test_nlp_paragraphs_subheading_line_ends_a_paragraph(text: str, expected: bool) -> None:
    i = text.index("\n", text.index("\n") + 1) if text.count("\n") > 1 else text.index("\n")
    assert is_paragraph_break(text, i) is expected


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("KYIV, Nov 20 (Test Wire) - Ukraine rejected it.", "Ukraine"),
        ("Title\n\nWASHINGTON (AP) \u2014 Trump spoke.", "Trump"),
        ("NEW YORK - The talks ended.", "The"),
    ],
)
def test_nlp_paragraphs_dateline_ends_before_the_first_sentence(
    blank_nlp: Language, text: str, first: str
) -> None:
    doc = blank_nlp.make_doc(text)
    starts = ParagraphBreaker("kg_paragraphs").match(doc)
    assert first in {doc[i].text for i in starts}


def test_nlp_paragraphs_no_dateline_in_ordinary_text(blank_nlp: Language) -> None:
    doc = blank_nlp.make_doc("NATO allies met - and agreed.")
    assert ParagraphBreaker("kg_paragraphs").match(doc) == []
