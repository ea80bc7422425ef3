"""`kg build --workers N`: worker processes extract and validate, the caller alone writes; the
store and the outcomes are the same as a build in one process."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.ingest import make_corpus
from kg.build import MIN_PARALLEL, Builder, Outcome, Status
from kg.config import Settings
from kg.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.slow


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    """MIN_PARALLEL distinct articles and one record the reader refuses (an empty text)."""
    texts = make_corpus(MIN_PARALLEL)
    lines = [json.dumps({"text": t}) for t in texts]
    lines.insert(3, json.dumps({"text": "   "}))  # refused by the reader: FAILED, in its place
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _build(feed: Path, workers: int) -> tuple[list[Outcome], bytes, list[Outcome]]:
    store = OxigraphStore(None)
    builder = Builder(Settings(store_path=Path("unused")), store)
    seen: list[Outcome] = []
    outcomes = builder.build([feed], on_outcome=seen.append, workers=workers)
    # the article graphs (the vocabulary graphs have blank nodes, new at every load)
    articles = [
        g for g in store.graph_iris() if not g.endswith(("/ontology", "/actors", "/gazetteer"))
    ]
    assert len(articles) == MIN_PARALLEL
    lines = [line for g in articles for line in store.dump(ox.RdfFormat.N_QUADS, g).splitlines()]
    dump = b"\n".join(sorted(lines))
    again = builder.build([feed], workers=workers)
    return outcomes if outcomes == seen else [], dump, again


def test_build_workers_give_the_same_store_and_outcomes_in_order(feed: Path) -> None:
    one, dump_one, again_one = _build(feed, workers=1)
    two, dump_two, again_two = _build(feed, workers=2)
    assert one, "on_outcome saw the outcomes in the returned order"
    assert two
    assert [o.status for o in one].count(Status.ADDED) == MIN_PARALLEL
    assert [o.status for o in one].count(Status.FAILED) == 1
    assert two == one
    assert dump_two == dump_one
    assert all(o.status is not Status.ADDED for o in again_two)
    assert again_two == again_one
