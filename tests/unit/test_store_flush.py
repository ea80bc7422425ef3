"""`OxigraphStore` flushes a store folder's write buffers every `FLUSH_AFTER_BYTES` of updates,
and gives the freed heap back to the system after each flush, so that a long build's writer
stays flat in memory; nothing written is lost either way."""

from __future__ import annotations

import platform
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

import kg.store.oxigraph
from kg.store.oxigraph import OxigraphStore


class CountingStore:
    """The pyoxigraph store, with its flushes counted."""

    def __init__(self, inner: ox.Store) -> None:
        self.inner = inner
        self.flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        self.inner.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _insert(number: int) -> str:
    """An update of a little over 500 bytes."""
    return (
        f"INSERT DATA {{ GRAPH <http://x/g{number}> {{ <http://x/s> <http://x/p> "
        f'"{"y" * 460}" }} }}'
    )


def test_store_flush_every_few_bytes_of_updates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kg.store.oxigraph, "FLUSH_AFTER_BYTES", 1000)
    store = OxigraphStore(tmp_path / "store")
    counting = CountingStore(store.store)
    store._store = counting  # type: ignore[assignment]
    flushes = []
    for number in range(6):
        store.update(_insert(number))
        flushes.append(counting.flushes)
    assert flushes == [0, 1, 1, 2, 2, 3]
    store.close()
    reopened = OxigraphStore(tmp_path / "store", read_only=True)  # `counting` holds the lock
    assert len(reopened.graph_iris()) == 6
    reopened.close()


def test_store_flush_never_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.store.oxigraph, "FLUSH_AFTER_BYTES", 1000)
    store = OxigraphStore(None)
    counting = CountingStore(store.store)
    store._store = counting  # type: ignore[assignment]
    for number in range(6):
        store.update(_insert(number))
    assert counting.flushes == 0
    assert len(store.graph_iris()) == 6


def test_store_flush_releases_free_memory_after_each_flush(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kg.store.oxigraph, "FLUSH_AFTER_BYTES", 1000)
    store = OxigraphStore(tmp_path / "store")
    counting = CountingStore(store.store)
    store._store = counting  # type: ignore[assignment]
    releases: list[int] = []

    def release() -> bool:
        releases.append(counting.flushes)  # called after the flush, not before
        return True

    monkeypatch.setattr(kg.store.oxigraph, "release_free_memory", release)
    for number in range(6):
        store.update(_insert(number))
    assert releases == [1, 2, 3]
    store.close()


def test_store_flush_no_release_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.store.oxigraph, "FLUSH_AFTER_BYTES", 1000)
    releases: list[bool] = []
    monkeypatch.setattr(kg.store.oxigraph, "release_free_memory", lambda: releases.append(True))
    store = OxigraphStore(None)
    for number in range(6):
        store.update(_insert(number))
    assert releases == []


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_store_release_free_memory_under_glibc() -> None:
    assert kg.store.oxigraph.release_free_memory() is True
