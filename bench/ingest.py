"""Ingest throughput: `kg build` against raw `nlp.pipe` of the same pipeline, in the same run.

    .venv/bin/python bench/ingest.py [--articles 500] [--batch-size 16] [--workers N]
    .venv/bin/python bench/ingest.py --cluster 2 [--articles 48] [--repeats 3]
    .venv/bin/python bench/ingest.py --memory-run 300,3000 [--cluster 2]

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

With `--memory-run 300,3000`, each count of articles is built once through `--cluster local:2`
into a fresh embedded store, with `kg build`'s progress line (done/total, rate, ETA) every 30 s,
while a thread samples the RSS of this process (the one writer) and of each worker; the peaks
are compared with those of the first count (flat memory: within 10%).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language

from kg.articles import make_article
from kg.build import Builder, Outcome
from kg.cluster import ClusterSpec
from kg.config import Settings
from kg.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from distributed import Client

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
    one_cpu: list[float]
    """CPU seconds of each one-process build (this process, all its threads)."""
    writer_cpu: list[float]
    """CPU seconds of this process in each cluster build: the writer, and the LocalCluster's
    scheduler and nannies, which run in it."""
    worker_cpu: list[float]
    """CPU seconds of all the workers in each cluster build."""


def _timed_build(
    settings: Settings,
    feed: Path,
    *,
    nlp: Language | None = None,
    cluster: ClusterSpec | None = None,
) -> tuple[float, float]:
    """Seconds and CPU seconds of this process of one build of `feed` into a fresh store, in
    one process or on `cluster`."""
    with tempfile.TemporaryDirectory(prefix="newskg-bench-store-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        builder = Builder(settings, store, nlp_factory=(lambda: nlp) if nlp else None)
        started, cpu = time.perf_counter(), time.process_time()
        outcomes = builder.build([feed], workers=1, cluster=cluster)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        store.close()
    if not all(o.ok for o in outcomes):
        raise RuntimeError("the bench corpus should build without failures")
    return seconds, cpu


def _workers_cpu(client: Client) -> float:
    """CPU seconds used so far by all the cluster's worker processes."""
    import psutil

    def used() -> float:
        times = psutil.Process().cpu_times()
        return float(times.user + times.system)

    return float(sum(client.run(used).values()))


def run_cluster(articles: int, workers: int = 2, repeats: int = 3) -> ClusterResult:
    """Median-ready timings of `kg build` in one process and with `--cluster local:<workers>`."""
    import dask
    from distributed import Client, LocalCluster

    from kg.cluster import LOCAL_WORKER_ENVIRON
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
        with (
            dask.config.set(LOCAL_WORKER_ENVIRON),
            LocalCluster(  # the workers of `connect`
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # the scheduler's HTTP port: any free one
                worker_dashboard_address=None,
            ) as cluster,
        ):
            spec = ClusterSpec(address=cluster.scheduler_address)
            _timed_build(settings, warm, cluster=spec)  # loads the workers' pipelines
            cold = time.perf_counter() - started
            timed: list[tuple[float, float]] = []
            worker_cpu: list[float] = []
            with Client(cluster) as client:
                for _ in range(repeats):
                    before = _workers_cpu(client)
                    timed.append(_timed_build(settings, feed, cluster=spec))
                    worker_cpu.append(_workers_cpu(client) - before)
                peaks = client.run(
                    lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
                )
    return ClusterResult(
        articles=len(texts),
        workers=workers,
        one_process=[s for s, _ in one],
        cluster=[s for s, _ in timed],
        cold_start=cold,
        worker_mb=sorted(peaks.values()),
        one_cpu=[c for _, c in one],
        writer_cpu=[c for _, c in timed],
        worker_cpu=worker_cpu,
    )


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
    per = result.articles
    one_cpu = statistics.median(result.one_cpu) / per
    writer_cpu = statistics.median(result.writer_cpu) / per
    worker_cpu = statistics.median(result.worker_cpu) / per
    print(
        f"CPU s/article (medians): 1 process {one_cpu:.3f}; cluster: workers {worker_cpu:.3f}"
        f" + writer and scheduler {writer_cpu:.3f} = {worker_cpu + writer_cpu:.3f}"
        f" (CPU efficiency {one_cpu / (worker_cpu + writer_cpu):.0%}: the speed-up {result.workers}"
        f" free cores allow is at most {result.workers * one_cpu / (worker_cpu + writer_cpu):.2f}x)"
    )


@dataclass(frozen=True, slots=True)
class MemoryRun:
    """One build of `articles` through a LocalCluster into a fresh embedded store."""

    articles: int
    stored: int
    seconds: float
    writer_mb: float
    worker_mb: list[float]


class RssSampler:
    """Samples the RSS of this process and of each child process (the LocalCluster's workers)
    every `interval` seconds in a thread and keeps each one's peak: `ru_maxrss` of the
    children would only give the largest, and only once they have exited."""

    def __init__(self, interval: float = 0.5) -> None:
        import psutil

        self.interval = interval
        self.process = psutil.Process()
        self.writer = 0
        self.children: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        import psutil

        while not self._stop.is_set():
            self.writer = max(self.writer, self.process.memory_info().rss)
            for child in self.process.children(recursive=True):
                try:
                    rss = child.memory_info().rss
                except psutil.Error:
                    continue  # exited between the listing and the reading
                self.children[child.pid] = max(self.children.get(child.pid, 0), rss)
            self._stop.wait(self.interval)

    def worker_mb(self, count: int) -> list[float]:
        """The `count` largest child peaks (the workers; the others are Python helpers)."""
        return sorted((rss / 2**20 for rss in self.children.values()), reverse=True)[:count]


def memory_run(
    articles: int, workers: int = 2, *, mark_every: int = 300, progress_every: float = 30.0
) -> MemoryRun:
    """Build `articles` recombined articles with `--cluster local:<workers>` into a fresh
    embedded store, sampling the peak RSS of this process (the writer) and of each worker.

    Prints `kg build`'s progress line (done/total, rate, ETA) every `progress_every` seconds,
    and the peaks so far every `mark_every` articles: the memory curve of one long run.
    """
    from kg.progress import BuildProgress

    settings = Settings()
    texts = make_corpus(articles)
    counter = BuildProgress()
    sampler = RssSampler()

    def on_total(total: int) -> None:
        counter.total = total

    def on_outcome(outcome: Outcome) -> None:
        counter.advance(worked=outcome.doc_id is not None)
        if counter.due(progress_every):
            print(f"  progress: {counter.summary()}", flush=True)
        if counter.done % mark_every == 0:
            peaks = ", ".join(f"{mb:,.0f}" for mb in sampler.worker_mb(workers))
            print(
                f"  at {counter.done}: peak RSS writer {sampler.writer / 2**20:,.0f} MB,"
                f" workers {peaks} MB; {counter.summary()}",
                flush=True,
            )

    with tempfile.TemporaryDirectory(prefix="newskg-bench-memory-") as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        feed.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        del texts
        store = OxigraphStore(Path(tmp) / "store")
        with sampler:
            started = time.perf_counter()
            outcomes = Builder(settings, store).build(
                [feed],
                on_outcome=on_outcome,
                on_total=on_total,
                cluster=ClusterSpec(local_workers=workers),
            )
            seconds = time.perf_counter() - started
        store.close()
    print(f"  done: {counter.summary()}", flush=True)
    return MemoryRun(
        articles=articles,
        stored=sum(o.ok for o in outcomes),
        seconds=seconds,
        writer_mb=sampler.writer / 2**20,
        worker_mb=sampler.worker_mb(workers),
    )


def print_memory_runs(runs: list[MemoryRun]) -> None:
    """The runs side by side, and each peak RSS against the first (smallest) run's."""
    first = runs[0]
    print(
        f"{'articles':>8} {'stored':>6} {'seconds':>8} {'articles/s':>10}"
        f" {'writer MB':>9} {'workers MB':>17}"
    )
    for run in runs:
        workers = ", ".join(f"{mb:,.0f}" for mb in run.worker_mb)
        print(
            f"{run.articles:8} {run.stored:6} {run.seconds:8.1f} {run.articles / run.seconds:10.2f}"
            f" {run.writer_mb:9,.0f} {workers:>17}"
        )
    for run in runs[1:]:
        print(
            f"peak RSS at {run.articles} vs {first.articles}: writer"
            f" {run.writer_mb / first.writer_mb - 1:+.1%}, largest worker"
            f" {max(run.worker_mb) / max(first.worker_mb) - 1:+.1%}"
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
            wall, cpu_seconds = _timed_build(settings, feed, nlp=nlp)
            runs["ours wall"].append(wall)
            runs["ours cpu"].append(cpu_seconds)
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
    parser.add_argument(
        "--memory-run",
        default="",
        metavar="N,M,...",
        help="build N, then M, ... articles with --cluster local:2 (or local:<--cluster>) into"
        " fresh stores and compare peak RSS",
    )
    args = parser.parse_args()
    if args.paired:
        print_paired(*run_paired(args.articles, args.batch_size, args.repeats))
        return
    if args.stages:
        print_stages(run_stages(args.articles, args.batch_size, args.repeats, cpu=args.cpu))
        return
    if args.memory_run:
        counts = [int(n) for n in args.memory_run.split(",")]
        runs = []
        for count in counts:
            print(f"memory run: {count} articles, --cluster local:{args.cluster or 2}", flush=True)
            marks = min(counts) if len(counts) > 1 else max(count // 30, 1)
            runs.append(memory_run(count, args.cluster or 2, mark_every=marks))
        print_memory_runs(runs)
        return
    if args.cluster:
        print_cluster_result(run_cluster(args.articles, args.cluster, args.repeats))
        return
    print_result(run(args.articles, args.batch_size, args.workers))


if __name__ == "__main__":
    main()
