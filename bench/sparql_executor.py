"""Per-query cost of the /sparql executors, and how fast a runaway query is stopped.

    .venv/bin/python bench/sparql_executor.py [N]

Loads tests/fixtures/sample.trig into an on-disk store in a temporary folder, then runs the same
small SELECT N times (default 300) in-process (`api.sparql.execute`), through `ThreadExecutor`
and through a warm `WorkerPool` of 2 processes, and prints the median and p95 per query; then
sends a runaway query with a 1 s timeout and prints how long the 503 took and whether the
worker process is gone. Prints figures, asserts nothing.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.conftest import load_trig  # noqa: E402

from api.executor import ThreadExecutor, WorkerPool  # noqa: E402
from api.sparql import SparqlRequest, execute  # noqa: E402
from kg.errors import QueryTimeoutError  # noqa: E402
from kg.store import OxigraphStore  # noqa: E402

QUERY = SparqlRequest(
    query="PREFIX kg: <https://w3id.org/newskg/ns#> "
    "SELECT ?p ?h WHERE { ?p a kg:Position ; kg:holder ?h } ORDER BY ?p"
)
RUNAWAY = SparqlRequest(
    query="SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n ?o }"
)


def measure(name: str, run: Callable[[], object], n: int) -> None:
    for _ in range(20):
        run()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"{name:<22} median {statistics.median(times):7.3f} ms   p95 {p95:7.3f} ms")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    with tempfile.TemporaryDirectory() as folder:
        store = OxigraphStore(Path(folder) / "store")
        load_trig(store)
        kwargs = {"accept": None, "format_name": None, "max_rows": 10_000}
        measure("in-process", lambda: execute(store, QUERY, **kwargs), n)  # type: ignore[arg-type]
        threads = ThreadExecutor(store, timeout=10)
        measure("thread executor", lambda: threads.run(QUERY, **kwargs), n)  # type: ignore[arg-type]
        threads.close()
        started = time.perf_counter()
        pool = WorkerPool(store.path or Path(folder), size=2, timeout=1.0, generation=lambda: 0)
        print(f"pool start (2 workers) {time.perf_counter() - started:7.3f} s")
        measure("worker pool", lambda: pool.run(QUERY, **kwargs), n)  # type: ignore[arg-type]
        before = set(pool.pids())
        started = time.perf_counter()
        with contextlib.suppress(QueryTimeoutError):
            pool.run(RUNAWAY, **kwargs)  # type: ignore[arg-type]
        elapsed = time.perf_counter() - started
        gone = before - set(pool.pids())
        print(f"runaway, timeout 1 s   503 after {elapsed:.3f} s, killed {sorted(gone)}")
        pool.close()
        store.close()


if __name__ == "__main__":
    main()
