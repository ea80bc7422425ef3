"""The store's write count, shared between processes: one writer publishes, readers watch.

`kg serve --workers N` runs one writing process and N reading processes over one store folder
(`api.serving`). A reader's view of the store is a read-only RocksDB instance (and, next to it,
whatever index another module keeps) that shows what was committed when it was opened; it must
be reopened to see later writes. The writer publishes its write count in `SharedGeneration`, a
small memory-mapped file, before it answers the write; a reader reads that number (a memory
read, no system call) at the start of every request and, when it moved, runs the hooks
registered on its `GenerationWatch` (reopen the store, reopen an index, drop a cache) before it
answers. So a client that got the answer to its write sees that write in its next request, from
any process.

    watch = GenerationWatch(SharedGeneration.open(path))
    watch.register(lambda generation: reopen_my_index())   # any module, once per process
    await watch.refresh()                                    # per request (api.main)
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import mmap
import os
import struct
import time
from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreError
from kg.store.oxigraph import OxigraphStore

__all__ = ["GenerationHook", "GenerationWatch", "SharedGeneration", "open_read_only"]

logger = logging.getLogger(__name__)

_FORMAT = "<Q"  # one little-endian unsigned 64-bit count, at offset 0 (an aligned 8-byte store)
_SIZE = struct.calcsize(_FORMAT)

#: Attempts to open a read-only store, and the pause before the first retry (doubled each time,
#: at most `REOPEN_MAX_PAUSE`): about 3 s in all, well over a compaction of our stores.
REOPEN_ATTEMPTS = 12
REOPEN_PAUSE = 0.005
REOPEN_MAX_PAUSE = 0.5

#: A hook gets the new generation; it runs in a threadpool thread, one hook at a time.
GenerationHook = Callable[[int], None]


def open_read_only(path: Path, *, retried: list[str] | None = None) -> OxigraphStore:
    """The store folder `path` opened read-only next to its writer.

    Opening reads the folder's current MANIFEST and every table file it lists; when the
    writer compacts at that moment, a listed file can be deleted before it is opened, and
    RocksDB fails with "No such file or directory" (pyoxigraph raises it as a RuntimeError,
    "Corruption", or an OSError). Nothing is wrong with the store: the open is retried on
    the newer MANIFEST. `tests/reliability/test_readers_under_writes.py` shows it under load.

    Args:
        path: the store folder.
        retried: when given, the message of each failed attempt is appended (for tests).

    Raises:
        StoreError: still failing after `REOPEN_ATTEMPTS` attempts, or another failure.
    """
    if not path.is_dir():  # not a compaction: nothing to wait for
        raise StoreError(f"cannot open the store at {path} read-only: no such folder")
    pause = REOPEN_PAUSE
    for attempt in range(1, REOPEN_ATTEMPTS + 1):
        try:
            return OxigraphStore(path, read_only=True)
        except (StoreError, RuntimeError) as exc:
            message = str(exc)
            if attempt == REOPEN_ATTEMPTS or "no such file" not in message.lower():
                if isinstance(exc, StoreError):
                    raise
                raise StoreError(f"cannot open the store at {path} read-only: {message}") from exc
            if retried is not None:
                retried.append(message)
            logger.debug("a table file went while opening %s read-only; retrying", path)
            time.sleep(pause)
            pause = min(pause * 2, REOPEN_MAX_PAUSE)
    raise AssertionError("unreachable")  # pragma: no cover


class SharedGeneration:
    """A write count in a memory-mapped 8-byte file: `publish` by the one writer, `read` by any
    process. An aligned 8-byte store is never seen half-written on the platforms we run on."""

    def __init__(self, path: Path, mapped: mmap.mmap) -> None:
        self.path = path
        self._map: mmap.mmap | None = mapped

    @classmethod
    def create(cls, path: Path) -> SharedGeneration:
        """A new file at `path` holding 0 (the writer's side).

        Raises:
            OSError: the file cannot be written.
        """
        with open(path, "wb") as handle:
            handle.write(struct.pack(_FORMAT, 0))
        return cls.open(path)

    @classmethod
    def open(cls, path: Path) -> SharedGeneration:
        """Map the existing file at `path`.

        Raises:
            OSError: no such file, or it cannot be mapped.
        """
        fd = os.open(path, os.O_RDWR)
        try:
            mapped = mmap.mmap(fd, _SIZE)
        finally:
            os.close(fd)
        return cls(path, mapped)

    def read(self) -> int:
        """The last published generation."""
        if self._map is None:
            raise ValueError(f"the generation file {self.path} is closed")
        value: int = struct.unpack_from(_FORMAT, self._map, 0)[0]
        return value

    def publish(self, generation: int) -> None:
        """Make `generation` the current one (call it after the write committed)."""
        if self._map is None:
            raise ValueError(f"the generation file {self.path} is closed")
        struct.pack_into(_FORMAT, self._map, 0, generation)

    def close(self) -> None:
        """Unmap the file (idempotent)."""
        if self._map is not None:
            with contextlib.suppress(BufferError):
                self._map.close()
            self._map = None


class GenerationWatch:
    """Per process: the generation this process has caught up with, and the hooks that catch
    it up. Hooks run in registration order; a failing hook is logged and retried at the next
    request (the generation is only marked seen when every hook succeeded)."""

    def __init__(self, shared: SharedGeneration) -> None:
        self.shared = shared
        self.seen = shared.read()
        self._hooks: list[GenerationHook] = []
        self._lock = asyncio.Lock()

    def register(self, hook: GenerationHook) -> None:
        """Run `hook(generation)` whenever a newer generation is published."""
        self._hooks.append(hook)

    def current(self) -> int:
        """The writer's latest published generation (what query workers compare with)."""
        return self.shared.read()

    async def refresh(self) -> int:
        """Catch up with the writer if it published since the last call; the generation seen.

        Requests arriving while hooks run wait for them, so none answers from the old view.
        """
        latest = self.shared.read()
        if latest == self.seen:
            return latest
        async with self._lock:
            latest = self.shared.read()
            if latest != self.seen:
                await asyncio.to_thread(self._run_hooks, latest)
        return self.seen

    def refresh_sync(self) -> int:
        """`refresh` for code outside an event loop (tests, scripts)."""
        latest = self.shared.read()
        if latest != self.seen:
            self._run_hooks(latest)
        return self.seen

    def _run_hooks(self, latest: int) -> None:
        for hook in self._hooks:
            try:
                hook(latest)
            except Exception:  # a hook's failure must not stop the others, nor the request
                logger.exception("a reopen hook failed at generation %d; retrying later", latest)
                return
        self.seen = latest
