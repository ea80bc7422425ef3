"""Read articles from `.txt` files (with an optional `<file>.meta.json` sidecar) and `.jsonl` feeds.

Every check that can refuse an article lives here, before any NLP runs, so a bad file costs
nothing and gets one precise message. The stored text is exactly the decoded file content:
evidence spans index into it, so it is never normalised or trimmed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.dates import detect_published
from kg.errors import InputError
from kg.iris import check_doc_id, short_hash
from kg.records import Article

MAX_ARTICLE_BYTES = 1_000_000
"""Articles above this size are refused: real news articles are well under 100 kB."""

METADATA_FIELDS = ("title", "url", "published", "outlet", "author")
JSONL_FIELDS = ("text", *METADATA_FIELDS)
SIDECAR_SUFFIX = ".meta.json"
POSTED_FIELDS = (*JSONL_FIELDS, "id")
"""The fields of an article posted to POST /documents."""

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_TAG = re.compile(r"<\s*/?\s*(html|body|div|p|span|script|head|a|br|meta)\b[^>]*>", re.IGNORECASE)
_ENGLISH_FUNCTION_WORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "and",
        "or",
        "that",
        "is",
        "was",
        "are",
        "were",
        "be",
        "been",
        "for",
        "with",
        "as",
        "at",
        "by",
        "it",
        "this",
        "he",
        "she",
        "they",
        "his",
        "her",
        "their",
        "has",
        "have",
        "had",
        "not",
        "but",
        "from",
        "will",
        "would",
        "said",
    ]
)
_DOC_ID_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
# C0 controls except the whitespace ones (tab, line feed, vertical tab, form feed, carriage
# return), DEL and the C1 controls (a sign of text decoded with the wrong code page).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class ReadFailure:
    """An article that could not be read; `source` names the file (and line)."""

    source: str
    message: str


def content_hash(text: str) -> str:
    """The sha256 of the UTF-8 text: two articles with the same hash are the same article."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def decode_text(data: bytes, source: str) -> str:
    """Decode article bytes as UTF-8 and refuse what is not article text.

    Raises:
        InputError: empty, binary, not UTF-8, too large, HTML, or not English.
    """
    if len(data) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{source}: {len(data):,} bytes is over the {MAX_ARTICLE_BYTES:,}-byte limit "
            "for one article; split it into articles"
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(f"{source}: the file is UTF-16 (it has a UTF-16 BOM); convert it to UTF-8")
    if b"\x00" in data:
        raise InputError(f"{source}: the file is binary (it contains NUL bytes), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{source}: not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert it to UTF-8"
        ) from None
    return check_text(text.removeprefix("\ufeff"), source)


def _foreign_script(text: str) -> tuple[str, float] | None:
    """The script most of the text's letters are written in, and its share, when that is not
    Latin: Russian, Greek, Arabic or Chinese text is refused however short it is (the
    function-word check below needs 20 words to be fair).

    >>> _foreign_script("Путин заявил в четверг, что Россия не примет альянс на Украине")
    ('Cyrillic', 1.0)
    >>> _foreign_script("Erdoğan met Putin; «Путин» is his name in Russian.") is None
    True
    """
    latin = 0
    others: Counter[str] = Counter()
    for char in text:
        if char.isascii():
            latin += char.isalpha()
        elif char.isalpha():
            script = unicodedata.name(char, "UNKNOWN").split(" ", 1)[0]
            if script == "LATIN":
                latin += 1
            else:
                others[script] += 1
    letters = latin + sum(others.values())
    if not others or latin >= letters / 2:
        return None
    script, count = others.most_common(1)[0]
    return (script if script == "CJK" else script.title()), count / letters


def check_text(text: str, source: str) -> str:
    """Refuse text that cannot be an English news article; return it unchanged otherwise.

    Raises:
        InputError: empty, too large, control characters (other than whitespace), HTML, or
            not English.
    """
    if not text.strip():
        raise InputError(f"{source}: the article is empty (no text besides whitespace)")
    if "\x00" in text:
        raise InputError(f"{source}: the text contains NUL characters; it is not article text")
    if len(text.encode("utf-8")) > MAX_ARTICLE_BYTES:
        raise InputError(
            f"{source}: the article is over the {MAX_ARTICLE_BYTES:,}-byte limit; split it"
        )
    control = _CONTROL.search(text)
    if control is not None:
        raise InputError(
            f"{source}: the text contains the control character U+{ord(control.group()):04X}"
            f" at offset {control.start()}; it is not article text"
        )
    if len(_TAG.findall(text)) >= 5:
        raise InputError(f"{source}: this looks like HTML, not plain text; extract the text first")
    script = _foreign_script(text)
    if script is not None:
        name, share = script
        raise InputError(
            f"{source}: the text is not English ({share:.0%} of its letters are {name}); the"
            " extraction pipeline is English-only"
        )
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) >= 20:
        share = sum(w in _ENGLISH_FUNCTION_WORDS for w in words) / len(words)
        if share < 0.08:
            raise InputError(
                f"{source}: the text does not look like English ({share:.0%} English function "
                "words); the extraction pipeline is English-only"
            )
    return text


def parse_metadata(
    raw: Mapping[str, Any], source: str, *, allowed: Iterable[str]
) -> dict[str, Any]:
    """Check metadata fields: known names, strings or null, `published` an ISO date.

    Raises:
        InputError: an unknown field, a value of the wrong type, or a malformed date.
    """
    allowed = tuple(allowed)
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise InputError(f"{source}: unknown field {unknown[0]!r} (allowed: {', '.join(allowed)})")
    meta: dict[str, Any] = {}
    for name in METADATA_FIELDS:
        value = raw.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(f"{source}: field {name!r} must be a string or null")
        meta[name] = (value.strip() or None) if isinstance(value, str) else None
    if meta["published"] is not None:
        meta["published"] = parse_date(meta["published"], source)
    if meta["url"] is not None and not meta["url"].startswith(("http://", "https://")):
        raise InputError(f"{source}: field 'url' must be an http(s) URL, got {meta['url']!r}")
    return meta


def parse_date(value: str, source: str) -> dt.date:
    """An ISO 8601 date, or the date part of an ISO 8601 timestamp.

    Raises:
        InputError: the value is not such a date.
    """
    try:
        return (
            dt.date.fromisoformat(value[:10]) if len(value) >= 10 else dt.date.fromisoformat(value)
        )
    except ValueError:
        raise InputError(
            f"{source}: 'published' must be an ISO date like 2025-03-12, got {value!r}"
        ) from None


def make_article(
    text: str, meta: Mapping[str, Any], *, doc_id: str | None, file: str | None
) -> Article:
    """Build an Article; the id is the file stem, else derived from the URL, else the content.

    Without a published date in the metadata, the date the text states at its top (a dateline,
    a "Published:" line; `kg.dates.detect_published`) is used, and its words are kept as
    `published_evidence`; no date is guessed otherwise."""
    digest = content_hash(text)
    if doc_id is None:
        doc_id = "u" + short_hash(meta["url"]) if meta.get("url") else "c" + digest[:12]
    published, evidence = meta.get("published"), None
    if published is None:
        detected = detect_published(text)
        if detected is not None:
            published, evidence = detected
    return Article(
        doc_id=doc_id,
        text=text,
        content_hash=digest,
        title=meta.get("title"),
        url=meta.get("url"),
        published=published,
        outlet=meta.get("outlet"),
        author=meta.get("author"),
        file=file,
        published_evidence=evidence,
    )


def doc_id_for_file(path: Path) -> str:
    """A document id from a file name: '000_bc7c.txt' -> '000_bc7c'."""
    stem = _DOC_ID_UNSAFE.sub("-", path.stem).strip("-.")
    return stem or "f" + short_hash(path.name)


def read_txt(path: Path) -> Article:
    """Read one `.txt` article and its optional sidecar.

    Raises:
        InputError: the file or its sidecar is unreadable or refused.
    """
    text = decode_text(_read_bytes(path), path.name)
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    meta: dict[str, Any] = dict.fromkeys(METADATA_FIELDS)
    if sidecar.exists():
        try:
            raw = json.loads(_read_bytes(sidecar).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputError(f"{sidecar.name}: not a valid UTF-8 JSON object: {exc}") from None
        if not isinstance(raw, dict):
            raise InputError(f"{sidecar.name}: the sidecar must be a JSON object")
        meta = parse_metadata(raw, sidecar.name, allowed=METADATA_FIELDS)
    return make_article(text, meta, doc_id=doc_id_for_file(path), file=path.name)


def read_jsonl(path: Path) -> Iterator[Article | ReadFailure]:
    """Read a `.jsonl` feed: one article object per line; a bad line fails alone."""
    try:
        data = _read_bytes(path)
    except InputError as exc:
        yield ReadFailure(path.name, exc.message)
        return
    for number, raw_line in enumerate(data.splitlines(), start=1):
        source = f"{path.name}:{number}"
        if not raw_line.strip():
            continue
        try:
            yield parse_jsonl_line(raw_line, source)
        except InputError as exc:
            yield ReadFailure(source, exc.message)


def parse_jsonl_line(raw_line: bytes, source: str) -> Article:
    """One JSONL record: {"text", "title", "url", "published", "outlet", "author"}.

    Raises:
        InputError: the line is not a JSON object with a valid `text`.
    """
    try:
        record = json.loads(raw_line.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{source}: not a valid UTF-8 JSON object: {exc}") from None
    if not isinstance(record, dict):
        raise InputError(f"{source}: each line must be a JSON object")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{source}: field 'text' is required and must be a string")
    meta = parse_metadata(record, source, allowed=JSONL_FIELDS)
    return make_article(check_text(text, source), meta, doc_id=None, file=None)


def posted_article(record: Mapping[str, Any], source: str = "request body") -> Article:
    """An article posted over HTTP: {"text", "title", "url", "published", "outlet", "author",
    "id"}, with the refusals of a file or a JSONL line (`check_text`, `parse_metadata`).

    A JSON string can carry any code point; control characters are refused by `check_text`
    as in a file. The id is `id` when given (`kg.iris.check_doc_id`),
    else minted like a JSONL record's (from the URL, else the content); `file` is None.

    Raises:
        InputError: a missing or empty text, an unknown field, a bad value, or refused text.
    """
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(f"{source}: field 'text' is required and must be a string")
    meta = parse_metadata(record, source, allowed=POSTED_FIELDS)
    check_text(text, source)
    doc_id = record.get("id")
    if doc_id is not None:
        if not isinstance(doc_id, str):
            raise InputError(f"{source}: field 'id' must be a string or null")
        try:
            check_doc_id(doc_id)
        except InputError as exc:
            raise InputError(f"{source}: field 'id': {exc.message}") from None
    return make_article(text, meta, doc_id=doc_id, file=None)


def posted_text(data: bytes, fields: Mapping[str, str], source: str = "request body") -> Article:
    """An article posted as a `text/plain` body, its metadata (and `id`) in `fields`.

    Raises:
        InputError: the bytes are refused like a file's (`decode_text`), or see `posted_article`.
    """
    if "text" in fields:
        raise InputError(f"{source}: 'text' is the body itself, not a parameter")
    return posted_article({**fields, "text": decode_text(data, source)}, source)


def find_sources(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into their `.txt` and `.jsonl` files, sorted; keep files as given.

    Raises:
        InputError: a path does not exist.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix in {".txt", ".jsonl"}
            )
        elif path.is_file():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder")
    return found


def read_sources(paths: Iterable[Path]) -> Iterator[Article | ReadFailure]:
    """Every article under the paths, or a ReadFailure for each one that cannot be read."""
    for path in find_sources(paths):
        if path.suffix == ".jsonl":
            yield from read_jsonl(path)
            continue
        try:
            yield read_txt(path)
        except InputError as exc:
            yield ReadFailure(path.name, exc.message)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path.name}: cannot read the file: {exc.strerror}") from None
