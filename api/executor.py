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
is relied on here (a reader opened, or reopened, after a write sees it; opening retried when a
compaction removes a file, `kg.store.generation.open_read_only`) is proved under load by
tests/reliability/test_readers_under_writes.py, and checked by tests/e2e/test_sparql_server.py.

The HTTP path uses `WorkerPool.arun`: the event loop watches the worker's pipe, so no thread
waits for an answer (`api.fastpath`); `run` is the same for callers in threads.
"""

from __future__ import annotations

import asyncio
import collections
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

from starlette.concurrency import run_in_threadpool

from api.sparql import SparqlAnswer, SparqlRequest, execute
from kg.errors import InternalQueryError, KGError, QueryTimeoutError, StoreError
from kg.store import GraphStore, OxigraphStore, RemoteStore
from kg.store.generation import open_read_only

logger = logging.getLogger(__name__)

#: Seconds a new worker may take to start and open the store.
WORKER_START_TIMEOUT = 60.0
#: Seconds between two looks for an idle worker while all are busy, in case a wake-up was
#: missed (`WorkerPool.arun`; a released worker wakes one waiting request at once).
IDLE_POLL_SECONDS = 0.05


def _wake(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def _readable(loop: asyncio.AbstractEventLoop, conn: Connection, timeout: float) -> bool:
    """Wait until `conn` has data (True) or `timeout` seconds pass (False), on the loop."""
    if conn.poll(0):
        return True
    ready: asyncio.Future[None] = loop.create_future()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    fd = conn.fileno()
    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, max(0.0, timeout))
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
        # uvloop (libuv) makes a watched descriptor non-blocking; `Connection.recv` must block
        # until a long answer has arrived whole, or it fails halfway (BlockingIOError)
        os.set_blocking(fd, True)
    return True


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

    async def arun(
        self, request: SparqlRequest, *, accept: str | None, format_name: str | None, max_rows: int
    ) -> SparqlAnswer:
        """`run` for an event loop: the same answer and errors, without blocking the loop."""
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
        self,
        store: GraphStore,
        *,
        timeout: float,
        threads: int = 8,
        current_store: Callable[[], GraphStore] | None = None,
        owns_store: bool = False,
    ) -> None:
        self.store = store
        self.timeout = timeout
        self._current = current_store or (lambda: self.store)
        self._owns_store = owns_store
        self._threads = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="kg-query")

    def run(
        self, request: SparqlRequest, *, accept: str | None, format_name: str | None, max_rows: int
    ) -> SparqlAnswer:
        store = self._current()
        future = self._threads.submit(
            execute, store, request, accept=accept, format_name=format_name, max_rows=max_rows
        )
        try:
            return future.result(timeout=self.timeout)
        except FutureTimeout:
            future.cancel()
            raise _timeout_error(self.timeout, cancelled=False) from None

    async def arun(
        self, request: SparqlRequest, *, accept: str | None, format_name: str | None, max_rows: int
    ) -> SparqlAnswer:
        return await run_in_threadpool(
            self.run, request, accept=accept, format_name=format_name, max_rows=max_rows
        )

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
                store = open_read_only(Path(path))
                generation = wanted
            try:
                answer = execute(
                    store, request, accept=accept, format_name=format_name, max_rows=max_rows
                )
            except StoreError:
                # a file the reader opened may have been compacted away by the writer since:
                # reopen once and try again
                store = open_read_only(Path(path))
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
        self._waiters: collections.deque[asyncio.Future[None]] = collections.deque()
        """Event-loop callers of `arun` waiting for a worker, woken by `_release`."""
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        try:
            for worker in [self._start() for _ in range(size)]:
                self._wait_ready(worker)
                self._release(worker)
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
                self._release(fresh)

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
                self._lost(worker, attempt, exc)
                continue
            break
        return self._settle(worker, reply)

    async def arun(
        self, request: SparqlRequest, *, accept: str | None, format_name: str | None, max_rows: int
    ) -> SparqlAnswer:
        """`run` on the event loop: the worker's pipe is watched by the loop (`add_reader`),
        so no thread waits on it; the same answers, errors and timeout as `run`."""
        loop = asyncio.get_running_loop()
        deadline = time.monotonic() + self.timeout
        message = (self._generation(), request, accept, format_name, max_rows)
        for attempt in (1, 2):
            worker = await self._atake(deadline, message)
            try:
                finished = await _readable(loop, worker.conn, deadline - time.monotonic())
                reply = worker.conn.recv() if finished else None
            except (EOFError, OSError) as exc:
                self._lost(worker, attempt, exc)
                continue
            except BaseException:  # cancelled (the client left): the answer is still coming
                self._replace(worker)
                raise
            break
        return self._settle(worker, reply)

    def _release(self, worker: _Worker) -> None:
        """Put `worker` back, and wake one event-loop caller waiting for a worker."""
        self._idle.put(worker)
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.get_loop().call_soon_threadsafe(_wake, waiter)
                return

    async def _atake(self, deadline: float, message: tuple[object, ...]) -> _Worker:
        """`_take` without blocking the loop: while all workers are busy, wait to be woken
        by `_release` (or, at worst, look again every `IDLE_POLL_SECONDS`)."""
        loop = asyncio.get_running_loop()
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise QueryTimeoutError(
                        f"all {self.size} query workers stayed busy for KG_QUERY_TIMEOUT="
                        f"{self.timeout:g} s; try again later"
                    ) from None
                waiter: asyncio.Future[None] = loop.create_future()
                self._waiters.append(waiter)
                if not self._idle.empty():  # released between the look and the append
                    waiter.cancel()
                    continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter, min(remaining, IDLE_POLL_SECONDS))
                continue
            try:
                worker.conn.send(message)
            except OSError:
                logger.warning("query worker %s was dead; replacing it", worker.pid)
                self._replace(worker)
                continue
            return worker

    def _lost(self, worker: _Worker, attempt: int, exc: BaseException) -> None:
        """The worker died while answering (killed from outside, out of memory): queries only
        read, so the caller retries once on another worker."""
        self._replace(worker)
        if attempt == 2:
            raise StoreError("the query worker stopped while answering; try again") from exc
        logger.warning("query worker %s stopped; retrying the query once", worker.pid)

    def _settle(self, worker: _Worker, reply: tuple[str, object] | None) -> SparqlAnswer:
        """The answer, or the error, of `reply`; no reply: the query timed out, kill it."""
        if reply is None:
            logger.warning(
                "query timed out after %g s; killing worker %s", self.timeout, worker.pid
            )
            self._replace(worker)
            raise _timeout_error(self.timeout, cancelled=True)
        self._release(worker)
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


def make_executor(
    store: GraphStore,
    *,
    timeout: float,
    workers: int,
    generation: Callable[[], int] | None = None,
    current_store: Callable[[], GraphStore] | None = None,
) -> QueryExecutor:
    """A worker pool for an on-disk `OxigraphStore` (when `workers` > 0), else threads.

    Args:
        store: the store served.
        timeout: seconds a query may run (`KG_QUERY_TIMEOUT`).
        workers: query worker processes; 0 for threads.
        generation: the current write count, when it is not `store.generation` (a reader
            process of `kg serve --workers N` reads the writer's: `kg.store.generation`).
        current_store: the store to query in threads, when it is reopened (a reader process).

    Raises:
        StoreError: the workers could not start.
    """
    if isinstance(store, OxigraphStore) and store.path is not None and workers > 0:
        return WorkerPool(
            store.path,
            size=workers,
            timeout=timeout,
            generation=generation or (lambda: store.generation),
        )
    if isinstance(store, RemoteStore):  # the connection closes at the timeout, not later
        return ThreadExecutor(store.with_timeout(timeout), timeout=timeout, owns_store=True)
    return ThreadExecutor(store, timeout=timeout, current_store=current_store)
