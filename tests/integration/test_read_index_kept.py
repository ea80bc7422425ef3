"""`kg.read.index.kept`: a read decorated with it is computed once per set of arguments (defaults
filled in) until the store's next write when the store has a read index, every time without."""

from __future__ import annotations

from collections.abc import Callable

from kg.read.index import detach, kept, open_index
from kg.store import GraphStore, OxigraphStore

SCRATCH = "INSERT DATA { GRAPH <urn:x-test:scratch> { <urn:x:a> <urn:x:b> <urn:x:c> } }"


def counted() -> tuple[list[tuple[str, int]], Callable[..., list[object]]]:
    """A kept read that records its calls, and the record."""
    calls: list[tuple[str, int]] = []

    @kept("test")
    def read(store: GraphStore, key: str, *, per: int = 10) -> list[object]:
        calls.append((key, per))
        return [key, per]

    return calls, read


def test_read_index_kept_without_an_index_computes_every_time(
    memory_store: OxigraphStore,
) -> None:
    calls, read = counted()
    first = read(memory_store, "a")
    assert read(memory_store, "a") == first
    assert calls == [("a", 10), ("a", 10)]


def test_read_index_kept_with_an_index_until_the_next_write(memory_store: OxigraphStore) -> None:
    assert open_index(memory_store) is not None
    try:
        calls, read = counted()
        first = read(memory_store, "a")
        assert read(memory_store, "a") is first
        assert read(memory_store, "a", per=10) is first
        assert read(memory_store, "a", per=2) is not first
        assert read(memory_store, "b") is not first
        assert calls == [("a", 10), ("a", 2), ("b", 10)]
        memory_store.update(SCRATCH)
        assert read(memory_store, "a") is not first
        assert calls[-1] == ("a", 10)
    finally:
        index = detach(memory_store)
        assert index is not None
        index.close()
