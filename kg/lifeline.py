"""Worker processes end when the process that started them is gone.

A `kg build --workers N` worker reads its tasks from a pipe whose writing end its siblings also
hold, so when the build is killed with SIGKILL (no `atexit`, no cleanup) the worker never sees
end-of-file: it and multiprocessing's resource tracker (which waits for every worker to close
its pipe) ran on forever, about 230 MB each. A daemon thread in each worker polls its parent
id; when the parent is gone the process is reparented and the thread ends it at once.
(`--cluster local:N` workers are Dask's: they already exit when their nanny's pipe closes.)
"""

from __future__ import annotations

import logging
import os
import threading
import time

logger = logging.getLogger(__name__)

#: Seconds between two looks at the parent: an orphan lives at most this long.
POLL_SECONDS = 0.5


def exit_with_parent(parent_pid: int, *, poll_seconds: float = POLL_SECONDS) -> threading.Thread:
    """End this process (exit status 1, no cleanup) as soon as `parent_pid` is no longer its
    parent; if it is already not, end it now."""
    if os.getppid() != parent_pid:
        os._exit(1)
    thread = threading.Thread(
        target=_watch, args=(parent_pid, poll_seconds), name="kg-lifeline", daemon=True
    )
    thread.start()
    return thread


def _watch(parent_pid: int, poll_seconds: float) -> None:
    while os.getppid() == parent_pid:
        time.sleep(poll_seconds)
    logger.warning("parent process %d is gone; this worker exits", parent_pid)
    os._exit(1)
