"""`kg build --cluster` and `--workers` as a user runs them: real subprocesses, a real on-disk
store, a real Dask LocalCluster on 127.0.0.1; and SIGKILL of a build leaves no process behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pyoxigraph as ox
import pytest

from bench.ingest import make_corpus
from kg.store import OxigraphStore

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "data" / "articles"
VOCABULARIES = ("/ontology", "/actors")


def _env(store: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "KG_STORE_PATH": str(store), **extra}
    env.pop("KG_STORE_URL", None)
    if "KG_CLUSTER" not in extra:
        env.pop("KG_CLUSTER", None)
    return env


def kg(store: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args],
        env=_env(store, **env),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], words: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("kg: error:")]
    assert len(lines) == 1, result.stderr
    assert words in lines[0]


def _dump(path: Path) -> list[bytes]:
    store = OxigraphStore(path)
    try:
        graphs = [g for g in store.graph_iris() if not g.endswith(VOCABULARIES)]
        return sorted(
            line for g in graphs for line in store.dump(ox.RdfFormat.N_QUADS, g).splitlines()
        )
    finally:
        store.close()


def _listening(pid: int) -> set[str]:
    """The addresses the process `pid` and its descendants listen on."""
    found: set[str] = set()
    root = psutil.Process(pid)
    for process in [root, *root.children(recursive=True)]:
        try:
            connections = process.net_connections(kind="inet")
        except psutil.NoSuchProcess:
            continue
        found |= {c.laddr.ip for c in connections if c.status == psutil.CONN_LISTEN}
    return found


def test_cli_build_cluster_local_gives_the_plain_store_on_127_0_0_1(tmp_path: Path) -> None:
    plain = kg(tmp_path / "plain", "build", str(ARTICLES))
    assert plain.returncode == 0, plain.stderr

    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(ARTICLES), "--cluster", "local:2"],
        env=_env(tmp_path / "cluster"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    assert process.stdout is not None
    lines: list[str] = []
    addresses: set[str] = set()
    for line in process.stderr:  # the first stored article: the cluster is up
        lines.append(line)
        if line.startswith("ok"):
            addresses = _listening(process.pid)
            break
    rest, tail = process.communicate(timeout=600)
    stderr = "".join(lines) + tail
    assert process.returncode == 0, stderr
    assert addresses, "the scheduler and the workers listen somewhere"
    assert addresses == {"127.0.0.1"}
    assert "Traceback" not in stderr
    assert rest.strip() == "5 added"
    assert _dump(tmp_path / "cluster") == _dump(tmp_path / "plain")

    again = kg(tmp_path / "cluster", "build", str(ARTICLES), "--cluster", "local:2")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "5 unchanged"


@pytest.mark.parametrize(
    ("args", "env", "words"),
    [
        (["--cluster", "local:0"], {}, "--cluster 'local:0': N in local:N must be"),
        (["--cluster", "http://127.0.0.1:8786"], {}, "give tcp://host:port"),
        ([], {"KG_CLUSTER": "nowhere"}, "setting KG_CLUSTER"),
        (["--cluster", "local:2", "--workers", "2"], {}, "give one of them"),
        (["--workers", "2"], {"KG_CLUSTER": "local:2"}, "give one of them"),
    ],
)
def test_cli_build_cluster_refusals_are_one_line(
    tmp_path: Path, args: list[str], env: dict[str, str], words: str
) -> None:
    _one_line_error(kg(tmp_path / "store", "build", str(ARTICLES), *args, **env), words)
    assert not (tmp_path / "store").exists(), "refused before the store is touched"


def test_cli_build_cluster_unreachable_scheduler_is_one_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = kg(
        tmp_path / "store",
        "build",
        str(ARTICLES),
        "--cluster",
        f"tcp://127.0.0.1:{port}",
        KG_CLUSTER_TIMEOUT="2",
    )
    _one_line_error(result, f"cannot reach the Dask scheduler at tcp://127.0.0.1:{port}")


@pytest.fixture
def feed(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    path.write_text("".join(json.dumps({"text": t}) + "\n" for t in make_corpus(24)))
    return path


def _session(sid: int) -> list[psutil.Process]:
    """Every live process of the session `sid` (a build started in its own session)."""
    found = []
    for process in psutil.process_iter():
        try:
            if os.getsid(process.pid) == sid and process.status() != psutil.STATUS_ZOMBIE:
                found.append(process)
        except (ProcessLookupError, PermissionError, psutil.NoSuchProcess):
            continue
    return found


@pytest.fixture
def session_reaper() -> Iterator[list[int]]:
    """Kills what a failed test leaves in the sessions it lists (never the test's own)."""
    sessions: list[int] = []
    yield sessions
    for sid in sessions:
        for process in _session(sid):
            process.kill()


@pytest.mark.parametrize("mode", [["--workers", "2"], ["--cluster", "local:2"]])
def test_cli_build_sigkill_leaves_no_process(
    tmp_path: Path, feed: Path, mode: list[str], session_reaper: list[int]
) -> None:
    build = subprocess.Popen(
        [sys.executable, "-m", "kg", "build", str(feed), *mode],
        env=_env(tmp_path / "store"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the build and all it starts share the session id build.pid
    )
    session_reaper.append(build.pid)
    assert build.stderr is not None
    for line in build.stderr:
        if line.startswith("ok"):  # the workers are up and working
            break
    started = _session(build.pid)
    assert len(started) >= 3, f"the build and two workers at least: {started}"
    build.send_signal(signal.SIGKILL)
    build.wait(timeout=60)
    build.stderr.close()

    deadline = time.monotonic() + 20
    while (left := _session(build.pid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == [], [" ".join(p.cmdline()[:4]) for p in left]
