"""Ingest throughput: `kg build` against raw `nlp.pipe` of the same pipeline, in the same run.

    .venv/bin/python bench/ingest.py [--articles 500] [--batch-size 16]

The corpus is made from the bundled articles: each variant is one article's paragraphs rotated,
plus one paragraph of another article, so every content hash differs. Both sides see the same
texts; the reference side only runs spaCy, ours also extracts, maps to RDF, validates with SHACL
and stores. Figures are wall-clock on a shared machine: compare the ratio, not the seconds.
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser(description="kg build vs raw nlp.pipe")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--batch-size", type=int, default=16)
    args = parser.parse_args()

    settings = Settings()
    texts = make_corpus(args.articles)
    nlp = spacy.load(settings.spacy_model)
    started = time.perf_counter()
    tokens = sum(len(doc) for doc in nlp.pipe(texts, batch_size=args.batch_size))
    raw_seconds = time.perf_counter() - started

    with tempfile.TemporaryDirectory(prefix="newskg-bench-") as tmp:
        feed = Path(tmp) / "corpus.jsonl"
        feed.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts), encoding="utf-8")
        store = OxigraphStore(Path(tmp) / "store")
        builder = Builder(settings, store)
        builder.nlp  # load the pipeline outside the timed part, as the reference does  # noqa: B018
        started = time.perf_counter()
        outcomes = builder.build([feed])
        ours_seconds = time.perf_counter() - started
        store.close()
    stored = sum(o.ok for o in outcomes)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"corpus: {len(texts)} articles, {tokens:,} tokens; {stored} stored by kg build")
    print(f"{'':24} {'seconds':>8} {'articles/s':>11} {'tokens/s':>10}")
    for name, seconds in (("raw nlp.pipe", raw_seconds), ("kg build", ours_seconds)):
        print(f"{name:24} {seconds:8.1f} {len(texts) / seconds:11.2f} {tokens / seconds:10,.0f}")
    print(f"kg build throughput = {raw_seconds / ours_seconds:.0%} of raw nlp.pipe")
    print(f"peak memory (RSS) {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
