"""Runaway queries (cartesian products, property-path explosions) are stopped at
KG_QUERY_TIMEOUT through a real uvicorn server with the worker pool: a 503 within timeout + 1 s,
the worker process killed and the CPU idle again afterwards, other requests answered meanwhile;
SELECT answers capped at KG_MAX_ROWS with the cut stated, and only when there was a cut."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI

from api.executor import WorkerPool
from kg.store import OxigraphStore
from tests.conftest import load_trig
from tests.reliability.support import assert_problem, serve

pytestmark = pytest.mark.e2e

TIMEOUT = 1.0
MAX_ROWS = 4
CHAIN = 2000
P = "<http://example.org/p>"
#: Each alone runs for many seconds (a 2,000-node chain: 4 million connected pairs, or the
#: sample's triples joined with themselves five times).
RUNAWAYS = {
    "property-path-explosion": f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a ({P}|^{P})* ?b }}",
    "path-in-construct": f"CONSTRUCT {{ ?a {P} ?b }} WHERE {{ ?a ({P}|^{P})+ ?b }}",
    "cartesian-distinct": "SELECT DISTINCT ?a ?d ?g ?j WHERE "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l } ORDER BY ?a ?d ?g ?j",
    "cartesian-count": "SELECT (COUNT(*) AS ?n) WHERE "
    "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }",
}


@dataclass
class Server:
    url: str
    app: FastAPI

    @property
    def pool(self) -> WorkerPool:
        executor = self.app.state.executor
        assert isinstance(executor, WorkerPool)
        return executor

    def wait_whole(self) -> list[int]:
        """The worker pids once the pool is back to its size (replacements start in the
        background after a kill)."""
        deadline = time.monotonic() + 60
        while len(self.pool.pids()) < self.pool.size:
            assert time.monotonic() < deadline, "the worker pool did not recover"
            time.sleep(0.05)
        return self.pool.pids()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    path = tmp_path_factory.mktemp("runaway") / "store"
    store = OxigraphStore(path)
    load_trig(store)
    chain = " ".join(
        f"<http://example.org/n{i}> {P} <http://example.org/n{i + 1}> ." for i in range(CHAIN)
    )
    store.update(f"INSERT DATA {{ GRAPH <http://example.org/chain> {{ {chain} }} }}")
    store.close()
    with serve(path, query_timeout=TIMEOUT, query_workers=2, max_rows=MAX_ROWS) as (url, app):
        yield Server(url, app)


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc/<pid>/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.parametrize("query", list(RUNAWAYS.values()), ids=list(RUNAWAYS))
def test_runaway_query_is_stopped_and_its_worker_killed(server: Server, query: str) -> None:
    before = set(server.wait_whole())
    answered: list[int] = []
    finished = threading.Event()

    def others() -> None:
        """Quick requests while the runaway holds a worker: each answered, and in time."""
        with httpx.Client(base_url=server.url, timeout=30) as client:
            while not finished.is_set():
                for path, params in (
                    ("/sparql", {"query": "ASK { ?s ?p ?o }"}),
                    ("/documents", {}),
                    ("/stats", {}),
                ):
                    answered.append(client.get(path, params=params).status_code)

    with httpx.Client(base_url=server.url, timeout=30) as client:
        side = threading.Thread(target=others)
        side.start()
        started = time.monotonic()
        try:
            response = client.get("/sparql", params={"query": query})
        finally:
            elapsed = time.monotonic() - started
            finished.set()
            side.join(timeout=30)

    body = assert_problem(response, 503, "KG_QUERY_TIMEOUT", "cancelled")
    assert body["type"].endswith("/query-timeout")
    assert elapsed < TIMEOUT + 1.0
    assert answered, "no other request was answered while the runaway ran"
    assert set(answered) == {200}, answered
    killed = before - set(server.pool.pids())
    assert len(killed) == 1
    for pid in killed:
        assert not Path(f"/proc/{pid}").exists(), f"worker {pid} still exists"
    # every worker, the replacement included, is idle again: no query runs on in the background
    workers = server.wait_whole()
    time.sleep(0.5)  # let the replacement finish opening the store
    spent = {pid: _cpu_seconds(pid) for pid in workers}
    time.sleep(1.0)
    busy = {pid: _cpu_seconds(pid) - spent[pid] for pid in workers}
    assert all(seconds < 0.2 for seconds in busy.values()), busy


@pytest.mark.parametrize(
    ("limit", "cut"),
    [(MAX_ROWS + 1, True), (MAX_ROWS, False), (1, False)],
)
def test_runaway_rows_are_capped_and_the_cut_is_stated(
    server: Server, limit: int, cut: bool
) -> None:
    query = f"SELECT ?a ?b WHERE {{ ?a {P} ?b }} ORDER BY ?a LIMIT {limit}"
    with httpx.Client(base_url=server.url, timeout=30) as client:
        response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text
    rows = ox.parse_query_results(response.content, ox.QueryResultsFormat.JSON)
    assert isinstance(rows, ox.QuerySolutions)
    assert len(list(rows)) == min(limit, MAX_ROWS)
    if cut:
        assert response.headers["kg-results-truncated"] == str(MAX_ROWS)
        assert "KG_MAX_ROWS" in response.headers["warning"]
    else:
        assert "kg-results-truncated" not in response.headers
        assert "warning" not in response.headers
