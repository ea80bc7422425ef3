"""`GraphStore.snapshot()`: one consistent view for the several queries of an answer. The
embedded store holds a read share of its lock (a write waits for it), `async with` waits for a
writer without blocking the event loop, a remote store holds nothing; the REST reads take it for
each answer, /graph and /health do not."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from kg.store import GraphStore, OxigraphStore, RemoteStore, Unguarded
from tests.conftest import SAMPLE_BASE

GRAPH = f"{SAMPLE_BASE}graph/alpha"


def test_snapshot_embedded_write_waits_for_it(sample_store: OxigraphStore) -> None:
    removed = threading.Event()

    def remove() -> None:
        sample_store.remove_graph(GRAPH)
        removed.set()

    writer = threading.Thread(target=remove)
    with sample_store.snapshot():
        writer.start()
        writer.join(timeout=0.3)  # it waits for the snapshot: the join times out
        assert not removed.is_set()
        assert sample_store.has_graph(GRAPH)
    writer.join(timeout=5)
    assert removed.is_set()
    assert not sample_store.has_graph(GRAPH)


def test_snapshot_embedded_generation_counts_writes(sample_store: OxigraphStore) -> None:
    store: GraphStore = sample_store
    before = store.generation
    assert before is not None
    sample_store.remove_graph(GRAPH)
    assert store.generation == before + 1


def test_snapshot_async_waits_for_a_writer_without_blocking_the_loop(
    memory_store: OxigraphStore,
) -> None:
    """While a writer holds the lock, `async with store.snapshot()` waits, and other tasks of
    the same loop run meanwhile; the snapshot is held once the writer is done."""
    writing = threading.Event()
    release = threading.Event()

    def write() -> None:
        with memory_store.read_lock.writing():
            writing.set()
            release.wait(timeout=30)

    async def main() -> list[str]:
        order: list[str] = []

        async def read() -> None:
            async with memory_store.snapshot():
                order.append("snapshot")

        async def other() -> None:
            order.append("other task ran")
            release.set()  # only reachable if the loop was not blocked by the waiting reader

        reader = asyncio.create_task(read())
        await asyncio.sleep(0)  # the reader starts and finds the lock taken
        await other()
        await reader
        return order

    writer = threading.Thread(target=write)
    writer.start()
    assert writing.wait(timeout=5)
    order = asyncio.run(main())
    writer.join(timeout=5)
    assert order == ["other task ran", "snapshot"]
    assert memory_store.read_lock.try_acquire_read()  # the snapshot let its share go
    memory_store.read_lock.release_read()


def test_snapshot_remote_holds_nothing_and_has_no_generation() -> None:
    store = RemoteStore("http://127.0.0.1:9/query")  # nothing is sent by these calls
    try:
        assert isinstance(store, GraphStore)
        assert store.generation is None
        snapshot = store.snapshot()
        assert isinstance(snapshot, Unguarded)
        with snapshot:
            pass

        async def enter() -> None:
            async with store.snapshot():
                pass

        asyncio.run(enter())
    finally:
        store.close()


def test_snapshot_rest_reads_hold_it_while_a_writer_waits(
    api_client: TestClient, sample_store: OxigraphStore
) -> None:
    """A REST read waits for a write in progress (and answers once it is done), while /health
    and a streamed /graph export, which take no snapshot, answer meanwhile."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        with sample_store.read_lock.writing():
            pending = pool.submit(api_client.get, "/documents/alpha")
            assert api_client.get("/health").status_code == 200  # the loop is not blocked
            assert api_client.get("/graph").status_code == 200
            assert not pending.done()
        response = pending.result(timeout=30)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "taken"),
    [
        ("/documents/alpha", True),
        ("/documents/alpha/mentions", True),
        ("/actors", True),
        ("/stats", True),
        ("/health", False),
        ("/graph", False),
    ],
)
def test_snapshot_rest_taken_by_reads_only(
    api_client: TestClient,
    sample_store: OxigraphStore,
    monkeypatch: pytest.MonkeyPatch,
    path: str,
    taken: bool,
) -> None:
    entered: list[str] = []
    original = OxigraphStore.snapshot

    def snapshot(self: OxigraphStore) -> object:
        entered.append(path)
        return original(self)

    monkeypatch.setattr(OxigraphStore, "snapshot", snapshot)
    assert api_client.get(path).status_code == 200
    assert entered == ([path] if taken else [])
