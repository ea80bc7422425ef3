"""Run /sparql queries under `KG_QUERY_TIMEOUT`: a warm pool of worker processes, or threads.

pyoxigraph cannot cancel a running query from another thread, so a query that must really stop
runs in another process, which can be killed:

- `WorkerPool` (the on-disk store): `size` worker processes (spawned, not forked: the server has
  threads and an open RocksDB) each open the store folder with `pyoxigraph.Store.read_only` and
  answer `api.sparql.execute` requests sent over a pipe, serialised answer back. The server keeps
  the one read-write `Store` and does every write; each write bumps `OxigraphStore.generation`,
  which travels with every request, and a worker whose store is older reopens it (RocksDB replays
  the writer's log, so it sees every committed write; ~25-50 ms, once per write). When a query
  outlives the timeout the worker is killed (SIGKILL: its CPU is back at once), the request
  answers 503 `kg/query-timeout`, and a replacement is spawned in the background while the other
  workers go on serving. Several readers on one store with a single writer is the same set-up
  as a benchmark of several `oxigraph` readers would use.
- `ThreadExecutor` (the in-memory store of the tests, a remote store, or `KG_QUERY_WORKERS=0`):
  the query runs in a thread; after the timeout the request answers the same 503, but the
  query **goes on running** in its thread until it ends. Real cancellation needs the on-disk
  store, or a remote store that stops a query whose connection closes: /sparql queries to a
  remote store are sent with `KG_QUERY_TIMEOUT` as their HTTP timeout, so the connection is
  closed when the 503 goes out (Virtuoso then stops the query; docs/stores.md).

Workers are started with the "spawn" method, which imports the parent's `__main__` module again:
a script that calls `create_app` at import time of its main module needs the usual
`if __name__ == "__main__":` guard (`kg serve`, `python -m kg` and uvicorn's import strings are
fine).

pyoxigraph documents read-only opening next to a writing process as "undefined behaviour"; what
is relied on here (a reader opened, or reopened, after a write sees it) is checked by
tests/e2e/test_sparql_server.py.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Protocol

from api.sparql import SparqlAnswer, SparqlRequest, execute
from kg.errors import InternalQueryError, KGError, QueryTimeoutError, StoreError
from kg.store import GraphStore, OxigraphStore, RemoteStore

logger = logging.getLogger(__name__)

#: Seconds a new worker may take to start and open the store.
WORKER_START_TIMEOUT = 60.0


class QueryExecutor(Protocol):
    """Runs `api.sparql.execute` for one request within the timeout."""

    timeout: float

    def run(
        self, request: SparqlRequest, *, accept: str | None, format_name: str | None, max_rows: int
    ) -> SparqlAnswer:
        """The serialised answer.

        Raises:
            QueryTimeoutError: the query did not finish within `timeout` seconds.
            KGError: whatever `api.sparql.execute` raises (syntax, 406, …).
        """
        ...

    def close(self) -> None:
        """Stop the workers (idempotent)."""
        ...


def _timeout_error(timeout: float, cancelled: bool) -> QueryTimeoutError:
    what = "it was cancelled" if cancelled else "it may still be running on the server"
    return QueryTimeoutError(
        f"the query ran longer than KG_QUERY_TIMEOUT={timeout:g} s and {what}; add a LIMIT,"
        " bind more variables or narrow the graphs (GRAPH <…>, default-graph-uri)"
    )


class ThreadExecutor:
    """Queries in threads: the 503 comes in time, but the query is not cancelled."""

    def __init__(
        self, store: GraphStore, *, timeout: float, threads: int = 8, owns_store: bool = False
    ) -> None:
        self.store = store
        self.timeout = timeout
        self._owns_store = owns_store
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kg-query")

    def run(
        self, request: SparqlRequest, *, accept: str | None, format_name: str | None, max_rows: int
    ) -> SparqlAnswer:
        future = self._threads.submit(
            execute, self.store, request, accept=accept, format_name=format_name, max_rows=max_rows
        )
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise _timeout_error(self.timeout, cancelled=False) from None

    def close(self) -> None:
        self._threads.shutdown(wait=False, cancel_futures=True)
        if self._owns_store:
            self.store.close()


def _worker_main(conn: Connection, path: str) -> None:
    """A worker process: open the store read-only, answer requests until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers itself
    store: OxigraphStore | None = None
    generation = -1
    conn.send(("ready", os.getpid()))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        wanted, request, accept, format_name, max_rows = message
        try:
            if store is None or wanted != generation:
                store = OxigraphStore(Path(path), read_only=True)
                generation = wanted
            try:
                answer = execute(
                    store, request, accept=accept, format_name=format_name, max_rows=max_rows
                )
            except StoreError:
                # a file the reader opened may have been compacted away by the writer since:
                # reopen once and try again
                store = OxigraphStore(Path(path), read_only=True)
                answer = execute(
                    store, request, accept=accept, format_name=format_name, max_rows=max_rows
                )
        except KGError as exc:
            conn.send(("error", exc))
        except Exception as exc:  # a worker outlives any one query's failure
            # `api.sparql.execute` maps the engine's errors; anything else is a bug of ours,
            # logged once here and answered as a 500 problem, and the worker goes on serving
            logger.error("query worker %s: unexpected %s: %s", os.getpid(), type(exc).__name__, exc)
            conn.send(("error", InternalQueryError(f"internal error ({type(exc).__name__})")))
        else:
            conn.send(("ok", answer))


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        self.process.kill()
        self.process.join(timeout=5)


class WorkerPool:
    """A warm pool of worker processes reading the on-disk store; see the module docstring."""

    def __init__(
        self, path: Path, *, size: int, timeout: float, generation: Callable[[], int]
    ) -> None:
        """Start `size` workers on the store folder `path` and wait until they are ready.

        Args:
            path: the store folder (already created by the writer).
            size: number of worker processes (concurrent queries).
            timeout: seconds a query may run (`KG_QUERY_TIMEOUT`).
            generation: the writer's current write count (`OxigraphStore.generation`).

        Raises:
            StoreError: a worker could not start or open the store.
        """
        if size < 1:
            raise ValueError("a worker pool needs at least one worker")
        self.path = path
        self.size = size
        self.timeout = timeout
        self._generation = generation
        self._context = multiprocessing.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        try:
            for worker in [self._start() for _ in range(size)]:
                self._wait_ready(worker)
                self._idle.put(worker)
        except StoreError:
            self.close()
            raise
        logger.info("started %d query workers on %s", size, path)

    def pids(self) -> list[int]:
        """The process ids of the live workers (for tests and monitoring)."""
        with self._lock:
            return sorted(w.pid for w in self._all if w.pid is not None and w.process.is_alive())

    def _start(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=_worker_main, args=(child, str(self.path)), name="kg-query-worker", daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        with self._lock:
            closed = self._stopping.is_set()
            if not closed:
                self._all.add(worker)
        if closed:  # the pool was closed while this worker started
            worker.kill()
            raise StoreError("the query worker pool is closed")
        return worker

    def _wait_ready(self, worker: _Worker) -> None:
        try:
            ready = worker.conn.poll(WORKER_START_TIMEOUT) and worker.conn.recv()[0] == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self._discard(worker)
            raise StoreError(f"a query worker could not start on the store at {self.path}")

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._lock:
            self._all.discard(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` now; start its replacement in the background."""
        self._discard(worker)

        def respawn() -> None:
            if self._stopping.is_set():
                return
            try:
                fresh = self._start()
                self._wait_ready(fresh)
            except StoreError:
                if not self._stopping.is_set():
                    logger.exception("could not replace a query worker; the pool has shrunk")
                return
            if self._stopping.is_set():
                self._discard(fresh)
            else:
                self._idle.put(fresh)

        threading.Thread(target=respawn, name="kg-query-respawn", daemon=True).start()

    def _take(self, deadline: float, message: tuple[object, ...]) -> _Worker:
        """An idle worker that accepted `message`; a worker found dead is replaced."""
        while True:
            try:
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise QueryTimeoutError(
                    f"all {self.size} query workers stayed busy for KG_QUERY_TIMEOUT="
                    f"{self.timeout:g} s; try again later"
                ) from None
            try:
                worker.conn.send(message)
            except OSError:  # it died while idle (killed, out of memory): replace it, go on
                logger.warning("query worker %s was dead; replacing it", worker.pid)
                self._replace(worker)
                continue
            return worker

    def run(
        self, request: SparqlRequest, *, accept: str | None, format_name: str | None, max_rows: int
    ) -> SparqlAnswer:
        deadline = time.monotonic() + self.timeout
        message = (self._generation(), request, accept, format_name, max_rows)
        for attempt in (1, 2):
            worker = self._take(deadline, message)
            try:
                finished = worker.conn.poll(max(0.0, deadline - time.monotonic()))
                reply = worker.conn.recv() if finished else None
            except (EOFError, OSError) as exc:
                # the worker died (killed from outside, out of memory): queries only read, so
                # one retry on another worker is safe
                self._replace(worker)
                if attempt == 2:
                    raise StoreError("the query worker stopped while answering; try again") from exc
                logger.warning("query worker %s stopped; retrying the query once", worker.pid)
                continue
            break
        if reply is None:
            logger.warning(
                "query timed out after %g s; killing worker %s", self.timeout, worker.pid
            )
            self._replace(worker)
            raise _timeout_error(self.timeout, cancelled=True)
        self._idle.put(worker)
        status, payload = reply
        if status == "ok" and isinstance(payload, SparqlAnswer):
            return payload
        if isinstance(payload, KGError):
            raise payload
        raise StoreError(f"the query worker answered {status!r}")  # pragma: no cover

    def close(self) -> None:
        """Kill every worker (they hold nothing but a read-only view of the store)."""
        with self._lock:
            self._stopping.set()
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()


def make_executor(store: GraphStore, *, timeout: float, workers: int) -> QueryExecutor:
    """A worker pool for an on-disk `OxigraphStore` (when `workers` > 0), else threads.

    Raises:
        StoreError: the workers could not start.
    """
    if isinstance(store, OxigraphStore) and store.path is not None and workers > 0:
        return WorkerPool(
            store.path, size=workers, timeout=timeout, generation=lambda: store.generation
        )
    if isinstance(store, RemoteStore):  # the connection closes at the timeout, not later
        return ThreadExecutor(store.with_timeout(timeout), timeout=timeout, owns_store=True)
    return ThreadExecutor(store, timeout=timeout)
