"""`kg.progress.BuildProgress`: done/total, the rate of extracted articles and the ETA."""

from __future__ import annotations

import pytest

from kg.progress import BuildProgress, format_seconds


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_rate_ignores_the_skips_that_come_first() -> None:
    clock = Clock()
    progress = BuildProgress(total=1000, clock=clock)
    clock.now += 2
    for _ in range(900):  # a resumed build: 900 unchanged, reported at once
        progress.advance(worked=False)
    assert progress.rate is None
    assert progress.summary() == "900/1000 (90%)"
    clock.now += 10
    for _ in range(20):
        progress.advance(worked=True)
    assert progress.rate == pytest.approx(2.0)
    assert progress.summary() == "920/1000 (92%), 2.00 articles/s, ETA 40s"


def test_progress_line_is_due_once_per_interval() -> None:
    clock = Clock()
    progress = BuildProgress(total=None, clock=clock)
    assert not progress.due(30)
    clock.now += 31
    assert progress.due(30)
    assert not progress.due(30)
    progress.advance(worked=True)
    assert progress.summary() == "1 done"


@pytest.mark.parametrize(
    ("seconds", "text"), [(4.4, "4s"), (59.6, "1m 00s"), (1778, "29m 38s"), (7322, "2h 02m")]
)
def test_progress_format_seconds(seconds: float, text: str) -> None:
    assert format_seconds(seconds) == text
