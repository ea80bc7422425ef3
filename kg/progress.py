"""Progress of a long build: done/total, the rate and the time left, for `kg build` on stderr.

The rate counts only articles that were extracted (stored, replaced or refused by a step):
unchanged articles, duplicates and unreadable files are reported at once before any work, and
counting them would promise a resumed build of 100,000 articles an ETA of seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

#: Seconds between two progress lines when stderr is not a terminal (logs, CI).
LINE_INTERVAL = 30.0


@dataclass(slots=True)
class BuildProgress:
    """Counts outcomes as they come; `summary` renders them.

    Args:
        total: items of the build (known once the sources are read).
        clock: seconds, monotonic (tests pass their own).
    """

    total: int | None = None
    clock: Callable[[], float] = time.monotonic
    done: int = 0
    worked: int = 0
    work_started: float = field(default=0.0)
    last_line: float = field(default=0.0)

    def __post_init__(self) -> None:
        self.work_started = self.last_line = self.clock()

    def advance(self, *, worked: bool) -> None:
        """One more item; `worked`: it went through extraction (not skipped at once)."""
        self.done += 1
        if worked:
            self.worked += 1
        elif self.worked == 0:
            self.work_started = self.clock()  # the skips came first: the work starts after them

    @property
    def rate(self) -> float | None:
        """Extracted articles per second, None before the first."""
        elapsed = self.clock() - self.work_started
        if self.worked == 0 or elapsed <= 0:
            return None
        return self.worked / elapsed

    def summary(self) -> str:
        """'120/3000 (4%), 1.62 articles/s, ETA 29m 38s'."""
        if not self.total:
            return f"{self.done} done"
        parts = [f"{self.done}/{self.total} ({self.done / self.total:.0%})"]
        rate = self.rate
        if rate is not None:
            parts.append(f"{rate:.2f} articles/s")
            parts.append(f"ETA {format_seconds((self.total - self.done) / rate)}")
        return ", ".join(parts)

    def due(self, interval: float = LINE_INTERVAL) -> bool:
        """True once per `interval` seconds: time for another progress line."""
        now = self.clock()
        if now - self.last_line < interval:
            return False
        self.last_line = now
        return True


def format_seconds(seconds: float) -> str:
    """4 -> '4s', 1778 -> '29m 38s', 7322 -> '2h 02m'."""
    whole = round(seconds)
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
