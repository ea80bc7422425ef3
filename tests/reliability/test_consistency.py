"""A REST answer made of several queries never shows an article half deleted: the read lock of
the store (`kg.store.oxigraph.ReadWriteLock`) and the middleware that holds it for each GET
(`api.consistency.ConsistentReads`), with the race forced deterministically."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.store import OxigraphStore
from kg.store.oxigraph import ReadWriteLock
from tests.conftest import SAMPLE_BASE


def test_consistency_lock_writer_waits_for_readers_and_blocks_new_ones() -> None:
    lock = ReadWriteLock()
    assert lock.try_acquire_read()
    wrote = threading.Event()

    def write() -> None:
        with lock.writing():
            wrote.set()

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(0.1)
    assert not wrote.is_set()  # a reader holds the lock
    assert not lock.try_acquire_read()  # a waiting writer keeps new readers out
    lock.release_read()
    writer.join(timeout=5)
    assert wrote.is_set()
    assert lock.try_acquire_read()  # free again
    lock.release_read()
    with lock.reading(), lock.reading():  # readers share
        pass


def test_consistency_a_delete_between_two_queries_of_one_get_waits(
    api_client: TestClient, sample_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """GET /documents/alpha runs several queries; a delete is started right after the first
    one. Without the read lock it lands in between and the answer lists no actors."""
    graph = f"{SAMPLE_BASE}graph/alpha"
    whole = api_client.get("/documents/alpha").json()
    assert whole["actors"]
    original = OxigraphStore.query
    started: list[threading.Thread] = []

    def query(self: OxigraphStore, sparql: str, **kwargs: Any) -> Any:
        answer = original(self, sparql, **kwargs)
        if not started:
            deleter = threading.Thread(target=self.remove_graph, args=(graph,))
            started.append(deleter)
            deleter.start()
            deleter.join(timeout=0.3)  # it waits for this GET: the join times out
        return answer

    monkeypatch.setattr(OxigraphStore, "query", query)
    during = api_client.get("/documents/alpha")
    started[0].join(timeout=5)
    monkeypatch.undo()
    assert during.status_code == 200
    assert during.json() == whole  # seen whole, before the delete
    assert not sample_store.has_graph(graph)  # and the delete did happen, after it
    assert api_client.get("/documents/alpha").status_code == 404
