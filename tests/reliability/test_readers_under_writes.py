"""Read-only RocksDB next to a writing process, under load: the guarantee `kg serve --workers N`
rests on (api.serving). pyoxigraph calls read-only opening next to a writer undefined
behaviour, so this is proved here rather than assumed.

Two reader processes open the store folder read-only and query it without pause, reopening it
(`kg.store.generation.open_read_only`) whenever the writer publishes a new generation
(`kg.store.generation`), while the writer, in another process, writes 1,000 article graphs
(one in ten replacing an earlier one), flushes and compacts the store (`Store.flush`,
`Store.optimize`) every 100 writes. Checked: zero errors in any reader; every article graph a
reader sees holds all its triples (whole or absent, also for replaced graphs: never a mix of two
versions); the number of article graphs a reader sees never goes down; and after catching up
with generation `g` a reader sees at least the articles written by then.
"""

from __future__ import annotations

import multiprocessing
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef

from kg.store import OxigraphStore
from kg.store.generation import SharedGeneration, open_read_only

pytestmark = pytest.mark.e2e

ARTICLES = 1_000
TRIPLES = 12
REPLACE_EVERY = 10
COMPACT_EVERY = 100
READERS = 2
WRITE_PAUSE = 0.005
PREFIX = "http://t.example/article/"
COUNTS = (
    "SELECT ?g (COUNT(*) AS ?n) (SAMPLE(?v) AS ?version) (COUNT(DISTINCT ?v) AS ?versions)"
    " WHERE { GRAPH ?g { ?s ?p ?o OPTIONAL { ?s <http://t.example/version> ?v } } }"
    " GROUP BY ?g"
)


def article(n: int, version: int) -> Graph:
    """Article `n`'s graph: `TRIPLES` triples, each subject tagged with the graph's version."""
    graph = Graph()
    for i in range(TRIPLES // 2):
        subject = URIRef(f"{PREFIX}{n}/s{i}")
        graph.add((subject, URIRef("http://t.example/text"), Literal(f"v{version} {i} " * 5)))
        graph.add((subject, URIRef("http://t.example/version"), Literal(version)))
    return graph


@dataclass
class ReaderReport:
    answers: int = 0
    reopens: int = 0
    retried: list[str] = field(default_factory=list)
    """Opens that met a table file deleted by a compaction and were retried (not errors)."""
    errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def reader(path: str, generation_file: str, stop: Any, results: Any) -> None:
    """A reader process: query in a loop, reopen on each new generation, report at the end."""
    report = ReaderReport()
    shared = SharedGeneration.open(Path(generation_file))
    seen = shared.read()
    store = open_read_only(Path(path), retried=report.retried)
    highest = 0
    while not stop.is_set():
        latest = shared.read()
        if latest != seen:
            try:
                store = open_read_only(Path(path), retried=report.retried)
            except Exception as exc:  # every failure is reported, none is hidden
                report.errors.append(f"reopen at {latest}: {type(exc).__name__}: {exc}")
                continue
            seen = latest
            report.reopens += 1
        try:
            rows = list(store.query(COUNTS, use_default_graph_as_union=False))  # type: ignore[arg-type]
        except Exception as exc:
            report.errors.append(f"query at {seen}: {type(exc).__name__}: {exc}")
            continue
        report.answers += 1
        articles = 0
        for row in rows:
            graph = row["g"]
            if not isinstance(graph, ox.NamedNode) or not graph.value.startswith(PREFIX):
                continue
            articles += 1
            n, versions = int(row["n"].value), int(row["versions"].value)
            if n != TRIPLES or versions != 1:
                report.violations.append(f"{graph.value}: {n} triples, {versions} versions")
        if articles < highest:
            report.violations.append(f"article graphs went down: {highest} -> {articles}")
        if articles < seen:  # the writer publishes the number of articles written
            report.violations.append(f"at generation {seen} only {articles} article graphs")
        highest = max(highest, articles)
    shared.close()
    results.put(report)


def test_readers_answer_consistently_through_1000_writes_while_compacting(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store"
    writer = OxigraphStore(path)
    shared = SharedGeneration.create(tmp_path / "generation")
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    results = context.Queue()
    readers = [
        context.Process(
            target=reader, args=(str(path), str(shared.path), stop, results), daemon=True
        )
        for _ in range(READERS)
    ]
    for process in readers:
        process.start()
    try:
        time.sleep(1.0)  # the readers are up and reading before the first write
        compactions = 0
        for n in range(ARTICLES):
            if n % REPLACE_EVERY == REPLACE_EVERY - 1:  # replace an earlier article whole
                writer.put_graph(f"{PREFIX}{n // 2}", article(n // 2, version=n))
            writer.put_graph(f"{PREFIX}{n}", article(n, version=0))
            shared.publish(n + 1)
            time.sleep(WRITE_PAUSE)  # readers answer between writes, not only between batches
            if (n + 1) % COMPACT_EVERY == 0:
                writer.store.flush()
                writer.store.optimize()
                compactions += 1
        time.sleep(0.5)  # the readers catch up with the last generation
    finally:
        stop.set()
        reports = [results.get(timeout=60) for _ in readers]
        for process in readers:
            process.join(timeout=30)
        writer.close()
        shared.close()
    assert compactions == ARTICLES // COMPACT_EVERY
    for report in reports:
        assert report.errors == [], "\n".join(report.errors[:40])
        assert report.violations == []
        assert report.answers > 50  # answering throughout the writes
        assert report.reopens > 20
