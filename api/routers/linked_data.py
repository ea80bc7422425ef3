"""Linked data: the ontology at /ontology and /ns, and data IRIs that dereference.

- `GET /ontology`, `GET /ns`: `ontology/newskg.ttl` (the `kg:` vocabulary, whose namespace
  `https://w3id.org/newskg/ns#` is fixed) in Turtle, N-Triples, JSON-LD or RDF/XML by Accept.
- `GET /id/actor/{key}`, `/id/document/{id}`, `/id/document/{id}/…` (the IRIs `kg/iris.py` mints
  under KG_BASE_IRI): asked for RDF, the node's description: its own triples over every graph,
  plus its evidence resources and their text selectors (a concise bounded description for our
  model); asked for HTML or JSON, a 303 redirect to the REST resource (`/actors/{key}`,
  `/documents/{id}`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, SnapshotDep
from api.media_examples import rdf_content
from api.problems import problem_doc
from api.sparql import GRAPH_FORMATS, ResultKind, negotiate, parse_accept
from kg import vocab
from kg.errors import NotFoundError
from kg.mapping import ontology_dir
from kg.read.describe import describe
from kg.store import GraphStore

router = APIRouter(tags=["linked data"])

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "RDF, negotiated", "content": rdf_content(GRAPH_FORMATS)},
    303: {"description": "HTML or JSON asked for: see the REST resource"},
    404: problem_doc("Nothing is known about this IRI"),
    406: problem_doc("No acceptable RDF format"),
}
DocumentId = Annotated[
    str, PathParam(description="The document's id (as in `/documents`).", examples=["alpha"])
]
_REDIRECT_MEDIA = ("text/html", "application/json", "application/xhtml+xml")


@lru_cache(maxsize=4)
def _ontology_quads(path: Path, mtime: float) -> list[ox.Quad]:
    del mtime  # part of the cache key only: an edited file is read again
    return list(ox.parse(path=path, format=ox.RdfFormat.TURTLE))


def _serialise(triples: list[ox.Triple] | list[ox.Quad], fmt: ox.RdfFormat) -> Response:
    prefixes = {name: vocab.PREFIXES[name] for name in ("kg", "skos")}
    body = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return Response(body, media_type=fmt.media_type, headers={"Vary": "Accept"})


def _ontology(request: Request) -> Response:
    fmt = negotiate(request.headers.get("accept"), ResultKind.GRAPH, None)
    assert isinstance(fmt, ox.RdfFormat)  # noqa: S101 - negotiated for graphs
    path = ontology_dir() / "newskg.ttl"
    try:
        quads = _ontology_quads(path, path.stat().st_mtime)
    except OSError as exc:
        raise NotFoundError(f"the ontology file {path} cannot be read: {exc}") from exc
    triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
    return _serialise(triples, fmt)


@router.get("/ontology", summary="The ontology", responses=RESPONSES, response_class=Response)
def get_ontology(request: Request) -> Response:
    """The newskg ontology (OWL), Turtle by default, JSON-LD with `Accept: application/ld+json`."""
    return _ontology(request)


@router.get(
    "/ns", summary="The kg: namespace document", responses=RESPONSES, response_class=Response
)
def get_namespace(request: Request) -> Response:
    """The `kg:` namespace document: where `https://w3id.org/newskg/ns#Term` resolves to."""
    return _ontology(request)


def _wants_redirect(accept: str | None) -> bool:
    """True when HTML or JSON is preferred over every RDF format."""
    for media, q in parse_accept(accept or ""):
        if q <= 0:
            continue
        if media in _REDIRECT_MEDIA:
            return True
        if media == "*/*" or ox.RdfFormat.from_media_type(media) in GRAPH_FORMATS:
            return False
    return False


async def _dereference(
    request: Request, store: GraphStore, base_iri: str, rest_path: str
) -> Response:
    if _wants_redirect(request.headers.get("accept")):
        return RedirectResponse(rest_path, status_code=303)
    fmt = negotiate(request.headers.get("accept"), ResultKind.GRAPH, None)
    assert isinstance(fmt, ox.RdfFormat)  # noqa: S101 - negotiated for graphs
    iri = base_iri + request.url.path.lstrip("/")
    triples = await run_in_threadpool(describe, store, iri)
    return _serialise(triples, fmt)


@router.get("/id/actor/{key}", summary="Actor IRI", responses=RESPONSES, response_class=Response)
async def dereference_actor(
    request: Request,
    store: SnapshotDep,
    settings: SettingsDep,
    key: Annotated[
        str, PathParam(description="The actor id (`kg:actorKey`).", examples=["vladimir-putin"])
    ],
) -> Response:
    """An actor IRI: its description in RDF, or a redirect to `/actors/{key}`."""
    return await _dereference(request, store, settings.base_iri, f"/actors/{key}")


@router.get(
    "/id/document/{doc_id}", summary="Document IRI", responses=RESPONSES, response_class=Response
)
async def dereference_document(
    request: Request, store: SnapshotDep, settings: SettingsDep, doc_id: DocumentId
) -> Response:
    """A document IRI: its description in RDF, or a redirect to `/documents/{id}`."""
    return await _dereference(request, store, settings.base_iri, f"/documents/{doc_id}")


@router.get(
    "/id/document/{doc_id}/{item:path}",
    summary="Statement IRI",
    responses=RESPONSES,
    response_class=Response,
)
async def dereference_item(
    request: Request,
    store: SnapshotDep,
    settings: SettingsDep,
    doc_id: DocumentId,
    item: Annotated[
        str,
        PathParam(
            description="The rest of the IRI: `position/…`, `event/…`, `quote/…`, `mention/…`.",
            examples=["position/5b1e9c0d2a47"],
        ),
    ],
) -> Response:
    """An event, position, quote, mention… IRI of one document: its description with its
    evidence selectors, or a redirect to the document's REST resource."""
    del item  # the whole path is the IRI
    return await _dereference(request, store, settings.base_iri, f"/documents/{doc_id}")
