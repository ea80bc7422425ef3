"""Disk problems: a store path that is a file or lies under one, a read-only store folder, a
missing one, and a full disk while building or posting. Each gives one clear error line (CLI,
exit 2) or a 503 problem (API), and the store still opens with every article whole or absent."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.build import read_graph
from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE
from tests.reliability.support import (
    BASE,
    REPO,
    SEED_ARTICLES,
    TOKEN,
    FullDisk,
    assert_one_error_line,
    assert_problem,
    build_store,
    copy_articles,
    fingerprint,
    fingerprint_at,
    kg,
)

ARTICLE_GRAPHS = tuple(f"{BASE}graph/{doc}" for doc in SEED_ARTICLES)

COMMANDS = [
    ("stats",),
    ("query", "ASK { ?s ?p ?o }"),
    ("export", "--format", "nquads"),
    ("remove", "x"),
    ("validate",),
    ("serve", "--port", "1"),
]


def _articles(tmp_path: Path) -> Path:
    return copy_articles(tmp_path / "articles", SEED_ARTICLES[:1])


@pytest.mark.parametrize("args", [*COMMANDS, ("build",)], ids=lambda a: a[0])
def test_disk_store_path_is_a_file(tmp_path: Path, args: tuple[str, ...]) -> None:
    store = tmp_path / "store"
    store.write_text("not a store\n", encoding="utf-8")
    if args == ("build",):
        args = ("build", str(_articles(tmp_path)))
    assert_one_error_line(kg(store, *args), str(store), "is a file, not a folder")
    assert store.read_text(encoding="utf-8") == "not a store\n"


@pytest.mark.parametrize("args", [("stats",), ("query", "ASK {}")], ids=["stats", "query"])
def test_disk_store_path_under_a_file(tmp_path: Path, args: tuple[str, ...]) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    store = tmp_path / "file" / "store"
    assert_one_error_line(kg(store, *args), "cannot create the store folder", "Not a directory")


def test_disk_missing_store_path_is_created(tmp_path: Path) -> None:
    """Documented: a missing store folder (and its parents) is created, empty."""
    store = tmp_path / "new" / "nested" / "store"
    result = kg(store, "query", "ASK { ?s ?p ?o }", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert '"boolean":false' in result.stdout.replace(" ", "")
    assert store.is_dir()


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder any user may enter (pytest's own tmp folder is private to its user)."""
    folder = Path(tempfile.mkdtemp(prefix="kg-readonly-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir():
            path.chmod(0o755)
    shutil.rmtree(folder)


#: Root without the capabilities that let it read and write through mode bits: it stays root,
#: so it still runs the interpreter and imports the checkout wherever they are (a folder only
#: root may enter included), but a read-only folder is read-only to it too.
_ROOT_BOUND_BY_MODE_BITS = ["--bounding-set=-dac_override,-dac_read_search"]
_NOBODY = ["--reuid=65534", "--regid=65534", "--clear-groups"]


@functools.cache
def _unprivileged_prefix() -> tuple[str, ...]:
    """How to run a `kg` subprocess that mode bits bind, found once by trying each way.

    As root: root without its DAC capabilities (needs CAP_SETPCAP, which root has outside
    restricted containers), else `nobody` (needs the interpreter and the checkout readable by
    all); the tests are skipped, saying why, when neither works.
    """
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("tests run as root and `setpriv` (util-linux) is missing")
    probe = [sys.executable, "-c", "import kg.cli"]
    for options in (_ROOT_BOUND_BY_MODE_BITS, _NOBODY):
        prefix = (setpriv, *options)
        done = subprocess.run(
            [*prefix, *probe], cwd=REPO, capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode == 0:
            return prefix
    pytest.skip(
        "tests run as root, root cannot drop CAP_DAC_OVERRIDE here (no CAP_SETPCAP), and"
        f" `nobody` cannot run {sys.executable} with the checkout {REPO}: no user is bound by"
        " mode bits"
    )


def _as_unprivileged(command: list[str]) -> list[str]:
    """`command` run so that mode bits bind it (root writes through any mode bits)."""
    return [*_unprivileged_prefix(), *command]


@pytest.mark.parametrize(
    "args", [("stats",), ("build", "ARTICLES"), ("remove", "alpha")], ids=lambda a: a[0]
)
def test_disk_read_only_store_folder(shared_folder: Path, args: tuple[str, ...]) -> None:
    store = shared_folder / "store"
    seeded = OxigraphStore(store)
    seeded.close()
    articles = copy_articles(shared_folder / "articles", SEED_ARTICLES[:1])
    for path in [shared_folder, *shared_folder.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)  # readable by all, writable by none
    before = fingerprint_at(store)
    env = {
        **os.environ,
        "KG_STORE_PATH": str(store),
        "KG_BASE_IRI": BASE,
        "HOME": str(shared_folder),
    }
    env.pop("KG_STORE_URL", None)
    argv = [a.replace("ARTICLES", str(articles)) for a in args]
    result = subprocess.run(
        _as_unprivileged([sys.executable, "-m", "kg", *argv]),
        env=env,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert_one_error_line(result, str(store), "not writable", "KG_STORE_PATH")
    assert fingerprint_at(store) == before


# --- a full disk ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def clean_counts(tmp_path_factory: pytest.TempPathFactory, real_nlp: Any) -> dict[str, int]:
    """Triples per article graph in a clean build of the seed articles."""
    path = build_store(tmp_path_factory.mktemp("clean") / "store", real_nlp)
    return _article_triples(path)


def _article_triples(path: Path) -> dict[str, int]:
    store = OxigraphStore(path)  # opens read-write: the store is not corrupt
    try:
        return {g: len(read_graph(store, g)) for g in store.graph_iris() if g in ARTICLE_GRAPHS}
    finally:
        store.close()


@pytest.mark.slow
def test_disk_full_during_build_stops_with_one_line(
    tmp_path: Path, clean_counts: dict[str, int]
) -> None:
    articles = copy_articles(tmp_path / "articles")
    store = tmp_path / "store"
    # the ontology and the actor registry, then one article fit on the disk
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tests.reliability.support import main_with_full_disk;"
            " main_with_full_disk(3, sys.argv[1:])",
            "build",
            str(articles),
        ],
        env={**os.environ, "KG_STORE_PATH": str(store), "KG_BASE_IRI": BASE},
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(errors) == 1, result.stderr
    assert "disk is full" in errors[0]
    assert "No space left on device" in errors[0]
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert sum(line.startswith("ok") for line in result.stderr.splitlines()) == 1

    survived = _article_triples(store)
    assert len(survived) == 1
    for graph, triples in survived.items():
        assert triples == clean_counts[graph], graph  # whole, not partial

    resumed = kg(store, "build", str(articles))
    assert resumed.returncode == 0, resumed.stderr
    assert _article_triples(store) == clean_counts


@pytest.mark.slow
@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        ("POST", "/documents", {"json": {"text": "Putin said that Russia demands a ceasefire."}}),
        ("DELETE", "/documents/alpha", {}),
        ("POST", "/update", {"data": {"update": "DROP GRAPH <http://127.0.0.1:8000/graph/alpha>"}}),
    ],
    ids=["post", "delete", "update"],
)
def test_disk_full_on_an_api_write_is_503(
    sample_store: OxigraphStore,
    tmp_path: Path,
    real_nlp: Any,
    monkeypatch: pytest.MonkeyPatch,
    method: str,
    path: str,
    kwargs: dict[str, Any],
) -> None:
    from api.main import create_app

    full = FullDisk.__new__(FullDisk)
    full._store = sample_store.store
    monkeypatch.setattr(FullDisk, "budget", 0)
    monkeypatch.setattr(sample_store, "_store", full)
    before = fingerprint(sample_store)
    settings = Settings(store_path=tmp_path / "unused", base_iri=SAMPLE_BASE, write_token=TOKEN)
    app = create_app(settings, store=sample_store, nlp_factory=lambda: real_nlp)
    with TestClient(app, headers={"authorization": f"Bearer {TOKEN}"}) as client:
        response = client.request(method, path, **kwargs)
        assert_problem(response, 503, "disk is full")
        assert client.get("/documents/alpha").status_code == 200  # reads go on
    assert fingerprint(sample_store) == before
