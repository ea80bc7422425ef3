"""A process killed (SIGKILL) while it writes and removes articles leaves the article graphs and
the actor registry in agreement: each write is one update that carries both
(`kg.registry.put_article_update`), so no kill lands between them. Checked on the store as
the kill left it, before any start-up repair."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.registry import registry_problems
from kg.store import OxigraphStore
from tests.integration.test_registry import IRIS, assert_exact
from tests.reliability.support import REPO

pytestmark = pytest.mark.slow

WRITER = """
import sys
from pathlib import Path
from kg.build import Builder
from kg.config import Settings
from kg.store import OxigraphStore
from tests.integration.test_registry import IRIS, put, renamed_putin
from tests.utils.extraction import BASE_IRI, demo_extraction
from tests.utils.talks import talks_one, talks_two

store = OxigraphStore(Path(sys.argv[1]))
builder = Builder(Settings(base_iri=BASE_IRI), store)
print("writing", flush=True)
n = 0
while True:
    n += 1
    put(store, talks_one(f"one-{n % 3}"))
    put(store, renamed_putin(f"demo-{n % 2}") if n % 2 else demo_extraction())
    put(store, talks_two("two"))
    builder.remove(f"one-{(n + 1) % 3}")
"""


@pytest.mark.parametrize("delay", [0.3, 0.7, 1.1, 1.6], ids=lambda d: f"{d}s")
def test_registry_crash_mid_writes_leaves_articles_and_registry_in_agreement(
    tmp_path: Path, delay: float
) -> None:
    path = tmp_path / "store"
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        cwd=REPO,
        env={**os.environ},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    try:
        assert writer.stdout.readline().strip() == "writing"
        time.sleep(delay)
        writer.send_signal(signal.SIGKILL)
    finally:
        writer.wait(timeout=60)
        writer.stdout.close()
    store = OxigraphStore(path)
    try:
        assert registry_problems(store, IRIS) == []
        assert_exact(store)
    finally:
        store.close()
