"""The write path of the REST API: POST and DELETE /documents, and one article's SHACL report.

- `read_posted_article` turns a request body (`application/json`, or `text/plain` with the
  metadata in query parameters) into an `Article` with the same refusals as a file
  (`kg.articles.posted_article`): 422 with the precise message, 415 for another media type.
- `DocumentWriter` is the server's one writer: extraction, the SHACL gate and the store go
  through `kg.build.Builder.ingest` (`kg.prepare.prepare_many`, then one update) exactly as in
  `kg build`, under an asyncio lock (one write at a time, so "is it stored already?" and the
  write cannot interleave), in a worker thread (reads go on being served meanwhile). SPARQL
  updates take the same lock (`DocumentWriter.update`). Every write bumps
  `OxigraphStore.generation`, so the /sparql workers reopen the store and see it
  (`api.executor`).
- The spaCy pipeline (`kg.prepare.Pipeline`) is loaded on the first POST that needs it (about
  2.4 s on the 2-CPU development machine: 1.2 s importing spaCy, 1.0 s building the pipeline),
  so a server that never ingests never pays for it in time or memory; with
  `KG_PRELOAD_NLP=true` (and writes enabled) it is loaded in a background thread at startup
  instead, without delaying startup.
- `document_validation` validates one stored article graph with `kg.validation`.
"""

from __future__ import annotations

import asyncio
import json
import logging
import threading
from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from kg.articles import MAX_ARTICLE_BYTES, POSTED_FIELDS, posted_article, posted_text
from kg.build import Builder, Outcome, Status
from kg.config import Settings
from kg.errors import (
    ExtractionError,
    InputError,
    NonConformingGraphError,
    NotFoundError,
    UnsupportedMediaTypeError,
)
from kg.prepare import Pipeline
from kg.read import documents
from kg.read.documents import graph_of, read_graph, stored_document
from kg.read.index import attached
from kg.read.records import Document, Schema
from kg.records import Article
from kg.store import GraphStore

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)

JSON_MEDIA_TYPE = "application/json"
TEXT_MEDIA_TYPE = "text/plain"

# --- request and response models ------------------------------------------------------------


POSTED_EXAMPLE: dict[str, Any] = {
    "text": "Kremlin aide Yuri Ushakov said on Tuesday that Vladimir Putin and Donald Trump"
    " discussed a ceasefire in a phone call.",
    "title": "Putin and Trump discuss ceasefire",
    "url": "https://news.example/2025/03/18/putin-trump-call",
    "published": "2025-03-18",
    "outlet": "Example News",
    "author": "A. Reporter",
}


class PostedArticle(Schema):
    """The JSON body of POST /documents (documentation: the body is read and checked by
    `kg.articles.posted_article`, which refuses unknown fields)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [POSTED_EXAMPLE]})

    text: str = Field(
        description=f"The article text, UTF-8, at most {MAX_ARTICLE_BYTES:,} bytes; stored"
        " exactly as given (evidence spans index into it).",
        min_length=1,
    )
    title: str | None = None
    url: str | None = Field(None, description="http(s) URL; also the source of the minted id.")
    published: str | None = Field(None, description="ISO date (or timestamp): 2025-03-18.")
    outlet: str | None = None
    author: str | None = None
    id: str | None = Field(
        None,
        description="Document id (letters, digits, '_', '.', '-'); default: minted from the"
        " URL, else from the content hash, as `kg build` mints ids of JSONL records.",
    )


class Counts(Schema):
    """What is stored for the article."""

    actors: int
    events: int
    positions: int
    quotes: int
    triples: int


class DocumentWrite(Schema):
    """The answer to POST /documents."""

    document: Document = Field(description="The stored document, as listed at /documents.")
    status: Literal["added", "replaced", "unchanged", "duplicate"] = Field(
        description="added (201): new; replaced: same id, new content, the old graph is gone;"
        " unchanged: this content is stored under this id already, nothing was done;"
        " duplicate: this content is stored under another id, `document` is that one, nothing"
        " was done."
    )
    counts: Counts
    message: str = Field(description="One line on what happened.")


class ValidationResult(Schema):
    """One SHACL result (`sh:result`)."""

    severity: str = Field(description="Violation, Warning or Info.")
    focus: str = Field(description="The focus node (`sh:focusNode`).")
    path: str | None = Field(description="The property path, in SPARQL syntax.")
    message: str
    shape: str = Field(description="The (named) shape that reported it.")
    value: str | None


class DocumentValidation(Schema):
    """One stored article's SHACL report against ontology/shapes.ttl."""

    document: str
    conforms: bool
    results: list[ValidationResult]
    triples: int = Field(description="Triples in the article's named graph.")


# --- reading a posted article ---------------------------------------------------------------


def _media_type(header: str | None) -> tuple[str, dict[str, str]]:
    """'text/plain; charset=UTF-8' -> ('text/plain', {'charset': 'utf-8'})."""
    if not header:
        return "", {}
    kind, *params = header.split(";")
    parsed: dict[str, str] = {}
    for param in params:
        name, _, value = param.partition("=")
        parsed[name.strip().lower()] = value.strip().strip('"').lower()
    return kind.strip().lower(), parsed


def parse_posted_article(
    content_type: str | None, body: bytes, params: list[tuple[str, str]]
) -> Article:
    """The article a POST /documents request carries.

    Args:
        content_type: the Content-Type header.
        body: the request body (already bounded by KG_MAX_BODY_BYTES).
        params: the query parameters (the metadata of a text/plain body).

    Raises:
        UnsupportedMediaTypeError: neither application/json nor text/plain (UTF-8).
        InputError: the body or a field is refused (see `kg.articles.posted_article`).
    """
    kind, media_params = _media_type(content_type)
    charset = media_params.get("charset", "utf-8")
    if kind not in (JSON_MEDIA_TYPE, TEXT_MEDIA_TYPE) or charset not in ("utf-8", "utf8"):
        given = content_type or "no Content-Type"
        raise UnsupportedMediaTypeError(
            f"POST /documents takes `application/json` or `text/plain; charset=utf-8`, not"
            f" {given!r}"
        )
    if kind == TEXT_MEDIA_TYPE:
        names = [name for name, _ in params]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise InputError(f"query parameter {repeated[0]!r} is given more than once")
        return posted_text(body, dict(params), "request body")
    if params:
        raise InputError(
            f"query parameter {params[0][0]!r}: with a JSON body, the metadata goes in the body"
            f" (fields: {', '.join(POSTED_FIELDS)})"
        )
    try:
        record = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(
            f"request body: not valid UTF-8 (byte 0x{body[exc.start]:02x} at offset {exc.start})"
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"request body: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    if not isinstance(record, dict):
        raise InputError(
            f"request body: must be a JSON object with the fields {', '.join(POSTED_FIELDS)}"
        )
    return posted_article(record, "request body")


async def read_posted_article(request: Request) -> Article:
    """`parse_posted_article` on a live request (the body limit is the middleware's)."""
    body = await request.body()
    return parse_posted_article(
        request.headers.get("content-type"), body, list(request.query_params.multi_items())
    )


# --- the writer -----------------------------------------------------------------------------


class DocumentWriter:
    """The one writer of articles; see the module docstring.

    Args:
        settings: the server settings.
        store: the open store the server serves.
        nlp_factory: builds the spaCy pipeline (tests pass a prepared one); default
            `kg.nlp.pipeline.build_nlp`. Called at most once.
    """

    def __init__(
        self,
        settings: Settings,
        store: GraphStore,
        *,
        nlp_factory: Callable[[], Language] | None = None,
    ) -> None:
        self.store = store
        self.pipeline = Pipeline(settings.spacy_model, factory=nlp_factory)
        self.builder = Builder(settings, store, pipeline=self.pipeline)
        self._lock = asyncio.Lock()

    def preload(self) -> threading.Thread:
        """Load the pipeline in a background thread (KG_PRELOAD_NLP)."""
        return self.pipeline.preload()

    async def ingest(self, article: Article) -> tuple[Outcome, Document, Counts]:
        """Extract, validate and store `article` (one write at a time).

        Raises:
            NonConformingGraphError: the article's graph fails the SHACL gate; nothing stored.
            ExtractionError: extraction, mapping or the store failed; nothing stored.
        """
        async with self._lock:
            return await run_in_threadpool(self._ingest, article)

    def _ingest(self, article: Article) -> tuple[Outcome, Document, Counts]:
        if not self.store.has_graph(str(self.builder.iris.ontology_graph())):
            self.builder.load_vocabularies()  # a new store: the ontology, topics and gazetteer
        outcome = self.builder.ingest(article)
        if isinstance(outcome.error, NonConformingGraphError):
            raise _with_violations(outcome.error)
        if outcome.error is not None:
            raise outcome.error  # its own status: 500 extraction or mapping, 503 store
        if not outcome.ok or outcome.doc_id is None:
            raise ExtractionError(f"the article could not be stored: {outcome.message}")
        document = stored_document(self.store, outcome.doc_id)
        if outcome.status in (Status.ADDED, Status.REPLACED):
            counts = Counts(**outcome.counts)
        else:
            counts = stored_counts(self.store, outcome.doc_id)
        logger.info(
            "POST /documents: %s %s",
            outcome.status,
            outcome.doc_id,
            extra={"article_id": outcome.doc_id},
        )
        return outcome, document, counts

    async def remove(self, doc_id: str) -> None:
        """Remove the article's named graph in one transaction.

        Raises:
            NotFoundError: no such document.
            InputError: `doc_id` cannot be a document id.
        """
        async with self._lock:
            removed = await run_in_threadpool(self.builder.remove, doc_id)
        if not removed:
            raise NotFoundError(f"no document with id {doc_id!r}; list them at /documents")
        logger.info("DELETE /documents: removed %s", doc_id, extra={"article_id": doc_id})

    async def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL update (/update, /sparql) in one transaction, under the same lock as
        POST and DELETE /documents: an update never lands between a POST's "is it stored
        already?" and its write, nor inside a removal. Relative IRIs resolve against
        `base_iri` (the endpoint's URL).

        Raises:
            QueryError: the update does not parse or cannot be applied.
            StoreError: the store failed (e.g. a full disk).
        """
        async with self._lock:
            index = attached(self.store)
            if index is not None:  # a hand-written update may change anything
                index.rebuild_after_next_write()
            await run_in_threadpool(self.store.update, sparql, base_iri=base_iri)


def _with_violations(error: NonConformingGraphError) -> NonConformingGraphError:
    """The SHACL refusal with a `violations` problem extension listing every result."""
    from kg.validation import ValidationReport  # pySHACL is imported only when validating

    report = error.report
    if isinstance(report, ValidationReport):
        error.extensions["violations"] = [
            {
                "focusNode": v.focus_node,
                "path": v.path,
                "severity": v.severity,
                "message": v.message,
                "sourceShape": v.source_shape,
                "value": v.value,
            }
            for v in report.violations
        ]
    return error


# --- reading what is stored (kg.read.documents) -------------------------------------------


def stored_counts(store: GraphStore, doc_id: str) -> Counts:
    """What the stored graph of `doc_id` holds (`kg.read.documents.stored_counts`).

    Raises:
        NotFoundError: no such document.
    """
    return Counts(**asdict(documents.stored_counts(store, doc_id)))


def document_validation(store: GraphStore, doc_id: str) -> tuple[DocumentValidation, Any]:
    """Validate the stored graph of `doc_id` alone; the typed answer and pySHACL's report graph.

    Raises:
        NotFoundError: no such document.
    """
    from kg.validation import validate

    graph_iri = graph_of(store, doc_id)
    if graph_iri is None:
        raise NotFoundError(f"no document with id {doc_id!r}; list them at /documents")
    graph = read_graph(store, graph_iri)
    report = validate(graph)
    answer = DocumentValidation(
        document=doc_id,
        conforms=report.conforms,
        results=[
            ValidationResult(
                severity=v.severity,
                focus=v.focus_node,
                path=v.path,
                message=v.message,
                shape=v.source_shape,
                value=v.value,
            )
            for v in report.violations
        ],
        triples=len(graph),
    )
    return answer, report.graph
