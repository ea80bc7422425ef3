"""The query worker pool on its own: a worker that died while idle is replaced, writes made
after the workers opened the store are seen, and closing leaves no process behind."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.executor import WorkerPool
from api.sparql import SparqlRequest
from kg.errors import QuerySyntaxError
from kg.store import OxigraphStore
from tests.conftest import load_trig

pytestmark = pytest.mark.e2e

ASK = SparqlRequest(query='ASK { <http://e/a> <http://e/b> "late" }')


@pytest.fixture
def writer(tmp_path: Path) -> Iterator[OxigraphStore]:
    store = OxigraphStore(tmp_path / "store")
    load_trig(store)
    yield store
    store.close()


def _ask(pool: WorkerPool, request: SparqlRequest = ASK) -> bytes:
    return pool.run(request, accept=None, format_name=None, max_rows=10).body


def test_executor_sees_later_writes_and_replaces_a_dead_worker(writer: OxigraphStore) -> None:
    assert writer.path is not None
    pool = WorkerPool(writer.path, size=1, timeout=60, generation=lambda: writer.generation)
    try:
        assert b"false" in _ask(pool)
        writer.update('INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> "late" } }')
        assert b"true" in _ask(pool)

        (pid,) = pool.pids()
        os.kill(pid, signal.SIGKILL)
        assert b"true" in _ask(pool)  # answered by the replacement
        assert pool.pids() != [pid]

        with pytest.raises(QuerySyntaxError):
            _ask(pool, SparqlRequest(query="SELECT WHERE"))
        assert b"true" in _ask(pool)  # an error answer leaves the worker in the pool
    finally:
        pool.close()
    assert pool.pids() == []
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
