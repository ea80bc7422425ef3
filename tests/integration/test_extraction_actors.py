"""Actors through the real pipeline: a definite title refers back to the one actor whose role
the article stated, and to no one when two actors share it."""

from __future__ import annotations

import pytest
from spacy.language import Language

from kg.nlp.extract import extract
from kg.records import Article

pytestmark = pytest.mark.slow


def _role_mentions(nlp: Language, text: str) -> list[tuple[str, str]]:
    found = extract(nlp, Article(doc_id="t", text=text, content_hash="h"))
    return [(m.actor, m.span.text) for m in found.mentions if m.rule == "role"]


def test_extraction_actors_a_title_refers_back_to_its_one_holder(real_nlp: Language) -> None:
    text = (
        "Prime Minister Keir Starmer hosted a call with European leaders on Sunday.\n\n"
        "The Prime Minister will tell them that the time has come for concrete commitments."
    )
    assert _role_mentions(real_nlp, text) == [("keir-starmer", "Prime Minister")]


def test_extraction_actors_a_shared_title_refers_to_no_one(real_nlp: Language) -> None:
    text = (
        "President Vladimir Putin spoke with President Donald Trump on Tuesday.\n\n"
        "The President said the talks had been useful."
    )
    assert _role_mentions(real_nlp, text) == []
