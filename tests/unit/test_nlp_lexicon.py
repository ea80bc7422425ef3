"""The Turtle lexicons load, and hold what the extractor needs."""

from __future__ import annotations

import pytest

from kg.errors import ExtractionError
from kg.iris import slugify
from kg.nlp.extract import _headline_ranges, chunk_text
from kg.nlp.lexicon import load_lexicon
from kg.records import ActorType, Article, EventType, Stance

VERIFIED_QIDS = {
    "vladimir-putin": "Q7747",
    "donald-trump": "Q22686",
    "volodymyr-zelensky": "Q3874799",
    "joe-biden": "Q6279",
    "nato": "Q7184",
    "ukraine": "Q212",
    "russia": "Q159",
    "crimea": "Q7835",
}
REQUIRED_TOPICS = {
    "ceasefire",
    "peace_talks",
    "peace_plan",
    "territorial_concessions",
    "nato_membership_ukraine",
    "security_guarantees",
    "sanctions",
    "sanctions_relief",
    "military_aid_ukraine",
    "zelensky_legitimacy",
}


def test_nlp_lexicon_gazetteer_keys_are_slugs_and_qids_are_verified() -> None:
    lexicon = load_lexicon()
    for key, actor in lexicon.actors.items():
        assert key == slugify(actor.name)
    qids = {k: a.wikidata for k, a in lexicon.actors.items() if a.wikidata}
    assert qids == VERIFIED_QIDS
    assert lexicon.actors["kremlin"].type == ActorType.ORGANIZATION
    assert lexicon.actors["russia"].capital == "moscow"
    assert "the Russian leader" in lexicon.actors["vladimir-putin"].aliases


def test_nlp_lexicon_topics_stances_and_events() -> None:
    lexicon = load_lexicon()
    ids = {t.id for t in lexicon.topics}
    assert ids >= REQUIRED_TOPICS
    assert lexicon.stances["demand"] == Stance.DEMANDS
    assert lexicon.stances["reject"] == Stance.REJECTS
    assert lexicon.events["invasion"] == EventType.INVASION
    assert "say" in lexicon.word_list("reporting")


def test_nlp_extract_chunks_keep_offsets() -> None:
    text = "\n".join(f"Paragraph {i} " + "word " * 30 for i in range(200))
    chunks = chunk_text(text, limit=1000)
    assert len(chunks) > 1
    assert "".join(chunk for _, chunk in chunks) == text
    for offset, chunk in chunks:
        assert text[offset : offset + len(chunk)] == chunk
        assert len(chunk) <= 1000


def test_nlp_extract_first_line_headline_without_a_title() -> None:
    text = "Kremlin rejects peacekeepers\n\nMoscow said no. More text follows."
    article = Article(doc_id="h", text=text, content_hash="x")
    assert _headline_ranges(article) == [(0, len("Kremlin rejects peacekeepers"))]
    lede = Article(doc_id="l", text="Moscow said no.\n\nMore.", content_hash="x")
    assert _headline_ranges(lede) == []  # a sentence is not a headline


def test_nlp_extract_title_case_first_line_is_a_headline_without_a_blank_line() -> None:
    head = "Russia Expects Washington to Present Revised Peace Plan"
    article = Article(doc_id="t", text=f"{head}\nMoscow said it expects a plan.", content_hash="x")
    assert _headline_ranges(article) == [(0, len(head))]
    lower = "Russia expects Washington to present a revised plan\nMoscow said so."
    assert _headline_ranges(Article(doc_id="u", text=lower, content_hash="x")) == []


def test_lexicon_unknown_word_list_is_an_error() -> None:
    """A misspelt list name must fail at load, not read as an empty list that vetoes nothing."""
    with pytest.raises(ExtractionError, match="lex:reportin"):
        load_lexicon().word_list("reportin")
