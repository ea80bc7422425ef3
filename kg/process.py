"""Child processes that end with their parent."""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import signal

__all__ = ["die_with_parent"]

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Have the kernel send `sig` to this process when its parent ends (Linux `prctl`;
    elsewhere, nothing), so a parent killed with SIGKILL leaves no child behind (the reading
    processes of `kg serve --workers N`).

    The kernel's "parent" is the *thread* that started the process: start it from a thread
    that lives as long as the child should.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, sig)
