"""`make bench`: the three benchmarks in one run, then one table of the issue's targets.

    .venv/bin/python bench/run.py [--quick] [--duration S] [--articles N] [--triples N]
                                  [--rdflib-triples N] [--workers N] [--skip ingest,graph,query]

Runs bench/ingest.py (kg build against raw nlp.pipe), bench/graph.py (the synthetic graph and
its load rate) and bench/query.py (our server against `oxigraph serve` and rdflib-endpoint over
HTTP), prints each one's own table, and ends with the summary: each target, our figure, the
reference's, the ratio and whether the target is met in this run. `--quick` is a smoke run
(40 articles, a 100k-triple graph, 2 s per case); the defaults are the issue's sizes except
rdflib-endpoint, loaded with the 100k-triple prefix of the graph (at a million triples its
engine needs seconds to minutes per `GRAPH ?g` query: pass `--rdflib-triples 1000000` to try).

Figures are wall-clock on a shared machine: compare ratios within one run.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench import graph, ingest, query  # noqa: E402


def machine() -> str:
    """CPU model, CPUs and RAM, from /proc."""
    model, memory = platform.processor() or "unknown CPU", "unknown RAM"
    cpuinfo, meminfo = Path("/proc/cpuinfo"), Path("/proc/meminfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    if meminfo.exists():
        kb = int(meminfo.read_text().split("\n", 1)[0].split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GB RAM"
    return f"{model}, {os.cpu_count()} CPUs, {memory}, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description="all benchmarks and the targets table")
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--duration", type=float, default=None, help="seconds per query case")
    parser.add_argument("--articles", type=int, default=None)
    parser.add_argument("--triples", type=int, default=None)
    parser.add_argument("--rdflib-triples", type=int, default=None)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--serve-workers", type=int, default=os.cpu_count() or 1,
                        help="kg serve --workers for the query bench")  # fmt: skip
    parser.add_argument("--skip", default="", help="comma-separated: ingest, graph, query")
    args = parser.parse_args()
    skip = set(args.skip.split(",")) - {""}
    articles = args.articles or (40 if args.quick else 500)
    triples = args.triples or (100_000 if args.quick else 1_000_000)
    duration = args.duration or (2.0 if args.quick else 10.0)
    rdflib_triples = args.rdflib_triples or 100_000
    print(f"machine: {machine()}")
    print(f"command: {' '.join(['bench/run.py', *sys.argv[1:]])}\n")

    summary: list[tuple[str, str, str, str, str, str]] = []

    def target(what: str, ours: str, reference: str, ratio: str, goal: str, met: bool) -> None:
        summary.append((what, ours, reference, ratio, goal, "yes" if met else "NO"))

    if "ingest" not in skip:
        print(f"== ingest: kg build vs raw nlp.pipe, {articles} articles")
        result = ingest.run(articles, workers=args.workers)
        ingest.print_result(result)
        raw, ours = result.rows[0][1], result.rows[-1][1]
        target(
            f"ingest articles/s, --workers {args.workers}",
            f"{result.articles / ours:.2f}",
            f"{result.articles / raw:.2f} (nlp.pipe)",
            f"{result.ratio:.0%}",
            ">= 90%",
            result.ratio >= 0.9,
        )
        print()
    if "graph" not in skip:
        sizes = sorted({100_000, triples})
        print(f"== graph: synthetic graphs of {', '.join(f'{s:,}' for s in sizes)} triples")
        loads = graph.measure(sizes)
        graph.print_results(loads)
        for load in loads:
            rates = {name: load.data.triples / seconds for name, seconds, _ in load.loads}
            if len(rates) == 2:
                ours_rate, cli_rate = rates.values()
                summary.append((
                    f"load triples/s, {load.data.triples:,} triples",
                    f"{ours_rate:,.0f}",
                    f"{cli_rate:,.0f} (oxigraph load)",
                    f"{ours_rate / cli_rate:.2f}x",
                    "(none)",
                    "",
                ))  # fmt: skip
        print()
    if "query" not in skip:
        print(f"== query: {triples:,} triples, {duration:g} s per case")
        qargs = query.arguments().parse_args(
            ["--triples", str(triples), "--duration", str(duration),
             "--rdflib-triples", str(rdflib_triples), "--workers", str(args.serve_workers)]
        )  # fmt: skip
        rows, engine = query.run(qargs)
        query.print_table(rows, engine)
        query_targets(rows, engine, target)
        print()

    print("== targets (this run)")
    header = f"{'target':<46} {'ours':>12} {'reference':>26} {'ratio':>8} {'goal':>9} {'met':>4}"
    print(header)
    print("-" * len(header))
    for what, ours_text, reference, ratio, goal, met in summary:
        print(f"{what:<46} {ours_text:>12} {reference:>26} {ratio:>8} {goal:>9} {met:>4}")


def query_targets(
    rows: list[query.Row],
    engine: dict[str, float],
    target: Callable[[str, str, str, str, str, bool], None],
) -> None:
    """Add the query targets: median vs oxigraph serve, lookups vs rdflib, REST p99."""
    by = {(r.case, r.server, r.conns): r for r in rows if r.result is not None and not r.note}
    for case, ms in engine.items():
        for conns in (1, 8):
            ours, theirs = by.get((case, "ours", conns)), by.get((case, "oxigraph serve", conns))
            if ms < 20 or ours is None or theirs is None or not ours.result or not theirs.result:
                continue
            ratio = ours.result.p50 / theirs.result.p50
            target(
                f"p50 {case} (engine {ms:.0f} ms), {conns} conn{'s' if conns > 1 else ''}",
                f"{ours.result.p50:.1f} ms",
                f"{theirs.result.p50:.1f} ms (oxigraph)",
                f"{ratio:.2f}x",
                "<= 1.2x",
                ratio <= 1.2,
            )
    lookup = "lookup (1 subject)"
    ours = by.get((lookup, "ours", 8))
    rdflib = next((r for k, r in by.items() if k[0] == lookup and k[1].startswith("rdflib")
                   and k[2] == 8), None)  # fmt: skip
    if ours is not None and rdflib is not None and ours.result and rdflib.result:
        ratio = ours.result.rate / rdflib.result.rate
        target(
            "req/s trivial lookup, 8 conns",
            f"{ours.result.rate:.0f}",
            f"{rdflib.result.rate:.0f} ({rdflib.server})",
            f"{ratio:.1f}x",
            ">= 3x",
            ratio >= 3,
        )
    oxigraph = by.get((lookup, "oxigraph serve", 8))
    if ours is not None and oxigraph is not None and ours.result and oxigraph.result:
        ratio = ours.result.rate / oxigraph.result.rate
        target(
            "req/s trivial lookup, 8 conns, vs oxigraph",
            f"{ours.result.rate:.0f}",
            f"{oxigraph.result.rate:.0f} (oxigraph serve)",
            f"{ratio:.2f}x",
            ">= 0.33x",
            ratio >= 1 / 3,
        )
    for conns in (1, 8):
        rest = by.get(("REST /actors/{id}/positions?topic=", "ours", conns))
        if rest is not None and rest.result is not None:
            target(
                f"p99 REST actor positions, {conns} conn{'s' if conns > 1 else ''}",
                f"{rest.result.p99:.1f} ms",
                "",
                "",
                "< 50 ms",
                rest.result.p99 < 50,
            )


if __name__ == "__main__":
    main()
