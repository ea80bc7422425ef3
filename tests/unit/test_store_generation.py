"""kg.store.generation: the shared write count and the per-process reopen hooks."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.store import OxigraphStore
from kg.store.generation import GenerationWatch, SharedGeneration, open_read_only


def test_generation_published_is_read_by_another_mapping(tmp_path: Path) -> None:
    writer = SharedGeneration.create(tmp_path / "generation")
    reader = SharedGeneration.open(tmp_path / "generation")
    assert reader.read() == 0
    writer.publish(41)
    writer.publish(42)
    assert reader.read() == 42
    reader.close()
    reader.close()  # idempotent
    with pytest.raises(ValueError, match="closed"):
        reader.read()
    writer.close()


def test_generation_watch_runs_hooks_once_per_new_generation(tmp_path: Path) -> None:
    shared = SharedGeneration.create(tmp_path / "generation")
    watch = GenerationWatch(shared)
    calls: list[tuple[str, int]] = []
    watch.register(lambda g: calls.append(("store", g)))
    watch.register(lambda g: calls.append(("index", g)))
    assert asyncio.run(watch.refresh()) == 0
    assert calls == []
    shared.publish(3)
    assert asyncio.run(watch.refresh()) == 3
    assert asyncio.run(watch.refresh()) == 3
    assert calls == [("store", 3), ("index", 3)]
    shared.close()


def test_generation_watch_retries_after_a_failing_hook(tmp_path: Path) -> None:
    shared = SharedGeneration.create(tmp_path / "generation")
    watch = GenerationWatch(shared)
    failures = [RuntimeError("index busy")]
    seen: list[int] = []

    def flaky(generation: int) -> None:
        if failures:
            raise failures.pop()
        seen.append(generation)

    watch.register(flaky)
    shared.publish(1)
    assert watch.refresh_sync() == 0  # not caught up: the next request tries again
    assert watch.refresh_sync() == 1
    assert seen == [1]
    shared.close()


def test_open_read_only_sees_committed_writes_and_names_a_missing_store(tmp_path: Path) -> None:
    writer = OxigraphStore(tmp_path / "store")
    writer.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> "c" } }')
    reader = open_read_only(tmp_path / "store")
    assert reader.has_graph("http://e/g")
    writer.close()
    with pytest.raises(StoreError):
        open_read_only(tmp_path / "nowhere")
