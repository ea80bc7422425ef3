"""Ingest throughput: `kg build` against raw `nlp.pipe` of the same pipeline, in the same run.

    .venv/bin/python bench/ingest.py [--articles 500] [--batch-size 16] [--workers N]
    .venv/bin/python bench/ingest.py --cluster 2 [--articles 48] [--repeats 3]

The corpus is made from the bundled articles: each variant is one article's paragraphs rotated,
plus one paragraph of another article, so every content hash differs. Both sides see the same
texts; the reference side only runs spaCy, ours also extracts, maps to RDF, validates with SHACL
and stores. `kg build` runs with `--workers` processes (default: the number of CPUs); the
reference is raw `nlp.pipe` in one process (spaCy's default) and, for a like-for-like use of
the cores, with `n_process` = workers. Peak memory is the largest RSS of this process and of
any one worker. Figures are wall-clock on a shared machine: compare the ratios, not the seconds.

With `--cluster N`, the same corpus is built `--repeats` times in one process and on a Dask
LocalCluster of N worker processes (`kg build --cluster`), into a fresh store each time, and the
median seconds are printed side by side. The cluster is started and its workers' pipelines
loaded before the timed builds (the one-process side loads its pipeline outside the timing
too); the cold start is printed apart. Peak memory is each worker's largest RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.language import Language

from kg.articles import make_article
from kg.build import Builder
from kg.cluster import ClusterSpec
from kg.config import Settings
from kg.store.oxigraph import OxigraphStore

REPO = Path(__file__).resolve().parent.parent


def make_corpus(count: int) -> list[str]:
    """`count` distinct article texts recombined from the bundled articles."""
    sources = [
        p.read_text(encoding="utf-8") for p in sorted((REPO / "data" / "articles").glob("*.txt"))
    ]
    paragraphs = [[p for p in text.split("\n") if p.strip()] for text in sources]
    texts: list[str] = []
    seen: set[str] = set()
    step = 0
    while len(texts) < count:
        own = paragraphs[step % len(paragraphs)]
        other = paragraphs[(step // len(paragraphs) + 1 + step) % len(paragraphs)]
        shift = (step // len(paragraphs)) % len(own)
        body = own[shift:] + own[:shift] + [other[step % len(other)]]
        text = "\n".join(body) + "\n"
        if text not in seen:
            seen.add(text)
            texts.append(text)
        step += 1
    return texts


@dataclass(frozen=True, slots=True)
class IngestResult:
    """Seconds per side over the same corpus; `rows` are (name, seconds), ours last."""

    articles: int
    tokens: int
    stored: int
    rows: list[tuple[str, float]]
    own_mb: float
    child_mb: float

    @property
    def ratio(self) -> float:
        """kg build throughput / raw nlp.pipe (1 process) throughput."""
        return self.rows[0][1] / self.rows[-1][1]


def run(articles: int, batch_size: int = 16, workers: int = 1) -> IngestResult:
    """Time raw nlp.pipe (1 process, then n_process=workers) and `kg build` on one corpus."""
    settings = Settings()
    texts = make_corpus(articles)
    nlp = spacy.load(settings.spacy_model)
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=batch_size))
    rows = [("raw nlp.pipe, 1 process", time.perf_counter() - started)]
    if workers > 1:
        started = time.perf_counter()
        for _doc in nlp.pipe(texts, batch_size=batch_size, n_process=workers):
            pass
        rows.append((f"raw nlp.pipe, n_process={workers}", time.perf_counter() - started))
    del nlp

    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        feed.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        store = OxigraphStore(Path(tmp) / "store")
        builder = Builder(settings, store)
        if workers <= 1:
            builder.nlp  # load the pipeline outside the timed part, as the reference does  # noqa: B018
        started = time.perf_counter()
        outcomes = builder.build([feed], workers=workers)
        rows.append((f"kg build --workers {workers}", time.perf_counter() - started))
        store.close()
    return IngestResult(
        articles=len(texts),
        tokens=tokens,
        stored=sum(o.ok for o in outcomes),
        rows=rows,
        own_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        child_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )


def print_result(result: IngestResult) -> None:
    ours = result.rows[-1][1]
    print(f"corpus: {result.articles} articles, {result.tokens:,} tokens; {result.stored} stored")
    print(f"{'':32} {'seconds':>8} {'articles/s':>11} {'tokens/s':>10} {'ours/this':>9}")
    for name, seconds in result.rows:
        print(
            f"{name:32} {seconds:8.1f} {result.articles / seconds:11.2f}"
            f" {result.tokens / seconds:10,.0f} {seconds / ours:9.0%}"
        )
    print(f"kg build throughput = {result.ratio:.0%} of raw nlp.pipe (1 process)")
    print(
        f"peak memory (RSS): this process {result.own_mb:,.0f} MB,"
        f" largest child process {result.child_mb:,.0f} MB"
    )


@dataclass(frozen=True, slots=True)
class ClusterResult:
    """Seconds of each repeat: one process, then the cluster; and the cluster's costs."""

    articles: int
    workers: int
    one_process: list[float]
    cluster: list[float]
    cold_start: float
    worker_mb: list[float]


def _timed_build(
    settings: Settings,
    feed: Path,
    *,
    nlp: Language | None = None,
    cluster: ClusterSpec | None = None,
) -> float:
    """Seconds of one build of `feed` into a fresh store, in one process or on `cluster`."""
    with tempfile.TemporaryDirectory(prefix="newskg-bench-store-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        builder = Builder(settings, store, nlp_factory=(lambda: nlp) if nlp else None)
        started = time.perf_counter()
        outcomes = builder.build([feed], workers=1, cluster=cluster)
        seconds = time.perf_counter() - started
        store.close()
    if not all(o.ok for o in outcomes):
        raise RuntimeError("the bench corpus should build without failures")
    return seconds


def run_cluster(articles: int, workers: int = 2, repeats: int = 3) -> ClusterResult:
    """Median-ready timings of `kg build` in one process and with `--cluster local:<workers>`."""
    from distributed import Client, LocalCluster

    from kg.nlp.pipeline import build_nlp

    settings = Settings()
    texts = make_corpus(articles)
    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        feed.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        warm = Path(tmp) / "warm.jsonl"
        warm.write_text(json.dumps({"text": "Putin said he was ready to talk."}) + "\n")
        nlp = build_nlp(settings.spacy_model)
        one = [_timed_build(settings, feed, nlp=nlp) for _ in range(repeats)]
        del nlp
        started = time.perf_counter()
        with LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            worker_dashboard_address=None,
        ) as cluster:
            spec = ClusterSpec(address=cluster.scheduler_address)
            _timed_build(settings, warm, cluster=spec)  # loads the workers' pipelines
            cold = time.perf_counter() - started
            timed = [_timed_build(settings, feed, cluster=spec) for _ in range(repeats)]
            with Client(cluster) as client:
                peaks = client.run(
                    lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                )
    return ClusterResult(len(texts), workers, one, timed, cold, sorted(peaks.values()))


def print_cluster_result(result: ClusterResult) -> None:
    one = statistics.median(result.one_process)
    many = statistics.median(result.cluster)
    print(f"corpus: {result.articles} articles; median of {len(result.cluster)} builds each")
    print(f"{'':36} {'seconds':>8} {'articles/s':>11} {'speed-up':>9}")
    for name, seconds in [
        ("kg build, 1 process", one),
        (f"kg build --cluster local:{result.workers}", many),
    ]:
        print(f"{name:36} {seconds:8.1f} {result.articles / seconds:11.2f} {one / seconds:8.2f}x")
    print(
        f"cluster cold start (scheduler, {result.workers} workers, pipelines loaded):"
        f" {result.cold_start:.1f} s"
    )
    print("peak memory (RSS) per worker: " + ", ".join(f"{mb:,.0f} MB" for mb in result.worker_mb))
    print(
        "all runs (s): 1 process "
        + " ".join(f"{s:.1f}" for s in result.one_process)
        + "; cluster "
        + " ".join(f"{s:.1f}" for s in result.cluster)
    )


# ---------------------------------------------------------------------------------------------
# Stage breakdown (--stages): where one process spends its time, beside raw nlp.pipe
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StageResult:
    """Seconds per stage of each repeat over one corpus, and raw nlp.pipe's in the same run."""

    articles: int
    raw: list[float]
    stages: dict[str, list[float]]
    cpu: bool = False

    def median(self, name: str) -> float:
        return statistics.median(self.stages[name])


def run_stages(
    articles: int, batch_size: int = 16, repeats: int = 3, *, cpu: bool = False
) -> StageResult:
    """Time raw `nlp.pipe` and, on the same texts, each stage of `kg build` in one process.

    The stages are the ones `kg.prepare.prepare_many` and `Builder._write` chain: the
    tokenizer, every pipe of the pipeline (the model's, then ours: kg_*) run batch by batch as
    `nlp.pipe` runs them, the records (`doc_to_records`), the RDF mapping, the SHACL gate
    (KG_GATE's choice), the update text and the store write. Each repeat alternates the raw
    side and ours, so that load on the shared machine falls on both. `cpu`: seconds of CPU of
    this process (`time.process_time`, steadier on a busy machine) instead of wall-clock.
    """
    now = time.process_time if cpu else time.perf_counter
    from kg.iris import Iris
    from kg.mapping import to_graph
    from kg.nlp.extract import _make_docs, doc_to_records
    from kg.nlp.pipeline import build_nlp
    from kg.registry import put_article_update
    from kg.validation import ensure_conforms

    settings = Settings()
    texts = make_corpus(articles)
    corpus = [make_article(text, {}, doc_id=None, file=None) for text in texts]
    raw_nlp = spacy.load(settings.spacy_model)
    nlp = build_nlp(settings.spacy_model)
    iris = Iris(settings.base_iri)
    raw: list[float] = []
    stages: dict[str, list[float]] = {}
    for _ in range(repeats):
        started = now()
        for _doc in raw_nlp.pipe(texts, batch_size=batch_size):
            pass
        raw.append(now() - started)
        spent: dict[str, float] = dict.fromkeys(["tokenizer", *nlp.pipe_names], 0.0)
        spent.update({"records": 0.0, "map": 0.0, "gate": 0.0, "update text": 0.0, "store": 0.0})
        with tempfile.TemporaryDirectory(prefix="newskg-bench-stages-") as tmp:
            store = OxigraphStore(Path(tmp) / "store")
            for start in range(0, len(corpus), batch_size):
                batch = corpus[start : start + batch_size]
                clock = now()
                made = [_make_docs(nlp, article) for article in batch]
                spent["tokenizer"] += now() - clock
                docs = [doc for chunks in made for _, doc in chunks]
                for name, pipe in nlp.pipeline:
                    clock = now()
                    if hasattr(pipe, "pipe"):
                        docs = list(pipe.pipe(docs, batch_size=batch_size))
                    else:
                        docs = [pipe(doc) for doc in docs]
                    spent[name] += now() - clock
                position = 0
                for article, chunks in zip(batch, made, strict=True):
                    pairs = [(offset, docs[position + i]) for i, (offset, _) in enumerate(chunks)]
                    position += len(chunks)
                    clock = now()
                    extraction = doc_to_records(nlp, article, pairs)
                    spent["records"] += now() - clock
                    clock = now()
                    graph = to_graph(extraction, iris)
                    spent["map"] += now() - clock
                    clock = now()
                    ensure_conforms(graph)
                    spent["gate"] += now() - clock
                    clock = now()
                    update, _ = put_article_update(str(iris.graph(article.doc_id)), graph, iris)
                    spent["update text"] += now() - clock
                    clock = now()
                    store.update(update)
                    spent["store"] += now() - clock
            store.close()
        for name, seconds in spent.items():
            stages.setdefault(name, []).append(seconds)
    return StageResult(len(corpus), raw, stages, cpu)


def print_stages(result: StageResult) -> None:
    raw = statistics.median(result.raw)
    total = sum(result.median(name) for name in result.stages)
    kind = "CPU" if result.cpu else "wall-clock"
    print(
        f"corpus: {result.articles} articles; {kind} medians of {len(result.raw)} repeats,"
        " one process"
    )
    print(f"{'':32} {'seconds':>8} {'ms/article':>11} {'of raw':>7}")
    print(
        f"{'raw nlp.pipe (reference)':32} {raw:8.2f} {1000 * raw / result.articles:11.1f} {1:7.0%}"
    )
    for name in result.stages:
        seconds = result.median(name)
        per_article = 1000 * seconds / result.articles
        print(f"{'  ' + name:32} {seconds:8.2f} {per_article:11.1f} {seconds / raw:7.0%}")
    per_article = 1000 * total / result.articles
    print(f"{'kg build stages, total':32} {total:8.2f} {per_article:11.1f} {total / raw:7.0%}")
    print(f"stage total throughput = {raw / total:.0%} of raw nlp.pipe (1 process)")


def run_paired(
    articles: int, batch_size: int = 16, repeats: int = 3
) -> tuple[int, dict[str, list[float]]]:
    """Seconds of raw `nlp.pipe` and of `kg build --workers 1` on the same texts, `repeats`
    times each, alternated (raw, build, raw, build...) so that load on the shared machine falls
    on both; each build goes into a fresh store, with the pipeline loaded before the timing.
    Both wall-clock and CPU seconds of this process (the build runs in it) are kept."""
    from kg.nlp.pipeline import build_nlp

    settings = Settings()
    texts = make_corpus(articles)
    raw_nlp = spacy.load(settings.spacy_model)
    nlp = build_nlp(settings.spacy_model)
    runs: dict[str, list[float]] = {"raw wall": [], "raw cpu": [], "ours wall": [], "ours cpu": []}
    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        feed.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        for _ in range(repeats):
            started, cpu = time.perf_counter(), time.process_time()
            for _doc in raw_nlp.pipe(texts, batch_size=batch_size):
                pass
            runs["raw wall"].append(time.perf_counter() - started)
            runs["raw cpu"].append(time.process_time() - cpu)
            cpu = time.process_time()
            runs["ours wall"].append(_timed_build(settings, feed, nlp=nlp))
            runs["ours cpu"].append(time.process_time() - cpu)
    return len(texts), runs


def print_paired(articles: int, runs: dict[str, list[float]]) -> None:
    print(f"corpus: {articles} articles; medians of {len(runs['raw wall'])} alternated repeats")
    print(f"{'':28} {'wall s':>8} {'articles/s':>11} {'CPU s':>8} {'articles/CPU s':>15}")
    for name, key in [("raw nlp.pipe, 1 process", "raw"), ("kg build --workers 1", "ours")]:
        wall = statistics.median(runs[f"{key} wall"])
        cpu = statistics.median(runs[f"{key} cpu"])
        print(f"{name:28} {wall:8.2f} {articles / wall:11.2f} {cpu:8.2f} {articles / cpu:15.2f}")
    wall_ratio = statistics.median(runs["raw wall"]) / statistics.median(runs["ours wall"])
    cpu_ratio = statistics.median(runs["raw cpu"]) / statistics.median(runs["ours cpu"])
    print(
        f"kg build throughput = {wall_ratio:.0%} of raw nlp.pipe (1 process, wall-clock);"
        f" {cpu_ratio:.0%} per CPU second"
    )
    for key, values in runs.items():
        print(f"  {key}: " + " ".join(f"{s:.1f}" for s in values))


def main() -> None:
    parser = argparse.ArgumentParser(description="kg build vs raw nlp.pipe")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--cluster", type=int, default=0, help="compare with a LocalCluster of N workers"
    )
    parser.add_argument("--repeats", type=int, default=3, help="builds per side (--cluster)")
    parser.add_argument(
        "--stages", action="store_true", help="one process: seconds per stage beside nlp.pipe"
    )
    parser.add_argument("--cpu", action="store_true", help="--stages in CPU seconds")
    parser.add_argument(
        "--paired", action="store_true", help="one process: kg build vs nlp.pipe, --repeats each"
    )
    args = parser.parse_args()
    if args.paired:
        print_paired(*run_paired(args.articles, args.batch_size, args.repeats))
        return
    if args.stages:
        print_stages(run_stages(args.articles, args.batch_size, args.repeats, cpu=args.cpu))
        return
    if args.cluster:
        print_cluster_result(run_cluster(args.articles, args.cluster, args.repeats))
        return
    print_result(run(args.articles, args.batch_size, args.workers))


if __name__ == "__main__":
    main()
