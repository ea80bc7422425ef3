"""Reading a posted article (api/ingest.py, kg.articles.posted_article): no server, no model."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from api.ingest import parse_posted_article
from kg.articles import content_hash, posted_article
from kg.errors import InputError, UnsupportedMediaTypeError
from kg.iris import short_hash

TEXT = (
    "Russian President Vladimir Putin said on Tuesday that he was ready to meet the Ukrainian"
    " leader, but that the talks would have to take account of the situation on the ground."
)
HTML = "<html><body><div><p>Putin said</p><p>he is ready</p></div></body></html>"
GERMAN = (
    "Der Präsident sagte am Dienstag, er sei bereit, den ukrainischen Staatschef zu treffen,"
    " aber die Lage an der Front müsse man dabei beachten."
)
JSON = "application/json"
PLAIN = "text/plain; charset=utf-8"


def _json(record: object) -> bytes:
    return json.dumps(record).encode("utf-8")


def test_ingest_json_article_keeps_text_and_metadata() -> None:
    article = parse_posted_article(
        JSON,
        _json(
            {
                "text": TEXT,
                "title": " Putin ready to meet ",
                "url": "https://news.example/a",
                "published": "2025-03-18T09:30:00Z",
                "outlet": "Example",
                "author": None,
            }
        ),
        [],
    )
    assert article.text == TEXT
    assert article.content_hash == content_hash(TEXT)
    assert article.title == "Putin ready to meet"
    assert article.published == dt.date(2025, 3, 18)
    assert article.author is None
    assert article.file is None
    assert article.doc_id == "u" + short_hash("https://news.example/a")


def test_ingest_id_defaults_to_content_hash_without_url() -> None:
    article = parse_posted_article(JSON, _json({"text": TEXT}), [])
    assert article.doc_id == "c" + content_hash(TEXT)[:12]


def test_ingest_given_id_wins() -> None:
    article = parse_posted_article(JSON, _json({"text": TEXT, "id": "my-article.1"}), [])
    assert article.doc_id == "my-article.1"


def test_ingest_text_plain_takes_metadata_from_parameters() -> None:
    article = parse_posted_article(
        "Text/Plain; Charset=UTF-8",
        TEXT.encode("utf-8"),
        [("title", "T"), ("published", "2025-03-18"), ("id", "plain-1")],
    )
    assert (article.text, article.title, article.doc_id) == (TEXT, "T", "plain-1")
    assert article.published == dt.date(2025, 3, 18)


def test_ingest_text_plain_without_charset_is_utf8() -> None:
    text = TEXT + " Zelenskyy \u2013 Зеленський."
    assert parse_posted_article("text/plain", text.encode("utf-8"), []).text == text


@pytest.mark.parametrize(
    ("content_type", "body", "params", "message"),
    [
        (JSON, b"", [], "not valid JSON"),
        (JSON, b"{", [], "not valid JSON"),
        (JSON, b"\xff{}", [], "not valid UTF-8"),
        (JSON, _json(["text"]), [], "must be a JSON object"),
        (JSON, _json({"title": "no text"}), [], "field 'text' is required"),
        (JSON, _json({"text": 42}), [], "field 'text' is required"),
        (JSON, _json({"text": ""}), [], "the article is empty"),
        (JSON, _json({"text": " \n\t "}), [], "the article is empty"),
        (JSON, _json({"text": TEXT, "body": "x"}), [], "unknown field 'body'"),
        (JSON, _json({"text": TEXT, "published": "18/03/2025"}), [], "'published' must be"),
        (JSON, _json({"text": TEXT, "url": "ftp://x"}), [], "field 'url' must be an http(s)"),
        (JSON, _json({"text": TEXT, "title": 3}), [], "field 'title' must be a string"),
        (JSON, _json({"text": TEXT, "id": "a b"}), [], "field 'id': 'a b' is not a document id"),
        (JSON, _json({"text": TEXT, "id": "../x"}), [], "is not a document id"),
        (JSON, _json({"text": TEXT, "id": 7}), [], "field 'id' must be a string"),
        (JSON, _json({"text": TEXT + "\x00"}), [], "NUL characters"),
        (JSON, _json({"text": TEXT + "\x07"}), [], "control character U+0007 at offset"),
        (JSON, _json({"text": TEXT + "\x85"}), [], "control character U+0085"),
        (JSON, _json({"text": HTML}), [], "looks like HTML"),
        (JSON, _json({"text": GERMAN}), [], "does not look like English"),
        (JSON, _json({"text": "x" * 1_000_001}), [], "over the 1,000,000-byte limit"),
        (JSON, _json({"text": TEXT}), [("title", "T")], "with a JSON body, the metadata goes"),
        (PLAIN, b"", [], "the article is empty"),
        (PLAIN, b"abc\x00def", [], "binary"),
        (PLAIN, "\ufeffhello".encode("utf-16-le"), [], "UTF-16"),
        (PLAIN, b"caf\xe9 au lait", [], "not valid UTF-8 (byte 0xe9 at offset 3)"),
        (PLAIN, TEXT.encode(), [("headline", "T")], "unknown field 'headline'"),
        (PLAIN, TEXT.encode(), [("title", "a"), ("title", "b")], "'title' is given more than"),
        (PLAIN, TEXT.encode(), [("text", "x")], "'text' is the body itself"),
        (PLAIN, TEXT.encode(), [("published", "yesterday")], "'published' must be an ISO date"),
    ],
)
def test_ingest_refusals_name_the_problem(
    content_type: str, body: bytes, params: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_posted_article(content_type, body, params)
    assert message in caught.value.message
    assert caught.value.status == 422


@pytest.mark.parametrize(
    "content_type",
    [None, "", "text/html", "application/x-www-form-urlencoded", "text/plain; charset=latin-1"],
)
def test_ingest_other_media_types_are_415(content_type: str | None) -> None:
    with pytest.raises(UnsupportedMediaTypeError) as caught:
        parse_posted_article(content_type, _json({"text": TEXT}), [])
    assert caught.value.status == 415
    assert "application/json" in caught.value.message


def test_ingest_posted_article_keeps_whitespace_controls() -> None:
    text = "\t" + TEXT + "\r\n\x0b\x0c" + TEXT + "\n"
    assert posted_article({"text": text}).text == text
