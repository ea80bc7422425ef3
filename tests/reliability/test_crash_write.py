"""A process killed (SIGKILL) in the middle of replacing a named graph leaves the old graph or
the new one, never a mix and never nothing: the replace that `put_graph` sends (DROP + INSERT
DATA, `kg.store.terms.put_graph_update`) is one transaction. Complements
tests/e2e/test_crash.py, which kills `kg build` between articles; here the kill lands inside one
large write, at several moments."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.store import OxigraphStore
from tests.reliability.support import REPO

pytestmark = pytest.mark.slow

GRAPH = "http://example.org/graph/big"
#: Replacing 1,000 triples by 30,000 takes over a second here: the kills land inside it.
OLD, NEW = 1_000, 30_000
WRITER = f"""
import sys
from pathlib import Path
from kg.store import OxigraphStore

def replacement(label, count):
    triples = " ".join(
        f'<http://example.org/s{{i}}> <http://example.org/p> "{{label}}" .' for i in range(count)
    )
    graph = "<{GRAPH}>"
    insert = "INSERT DATA {{ GRAPH " + graph + " {{ " + triples + " }} }}"
    return f"DROP SILENT GRAPH {{graph}} ; {{insert}}"

store = OxigraphStore(Path(sys.argv[1]))
store.update(replacement("old", {OLD}))
store.close()
update = replacement("new", {NEW})
store = OxigraphStore(Path(sys.argv[1]))
print("writing", flush=True)
store.update(update)
print("done", flush=True)
store.close()
"""


def _contents(path: Path) -> tuple[int, set[str]]:
    store = OxigraphStore(path)
    try:
        rows = store.query(
            f"SELECT ?o (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }} GROUP BY ?o"
        )
        counts = {row["o"].value: int(row["n"].value) for row in rows}  # type: ignore[union-attr]
    finally:
        store.close()
    return sum(counts.values()), set(counts)


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.3, 0.6, 1.0, -1], ids=lambda d: f"{d}s")
def test_crash_write_killed_mid_replace_leaves_old_or_new(tmp_path: Path, delay: float) -> None:
    store = tmp_path / "store"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(store)],
        cwd=REPO,
        env={**os.environ},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    try:
        assert writer.stdout.readline().strip() == "writing"
        if delay < 0:  # after the write returned: the new graph must be there
            assert writer.stdout.readline().strip() == "done"
        else:
            time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.wait(timeout=60)
        writer.stdout.close()
    total, labels = _contents(store)
    assert (total, labels) in [(OLD, {"old"}), (NEW, {"new"})], (total, labels)
