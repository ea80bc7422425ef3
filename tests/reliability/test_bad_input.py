"""Bad input gets a precise error and changes nothing: `kg build` on bad files (one stderr line,
exit 2), POST /documents (problem+json), REST query parameters (no SPARQL injection) and the
SPARQL endpoints. Every case compares a fingerprint of the store before and after."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE
from tests.reliability.support import (
    FIXTURE_ARTICLES,
    TOKEN,
    assert_one_error_line,
    assert_problem,
    build_store,
    fingerprint,
    fingerprint_at,
    kg,
)

ENGLISH = (FIXTURE_ARTICLES / "fx_001_kremlin_call.txt").read_text(encoding="utf-8")
RUSSIAN = "Путин заявил, что переговоры продолжатся на следующей неделе в Стамбуле. " * 20
HTML = (
    "<html><head><meta charset='utf-8'></head><body><div><p>"
    + ENGLISH
    + "</p><p>More.</p></div></body></html>"
)
LATIN1 = ("Le président a parlé à Genève. The talks were held there. " * 30).encode("latin-1")
ONE_MIB_LINE = ("The ministers said that they would meet again in Geneva. " * 20_000)[: 1 << 20]
CONTROL = ENGLISH[:300] + "\x1b[31m\x01" + ENGLISH[300:]


# --- the command line: `kg build` on bad files ------------------------------------------------


def _write(name: str, data: str | bytes, sidecar: str | None = None) -> Callable[[Path], Path]:
    def make(folder: Path) -> Path:
        path = folder / name
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
        if sidecar is not None:
            (folder / f"{name}.meta.json").write_text(sidecar, encoding="utf-8")
        return path

    return make


def _empty_folder(folder: Path) -> Path:
    empty = folder / "nothing-here"
    empty.mkdir()
    (empty / "notes.md").write_text("not an article\n", encoding="utf-8")
    return empty


def _missing(folder: Path) -> Path:
    return folder / "no-such-article.txt"


CLI_CASES: list[tuple[str, Callable[[Path], Path], tuple[str, ...]]] = [
    ("empty", _write("a.txt", ""), ("a.txt", "empty")),
    ("whitespace-only", _write("a.txt", "  \n\t \r\n"), ("a.txt", "empty")),
    ("binary", _write("a.txt", bytes(range(256)) * 16), ("a.txt", "binary")),
    ("latin-1", _write("a.txt", LATIN1), ("a.txt", "not valid UTF-8", "0xe9")),
    ("utf-16-bom", _write("a.txt", ENGLISH.encode("utf-16")), ("a.txt", "UTF-16")),
    ("10-mb", _write("a.txt", ENGLISH * (10_000_000 // len(ENGLISH) + 1)), ("a.txt", "limit")),
    ("1-mib-line", _write("a.txt", ONE_MIB_LINE), ("a.txt", "1,048,576 bytes", "limit")),
    ("control-characters", _write("a.txt", CONTROL), ("a.txt", "control character U+001B")),
    ("not-english", _write("a.txt", RUSSIAN), ("a.txt", "English")),
    ("html", _write("a.txt", HTML), ("a.txt", "HTML")),
    (
        "sidecar-bad-date",
        _write("a.txt", ENGLISH, '{"title": "x", "published": "2025-13-45"}'),
        ("a.txt.meta.json", "published", "2025-13-45"),
    ),
    (
        "sidecar-unknown-field",
        _write("a.txt", ENGLISH, '{"title": "x", "colour": "red"}'),
        ("a.txt.meta.json", "unknown field 'colour'"),
    ),
    ("sidecar-not-json", _write("a.txt", ENGLISH, "{title: x"), ("a.txt.meta.json", "JSON")),
    (
        "jsonl-not-an-object",
        _write("feed.jsonl", '["text", "a list"]\n'),
        ("feed.jsonl:1", "JSON object"),
    ),
    ("folder-without-articles", _empty_folder, ("kg: error:", "nothing-here", ".txt")),
    ("missing-path", _missing, ("kg: error:", "no-such-article.txt", "no such file")),
]


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory: pytest.TempPathFactory, real_nlp: Any) -> Path:
    """A store holding three real articles, built once; each case works on a copy."""
    return build_store(tmp_path_factory.mktemp("bad-input") / "store", real_nlp)


@pytest.mark.slow
@pytest.mark.parametrize(("make", "words"), [pytest.param(m, w, id=i) for i, m, w in CLI_CASES])
def test_bad_input_cli_build_refuses_with_one_line(
    tmp_path: Path, seeded_store: Path, make: Callable[[Path], Path], words: tuple[str, ...]
) -> None:
    store = tmp_path / "store"
    shutil.copytree(seeded_store, store)
    before = fingerprint_at(store)
    source = make(tmp_path)
    result = kg(store, "build", str(source))
    assert_one_error_line(result, *words)
    assert fingerprint_at(store) == before


# --- POST /documents --------------------------------------------------------------------------


def _no_nlp() -> Any:
    raise AssertionError("a refused article must never reach the extraction pipeline")


@pytest.fixture
def writable(sample_store: OxigraphStore, tmp_path: Path) -> Iterator[TestClient]:
    """A TestClient on the sample store with writes enabled; NLP must never be needed."""
    from api.main import create_app

    settings = Settings(store_path=tmp_path / "unused", base_iri=SAMPLE_BASE, write_token=TOKEN)
    app = create_app(settings, store=sample_store, nlp_factory=_no_nlp)
    with TestClient(app, headers={"authorization": f"Bearer {TOKEN}"}) as client:
        yield client


def _json(record: Any) -> tuple[str, bytes, dict[str, str]]:
    return "application/json", json.dumps(record).encode(), {}


def _text(data: bytes, **params: str) -> tuple[str, bytes, dict[str, str]]:
    return "text/plain; charset=utf-8", data, params


POST_CASES: list[tuple[str, tuple[str, bytes, dict[str, str]], int, tuple[str, ...]]] = [
    ("json-empty", _json({"text": ""}), 422, ("empty",)),
    ("json-whitespace", _json({"text": " \n\t "}), 422, ("empty",)),
    ("json-nul", _json({"text": ENGLISH + "\x00"}), 422, ("NUL",)),
    ("json-control", _json({"text": CONTROL}), 422, ("control character U+001B", "offset 300")),
    ("json-not-english", _json({"text": RUSSIAN}), 422, ("English",)),
    ("json-html", _json({"text": HTML}), 422, ("HTML",)),
    ("json-1-mib-line", _json({"text": ONE_MIB_LINE}), 422, ("1,000,000-byte limit",)),
    (
        "json-bad-date",
        _json({"text": ENGLISH, "published": "2025-13-45"}),
        422,
        ("published", "2025-13-45"),
    ),
    ("json-unknown-field", _json({"text": ENGLISH, "colour": "red"}), 422, ("'colour'",)),
    ("json-text-not-a-string", _json({"text": 5}), 422, ("'text'", "string")),
    ("json-not-an-object", _json(["text"]), 422, ("JSON object",)),
    ("json-malformed", ("application/json", b'{"text": "a', {}), 422, ("not valid JSON",)),
    ("json-latin-1", ("application/json", LATIN1, {}), 422, ("UTF-8", "0xe9")),
    ("json-bad-id", _json({"text": ENGLISH, "id": '" } ; DROP ALL ; #'}), 422, ("'id'",)),
    ("text-empty", _text(b""), 422, ("empty",)),
    ("text-binary", _text(bytes(range(256)) * 16), 422, ("binary",)),
    ("text-latin-1", _text(LATIN1), 422, ("not valid UTF-8",)),
    ("text-utf-16-bom", _text(ENGLISH.encode("utf-16")), 422, ("UTF-16",)),
    ("text-not-english", _text(RUSSIAN.encode()), 422, ("English",)),
    ("text-html", _text(HTML.encode()), 422, ("HTML",)),
    ("text-bad-date", _text(ENGLISH.encode(), published="yesterday"), 422, ("published",)),
    ("text-unknown-field", _text(ENGLISH.encode(), colour="red"), 422, ("'colour'",)),
    ("text-10-mb", _text(b"a" * 10_000_000), 413, ("KG_MAX_BODY_BYTES",)),
    ("html-media-type", ("text/html", HTML.encode(), {}), 415, ("text/html",)),
    ("utf-16-charset", ("text/plain; charset=utf-16", b"\xff\xfeh\x00", {}), 415, ("utf-16",)),
]


@pytest.mark.parametrize(
    ("request_", "status", "words"), [pytest.param(r, s, w, id=i) for i, r, s, w in POST_CASES]
)
def test_bad_input_post_documents_is_refused_precisely(
    writable: TestClient,
    sample_store: OxigraphStore,
    request_: tuple[str, bytes, dict[str, str]],
    status: int,
    words: tuple[str, ...],
) -> None:
    before = fingerprint(sample_store)
    content_type, body, params = request_
    response = writable.post(
        "/documents", content=body, params=params, headers={"content-type": content_type}
    )
    assert_problem(response, status, *words)
    assert fingerprint(sample_store) == before


# --- REST query parameters: no SPARQL injection -----------------------------------------------

INJECTIONS = [
    '" } ; DROP ALL ; #',
    "' } } DROP ALL #",
    '\\" ) } UNION { ?s ?p ?o } #',
    "<http://127.0.0.1:8000/graph/alpha> ?p ?o",
    "a\nb\r\n} INSERT DATA { <x:a> <x:b> <x:c> }",
    "SELECT * WHERE { ?s ?p ?o } #{}",
]
#: (path template, query parameter or None for a path id)
TARGETS = [
    ("/positions", "q"),
    ("/events", "q"),
    ("/actors", "q"),
    ("/positions", "document"),
    ("/quotes", "actor"),
    ("/positions", "topic"),
    ("/documents/{}", None),
    ("/actors/{}", None),
]


@pytest.mark.parametrize("value", INJECTIONS)
@pytest.mark.parametrize(("path", "name"), TARGETS)
def test_bad_input_rest_parameters_cannot_inject_sparql(
    api_client: TestClient, sample_store: OxigraphStore, path: str, name: str | None, value: str
) -> None:
    before = fingerprint(sample_store)
    if name is None:
        response = api_client.get(path.format(quote(value, safe="")))
    else:
        response = api_client.get(path, params={name: value})
    assert "Traceback" not in response.text
    if response.status_code == 200:
        page = response.json()
        # nothing holds these strings: an injection that widened the filter would list items
        assert page["items"] == []
        assert page["total"] == 0
    else:
        assert_problem(response, response.status_code)
        assert response.status_code in (404, 422)
    assert fingerprint(sample_store) == before


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"limit": "-1"}, ("limit",)),
        ({"limit": "0"}, ("limit",)),
        ({"limit": str(10**30)}, ("limit",)),
        ({"limit": "ten"}, ("limit",)),
        ({"offset": "-1"}, ("offset",)),
        ({"offset": "1.5"}, ("offset",)),
        ({"from": "2025-13-01"}, ("from",)),
        ({"from": "yesterday"}, ("from",)),
        ({"from": "2025-03-10", "to": "2025-03-01"}, ("to", "before")),
    ],
)
def test_bad_input_rest_paging_and_dates_are_422(
    api_client: TestClient, sample_store: OxigraphStore, params: dict[str, str], words: list[str]
) -> None:
    before = fingerprint(sample_store)
    assert_problem(api_client.get("/positions", params=params), 422, *words)
    assert fingerprint(sample_store) == before


# --- SPARQL -----------------------------------------------------------------------------------

SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
MALFORMED_1MB = "SELECT * WHERE { " + "?s ?p ?o . " * 100_000  # never closed
VALID_1MB = "# " + "x" * 1_000_000 + "\nASK { ?s ?p ?o }"
DROP = "DROP ALL"
LONG_GET = "# " + "x" * 40_000 + "\nASK {}"  # a URL over KG_MAX_HEADER_BYTES

SPARQL_CASES: list[tuple[str, str, str, dict[str, Any], int, tuple[str, ...]]] = [
    ("malformed", "GET", "/sparql", {"params": {"query": "SELEC ?x"}}, 400, ("error at 1:",)),
    (
        "malformed-1mb",
        "POST",
        "/sparql",
        {"content": MALFORMED_1MB, "headers": {"content-type": SPARQL_QUERY}},
        400,
        ("error at",),
    ),
    (
        "query-3mb",
        "POST",
        "/sparql",
        {"content": "#" + "x" * 3_000_000, "headers": {"content-type": SPARQL_QUERY}},
        413,
        ("KG_MAX_BODY_BYTES",),
    ),
    ("query-40kb-get", "GET", "/sparql", {"params": {"query": LONG_GET}}, 431, ("POST",)),
    ("update-over-get", "GET", "/sparql", {"params": {"update": DROP}}, 403, ("/update",)),
    ("update-as-query", "GET", "/sparql", {"params": {"query": DROP}}, 403, ("/update",)),
    (
        "update-form-on-sparql-no-token",
        "POST",
        "/sparql",
        {"data": {"update": DROP}},
        401,
        ("Bearer",),
    ),
    ("query-to-update", "POST", "/update", {"data": {"query": "ASK {}"}}, 400, ("update",)),
    (
        "update-no-token",
        "POST",
        "/update",
        {"content": DROP, "headers": {"content-type": SPARQL_UPDATE}},
        401,
        ("Bearer",),
    ),
    (
        "update-malformed",
        "POST",
        "/update",
        {
            "content": "DROP ALL ; INSERT DATA { <x:a> <x:b> ",
            "headers": {"content-type": SPARQL_UPDATE, "authorization": f"Bearer {TOKEN}"},
        },
        400,
        ("error at",),
    ),
    (
        "update-wrong-media-type",
        "POST",
        "/update",
        {"content": DROP, "headers": {"content-type": "text/plain"}},
        415,
        ("text/plain",),
    ),
]


@pytest.fixture
def sparql_client(sample_store: OxigraphStore, tmp_path: Path) -> Iterator[TestClient]:
    """A TestClient on the sample store; updates are enabled with TOKEN."""
    from api.main import create_app

    settings = Settings(store_path=tmp_path / "unused", base_iri=SAMPLE_BASE, write_token=TOKEN)
    with TestClient(create_app(settings, store=sample_store)) as client:
        yield client


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "words"),
    [pytest.param(m, p, k, s, w, id=i) for i, m, p, k, s, w in SPARQL_CASES],
)
def test_bad_input_sparql_is_refused_precisely(
    sparql_client: TestClient,
    sample_store: OxigraphStore,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    words: tuple[str, ...],
) -> None:
    before = fingerprint(sample_store)
    response = sparql_client.request(method, path, **kwargs)
    assert_problem(response, status, *words)
    assert fingerprint(sample_store) == before


def test_bad_input_sparql_1mb_valid_query_is_answered(sparql_client: TestClient) -> None:
    response = sparql_client.post(
        "/sparql", content=VALID_1MB, headers={"content-type": SPARQL_QUERY}
    )
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
