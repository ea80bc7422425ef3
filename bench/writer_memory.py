"""The writer's memory alone: prepared articles written into a fresh embedded store, no spaCy.

    .venv/bin/python bench/writer_memory.py [--articles 50] [--writes 1000] [--every 100]
        [--no-index] [--graph-only] [--no-release]

`--articles` recombined articles (`bench.ingest.make_corpus`) are extracted, mapped and
validated once (`kg.prepare.prepare_many`); the writes then cycle through their updates, each
under a new document id and content hash, so that every write stores a new article, as a long
`kg build` does. The store is opened as `kg build` opens it (`Builder.load_vocabularies`: the
actor registry and the read index attached) and each write is `Builder._write`'s one update.
Every `--every` writes it prints the RSS of this process; the bytes malloc has handed out and
not had back (glibc's `mallinfo2`: the live C heap, RocksDB's and pyoxigraph's included); the
Python blocks alive (`sys.getallocatedblocks`); the peak RSS since the previous line
(`/proc/self/status` VmHWM, reset through `/proc/self/clear_refs`); and the seconds so far.

`--no-index` writes without the read index, `--graph-only` sends the article graph alone
(no maintenance of the actor registry), `--no-release` keeps the freed heap
(`kg.store.oxigraph.release_free_memory` off): each turns one suspect off.
"""

from __future__ import annotations

import argparse
import ctypes
import hashlib
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:  # run as a script: make `bench` and `kg` importable
    sys.path.insert(0, str(REPO))

import kg.store.oxigraph  # noqa: E402
from bench.ingest import make_corpus  # noqa: E402
from kg.articles import make_article  # noqa: E402
from kg.build import Builder  # noqa: E402
from kg.config import Settings  # noqa: E402
from kg.iris import Iris  # noqa: E402
from kg.nlp.pipeline import build_nlp  # noqa: E402
from kg.prepare import Prepared, prepare_many  # noqa: E402
from kg.store.oxigraph import OxigraphStore  # noqa: E402


def status_mb(field: str) -> float:
    """A memory field of `/proc/self/status` (VmRSS, VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no {field} in /proc/self/status")


class _Mallinfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def malloc_in_use_mb() -> float | None:
    """Bytes that malloc has handed out and not had back (glibc 2.33+ `mallinfo2`: every
    arena, mmapped blocks included), in MB; None under another C library. RSS above it is
    freed memory the heap keeps, Python's own arenas, code and stacks."""
    mallinfo2 = getattr(ctypes.CDLL(None), "mallinfo2", None)
    if mallinfo2 is None:
        return None
    mallinfo2.restype = _Mallinfo2
    info = mallinfo2()
    return float(info.uordblks + info.hblkhd) / 2**20


def reset_peak() -> None:
    """Start VmHWM again from the current RSS (Linux's clear_refs, value 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def prepared_articles(count: int) -> list[tuple[str, str, Prepared]]:
    """(document id, content hash, prepared update) of `count` recombined articles."""
    settings = Settings()
    articles = [make_article(t, {}, doc_id=None, file=None) for t in make_corpus(count)]
    nlp = build_nlp(settings.spacy_model)
    results = prepare_many(articles, nlp, Iris(settings.base_iri))
    return [
        (a.doc_id, a.content_hash, r)
        for a, r in zip(articles, results, strict=True)
        if isinstance(r, Prepared)
    ]


def variant(item: tuple[str, str, Prepared], round_: int, *, graph_only: bool) -> str:
    """The update of a prepared article stored again as a new one: another id and hash."""
    doc_id, digest, prepared = item
    fresh = hashlib.sha256(f"{digest}{round_}".encode()).hexdigest()
    update = prepared.update.replace(digest, fresh).replace(doc_id, f"{doc_id}r{round_:03d}")
    if graph_only:  # DROP + INSERT DATA of the article graph, without the registry's operations
        start = update.index("DROP SILENT GRAPH")
        update = update[start : update.index("\n} }", update.index("INSERT DATA")) + 4]
    return update


def run(
    articles: int, writes: int, every: int, *, index: bool, graph_only: bool, release: bool
) -> None:
    items = prepared_articles(articles)
    print(f"{len(items)} articles prepared; writing {writes}", flush=True)
    if not release:
        kg.store.oxigraph.release_free_memory = lambda: False
    settings = Settings()
    with tempfile.TemporaryDirectory(prefix="newskg-bench-writer-") as tmp:
        store = OxigraphStore(Path(tmp) / "store")
        builder = Builder(settings, store)
        if index:
            builder.load_vocabularies()
        else:
            from kg.build import check_base_iri
            from kg.mapping import gazetteer_graph, ontology_graph
            from kg.registry import ensure_registry

            check_base_iri(store, settings.base_iri)
            ensure_registry(store, builder.iris)
            store.put_graph(str(builder.iris.ontology_graph()), ontology_graph())
            store.put_graph(str(builder.iris.gazetteer_graph()), gazetteer_graph())
        print(f"start: RSS {status_mb('VmRSS'):,.0f} MB", flush=True)
        reset_peak()
        started = time.perf_counter()
        for number in range(writes):
            item = items[number % len(items)]
            store.update(variant(item, number // len(items), graph_only=graph_only))
            if (number + 1) % every == 0:
                in_use = malloc_in_use_mb()
                print(
                    f"writes {number + 1:5}  RSS {status_mb('VmRSS'):7,.0f} MB"
                    f"  malloc in use {in_use or 0:7,.0f} MB"
                    f"  Python blocks {sys.getallocatedblocks():10,}"
                    f"  peak since last line {status_mb('VmHWM'):7,.0f} MB"
                    f"  {time.perf_counter() - started:7.0f} s",
                    flush=True,
                )
                reset_peak()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description="the writer's memory, prepared articles")
    parser.add_argument("--articles", type=int, default=50, help="articles prepared (spaCy)")
    parser.add_argument("--writes", type=int, default=1000)
    parser.add_argument("--every", type=int, default=100)
    parser.add_argument("--no-index", action="store_true", help="no read index")
    parser.add_argument("--graph-only", action="store_true", help="no registry maintenance")
    parser.add_argument("--no-release", action="store_true", help="keep the freed heap")
    args = parser.parse_args()
    run(
        args.articles,
        args.writes,
        args.every,
        index=not args.no_index,
        graph_only=args.graph_only,
        release=not args.no_release,
    )


if __name__ == "__main__":
    main()
