"""Dates on the bundled articles and on short texts, through the real pipeline (slow): what the
text dates gets that date and precision; nothing undated gets one."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path

import pytest
from spacy.language import Language

from kg.articles import read_txt
from kg.dates import iso
from kg.nlp.extract import extract
from kg.records import Article, DatePrecision, EventType, Extraction

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).resolve().parents[2] / "data" / "articles"


def _extracted(nlp: Language, text: str, published: dt.date | None) -> Extraction:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return extract(nlp, Article(doc_id="t", text=text, content_hash=digest, published=published))


def test_extraction_dates_bundled_event_dated_in_2014_gets_year_2014(real_nlp: Language) -> None:
    """000 and 002 carry no published date; "the invasion of Crimea in 2014" still gets 2014."""
    for name in ("000_bc7c407ef40413f8.txt", "002_d409c77c99fee1ce.txt"):
        article = read_txt(ARTICLES / name)
        assert article.published is None  # no metadata date and no dateline
        extraction = extract(real_nlp, article)
        dated = [e for e in extraction.events if e.date is not None and "2014" in e.evidence.text]
        assert dated, name
        for event in dated:
            assert event.date is not None
            assert event.date.span is not None
            assert (iso(event.date), event.date.precision) == ("2014", DatePrecision.YEAR)
            assert article.text[event.date.span.start : event.date.span.end] == "2014"
        assert {e.type for e in dated} <= {EventType.INVASION, EventType.ANNEXATION}


def test_extraction_dates_bundled_relative_dates_need_a_published_date(
    real_nlp: Language,
) -> None:
    """004 says "last week" and "on Thursday": without a published date they date nothing;
    with one, the statements Putin made last week get that week."""
    article = read_txt(ARTICLES / "004_3cfbb70250ff8981.txt")
    undated = extract(real_nlp, article)
    assert all(p.date is None for p in undated.positions)
    assert all(e.date is None for e in undated.events)
    published = dt.date(2025, 12, 3)  # a Wednesday
    dated = extract(real_nlp, dataclasses.replace(article, published=published))
    last_week = [
        p
        for p in dated.positions
        if p.date is not None and p.date.span is not None and p.date.span.text == "last week"
    ]
    assert last_week
    assert {iso(p.date) for p in last_week if p.date is not None} == {"2025-W48"}
    for position in dated.positions:
        if position.date is not None:
            assert position.date.first <= published


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("Putin said on Tuesday that Russia rejects a ceasefire.", "2025-03-18", DatePrecision.DAY),
        (
            "In 2014, Putin demanded that Ukraine abandon its bid to join NATO.",
            "2014",
            DatePrecision.YEAR,
        ),
        ("On March 3, 2022, Zelensky demanded a ceasefire.", "2022-03-03", DatePrecision.DAY),
        ("Putin rejected a ceasefire in 2014.", "2014", DatePrecision.YEAR),
    ],
)
def test_extraction_dates_position_gets_the_date_of_its_statement(
    real_nlp: Language, text: str, value: str, precision: DatePrecision
) -> None:
    positions = _extracted(real_nlp, text, dt.date(2025, 3, 20)).positions
    assert positions
    for position in positions:
        assert position.date is not None
        assert (iso(position.date), position.date.precision) == (value, precision)


@pytest.mark.parametrize(
    "text",
    [
        # the date is the invasion's, not the statement's
        "Putin said the invasion in 2022 was a mistake and rejects a ceasefire.",
        # quantities are no dates
        "Zelensky rejects the 28-point plan and demands a 30-day ceasefire.",
        "Zelensky demanded 2,000 more air defence systems and a ceasefire.",
    ],
)
def test_extraction_dates_position_without_a_date_of_its_own(real_nlp: Language, text: str) -> None:
    positions = _extracted(real_nlp, text, dt.date(2025, 3, 20)).positions
    assert positions
    assert all(p.date is None for p in positions)
