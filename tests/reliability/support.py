"""Helpers of the reliability suite: store fingerprints, problem+json and CLI checks, a store
built from real articles, and a real uvicorn server over it."""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pyoxigraph as ox
import uvicorn

from kg.build import Builder
from kg.config import Settings
from kg.store import OxigraphStore
from tests.e2e.test_server import ThreadedServer, free_port

if TYPE_CHECKING:
    from spacy.language import Language

REPO = Path(__file__).resolve().parents[2]
FIXTURE_ARTICLES = REPO / "tests" / "fixtures" / "articles"
BASE = "http://127.0.0.1:8000/"
TOKEN = "reliability-secret"  # noqa: S105 - a test token
#: Small real articles (with their sidecars) that every reliability store is built from.
SEED_ARTICLES = ("fx_001_kremlin_call", "fx_003_analysis_summit", "fx_008_kremlin_readout")
PROBLEM = "application/problem+json"
_BLANK = re.compile(r"_:[A-Za-z0-9]+")


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What a store holds: its graph names, quad count and a hash of its sorted N-Quads (blank
    node labels erased: reloading the ontology mints new ones for the same content)."""

    graphs: tuple[str, ...]
    quads: int
    digest: str


def fingerprint(store: OxigraphStore) -> Fingerprint:
    """The fingerprint of an open store."""
    lines = sorted(
        _BLANK.sub("_:b", line) for line in store.dump(ox.RdfFormat.N_QUADS).decode().splitlines()
    )
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()
    return Fingerprint(tuple(store.graph_iris()), len(lines), digest)


def fingerprint_at(path: Path) -> Fingerprint | None:
    """The fingerprint of the store folder `path` (opened read-only), None if there is none."""
    if not path.exists():
        return None
    store = OxigraphStore(path, read_only=True)
    try:
        return fingerprint(store)
    finally:
        store.close()


def assert_problem(response: httpx.Response, status: int, *words: str) -> dict[str, Any]:
    """The answer is RFC 9457 problem+json with this status, a title, and a detail naming
    every one of `words` (case-insensitive); no traceback anywhere."""
    assert "Traceback" not in response.text
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM, response.headers
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert isinstance(body["title"], str)
    assert body["title"]
    assert body["type"].startswith("https://")
    assert isinstance(body["detail"], str)
    assert body["detail"]
    for word in words:
        assert word.lower() in body["detail"].lower(), (word, body["detail"])
    return body


def kg(
    store: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `kg` command line on the store folder `store`."""
    environment = {**os.environ, "KG_STORE_PATH": str(store), "KG_BASE_IRI": BASE, **(env or {})}
    environment.pop("KG_STORE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def assert_one_error_line(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Exit 2, no traceback, exactly one line on stderr, naming every one of `words`."""
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word.lower() in lines[0].lower(), (word, lines[0])
    return lines[0]


def copy_articles(folder: Path, stems: tuple[str, ...] = SEED_ARTICLES) -> Path:
    """Copy fixture articles (and their sidecars) into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for stem in stems:
        for path in FIXTURE_ARTICLES.glob(f"{stem}.txt*"):
            shutil.copy(path, folder / path.name)
    return folder


def build_store(path: Path, nlp: Language, stems: tuple[str, ...] = SEED_ARTICLES) -> Path:
    """Build the fixture articles `stems` into a new store folder `path` with the real pipeline."""
    articles = copy_articles(path.parent / f"{path.name}-articles", stems)
    settings = Settings(store_path=path, base_iri=BASE)
    store = OxigraphStore(path)
    try:
        outcomes = Builder(settings, store, nlp_factory=lambda: nlp).build([articles])
    finally:
        store.close()
    assert all(o.ok for o in outcomes), outcomes
    return path


@contextlib.contextmanager
def serve(
    store_path: Path, nlp: Language | None = None, **overrides: Any
) -> Iterator[tuple[str, Any]]:
    """A real uvicorn server on 127.0.0.1 over the store folder (opened by the app's lifespan,
    as `kg serve` does); yields its URL and the app."""
    from api.main import create_app

    settings = Settings(store_path=store_path, base_iri=BASE, **overrides)
    app = create_app(settings, nlp_factory=(lambda: nlp) if nlp is not None else None)
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    with ThreadedServer(config).running():
        yield f"http://127.0.0.1:{port}", app


REAL_STORE = ox.Store


class FullDisk:
    """Stands in for `pyoxigraph.Store`: its writes (updates, graph removals) fail with ENOSPC,
    as RocksDB's do on a full disk, once `budget` writes are spent; reads go through."""

    budget = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._store = REAL_STORE(*args, **kwargs)

    @staticmethod
    def read_only(path: str) -> ox.Store:
        return REAL_STORE.read_only(path)

    def _spend(self) -> None:
        if FullDisk.budget <= 0:
            raise OSError(errno.ENOSPC, "No space left on device")
        FullDisk.budget -= 1

    def update(self, *args: Any, **kwargs: Any) -> None:
        self._spend()
        self._store.update(*args, **kwargs)

    def remove_graph(self, *args: Any) -> None:
        self._spend()
        self._store.remove_graph(*args)

    def __len__(self) -> int:
        return len(self._store)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def main_with_full_disk(budget: int, argv: list[str]) -> None:
    """Run the `kg` command line with the store's disk full after `budget` writes (for
    `python -c`, in a subprocess)."""
    import types

    import kg.store.oxigraph
    from kg.cli import main

    class FullDiskOxigraph(types.ModuleType):
        """pyoxigraph as kg.store.oxigraph sees it, with `Store` full (others keep the real)."""

        Store = FullDisk

        def __getattr__(self, name: str) -> Any:
            return getattr(ox, name)

    FullDisk.budget = budget
    kg.store.oxigraph.ox = FullDiskOxigraph("pyoxigraph")  # type: ignore[attr-defined]
    sys.argv = ["kg", *argv]
    main()
