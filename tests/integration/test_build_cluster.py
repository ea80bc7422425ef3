"""`kg build --cluster`: a real Dask LocalCluster (a scheduler and two worker processes on
127.0.0.1) prepares, this process writes; the store and the outcomes are those of a plain
build, and a worker killed mid-build costs nothing but a retry."""

from __future__ import annotations

import json
import os
import shutil
import signal
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.compare import isomorphic
from spacy.language import Language

from bench.ingest import make_corpus
from kg.build import Builder, Outcome, Status, read_graph
from kg.cluster import ClusterSpec
from kg.config import Settings
from kg.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
VOCABULARIES = ("/ontology", "/actors")


@pytest.fixture(scope="module")
def cluster() -> Iterator[ClusterSpec]:
    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        host="127.0.0.1",
        dashboard_address="127.0.0.1:0",  # the scheduler's HTTP port: any free one
        worker_dashboard_address=None,
    ) as local:
        yield ClusterSpec(address=local.scheduler_address)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    """The bundled articles, an unreadable one and a duplicate."""
    folder = tmp_path / "articles"
    shutil.copytree(REPO / "data" / "articles", folder)
    first = sorted(folder.glob("*.txt"))[0]
    (folder / "same-again.txt").write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("  \n", encoding="utf-8")
    return folder


def _settings() -> Settings:
    return Settings(store_path=Path("unused"), cluster=None)


def _article_graphs(store: OxigraphStore) -> list[str]:
    return sorted(g for g in store.graph_iris() if not g.endswith(VOCABULARIES))


def _dump(store: OxigraphStore) -> bytes:
    """The article graphs' quads, sorted (the vocabulary graphs have fresh blank nodes)."""
    lines = [
        line
        for g in _article_graphs(store)
        for line in store.dump(ox.RdfFormat.N_QUADS, g).splitlines()
    ]
    return b"\n".join(sorted(lines))


def _plain(real_nlp: Language, paths: list[Path]) -> tuple[list[Outcome], OxigraphStore]:
    store = OxigraphStore(None)
    outcomes = Builder(_settings(), store, nlp_factory=lambda: real_nlp).build(paths)
    return outcomes, store


def test_build_cluster_gives_the_store_and_outcomes_of_a_plain_build(
    cluster: ClusterSpec, articles: Path, real_nlp: Language
) -> None:
    plain, plain_store = _plain(real_nlp, [articles])
    store = OxigraphStore(None)
    builder = Builder(_settings(), store)
    seen: list[Outcome] = []
    outcomes = builder.build([articles], on_outcome=seen.append, cluster=cluster)

    assert outcomes == plain
    assert sorted(seen, key=outcomes.index) == outcomes  # each reported once, as it came
    assert [o.status for o in outcomes].count(Status.ADDED) == 5
    assert {o.status for o in outcomes} == {Status.ADDED, Status.FAILED, Status.DUPLICATE}
    assert not builder.pipeline.loaded, "the writer never loads spaCy: the workers do"
    assert _dump(store) == _dump(plain_store)
    for graph in _article_graphs(store):
        assert isomorphic(read_graph(store, graph), read_graph(plain_store, graph))

    again = builder.build([articles], cluster=cluster)
    assert [o.status for o in again].count(Status.UNCHANGED) == 5
    assert _dump(store) == _dump(plain_store)


def test_build_cluster_survives_a_killed_worker(
    cluster: ClusterSpec, tmp_path: Path, real_nlp: Language
) -> None:
    from distributed import Client

    feed = tmp_path / "feed.jsonl"
    feed.write_text("".join(json.dumps({"text": t}) + "\n" for t in make_corpus(16)))
    plain, plain_store = _plain(real_nlp, [feed])

    killed: list[str] = []
    with Client(cluster.address) as client:
        pids: dict[str, int] = client.run(os.getpid)

        def kill_a_busy_worker(outcome: Outcome) -> None:
            if killed:
                return
            busy = [worker for worker, keys in client.processing().items() if keys]
            assert busy, "no task in flight at the first outcome: the build was not mid-way"
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(busy[0])

        store = OxigraphStore(None)
        outcomes = Builder(_settings(), store).build(
            [feed], on_outcome=kill_a_busy_worker, cluster=cluster
        )
    assert killed
    assert outcomes == plain
    assert [o.status for o in outcomes] == [Status.ADDED] * 16
    assert _dump(store) == _dump(plain_store)
