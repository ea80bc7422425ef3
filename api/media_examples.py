"""OpenAPI examples of the RDF, SPARQL-results and property-graph answers (/sparql, /graph,
/id/…, /ontology): not written by hand but produced by this codebase from one tiny article
(`kg.mapping` → an in-memory store → the same serialisers the routes use), so they show the
exact shape a client receives. Built once, at import (a few milliseconds)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from functools import lru_cache
from typing import Any

import pyoxigraph as ox

from kg import vocab
from kg.exports import ExportFormat, export_chunks
from kg.iris import Iris
from kg.mapping import to_graph
from kg.records import Actor, ActorType, Article, Direction, Extraction, Mention, Position, Span
from kg.records import Stance as StanceValue
from kg.registry import put_article
from kg.store.oxigraph import OxigraphStore

BASE = "http://127.0.0.1:8000/"
TEXT = "The Kremlin rejects a ceasefire, Yuri Ushakov said."
MAX_CHARS = 1200  # longer examples are cut (with a marker) to keep /docs readable

#: The SELECT whose answer illustrates the results formats.
SELECT = (
    vocab.sparql_prefixes("kg", "skos")
    + "SELECT ?actor ?name WHERE { ?actor kg:actorKey ?key ; skos:prefLabel ?name } ORDER BY ?name"
)


def _span(needle: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), needle)


def _extraction() -> Extraction:
    article = Article(
        doc_id="example",
        text=TEXT,
        content_hash=hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
        title="Kremlin rejects ceasefire",
        published=dt.date(2025, 3, 14),
    )
    return Extraction(
        article=article,
        actors=(
            Actor("kremlin", "Kremlin", ActorType.ORGANIZATION),
            Actor("yuri-ushakov", "Yuri Ushakov", ActorType.PERSON, ("Ushakov",), "Q4531018"),
        ),
        mentions=(
            Mention("kremlin", _span("The Kremlin"), "gazetteer", 0.9),
            Mention("yuri-ushakov", _span("Yuri Ushakov"), "gazetteer", 0.9),
        ),
        positions=(
            Position(
                "kremlin",
                StanceValue.REJECTS,
                "ceasefire",
                Direction.AGAINST,
                _span(TEXT),
                "cue:rejects",
                0.8,
                reported_by="yuri-ushakov",
            ),
        ),
        extractor_version="example",
    )


@lru_cache(maxsize=1)
def _store() -> OxigraphStore:
    iris = Iris(BASE)
    store = OxigraphStore()
    put_article(store, to_graph(_extraction(), iris), iris)
    return store


def _cut(body: bytes) -> str:
    text = body.decode("utf-8")
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "\n… (cut for this example)"


def _rdf(fmt: ox.RdfFormat) -> str:
    actor = f"<{BASE}id/actor/yuri-ushakov>"
    query = f"CONSTRUCT {{ {actor} ?p ?o }} WHERE {{ GRAPH ?g {{ {actor} ?p ?o }} }}"
    answer = _store().query(query)
    assert isinstance(answer, ox.QueryTriples)  # noqa: S101 - a CONSTRUCT
    return _cut(answer.serialize(format=fmt) or b"")


def _select(fmt: ox.QueryResultsFormat) -> str:
    answer = _store().query(SELECT, use_default_graph_as_union=True)
    assert isinstance(answer, ox.QuerySolutions)  # noqa: S101 - a SELECT
    return _cut(answer.serialize(format=fmt) or b"")


def _schema(media_type: str) -> dict[str, Any]:
    return {"type": "object"} if _bare(media_type).endswith("json") else {"type": "string"}


def _bare(media_type: str) -> str:
    return media_type.split(";")[0].strip()  # "text/csv; charset=utf-8" -> "text/csv"


def _entry(media_type: str, body: str) -> dict[str, Any]:
    """A `content` entry; a JSON body is given as the JSON value it is."""
    json_body = _bare(media_type).endswith("json") and not body.endswith("(cut for this example)")
    return {"schema": _schema(media_type), "example": json.loads(body) if json_body else body}


def rdf_content(formats: tuple[ox.RdfFormat, ...]) -> dict[str, Any]:
    """OpenAPI `content` for a negotiated RDF answer: one real example per media type."""
    return {_bare(f.media_type): _entry(f.media_type, _rdf(f)) for f in formats}


def sparql_content(
    results: tuple[ox.QueryResultsFormat, ...], graphs: tuple[ox.RdfFormat, ...]
) -> dict[str, Any]:
    """OpenAPI `content` of /sparql: SELECT/ASK results formats, then CONSTRUCT/DESCRIBE ones."""
    content = {_bare(f.media_type): _entry(f.media_type, _select(f)) for f in results}
    return {**content, **rdf_content(graphs)}


def export_content() -> dict[str, Any]:
    """OpenAPI `content` of /graph: each export format's answer for the example graph."""
    content: dict[str, Any] = {}
    for fmt in ExportFormat:
        media = _bare(fmt.media_type)
        body = _cut(b"".join(export_chunks(_store(), fmt)))
        if media in content:  # csv-nodes and csv-edges share text/csv
            content[media]["examples"][fmt.value] = {"value": body}
            continue
        content[media] = {"schema": _schema(media), "examples": {fmt.value: {"value": body}}}
    return content
