"""Build the graph: the one orchestration function from article files to the store.

    read (kg.articles) -> extract (kg.nlp) -> map (kg.mapping) -> SHACL gate (kg.validation)
    -> store.update(kg.registry.put_article_update(...)) (one transaction per article: its
       graph and the actor registry together)

The build is incremental and idempotent: an article whose id and content hash are already stored
is not re-extracted; the same content under another id is reported as a duplicate and skipped; a
changed article replaces its graph whole. An article that fails any step is reported and nothing
of it is stored; the others still build.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from kg.articles import ReadFailure, read_sources
from kg.config import Settings
from kg.errors import KGError, NonConformingGraphError, StoreError
from kg.iris import Iris, minted_bases
from kg.prepare import Failure, Pipeline, Prepared, extraction_counts, prepare_many
from kg.read.documents import read_graph, stored_hashes
from kg.records import Article

if TYPE_CHECKING:
    from spacy.language import Language

    from kg.cluster import ClusterSpec
    from kg.store.base import GraphStore

__all__ = ["Builder", "Outcome", "Status", "check_base_iri", "extraction_counts", "read_graph"]

logger = logging.getLogger(__name__)


class Status(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    INVALID = "invalid"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What happened to one article in a build."""

    source: str
    status: Status
    doc_id: str | None = None
    message: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    error: KGError | None = field(default=None, compare=False, repr=False)
    """The error of a failed or invalid article (the API answers with its status)."""

    @property
    def ok(self) -> bool:
        return self.status not in {Status.FAILED, Status.INVALID}


def check_base_iri(store: GraphStore, base_iri: str) -> None:
    """Refuse a store whose data was minted under another base IRI than `base_iri`.

    Changing KG_BASE_IRI does not rename a store's IRIs: a build would add articles under the
    new base beside the old ones (the same actor twice), and graph IRIs computed from the new
    base would not find the old documents. A store without an ontology graph (new, or filled by
    other means) passes.

    Raises:
        StoreError: the store's IRIs are under another base.
    """
    bases = minted_bases(store.graph_iris())
    if bases and base_iri not in bases:
        raise StoreError(
            f"this store's IRIs are under {' and '.join(bases)}, but KG_BASE_IRI is {base_iri}:"
            f" set KG_BASE_IRI={bases[0]} to use it (the port the server listens on does not"
            " matter), or build into a new KG_STORE_PATH to mint IRIs under the new base"
        )


def check_store(store: GraphStore, base_iri: str) -> None:
    """What a store must pass before it is served or written: its IRIs are under `base_iri`
    (`check_base_iri`), and its actor registry is exact (`kg.registry.ensure_registry`, which
    migrates a store built before the registry and repairs a registry a raw update broke), and
    its read index follows it (`kg.read.index.open_index`, which repairs an index a crash left
    behind).

    Raises:
        StoreError: the store's IRIs are under another base, or it cannot be read or written.
    """
    from kg.read.index import open_index
    from kg.registry import ensure_registry

    check_base_iri(store, base_iri)
    ensure_registry(store, Iris(base_iri))
    open_index(store)


class Builder:
    """Turns articles into stored graphs; loads the spaCy pipeline only when there is work.

    Args:
        settings: the base IRI and the spaCy model.
        store: the store this builder alone writes.
        nlp_factory: builds the pipeline (tests pass a loaded one); default: the model of
            `settings`. Worker processes and clusters always load the model of `settings`.
        pipeline: a `Pipeline` shared with its owner (the API's writer preloads it).
    """

    def __init__(
        self,
        settings: Settings,
        store: GraphStore,
        *,
        nlp_factory: Callable[[], Language] | None = None,
        pipeline: Pipeline | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.iris = Iris(settings.base_iri)
        self.pipeline = pipeline or Pipeline(settings.spacy_model, factory=nlp_factory)
        self._own_nlp = self.pipeline.factory is None  # workers can only load the default one

    @property
    def nlp(self) -> Language:
        return self.pipeline.nlp

    def stored_hashes(self) -> dict[str, str]:
        """doc_id -> content hash of every stored article."""
        return stored_hashes(self.store)

    def load_vocabularies(self) -> None:
        """Store the ontology and the gazetteer in their own named graphs (the actor registry
        is maintained by each article write).

        Raises:
            StoreError: the store's IRIs are under another base IRI (`check_store`).
        """
        from kg.mapping import gazetteer_graph, ontology_graph
        from kg.read.index import attached

        check_store(self.store, self.settings.base_iri)
        graphs = {
            str(self.iris.ontology_graph()): ontology_graph(),
            str(self.iris.gazetteer_graph()): gazetteer_graph(),
        }
        index = attached(self.store)
        if index is not None and index.vocabularies_changed(graphs):
            index.rebuild_after_next_write()  # topic labels and actor names come from them
        for graph_iri, graph in graphs.items():
            self.store.put_graph(graph_iri, graph)

    def build(
        self,
        paths: Sequence[Path],
        *,
        on_outcome: Callable[[Outcome], None] | None = None,
        on_total: Callable[[int], None] | None = None,
        workers: int = 1,
        cluster: ClusterSpec | None = None,
    ) -> list[Outcome]:
        """Build every article under the paths; return one outcome per article or bad file.

        Args:
            paths: article files (.txt, .jsonl) or folders.
            on_outcome: called with each outcome as soon as it is known: in input order, except
                with a cluster (in the order the articles are stored).
            on_total: called once with the number of items found.
            workers: processes that extract, map and validate in parallel (see
                `_prepare_in_workers`); 1, a build of fewer than `MIN_PARALLEL` new articles,
                or a Builder given its own `nlp_factory` works in this process.
            cluster: prepare on this Dask cluster instead (`kg.cluster`), whatever `workers`.

        Returns:
            The outcomes of the articles not extracted (bad files, unchanged, duplicates),
            then those of the others, in input order.
        """
        skipped: list[Outcome] = []

        def report(outcome: Outcome) -> Outcome:
            if on_outcome is not None:
                on_outcome(outcome)
            return outcome

        self.load_vocabularies()
        stored = self.stored_hashes()
        by_hash = {digest: doc_id for doc_id, digest in stored.items()}
        pending: list[Article] = []
        items = list(read_sources(paths))
        if on_total is not None:
            on_total(len(items))
        for item in items:
            if isinstance(item, ReadFailure):
                skipped.append(report(Outcome(item.source, Status.FAILED, message=item.message)))
                continue
            outcome = self._skip_reason(item, stored, by_hash)
            if outcome is not None:
                skipped.append(report(outcome))
                continue
            by_hash[item.content_hash] = item.doc_id
            pending.append(item)
        written: dict[int, Outcome] = {}
        with closing(self._prepare(pending, workers=workers, cluster=cluster)) as results:
            for index, result in results:
                article = pending[index]
                written[index] = report(
                    self._write(article, result, replacing=article.doc_id in stored)
                )
        return skipped + [written[index] for index in sorted(written)]

    def _prepare(
        self, articles: list[Article], *, workers: int, cluster: ClusterSpec | None
    ) -> Generator[tuple[int, Prepared | Failure]]:
        """(index in `articles`, result) of every article: on the cluster, in worker processes,
        or in this process."""
        if not articles:
            return
        if cluster is not None:
            from kg.cluster import connect, prepare_on_cluster

            timeout = self.settings.cluster_timeout
            with connect(cluster, self.settings.spacy_model, timeout=timeout) as client:
                yield from prepare_on_cluster(
                    client,
                    articles,
                    model=self.settings.spacy_model,
                    base_iri=self.settings.base_iri,
                )
            return
        if workers > 1 and len(articles) >= MIN_PARALLEL and self._own_nlp:
            yield from enumerate(_prepare_in_workers(self.settings, articles, workers))
            return
        yield from enumerate(prepare_many(articles, self.nlp, self.iris))

    def ingest(self, article: Article) -> Outcome:
        """Build one article (the POST /documents path); same rules as `build`."""
        stored = self.stored_hashes()
        by_hash = {digest: doc_id for doc_id, digest in stored.items()}
        outcome = self._skip_reason(article, stored, by_hash)
        if outcome is not None:
            return outcome
        (result,) = prepare_many([article], self.nlp, self.iris)
        return self._write(article, result, replacing=article.doc_id in stored)

    def remove(self, doc_id: str) -> bool:
        """Remove an article's graph, and the actors only it named from the registry, in one
        transaction; False if it was not stored."""
        from kg.registry import remove_article_update

        graph_iri = str(self.iris.graph(doc_id))
        if not self.store.has_graph(graph_iri):
            return False
        self.store.update(remove_article_update(graph_iri, self.iris))
        return True

    @staticmethod
    def _skip_reason(
        article: Article, stored: dict[str, str], by_hash: dict[str, str]
    ) -> Outcome | None:
        source = _source(article)
        if stored.get(article.doc_id) == article.content_hash:
            return Outcome(source, Status.UNCHANGED, article.doc_id, "unchanged, not re-extracted")
        other = by_hash.get(article.content_hash)
        if other is not None and other != article.doc_id:
            return Outcome(
                source, Status.DUPLICATE, other, f"same content as document {other}; skipped"
            )
        return None

    def _write(self, article: Article, result: Prepared | Failure, *, replacing: bool) -> Outcome:
        """Store a prepared article: `result.update` is the one update of
        `kg.registry.put_article_update` (DROP + INSERT DATA + the registry's maintenance), made
        where the article was prepared so that this process does not map it again."""
        if isinstance(result, Failure):
            return self._failure(article, result.error)
        try:
            self.store.update(result.update)
        except KGError as exc:
            return self._failure(article, exc)
        logger.info(
            "stored %s", article.doc_id, extra={"article_id": article.doc_id, **result.counts}
        )
        status = Status.REPLACED if replacing else Status.ADDED
        summary = ", ".join(f"{n} {what}" for what, n in result.counts.items())
        return Outcome(_source(article), status, article.doc_id, summary, result.counts)

    @staticmethod
    def _failure(article: Article, exc: KGError) -> Outcome:
        status = Status.INVALID if isinstance(exc, NonConformingGraphError) else Status.FAILED
        return Outcome(_source(article), status, article.doc_id, exc.message, error=exc)


#: Fewer new articles than this are built in the calling process: starting workers (each loads
#: the spaCy pipeline, ~2 s) would cost more than it saves.
MIN_PARALLEL = 8
#: Articles per task sent to a worker (they go through `nlp.pipe` together).
TASK_SIZE = 4

#: The worker process's pipeline (`_worker_init`).
_worker_pipeline: Pipeline | None = None
_worker_iris: Iris | None = None


def _worker_init(settings: Settings, parent_pid: int) -> None:
    """In each worker process: end with the build (`kg.lifeline`), load the spaCy pipeline."""
    from kg.lifeline import exit_with_parent

    global _worker_pipeline, _worker_iris
    exit_with_parent(parent_pid)
    _worker_pipeline = Pipeline(settings.spacy_model)
    _worker_iris = Iris(settings.base_iri)
    _worker_pipeline.nlp  # noqa: B018 - load the pipeline before the first task


def _worker_prepare(articles: list[Article]) -> list[Prepared | Failure]:
    """In a worker: `prepare_many`; failures without their report graph (lighter to send)."""
    if _worker_pipeline is None or _worker_iris is None:  # pragma: no cover - initializer ran
        raise RuntimeError("build worker used before _worker_init")
    results = prepare_many(articles, _worker_pipeline.nlp, _worker_iris)
    return [r.portable() if isinstance(r, Failure) else r for r in results]


def _prepare_in_workers(
    settings: Settings, articles: list[Article], workers: int
) -> Iterator[Prepared | Failure]:
    """Extract, map and validate in `workers` spawned processes; results in input order.

    The calling process stays the store's single writer: workers return each graph as the
    update that stores it. At most two tasks per worker are in flight, so memory stays flat
    however long the input. The workers exit when this process dies, even by SIGKILL.
    """
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    tasks = [articles[i : i + TASK_SIZE] for i in range(0, len(articles), TASK_SIZE)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=min(workers, len(tasks)),
        mp_context=context,
        initializer=_worker_init,
        initargs=(settings, os.getpid()),
    ) as pool:
        queue: list[Future[list[Prepared | Failure]]] = []
        next_task = 0
        while queue or next_task < len(tasks):
            while next_task < len(tasks) and len(queue) < 2 * workers:
                queue.append(pool.submit(_worker_prepare, tasks[next_task]))
                next_task += 1
            yield from queue.pop(0).result()


def _source(article: Article) -> str:
    return article.file or article.url or article.doc_id
