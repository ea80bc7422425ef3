"""The `kg` command end to end: a real subprocess, a real on-disk store, the real pipeline."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.exports import ExportFormat

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "data" / "articles"
SEED_A = "003_9f501f3c695878da"
SEED_B = "004_3cfbb70250ff8981"


def kg(store: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KG_STORE_PATH": str(store)}
    env.pop("KG_STORE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(lines) == 1, result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A store holding two bundled articles, built once for the module."""
    root = tmp_path_factory.mktemp("cli")
    articles = root / "articles"
    articles.mkdir()
    for stem in (SEED_A, SEED_B):
        for path in ARTICLES.glob(f"{stem}.txt*"):
            shutil.copy(path, articles / path.name)
    store = root / "store"
    result = kg(store, "build", str(articles))
    assert result.returncode == 0, result.stderr
    assert "2 added" in result.stdout
    return store, articles


def test_cli_build_again_changes_nothing(built: tuple[Path, Path]) -> None:
    store, articles = built
    before = kg(store, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    result = kg(store, "build", str(articles))
    assert result.returncode == 0, result.stderr
    assert "2 unchanged" in result.stdout
    after = kg(store, "query", "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert before.stdout == after.stdout


def test_cli_query_ask_and_select(built: tuple[Path, Path]) -> None:
    store, _ = built
    ask = kg(store, "query", "ASK { ?s ?p ?o }", "--format", "json")
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["boolean"] is True
    select = kg(
        store,
        "query",
        "PREFIX kg: <https://w3id.org/newskg/ns#> SELECT ?id WHERE { ?d kg:documentId ?id } "
        "ORDER BY ?id",
        "--format",
        "csv",
    )
    assert select.stdout.split() == ["id", SEED_A, SEED_B]


def test_cli_query_from_stdin(built: tuple[Path, Path]) -> None:
    store, _ = built
    result = kg(store, "query", "-", "--format", "json", stdin="ASK { ?s ?p ?o }")
    assert json.loads(result.stdout)["boolean"] is True


def test_cli_query_syntax_error_is_one_line(built: tuple[Path, Path]) -> None:
    store, _ = built
    assert_one_line_error(kg(store, "query", "SELEC ?x WHERE {"), 2)


def test_cli_query_syntax_error_quotes_the_line_with_a_caret(tmp_path: Path) -> None:
    result = kg(tmp_path / "store", "query", "SELECT *\nWHERE { ?s ?p ?o ORDER BY ?s")
    assert_one_line_error(result, 2)
    error, quoted, caret = result.stderr.splitlines()
    assert error.startswith("kg: error: error at 2:")
    column = int(error.split(":")[3])
    assert quoted == "  2 | WHERE { ?s ?p ?o ORDER BY ?s"
    assert caret.index("^") == len("  2 | ") + column - 1
    assert "[_]" not in error


def test_cli_version(tmp_path: Path) -> None:
    from kg import __version__
    from kg.nlp.extract import EXTRACTOR_VERSION

    result = kg(tmp_path / "store", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"newskg {__version__} (extractor {EXTRACTOR_VERSION})\n"
    assert not (tmp_path / "store").exists()  # nothing opened


@pytest.mark.parametrize(
    ("name", "exists"),
    [("question.rq", True), ("question.sparql", False), ("question", True)],
)
def test_cli_query_file_without_at_is_a_hint(tmp_path: Path, name: str, exists: bool) -> None:
    if exists:
        (tmp_path / name).write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    env = {**os.environ, "KG_STORE_PATH": str(tmp_path / "store")}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "query", name],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert_one_line_error(result, 2)
    assert result.stderr == (
        f"kg: error: {name!r} is not a query; did you mean @{name}? (a file is read with @)\n"
    )


def test_cli_query_reads_the_file_after_at(tmp_path: Path) -> None:
    (tmp_path / "question.rq").write_text("ASK { ?s ?p ?o }", encoding="utf-8")
    result = kg(tmp_path / "store", "query", f"@{tmp_path / 'question.rq'}", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"head": {}, "boolean": False}


def test_cli_validate_conforms(built: tuple[Path, Path]) -> None:
    store, _ = built
    result = kg(store, "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 of 2 article graphs conform" in result.stdout


def test_cli_validate_reports_an_index_that_disagrees_and_reindex_mends_it(
    built: tuple[Path, Path], tmp_path: Path
) -> None:
    store = tmp_path / "store"
    shutil.copytree(built[0], store)
    index = store.with_name("store.index.sqlite")
    shutil.copy(built[0].with_name("store.index.sqlite"), index)
    assert "the read index agrees with the graph" in kg(store, "validate").stdout
    with sqlite3.connect(index) as conn:  # a record edited behind the store's back
        conn.execute(
            'UPDATE items SET record = replace(record, \'"stance":"\', \'"stance":"x\')'
            " WHERE kind = 'position'"
        )
    conn.close()
    broken = kg(store, "validate")
    assert broken.returncode == 1, broken.stdout
    assert "INDEX     article" in broken.stdout
    mended = kg(store, "reindex")
    assert mended.returncode == 0, mended.stderr
    assert mended.stdout.startswith("indexed 2 articles in ")
    assert kg(store, "validate").returncode == 0


def test_cli_stats(built: tuple[Path, Path]) -> None:
    store, _ = built
    result = kg(store, "stats")
    assert result.returncode == 0, result.stderr
    figures = dict(line.rsplit(None, 1) for line in result.stdout.splitlines())
    assert figures["documents"] == "2"
    assert int(figures["positions"].replace(",", "")) > 0


@pytest.mark.parametrize("fmt", ["turtle", "ntriples", "nquads", "trig", "jsonld", "rdfxml"])
def test_cli_export_parses(built: tuple[Path, Path], fmt: str) -> None:
    store, _ = built
    result = subprocess.run(
        [sys.executable, "-m", "kg", "export", "--format", fmt, "--graph", SEED_A],
        env={**os.environ, "KG_STORE_PATH": str(store)},
        capture_output=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    rdf_format = ExportFormat(fmt).rdf_format
    assert rdf_format is not None
    quads = list(ox.parse(result.stdout, format=rdf_format))
    assert len(quads) > 100
    assert any(str(q.predicate) == "<https://w3id.org/newskg/ns#holder>" for q in quads)


def test_cli_export_unknown_graph(built: tuple[Path, Path]) -> None:
    store, _ = built
    assert_one_line_error(kg(store, "export", "--format", "trig", "--graph", "nope"), 2)


def test_cli_export_unknown_format(built: tuple[Path, Path]) -> None:
    store, _ = built
    assert_one_line_error(kg(store, "export", "--format", "docx"), 2)


def test_cli_bad_setting_is_one_line(tmp_path: Path) -> None:
    env = {**os.environ, "KG_STORE_PATH": str(tmp_path / "s"), "KG_PORT": "not-a-port"}
    result = subprocess.run(
        [sys.executable, "-m", "kg", "stats"], env=env, capture_output=True, text=True, check=False
    )
    assert_one_line_error(result, 2)
    assert "KG_PORT" in result.stderr


def test_cli_remove(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    shutil.copy(ARTICLES / f"{SEED_A}.txt", articles)
    store = tmp_path / "store"
    assert kg(store, "build", str(articles)).returncode == 0
    removed = kg(store, "remove", SEED_A)
    assert removed.returncode == 0, removed.stderr
    count = kg(
        store, "query", "ASK { GRAPH ?g { ?d <https://w3id.org/newskg/ns#documentId> ?id } }"
    )
    assert "false" in count.stdout.lower()
    assert_one_line_error(kg(store, "remove", SEED_A), 2)


def test_cli_bad_files_are_reported_and_the_rest_builds(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    good = (ARTICLES / f"{SEED_A}.txt").read_text(encoding="utf-8")
    (articles / "good.txt").write_text(good, encoding="utf-8")
    (articles / "same-again.txt").write_text(good, encoding="utf-8")
    (articles / "empty.txt").write_text("   \n", encoding="utf-8")
    (articles / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (articles / "latin1.txt").write_bytes("Le président a parlé à Genève. ".encode("latin-1") * 20)
    (articles / "huge.txt").write_text(good * 300, encoding="utf-8")
    (articles / "russian.txt").write_text("Путин заявил, что переговоры продолжатся. " * 20)
    (articles / "russian17.txt").write_text(  # under the function-word check's 20 words
        "Путин снова заявил в четверг, что Россия никогда не примет членство Украины в альянсе"
        " без гарантий безопасности.",
        encoding="utf-8",
    )
    (articles / "nobody.txt").write_text(
        "The weather was mild on Tuesday and the river rose slowly after a week of rain. "
        "Farmers said the harvest would be late this year but larger than expected.\n",
        encoding="utf-8",
    )
    store = tmp_path / "store"
    result = kg(store, "build", str(articles))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    for name, words in {
        "empty.txt": "empty",
        "binary.txt": "binary",
        "latin1.txt": "UTF-8",
        "huge.txt": "limit",
        "russian.txt": "English",
        "russian17.txt": "not English (100% of its letters are Cyrillic)",
        "same-again.txt": "same content",
    }.items():
        line = next(line for line in result.stderr.splitlines() if f" {name}:" in line)
        assert words in line, line
    ids = kg(store, "query", "SELECT ?id WHERE { ?d <https://w3id.org/newskg/ns#documentId> ?id }")
    assert sorted(ids.stdout.split()[1:]) == ['"good"', '"nobody"']


def test_cli_serve_answers_sparql_and_rest(built: tuple[Path, Path]) -> None:
    import socket
    import time

    import httpx

    store, _ = built
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "KG_STORE_PATH": str(store), "KG_PORT": str(port)}
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "kg serve did not start"
            time.sleep(0.2)
        ask = httpx.get(f"{base}/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ask.json()["boolean"] is True
        positions = httpx.get(f"{base}/actors/vladimir-putin/positions").json()
        assert positions["total"] > 0
        assert all(p["actor"]["id"] == "vladimir-putin" for p in positions["items"])
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr is not None:
            server.stderr.close()


@pytest.mark.parametrize(
    "args",
    [("remove", "a b"), ("export", "--format", "trig", "--graph", "x/../y"), ("remove", "<x>")],
)
def test_cli_malformed_document_id_is_one_line(
    built: tuple[Path, Path], args: tuple[str, ...]
) -> None:
    store, _ = built
    result = kg(store, *args)
    assert_one_line_error(result, 2)
    assert "is not a document id" in result.stderr


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }", "KG_SPARQL_SERVICES"),
        ("ASK { " + "{" * 200 + "}" * 200 + " }", "nests brackets"),
    ],
    ids=["service", "too-deep"],
)
def test_cli_query_refuses_remote_calls_and_engine_crashers(
    built: tuple[Path, Path], query: str, expected: str
) -> None:
    """`kg query` keeps the server's rules: no SERVICE unless allowed, no stack-deep query."""
    store, _ = built
    result = kg(store, "query", query)
    assert_one_line_error(result, 2)
    assert expected in result.stderr
