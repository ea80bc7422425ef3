"""Paragraph breaks: headings and subheadings never run into the next paragraph."""

from __future__ import annotations

import pytest

from kg.nlp.common import is_paragraph_break


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
