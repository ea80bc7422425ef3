"""Query latency over HTTP: our server against `oxigraph serve` and rdflib-endpoint, same data.

    .venv/bin/python bench/query.py [--triples 1000000] [--duration 10] [--conns 1 8]
        [--rdflib-triples N] [--rdflib-timeout 10] [--only ours,oxigraph,rdflib]
        [--workers N] [--cases lookup,property] [--rdflib-bin PATH]

The synthetic graph of `bench/graph.py` (generated and bulk-loaded on first use, cached in
build/bench/) is served by three servers, each on a free port of 127.0.0.1, one at a time:

- ours: `kg serve --workers N` (default: the number of cores) on the pyoxigraph store, this
  checkout's code (`python -m kg`): N reading processes sharing the port, each with its query
  worker pool, and the writer (`api.serving`);
- `oxigraph serve --union-default-graph` (the Rust server of the `oxigraph` package) on a store
  loaded by `oxigraph load` from the same file;
- rdflib-endpoint (`rdflib-endpoint serve FILE`, rdflib's Dataset with a union default graph),
  loaded from the same file (or from the `--rdflib-triples` prefix of it: its engine needs
  seconds to minutes per `GRAPH ?g` query at a million triples). A request that takes longer
  than `--rdflib-timeout` is reported as "timeout" and the server is restarted (its handler
  blocks its event loop, so the query would otherwise go on delaying every later case).

Each case runs for `--duration` seconds per number of connections: every connection is a
thread with its own keep-alive `http.client` connection sending the same request in a loop.
The table gives the median and p99 latency and requests/s, and for our server the ratio of
its median to oxigraph serve's, and of its requests/s to oxigraph serve's and rdflib-endpoint's;
`engine ms` is the median time pyoxigraph takes in-process for the query (results read to the
end). Our server's peak memory (VmHWM of the server process, and the sum over its reading
processes and query workers) is printed at the end, and `cpu ms/req` is the CPU time the
server (with all its processes) spent per answered request, which a busy machine disturbs less
than latency.

Figures are wall-clock on a shared machine: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.graph import (  # noqa: E402
    BASE_IRI,
    DEFAULT_OUT,
    Dataset,
    generate,
    is_loaded,
    load_oxigraph_cli,
    load_pyoxigraph,
    oxigraph_cli,
)

BIN = Path(sys.executable).parent
PREFIXES = (
    "PREFIX kg: <https://w3id.org/newskg/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
    "PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
)


def sparql_cases(m: dict[str, str]) -> dict[str, str]:
    """The representative SPARQL queries, filled with the manifest's actor, topic, position."""
    actor, position = f"<{m['actor_iri']}>", f"<{m['position_iri']}>"
    topic = json.dumps(m["topic"])
    return {
        "lookup (1 subject)": f"SELECT ?p ?o WHERE {{ {position} ?p ?o }}",
        "actor: all facts": (
            f"SELECT ?g ?s ?p ?o WHERE {{ GRAPH ?g {{ {{ {actor} ?p ?o BIND({actor} AS ?s) }}"
            f" UNION {{ ?s ?p {actor} }} }} }}"
        ),
        "actor positions on topic": (
            f"{PREFIXES}SELECT ?pos ?stance ?dir ?doc ?text WHERE {{ GRAPH ?g {{"
            f" ?pos kg:holder {actor} ; kg:topic ?t ; kg:stance ?stance ; kg:direction ?dir ;"
            " kg:evidence ?ev . ?ev oa:hasSource ?d ; oa:hasSelector ?sel . ?sel oa:exact ?text ."
            f" ?d kg:documentId ?doc }} ?t skos:notation {topic} }}"
        ),
        "2-hop event participants": (
            f"{PREFIXES}SELECT ?other (COUNT(DISTINCT ?e2) AS ?n) WHERE {{"
            f" GRAPH ?g1 {{ ?e1 sem:hasActor {actor}, ?mid }}"
            " GRAPH ?g2 { ?e2 sem:hasActor ?mid, ?other }"
            f" FILTER(?g1 != ?g2 && ?mid != {actor} && ?other != ?mid) }}"
            " GROUP BY ?other ORDER BY DESC(?n) ?other LIMIT 20"
        ),
        "count by event type": (
            f"{PREFIXES}SELECT ?type (COUNT(?e) AS ?n) WHERE {{ GRAPH ?g {{ ?e a ?type }}"
            " ?type rdfs:subClassOf kg:Event } GROUP BY ?type ORDER BY ?type"
        ),
        "text filter on quotes": (
            f"{PREFIXES}SELECT ?q ?text WHERE {{ ?q a kg:Quote ; kg:quotedText ?text"
            f' FILTER(CONTAINS(LCASE(?text), "{m["quote_word"]} {m["quote_word"]}")) }}'
            " ORDER BY ?q LIMIT 100"
        ),
        "property path": (
            f"{PREFIXES}SELECT ?doc (COUNT(?pos) AS ?n) WHERE {{ ?pos kg:holder {actor} ;"
            " kg:evidence/oa:hasSource/kg:documentId ?doc ; kg:topic/skos:inScheme ?s }"
            " GROUP BY ?doc ORDER BY DESC(?n) ?doc LIMIT 50"
        ),
    }


def rest_cases(m: dict[str, str]) -> dict[str, str]:
    """The REST equivalents (paths on our server only)."""
    return {
        "REST /actors/{id}/positions?topic=": (
            f"/actors/{quote(m['actor'])}/positions?topic={quote(m['topic'])}"
        ),
        "REST /topics/{id}/positions": f"/topics/{quote(m['topic'])}/positions",
        "REST /events?actor=": f"/events?actor={quote(m['actor'])}",
        "REST /actors/{id}/network": f"/actors/{quote(m['actor'])}/network",
    }


# --- servers ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Server:
    """A server process of ours, in its own process group (so its workers stop with it)."""

    name: str
    argv: list[str]
    port: int
    sparql_path: str
    ready_path: str
    env: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 600) -> float:
        """Start and wait until `ready_path` answers 200; the seconds it took."""
        started = time.perf_counter()
        self.process = subprocess.Popen(
            self.argv,
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        while time.perf_counter() - started < timeout:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}")
            with contextlib.suppress(OSError, http.client.HTTPException):
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", self.ready_path)
                if conn.getresponse().status == 200:
                    conn.close()
                    return time.perf_counter() - started
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer within {timeout:g} s")

    def peak_rss_mb(self) -> tuple[float, float]:
        """VmHWM of the server process and the sum over its child processes, in MB."""
        if self.process is None:
            return 0.0, 0.0
        own = _hwm_kb(self.process.pid)
        children = sum(_hwm_kb(pid) for pid in _children(self.process.pid))
        return own / 1024, children / 1024

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server process and its children."""
        if self.process is None:
            return 0.0
        pids = [self.process.pid, *_children(self.process.pid)]
        return sum(_cpu_ticks(pid) for pid in pids) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def _hwm_kb(pid: int) -> int:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def _cpu_ticks(pid: int) -> int:
    with contextlib.suppress(OSError, ValueError, IndexError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            found += [int(c) for c in (task / "children").read_text().split()]
    return found + [g for c in found for g in _children(c)]


@contextlib.contextmanager
def running(server: Server) -> Iterator[Server]:
    try:
        server.start()
        yield server
    finally:
        server.stop()


# --- load generator -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Result:
    latencies_ms: list[float]
    seconds: float
    errors: int
    timeout: bool = False
    cpu_seconds: float = float("nan")
    """CPU time the server (and its child processes) spent during the run."""

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")

    @property
    def p99(self) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else float("nan")

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / len(self.latencies_ms) if self.latencies_ms else 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0


def _request(conn: http.client.HTTPConnection, path: str, accept: str) -> int:
    conn.request("GET", path, headers={"Accept": accept})
    response = conn.getresponse()
    response.read()
    return response.status


def probe(port: int, path: str, accept: str, timeout: float) -> tuple[int | None, float]:
    """One request: its status (None on timeout) and seconds."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    try:
        return _request(conn, path, accept), time.perf_counter() - started
    except TimeoutError:
        return None, time.perf_counter() - started
    finally:
        conn.close()


def hammer(
    port: int, path: str, accept: str, conns: int, duration: float, timeout: float
) -> Result:
    """`conns` keep-alive connections sending `path` in a loop for `duration` seconds."""
    latencies: list[list[float]] = [[] for _ in range(conns)]
    errors = [0] * conns
    timed_out = threading.Event()
    deadline = time.perf_counter() + duration

    def loop(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        own = latencies[i]
        try:
            while time.perf_counter() < deadline and not timed_out.is_set():
                started = time.perf_counter()
                try:
                    status = _request(conn, path, accept)
                except TimeoutError:
                    timed_out.set()
                    return
                except (OSError, http.client.HTTPException):
                    errors[i] += 1
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                    continue
                if status == 200:
                    own.append((time.perf_counter() - started) * 1000)
                else:
                    errors[i] += 1
        finally:
            conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(i,)) for i in range(conns)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    merged = [x for own in latencies for x in own]
    return Result(merged, elapsed, sum(errors), timed_out.is_set())


# --- the run ------------------------------------------------------------------------------------


def engine_ms(store_path: Path, query: str, runs: int = 5) -> float:
    """Median in-process pyoxigraph time of `query` (union default graph), results read out."""
    store = ox.Store.read_only(str(store_path))
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        for _row in store.query(query, use_default_graph_as_union=True):  # type: ignore[union-attr]
            pass
        times.append((time.perf_counter() - started) * 1000)
    del store
    return statistics.median(times)


def ensure_stores(data: Dataset, out: Path, target: int) -> tuple[Path, Path | None]:
    """The two on-disk stores of `data` (ours by pyoxigraph, oxigraph's by its CLI), reused."""
    ours, theirs = out / f"store-{target}", out / f"store-oxigraph-{target}"
    if not is_loaded(data, ours):
        seconds = load_pyoxigraph(data, ours)
        print(f"loaded {data.triples:,} triples with pyoxigraph in {seconds:.1f} s")
    if oxigraph_cli() is None:
        return ours, None
    if not is_loaded(data, theirs):
        seconds = load_oxigraph_cli(data, theirs) or 0.0
        print(f"loaded {data.triples:,} triples with oxigraph load in {seconds:.1f} s")
    return ours, theirs


@dataclass(frozen=True, slots=True)
class Row:
    case: str
    server: str
    conns: int
    result: Result | None  # None: skipped (timeout or not applicable)
    note: str = ""


#: Seconds our server is given after its first answer, for all its reading processes to start.
SETTLE_SECONDS = 5.0


def run_server(
    server: Server, cases: dict[str, str], conns_list: list[int], args: argparse.Namespace
) -> list[Row]:
    """Every case on one server; a request over `--rdflib-timeout` restarts it (rdflib only)."""
    rows: list[Row] = []
    server.start()
    if server.name == "ours":
        time.sleep(SETTLE_SECONDS)
    try:
        for case, path in cases.items():
            accept = "application/json" if case.startswith("REST") else SPARQL_JSON
            status, _ = probe(server.port, path, accept, args.rdflib_timeout)
            if status is None:
                rows += [Row(case, server.name, c, None, "timeout") for c in conns_list]
                print(f"  {server.name:<16} {case:<36} timeout (> {args.rdflib_timeout:g} s)")
                server.stop()
                server.start()
                continue
            if status != 200:
                rows += [Row(case, server.name, c, None, f"HTTP {status}") for c in conns_list]
                print(f"  {server.name:<16} {case:<36} HTTP {status}: skipped")
                continue
            for conns in conns_list:
                cpu_before = server.cpu_seconds()
                result = hammer(
                    server.port, path, accept, conns, args.duration, max(args.rdflib_timeout, 30)
                )
                result = dataclasses.replace(result, cpu_seconds=server.cpu_seconds() - cpu_before)
                note = "timeout" if result.timeout else ""
                rows.append(Row(case, server.name, conns, result, note))
                print(
                    f"  {server.name:<16} {case:<36} {conns} conns: p50 {result.p50:8.2f} ms"
                    f"  {result.rate:8.1f} req/s{'  ' + note if note else ''}"
                )
                if result.timeout:
                    server.stop()
                    server.start()
                    break
        if server.name == "ours":
            own, workers = server.peak_rss_mb()
            rows.append(Row("peak RSS", server.name, 0, None, f"{own:.0f} MB + {workers:.0f} MB"))
    finally:
        server.stop()
    return rows


SPARQL_JSON = "application/sparql-results+json"


def print_table(rows: list[Row], engine: dict[str, float]) -> None:
    by = {(r.case, r.server, r.conns): r for r in rows}
    print()
    header = (
        f"{'case':<36} {'server':<20} {'conns':>5} {'engine ms':>9} {'p50 ms':>8} {'p99 ms':>8}"
        f" {'req/s':>8} {'cpu ms/req':>10} {'p50/oxigraph':>12} {'req/s vs oxigraph':>17}"
        f" {'req/s vs rdflib':>15}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row.case == "peak RSS":
            continue
        eng = f"{engine[row.case]:9.1f}" if row.case in engine else f"{'':9}"
        if row.result is None or row.note == "timeout":
            print(f"{row.case:<36} {row.server:<20} {row.conns:>5} {eng} {row.note:>8}")
            continue
        r = row.result
        ratio_ox = ratio_rdf = ""
        rate_ox = ""
        if row.server == "ours":
            ox_row = by.get((row.case, "oxigraph serve", row.conns))
            if ox_row and ox_row.result and ox_row.note != "timeout":
                ratio_ox = f"{r.p50 / ox_row.result.p50:.2f}x"
                rate_ox = f"{r.rate / ox_row.result.rate:.2f}x"
            rdf_row = next((v for k, v in by.items() if k[0] == row.case and
                            k[1].startswith("rdflib") and k[2] == row.conns), None)  # fmt: skip
            if rdf_row is not None and rdf_row.result and rdf_row.note != "timeout":
                ratio_rdf = f"{r.rate / rdf_row.result.rate:.1f}x"
            elif rdf_row is not None:
                ratio_rdf = "rdflib timeout"
        print(
            f"{row.case:<36} {row.server:<20} {row.conns:>5} {eng} {r.p50:8.2f} {r.p99:8.2f}"
            f" {r.rate:8.1f} {r.cpu_ms_per_request:10.2f} {ratio_ox:>12} {rate_ox:>17}"
            f" {ratio_rdf:>15}" + (f"  ({row.result.errors} errors)" if r.errors else "")
        )
    for row in rows:
        if row.case == "peak RSS":
            own, workers = row.note.split(" + ")
            print(f"\nour server's peak RSS (VmHWM): server {own}, query workers {workers}")


def arguments() -> argparse.ArgumentParser:
    """The command-line options (also used by bench/run.py)."""
    parser = argparse.ArgumentParser(description="SPARQL/REST latency vs oxigraph serve, rdflib")
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--rdflib-triples", type=int, default=None,
                        help="load rdflib-endpoint with a smaller prefix of the graph")  # fmt: skip
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per case")
    parser.add_argument("--conns", type=int, nargs="+", default=[1, 8])
    parser.add_argument("--rdflib-timeout", type=float, default=10.0)
    parser.add_argument("--only", default="ours,oxigraph,rdflib")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="our server's processes (kg serve --workers)")  # fmt: skip
    parser.add_argument("--cases", default="",
                        help="comma-separated words: only cases whose name has one")  # fmt: skip
    parser.add_argument("--rdflib-bin", type=Path, default=BIN / "rdflib-endpoint",
                        help="the rdflib-endpoint command (e.g. from its own venv)")  # fmt: skip
    return parser


def run(args: argparse.Namespace) -> tuple[list[Row], dict[str, float]]:
    """Run every case on every server; the rows and the in-process engine times."""
    only = set(args.only.split(","))

    data = generate(args.triples, args.seed, args.out)
    ours_store, theirs_store = ensure_stores(data, args.out, args.triples)
    manifest = data.manifest
    sparql = sparql_cases(manifest)
    wanted = [w.strip().lower() for w in args.cases.split(",") if w.strip()]
    if wanted:
        sparql = {k: v for k, v in sparql.items() if any(w in k.lower() for w in wanted)}
    print(f"graph: {data.triples:,} triples, {data.articles} article graphs; actor "
          f"{manifest['actor']}, topic {manifest['topic']}")  # fmt: skip
    engine = {case: engine_ms(ours_store, query) for case, query in sparql.items()}

    def sparql_paths(prefix: str) -> dict[str, str]:
        return {case: prefix + urlencode({"query": q}) for case, q in sparql.items()}

    rows: list[Row] = []
    if "ours" in only:
        port = free_port()
        ours = Server(
            "ours",
            [
                sys.executable,
                "-m",
                "kg",
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            port,
            "/sparql",
            "/health",
            env={
                "KG_STORE_PATH": str(ours_store),
                "KG_BASE_IRI": BASE_IRI,
                "PYTHONPATH": str(REPO),
            },
        )
        rest = rest_cases(manifest)
        if wanted:
            rest = {k: v for k, v in rest.items() if any(w in k.lower() for w in wanted)}
        cases = sparql_paths("/sparql?") | rest
        rows += run_server(ours, cases, args.conns, args)
    cli = oxigraph_cli()
    if "oxigraph" in only and cli is not None and theirs_store is not None:
        port = free_port()
        oxi = Server(
            "oxigraph serve",
            [
                str(cli),
                "serve-read-only",
                "--location",
                str(theirs_store),
                "--bind",
                f"127.0.0.1:{port}",
                "--union-default-graph",
            ],
            port,
            "/query",
            "/query?query=ASK%7B%7D",
        )
        rows += run_server(oxi, sparql_paths("/query?"), args.conns, args)
    if "rdflib" in only and args.rdflib_bin.exists():
        rdf_data = data if args.rdflib_triples is None else generate(args.rdflib_triples, args.seed)
        port = free_port()
        label = "rdflib-endpoint" + (
            f"@{rdf_data.triples // 1000}k" if rdf_data is not data else ""
        )
        rdf = Server(
            label,
            [
                str(args.rdflib_bin),
                "serve",
                str(rdf_data.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            port,
            "/",
            "/?query=ASK%7B%7D",
        )
        rows += run_server(rdf, sparql_paths("/?"), args.conns, args)
    return rows, engine


def main() -> None:
    rows, engine = run(arguments().parse_args())
    print_table(rows, engine)


if __name__ == "__main__":
    main()
