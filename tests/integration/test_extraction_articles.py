"""The real pipeline on the bundled articles, the fixture articles and hostile inputs (slow)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from spacy.language import Language

from kg.errors import ExtractionError
from kg.nlp.extract import EXTRACTOR_VERSION, extract, extract_many
from kg.nlp.pipeline import build_nlp
from kg.records import Article, Extraction, Span

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = sorted((ROOT / "data" / "articles").glob("*.txt"))
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "articles").glob("*.txt"))


def _article(path: Path) -> Article:
    text = path.read_text(encoding="utf-8")
    meta_path = Path(f"{path}.meta.json")
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {}
    published = meta.get("published")
    return Article(
        doc_id=path.stem,
        text=text,
        content_hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        title=meta.get("title"),
        author=meta.get("author"),
        outlet=meta.get("outlet"),
        published=dt.date.fromisoformat(published) if published else None,
        file=path.name,
    )


def _text_article(text: str, **meta: str) -> Article:
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    return Article(doc_id="t", text=text, content_hash=digest, **meta)  # type: ignore[arg-type]


def _spans(ex: Extraction) -> list[Span]:
    spans = [m.span for m in ex.mentions] + [r.span for r in ex.roles]
    spans += [e.evidence for e in ex.events] + [p.evidence for p in ex.positions]
    return spans + [q.evidence for q in ex.quotes]


def _check(ex: Extraction) -> None:
    text = ex.article.text
    for span in _spans(ex):
        assert span.text == text[span.start : span.end]
    keys = {a.key for a in ex.actors}
    used = {m.actor for m in ex.mentions} | {q.speaker for q in ex.quotes}
    used |= {p.holder for p in ex.positions} | {p.actor for e in ex.events for p in e.participants}
    assert used <= keys


def test_extraction_build_nlp_unknown_model_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError, match="not installed"):
        build_nlp("no_such_model_xyz")


def test_extraction_bundled_articles(real_nlp: Language) -> None:
    extractions = list(extract_many(real_nlp, [_article(p) for p in BUNDLED], batch_size=2))
    assert len(extractions) == len(BUNDLED)
    for ex in extractions:
        _check(ex)
        assert ex.extractor_version == EXTRACTOR_VERSION
        assert ex.pipeline == real_nlp.meta["name"]
        assert ex.actors
        assert ex.positions
    putin = {a.key: a for ex in extractions for a in ex.actors}["vladimir-putin"]
    assert putin.wikidata == "Q7747"


def test_extraction_is_deterministic(real_nlp: Language) -> None:
    articles = [_article(p) for p in BUNDLED[:2]]
    first = list(extract_many(real_nlp, articles))
    second = [extract(real_nlp, a) for a in articles]
    assert first == second


def test_extraction_author_holds_opinions(real_nlp: Language) -> None:
    fixture = next(p for p in FIXTURES if "opinion" in p.name)
    ex = extract(real_nlp, _article(fixture))
    _check(ex)
    author = next(a for a in ex.actors if a.name == "Maria Jensen")
    assert author.type.value == "Person"
    assert any(p.holder == author.key and p.author_opinion for p in ex.positions)


def test_extraction_fixture_articles(real_nlp: Language) -> None:
    for path in FIXTURES:
        ex = extract(real_nlp, _article(path))
        _check(ex)
        names = {a.name for a in ex.actors}
        assert "Vladimir Putin" in names or "Kremlin" in names


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\n\t ",
        "Путин встретился с Трампом в Москве. «Мы готовы», — сказал он.",  # noqa: RUF001
        "Der Kanzler sagte: \u201eWir werden nicht nachgeben.\u201c",
        "Nothing to see here, no names at all.",
        '"',
        "\u201cunclosed quote",
        "\u201d\u201c\u201d",
        'Trump said: "',
    ],
)
def test_extraction_hostile_inputs(real_nlp: Language, text: str) -> None:
    _check(extract(real_nlp, _text_article(text)))


def test_extraction_long_text_is_chunked(real_nlp: Language) -> None:
    paragraph = BUNDLED[0].read_text(encoding="utf-8")
    text = "\n\n".join([paragraph] * 12)  # ~90 kB: more than one chunk
    ex = extract(real_nlp, _text_article(text))
    _check(ex)
    assert max(s.end for s in _spans(ex)) > 60_000


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.text(
        alphabet=st.characters(exclude_categories=["Cs"]),
        max_size=300,
    )
    | st.lists(
        st.sampled_from(
            [
                "Putin",
                " said",
                ": \u201c",
                "\u201d",
                '"',
                " Moscow",
                " in Kyiv",
                ".",
                "\n\n",
                " Zelenskyy",
                " demands",
                " a ceasefire",
                " NATO",
                ",",
                " \u2019s",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_extraction_any_text_keeps_spans_exact(real_nlp: Language, text: str) -> None:
    _check(extract(real_nlp, _text_article(text)))


_DUMP = """
import sys
from pathlib import Path
from kg.nlp.extract import extract
from kg.nlp.pipeline import build_nlp
from kg.records import Article
path = Path(sys.argv[1])
text = path.read_text(encoding="utf-8")
print(repr(extract(build_nlp(), Article(doc_id="d", text=text, content_hash="h", author="A B"))))
"""


def test_extraction_is_deterministic_across_hash_seeds() -> None:
    import os
    import subprocess
    import sys

    outputs = []
    for seed in ("1", "4242"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", _DUMP, str(BUNDLED[4])],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            check=True,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
