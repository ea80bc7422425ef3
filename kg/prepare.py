"""The one prepare path: an article becomes the update that stores its graph, or a failure.

    extract (kg.nlp) -> map (kg.mapping) -> SHACL gate (kg.validation) -> one SPARQL update

`prepare` and `prepare_many` touch no store and read no settings: the CLI's builder, the API's
document writer, `kg build --workers` processes and Dask workers (`kg.cluster`) all call them,
so an article is extracted, mapped, validated and counted the same way wherever it runs. The
result is what a writer needs and nothing more: the update that replaces the article's named
graph and maintains the actor registry in one transaction (`kg.registry.put_article_update`)
and the figures reported for it. `Pipeline` is the one lazy loader of the spaCy pipeline.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kg.errors import KGError, NonConformingGraphError

if TYPE_CHECKING:
    import rdflib
    from spacy.language import Language

    from kg.iris import Iris
    from kg.records import Article, Extraction

logger = logging.getLogger(__name__)

#: Articles extracted together (`nlp.pipe`); a batch that fails is redone one article at a time.
BATCH_SIZE = 16


@dataclass(frozen=True, slots=True)
class Prepared:
    """An article extracted, mapped and validated: the update that stores it, and its figures."""

    doc_id: str
    graph_iri: str
    update: str
    """`DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { … } }`: one transaction in any store."""
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class Failure:
    """An article that could not be prepared; nothing of it may be stored."""

    doc_id: str
    error: KGError

    def portable(self) -> Failure:
        """The failure without pySHACL's report graph, to send it to another process cheaply
        (the violations and the message stay)."""
        report = getattr(self.error, "report", None)
        if not isinstance(self.error, NonConformingGraphError) or report is None:
            return self
        from kg.validation import ValidationReport

        if not isinstance(report, ValidationReport) or report.graph is None:
            return self
        error = NonConformingGraphError(self.error.message, dataclasses.replace(report, graph=None))
        error.extensions.update(self.error.extensions)
        return Failure(self.doc_id, error)


def extraction_counts(extraction: Extraction, graph: rdflib.Graph) -> dict[str, int]:
    """The figures reported for one stored article."""
    return {
        "actors": len(extraction.actors),
        "events": len(extraction.events),
        "positions": len(extraction.positions),
        "quotes": len(extraction.quotes),
        "triples": len(graph),
    }


def prepare(article: Article, nlp: Language, iris: Iris) -> Prepared | Failure:
    """Extract, map and validate one article.

    Args:
        article: the article as read (`kg.articles`) or posted.
        nlp: the pipeline of `kg.nlp.pipeline.build_nlp`.
        iris: mints the IRIs (the store's base IRI).

    Returns:
        `Prepared`, or a `Failure` whose error says which step refused the article
        (`ExtractionError`, `MappingError`, `NonConformingGraphError`, `InputError`).
    """
    from kg.nlp.extract import extract

    try:
        extraction = extract(nlp, article)
    except KGError as exc:
        return Failure(article.doc_id, exc)
    return _map_and_validate(article, extraction, iris)


def prepare_many(
    articles: Sequence[Article], nlp: Language, iris: Iris, *, batch_size: int = BATCH_SIZE
) -> Iterator[Prepared | Failure]:
    """`prepare` for many articles, one result per article in input order.

    The articles go through `nlp.pipe` in batches of `batch_size` (faster than one at a time);
    a batch the pipeline fails on is redone one by one, so one bad article fails alone.
    """
    from kg.nlp.extract import extract_many

    for start in range(0, len(articles), batch_size):
        batch = articles[start : start + batch_size]
        try:
            extractions = list(extract_many(nlp, batch))
        except KGError:
            logger.info("a batch of %d articles failed; extracting one by one", len(batch))
            for article in batch:
                yield prepare(article, nlp, iris)
            continue
        for article, extraction in zip(batch, extractions, strict=True):
            yield _map_and_validate(article, extraction, iris)


def _map_and_validate(article: Article, extraction: Extraction, iris: Iris) -> Prepared | Failure:
    from kg.mapping import to_graph
    from kg.registry import put_article_update
    from kg.validation import ensure_conforms

    try:
        graph = to_graph(extraction, iris)
        ensure_conforms(graph)
        graph_iri = str(iris.graph(article.doc_id))
        update, _ = put_article_update(graph_iri, graph, iris)
    except KGError as exc:
        return Failure(article.doc_id, exc)
    return Prepared(article.doc_id, graph_iri, update, extraction_counts(extraction, graph))


class Pipeline:
    """The spaCy pipeline, built on first use and then kept.

    Loading costs about 2.4 s and 250 MB, so a build with nothing new, or a server that never
    ingests, never pays for it. Thread-safe: the API's warm-up thread and a POST may race, and
    the pipeline is still built once.

    Args:
        model: the spaCy model (KG_SPACY_MODEL), for `kg.nlp.pipeline.build_nlp`.
        factory: builds the pipeline instead (tests pass a prepared one). Called at most once.
    """

    def __init__(self, model: str, *, factory: Callable[[], Language] | None = None) -> None:
        self.model = model
        self.factory = factory
        self._nlp: Language | None = None
        self._lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        return self._nlp is not None

    @property
    def nlp(self) -> Language:
        """The pipeline, built now if it is not yet.

        Raises:
            ExtractionError: the model is not installed (from `build_nlp`).
        """
        with self._lock:
            if self._nlp is None:
                if self.factory is not None:
                    self._nlp = self.factory()
                else:
                    from kg.nlp.pipeline import build_nlp

                    self._nlp = build_nlp(self.model)
                logger.info("spaCy pipeline %s loaded", self.model)
            return self._nlp

    def preload(self) -> threading.Thread:
        """Build the pipeline in a background thread (KG_PRELOAD_NLP)."""
        thread = threading.Thread(target=lambda: self.nlp, name="kg-nlp-preload", daemon=True)
        thread.start()
        return thread
