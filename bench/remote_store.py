"""`kg build` and REST latency: the embedded store against Virtuoso, same articles, one run.

    .venv/bin/python bench/remote_store.py [--builds 3] [--requests 30]

Starts a throwaway Virtuoso (`virtuoso-t`, Debian `virtuoso-opensource`, on 127.0.0.1 over a
temporary folder, as the tests do: tests/utils/virtuoso.py), then:

- builds data/articles with `kg build --workers 1` `--builds` times into a fresh embedded store
  and into Virtuoso emptied of newskg's graphs (wall-clock per build, spaCy included);
- serves each with `kg serve` and sends `--requests` GETs to a few REST endpoints, one
  connection, after one warm-up request each.

Prints medians and the ratio Virtuoso / embedded. Wall-clock on a shared machine: compare the
two columns of one run, not runs with each other.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.e2e.test_server import free_port  # noqa: E402
from tests.utils.virtuoso import binaries, running_virtuoso  # noqa: E402

PATHS = [
    "/stats",
    "/actors?limit=20",
    "/actors/vladimir-putin/positions?topic=territorial_concessions",
    "/positions?stance=demands&limit=20",
    "/topics?used=true",
    "/stance-matrix",
]


def _build(env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "kg", "build", str(REPO / "data" / "articles"), "--workers", "1"],
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - start


@contextmanager
def _serving(env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                if httpx.get(f"{url}/health").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _latencies(url: str, requests: int) -> dict[str, float]:
    medians = {}
    with httpx.Client(base_url=url, timeout=60) as client:
        for path in PATHS:
            client.get(path).raise_for_status()
            times = []
            for _ in range(requests):
                start = time.perf_counter()
                client.get(path).raise_for_status()
                times.append(time.perf_counter() - start)
            medians[path] = statistics.median(times) * 1000
    return medians


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--builds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    found = binaries()
    if found is None:
        sys.exit("virtuoso-t/isql-vt are not installed: make virtuoso")
    with tempfile.TemporaryDirectory() as scratch, running_virtuoso(Path(scratch), *found) as vt:
        remote_env = {**vt.environment(), "KG_STORE_PATH": f"{scratch}/unused"}
        embedded_builds, remote_builds = [], []
        for run in range(args.builds):
            embedded_builds.append(_build({"KG_STORE_PATH": f"{scratch}/store-{run}"}))
            vt.clear()
            remote_builds.append(_build(remote_env))
        embedded_env = {"KG_STORE_PATH": f"{scratch}/store-0"}
        with _serving(embedded_env) as url:
            embedded = _latencies(url, args.requests)
        with _serving(remote_env) as url:
            remote = _latencies(url, args.requests)
    print(f"{'case':<66} {'embedded':>9} {'virtuoso':>9} {'ratio':>6}")
    e, r = statistics.median(embedded_builds), statistics.median(remote_builds)
    case = f"kg build data/articles, s (median of {args.builds})"
    print(f"{case:<66} {e:9.2f} {r:9.2f} {r / e:6.2f}")
    for path in PATHS:
        e, r = embedded[path], remote[path]
        print(f"{f'GET {path}, ms (median of {args.requests})':<66} {e:9.1f} {r:9.1f} {r / e:6.2f}")


if __name__ == "__main__":
    main()
