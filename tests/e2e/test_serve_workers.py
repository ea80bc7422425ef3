"""`kg serve --workers 2` (api.serving): two reading processes share the port, writes go
through the one writer, every reader sees each write as soon as it is answered, a killed reader
is replaced, and stopping the server leaves no process and no private folder behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE, load_trig
from tests.e2e.test_server import free_port
from tests.reliability.support import assert_problem

pytestmark = pytest.mark.e2e

TOKEN = "workers-secret"  # noqa: S105 - a test token
AUTH = {"Authorization": f"Bearer {TOKEN}"}
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
TRIPLES = 6


@dataclass
class Served:
    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def children(self) -> list[int]:
        return _children(self.process.pid)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    except OSError:
        return []
    return found + [g for c in found for g in _children(c)]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    return state != "Z"


def _describe(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return f"{pid} (gone)"
    return f"{pid} state {stat[0]} parent {stat[1]}: {command[:120]}"


def _readers(served: Served) -> list[int]:
    """The reading processes: the server's direct children that are uvicorn servers."""
    direct = []
    for task in Path(f"/proc/{served.process.pid}/task").iterdir():
        direct += [int(c) for c in (task / "children").read_text().split()]
    return [pid for pid in direct if "spawn_main" in Path(f"/proc/{pid}/cmdline").read_text()]


def _wait_ready(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Until the writer and both readers have started and the port answers."""
    deadline = time.monotonic() + 90
    while True:
        assert process.poll() is None, log.read_text()
        try:
            started = log.read_text().count("Application startup complete") >= 3
            if started and httpx.get(f"{url}/health", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, "kg serve --workers 2 did not start"
        time.sleep(0.2)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    store = OxigraphStore(tmp_path / "store")
    load_trig(store)
    store.close()
    port = free_port()
    env = {
        **os.environ,
        "KG_STORE_PATH": str(tmp_path / "store"),
        "KG_BASE_IRI": SAMPLE_BASE,
        "KG_PORT": str(port),
        "KG_QUERY_WORKERS": "1",
        "KG_WRITE_TOKEN": TOKEN,
        "KG_MAX_BODY_BYTES": "100000",
    }
    env.pop("KG_STORE_URL", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "kg", "serve", "--workers", "2"],
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(url, process, log)
        yield Served(url, process, log)
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=30)


def _insert(n: int) -> str:
    triples = " ".join(f'<http://w.example/{n}/s{i}> <http://w.example/p> "{n}" .' for i in
                       range(TRIPLES))  # fmt: skip
    return f"INSERT DATA {{ GRAPH <http://w.example/g{n}> {{ {triples} }} }}"


def _ask(url: str, n: int) -> bool:
    query = f"ASK {{ GRAPH <http://w.example/g{n}> {{ ?s ?p ?o }} }}"
    with httpx.Client() as fresh:  # a new connection: any reader may take it
        answer = fresh.get(f"{url}/sparql", params={"query": query},
                           headers={"Accept": "application/sparql-results+json"})  # fmt: skip
    assert answer.status_code == 200, answer.text
    return bool(answer.json()["boolean"])


def test_serve_workers_readers_share_the_port_and_see_every_write(served: Served) -> None:
    assert len(_readers(served)) == 2
    graphs = httpx.get(f"{served.url}/health").json()["graphs"]
    for n in range(20):
        update = httpx.post(f"{served.url}/update", content=_insert(n), headers={
            **AUTH, "Content-Type": "application/sparql-update"})  # fmt: skip
        assert update.status_code == 204, update.text
        assert _ask(served.url, n)  # the SPARQL path (query workers) sees it at once
        with httpx.Client() as fresh:  # the REST path (the reader's own store) too
            assert fresh.get(f"{served.url}/health").json()["graphs"] == graphs + n + 1
    # a form POST to /sparql: a query is answered by a reader, an update goes to the writer
    form = httpx.post(f"{served.url}/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert form.json()["boolean"] is True
    drop = httpx.post(f"{served.url}/sparql", data={"update": "DROP GRAPH <http://w.example/g0>"},
                      headers=AUTH)  # fmt: skip
    assert drop.status_code == 204, drop.text
    assert not _ask(served.url, 0)
    # an answer longer than a pipe's buffer comes whole from the query worker (uvloop)
    long_text = "x" * 90_000
    graph = "<http://w.example/big>"
    triple = f'<http://w.example/b> <http://w.example/p> "{long_text}"'
    insert = f"INSERT DATA {{ GRAPH {graph} {{ {triple} }} }}"
    update_headers = {**AUTH, "Content-Type": "application/sparql-update"}
    big = httpx.post(f"{served.url}/update", headers=update_headers, content=insert)
    assert big.status_code == 204, big.text
    select = {"query": f"SELECT ?o WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"}
    for _ in range(4):  # each reader, each query worker
        answer = httpx.get(f"{served.url}/sparql", params=select, headers={"Accept": "text/csv"})
        assert answer.status_code == 200, answer.text
        assert long_text in answer.text
    # the writer's refusals come back unchanged, as problem+json
    refused = httpx.post(f"{served.url}/update", content=_insert(99),
                         headers={"Content-Type": "application/sparql-update"})  # fmt: skip
    assert_problem(refused, 401)
    too_big = httpx.post(f"{served.url}/documents", content=b"x" * 200_000, headers={
        **AUTH, "Content-Type": "application/json"})  # fmt: skip
    assert_problem(too_big, 413, "KG_MAX_BODY_BYTES")
    assert "Traceback" not in served.log.read_text()


def test_serve_workers_concurrent_readers_see_graphs_whole(served: Served) -> None:
    stop = threading.Event()
    problems: list[str] = []
    answers = [0]

    def read() -> None:
        with httpx.Client(timeout=30) as client:
            while not stop.is_set():
                answer = client.get(f"{served.url}/sparql", params={"query": GRAPH_SIZES},
                                    headers={"Accept": "text/csv"})  # fmt: skip
                if answer.status_code != 200:
                    problems.append(f"{answer.status_code} {answer.text[:200]}")
                    continue
                answers[0] += 1
                for line in answer.text.splitlines()[1:]:
                    graph, count = line.rsplit(",", 1)
                    if "w.example" in graph and int(count) != TRIPLES:
                        problems.append(f"{graph} seen with {count} triples")

    readers = [threading.Thread(target=read) for _ in range(4)]
    for thread in readers:
        thread.start()
    try:
        with httpx.Client(headers={**AUTH, "Content-Type": "application/sparql-update"}) as w:
            for n in range(100):
                # replace a graph whole (drop and insert in one update), or add a new one
                target = n // 2 if n % 3 == 2 else n
                update = f"DROP SILENT GRAPH <http://w.example/g{target}> ; " + _insert(target)
                assert w.post(f"{served.url}/update", content=update).status_code == 204
    finally:
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
    assert problems == []
    assert answers[0] > 20


def test_serve_workers_a_killed_reader_is_replaced_and_stop_leaves_nothing(
    served: Served,
) -> None:
    first = _readers(served)
    os.kill(first[0], signal.SIGKILL)
    deadline = time.monotonic() + 60
    while served.log.read_text().count("Application startup complete") < 4:  # writer, 3 readers
        assert time.monotonic() < deadline, "no reader replaced the killed one"
        time.sleep(0.2)
    assert len([p for p in _readers(served) if p not in first]) == 1
    for _ in range(10):
        assert httpx.get(f"{served.url}/health").status_code == 200
    runtime = [line for line in served.log.read_text().splitlines() if "writer.sock" in line]
    folder = Path(runtime[0].split("unix socket ")[1].split()[0]).parent
    assert folder.is_dir()
    everyone = served.children()
    served.process.send_signal(signal.SIGTERM)
    served.process.wait(timeout=60)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in everyone):
        assert time.monotonic() < deadline, [_describe(p) for p in everyone if _alive(p)]
        time.sleep(0.2)
    assert not folder.exists()
    assert "Traceback" not in served.log.read_text()
