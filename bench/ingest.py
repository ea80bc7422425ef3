"""Ingest throughput: `kg build` against raw `nlp.pipe` of the same pipeline, in the same run.

    .venv/bin/python bench/ingest.py [--articles 500] [--batch-size 16] [--workers N]

The corpus is made from the bundled articles: each variant is one article's paragraphs rotated,
plus one paragraph of another article, so every content hash differs. Both sides see the same
texts; the reference side only runs spaCy, ours also extracts, maps to RDF, validates with SHACL
and stores. `kg build` runs with `--workers` processes (default: the number of CPUs); the
reference is raw `nlp.pipe` in one process (spaCy's default) and, for a like-for-like use of
the cores, with `n_process` = workers. Peak memory is the largest RSS of this process and of
any one worker. Figures are wall-clock on a shared machine: compare the ratios, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import spacy

from kg.build import Builder
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


def main() -> None:
    parser = argparse.ArgumentParser(description="kg build vs raw nlp.pipe")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print_result(run(args.articles, args.batch_size, args.workers))


if __name__ == "__main__":
    main()
