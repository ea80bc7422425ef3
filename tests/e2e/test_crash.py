"""Crash safety: `kg build` killed with SIGKILL mid-build leaves every article whole or absent,
and the next build completes the rest."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import read_graph
from kg.store import OxigraphStore
from kg.validation import validate

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
BASE = "http://127.0.0.1:8000/"
NOT_ARTICLES = {f"{BASE}graph/ontology", f"{BASE}graph/actors", f"{BASE}graph/gazetteer"}


def _env(store: Path) -> dict[str, str]:
    env = {**os.environ, "KG_STORE_PATH": str(store), "KG_BASE_IRI": BASE}
    env.pop("KG_STORE_URL", None)
    return env


def _build(store: Path, articles: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", "build", str(articles)],
        env=_env(store),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _article_counts(store_path: Path) -> dict[str, int]:
    store = OxigraphStore(store_path)
    try:
        iris = [i for i in store.graph_iris() if i.startswith(f"{BASE}graph/")]
        return {iri: len(read_graph(store, iri)) for iri in iris if iri not in NOT_ARTICLES}
    finally:
        store.close()


def test_crash_sigkill_mid_build_leaves_articles_whole_or_absent(tmp_path: Path) -> None:
    articles = tmp_path / "articles"
    articles.mkdir()
    for folder in (REPO / "data" / "articles", REPO / "tests" / "fixtures" / "articles"):
        for path in folder.glob("*.txt*"):
            shutil.copy(path, articles / path.name)
    total = len(list(articles.glob("*.txt")))

    clean = _build(tmp_path / "clean", articles)
    assert clean.returncode == 0, clean.stderr
    expected = _article_counts(tmp_path / "clean")
    assert len(expected) == total

    crashed = tmp_path / "crashed"
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(articles)],
        env=_env(crashed),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    try:
        # one line per article on stderr: kill right after the first one is stored, while the
        # next is being extracted or written
        for line in process.stderr:
            if line.startswith("ok"):
                break
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL

    survived = _article_counts(crashed)
    assert 1 <= len(survived) < total, "the build was not interrupted mid-way"
    for iri, count in survived.items():
        assert count == expected[iri], f"{iri} is partial: {count} of {expected[iri]} triples"
        store = OxigraphStore(crashed)
        try:
            report = validate(read_graph(store, iri))
        finally:
            store.close()
        assert report.conforms, iri

    resumed = _build(crashed, articles)
    assert resumed.returncode == 0, resumed.stderr
    assert _article_counts(crashed) == expected
