"""The embedded store: pyoxigraph on RocksDB (`Store(path)`), or in memory for tests (`Store()`).

pyoxigraph gives repeatable-read isolation and applies each SPARQL update as one transaction, so
`put_graph` sends `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }` as a single update:
readers see the old graph or the new one, never a mix, and a crash leaves the article whole or
absent.

One query is one snapshot, but a REST answer is made of several queries: `snapshot()` holds a
read share of `read_lock` (many readers or one writer) across them (the REST reads enter it for
each answer, `api.deps.SnapshotDep`), so a reader never sees an article half gone or half added
between its queries. Every write takes the lock exclusively, for the moment of the write only.
"""

from __future__ import annotations

import asyncio
import ctypes
import functools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, cast

import pyoxigraph as ox

from kg.errors import NotFoundError, QueryError, QuerySyntaxError, StoreError
from kg.sparql_lexer import explain_syntax_error
from kg.store.base import QueryResult, StoreStats
from kg.store.terms import put_graph_update

if TYPE_CHECKING:
    from rdflib import Graph

logger = logging.getLogger(__name__)


def _store_error(exc: OSError, where: str, action: str) -> StoreError:
    """A StoreError that says what failed, where, and what to do next."""
    text = str(exc)
    lowered = text.lower()
    if "permission denied" in lowered or "read-only" in lowered:
        # before "lock": a read-only folder also fails on its LOCK file
        message = (
            f"cannot {action} the store at {where}: the folder is not writable; make it"
            f" writable or set KG_STORE_PATH to another folder ({text})"
        )
    elif "no space left" in lowered:
        message = (
            f"cannot {action} the store at {where}: the disk is full; free some space and try"
            f" again (each article is stored whole or not at all) ({text})"
        )
    elif "lock" in lowered:
        message = (
            f"the store at {where} is in use by another process (is `kg serve` running?); "
            f"stop it or set KG_STORE_PATH to another folder ({text})"
        )
    else:
        message = f"cannot {action} the store at {where}: {text}"
    return StoreError(message)


class ReadWriteLock:
    """Many readers or one writer; a waiting writer keeps new readers out, so it never starves.

    Readers may take it without blocking (`try_acquire_read`, for an event loop that polls)
    and release it from another thread.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting_writers = 0

    def try_acquire_read(self) -> bool:
        """Take a read share if no writer holds or waits for the lock; never blocks."""
        with self._condition:
            if self._writing or self._waiting_writers:
                return False
            self._readers += 1
            return True

    def acquire_read(self) -> None:
        """Take a read share, waiting while a writer holds or waits for the lock."""
        with self._condition:
            self._condition.wait_for(lambda: not (self._writing or self._waiting_writers))
            self._readers += 1

    def release_read(self) -> None:
        with self._condition:
            self._readers -= 1
            if self._readers == 0:
                self._condition.notify_all()

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold a read share (blocking) for the duration of the block."""
        self.acquire_read()
        try:
            yield
        finally:
            self.release_read()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the lock alone for the duration of the block."""
        with self._condition:
            self._waiting_writers += 1
            try:
                self._condition.wait_for(lambda: not (self._writing or self._readers))
            finally:
                self._waiting_writers -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


#: Seconds between two tries of `ReadShare.__aenter__` while a writer holds or waits for the lock.
POLL_SECONDS = 0.002


class ReadShare:
    """The embedded store's `Snapshot`: a read share of its `ReadWriteLock`, so no write lands
    while it is held.

    `with` waits on the lock (a thread of the CLI or of a threadpool); `async with` polls it
    without waiting (`try_acquire_read`), so the event loop runs on and no thread sits blocked
    (a threadpool full of blocked readers could starve the reader a writer waits for).
    """

    def __init__(self, lock: ReadWriteLock) -> None:
        self._lock = lock

    def __enter__(self) -> None:
        self._lock.acquire_read()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release_read()

    async def __aenter__(self) -> None:
        while not self._lock.try_acquire_read():
            await asyncio.sleep(POLL_SECONDS)

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release_read()


#: Bytes of SPARQL updates written to a store folder between two flushes of its write buffers.
#: RocksDB keeps every write in memory tables until they fill up (about 2.4 MB of RSS per article
#: of 2,500 triples, growing for hundreds of articles): a long build's writer grew from 613 MB
#: at 100 articles to 1,051 MB at 200. Flushed every 16 MB (about 30 such articles), it had
#: 393 MB at 100 and 475 MB at 200; the data written to disk is the same.
FLUSH_AFTER_BYTES = 16 * 2**20


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None under another C library (musl, macOS)."""
    try:
        libc = ctypes.CDLL(None)
    except OSError:  # pragma: no cover - a process without a dynamic C library
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is None:
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return cast(Callable[[int], int], trim)


def release_free_memory() -> bool:
    """Give the C heap's free pages back to the system (glibc's `malloc_trim(0)`); False where
    the C library has no such call.

    Why: glibc keeps what a process frees in its heap for later use, and only gives back the
    pages above the highest block still in use. A write holds the update text, pyoxigraph's
    evaluation of the actor registry's maintenance (its working set grows with the number of
    stored articles that name the actors) and RocksDB's memory tables (freed at each flush) in
    the same heap, so the freed pages sat below live blocks and the writer's RSS grew with
    every article though its live memory did not (`FLUSH_AFTER_BYTES`).
    """
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


class OxigraphStore:
    """A `GraphStore` backed by pyoxigraph; thread-safe, so queries may run in a threadpool."""

    def __init__(self, path: Path | None = None, *, read_only: bool = False) -> None:
        """Open (or create) the store folder `path`, or an in-memory store when `path` is None.

        Args:
            path: the store folder; None for a fresh in-memory store.
            read_only: open an existing folder without taking its lock
                (`pyoxigraph.Store.read_only`), next to the one writer: the reader sees what was
                committed when it was opened; reopen it to see later writes. Writes raise.

        Raises:
            StoreError: the folder cannot be opened: locked by another process, not writable,
                or not a store.
        """
        self.path = path
        self.read_only = read_only
        self.generation = 0
        """Number of writes made through this object (query workers reopen when it changes)."""
        self.read_lock = ReadWriteLock()
        self.after_write: list[Callable[[OxigraphStore], None]] = []
        """Called after each write, still holding the write lock (`kg.read.index` keeps its
        index in step there, so that a reader never sees the two apart)."""
        self.on_close: list[Callable[[OxigraphStore], None]] = []
        """Held shared by a multi-query read, exclusively by every write (module docstring)."""
        self._where = str(path) if path is not None else "<memory>"
        self._unflushed = 0
        """Bytes of updates since the write buffers were last flushed (`FLUSH_AFTER_BYTES`)."""
        try:
            if path is None:
                self._store: ox.Store | None = ox.Store()
            elif read_only:
                self._store = ox.Store.read_only(str(path))
            else:
                self._store = ox.Store(str(path))
        except OSError as exc:
            raise _store_error(exc, self._where, "open") from exc
        logger.debug("opened store %s%s", self._where, " (read-only)" if read_only else "")

    def snapshot(self) -> ReadShare:
        """Hold one consistent view across several queries; see `GraphStore.snapshot`.

        >>> store = OxigraphStore()
        >>> with store.snapshot():
        ...     store.has_graph("http://example.org/g")
        False
        """
        return ReadShare(self.read_lock)

    @property
    def store(self) -> ox.Store:
        """The underlying pyoxigraph store.

        Raises:
            StoreError: the store was closed.
        """
        if self._store is None:
            raise StoreError(f"the store at {self._where} is closed")
        return self._store

    def put_graph(self, graph_iri: str, graph: Graph) -> int:
        """Replace the named graph `graph_iri` by `graph` in one transaction; see `GraphStore`."""
        update, count = put_graph_update(graph_iri, graph)
        self._update(update, action="write")
        logger.debug("put graph %s (%d triples)", graph_iri, count)
        return count

    def remove_graph(self, graph_iri: str) -> bool:
        """Remove the named graph `graph_iri` in one transaction; see `GraphStore`."""
        node = ox.NamedNode(graph_iri)
        try:
            with self.read_lock.writing():
                if not self.store.contains_named_graph(node):
                    return False
                self.store.remove_graph(node)
                self._followed()
        except OSError as exc:
            raise _store_error(exc, self._where, "write") from exc
        finally:
            self.generation += 1
        logger.debug("removed graph %s", graph_iri)
        return True

    def has_graph(self, graph_iri: str) -> bool:
        try:
            return self.store.contains_named_graph(ox.NamedNode(graph_iri))
        except OSError as exc:
            raise _store_error(exc, self._where, "read") from exc

    def graph_iris(self) -> list[str]:
        try:
            return sorted(g.value for g in self.store.named_graphs() if isinstance(g, ox.NamedNode))
        except OSError as exc:
            raise _store_error(exc, self._where, "read") from exc

    def query(
        self,
        sparql: str,
        *,
        use_default_graph_as_union: bool = True,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL query; see `GraphStore.query`."""
        defaults: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] | None = None
        if default_graph is not None:
            defaults = [ox.NamedNode(iri) for iri in default_graph]
        names: list[ox.NamedNode | ox.BlankNode] | None = None
        if named_graphs is not None:
            names = [ox.NamedNode(iri) for iri in named_graphs]
        try:
            return self.store.query(
                sparql,
                use_default_graph_as_union=use_default_graph_as_union and defaults is None,
                default_graph=defaults,
                named_graphs=names,
                base_iri=base_iri,
            )
        except SyntaxError as exc:
            raise QuerySyntaxError(explain_syntax_error(sparql, str(exc.msg or exc))) from exc
        except OSError as exc:
            raise _store_error(exc, self._where, "read") from exc
        except RuntimeError as exc:
            raise QueryError(f"the query could not be evaluated: {exc}") from exc

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL update in one transaction; see `GraphStore.update`."""
        self._update(sparql, action="write", base_iri=base_iri)

    def _update(self, sparql: str, *, action: str, base_iri: str | None = None) -> None:
        try:
            with self.read_lock.writing():
                try:
                    self.store.update(sparql, base_iri=base_iri)
                    self._flush_in_time(len(sparql))
                finally:
                    self._followed()
        except SyntaxError as exc:
            raise QuerySyntaxError(explain_syntax_error(sparql, str(exc.msg or exc))) from exc
        except OSError as exc:
            raise _store_error(exc, self._where, action) from exc
        except RuntimeError as exc:
            raise QueryError(f"the update could not be applied: {exc}") from exc
        finally:
            self.generation += 1  # after the commit: a reader that reopens now sees it

    def _flush_in_time(self, written: int) -> None:
        """Flush a store folder's write buffers to disk once `FLUSH_AFTER_BYTES` of updates
        went in since the last time, then give the freed heap back (`release_free_memory`),
        so that a writer's memory stays flat (an in-memory store has nothing to flush)."""
        if self.path is None:
            return
        self._unflushed += written
        if self._unflushed >= FLUSH_AFTER_BYTES:
            self.store.flush()
            self._unflushed = 0
            release_free_memory()  # the memory tables just freed, and what writes left free

    def dump(self, format: ox.RdfFormat, graph_iri: str | None = None) -> bytes:
        """Serialise one named graph or the whole dataset; see `GraphStore.dump`."""
        try:
            if graph_iri is None:
                if not format.supports_datasets:
                    raise ValueError(
                        f"{format.name} cannot hold named graphs: dump one graph, or use TriG"
                    )
                data = self.store.dump(format=format)
            else:
                node = ox.NamedNode(graph_iri)
                if not self.store.contains_named_graph(node):
                    raise NotFoundError(f"no graph {graph_iri} in the store at {self._where}")
                data = self.store.dump(format=format, from_graph=node)
        except OSError as exc:
            raise _store_error(exc, self._where, "read") from exc
        return data or b""

    def stats(self) -> StoreStats:
        try:
            return StoreStats(graphs=len(self.graph_iris()), triples=len(self.store))
        except OSError as exc:
            raise _store_error(exc, self._where, "read") from exc

    def _followed(self) -> None:
        """Run the `after_write` hooks (a failing hook is the hook's to report)."""
        for hook in self.after_write:
            hook(self)

    def close(self) -> None:
        """Flush to disk and release the folder's lock (idempotent)."""
        if self._store is None:
            return
        for hook in self.on_close:
            hook(self)
        self.on_close.clear()
        try:
            if self.path is not None and not self.read_only:
                self._store.flush()
        except OSError as exc:
            raise _store_error(exc, self._where, "flush") from exc
        finally:
            self._store = None
        logger.debug("closed store %s", self._where)
