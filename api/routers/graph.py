"""Exports at /graph: the whole dataset or one document's graph, in an RDF syntax or as a
property graph (GraphML, CSV nodes/edges) for Neo4j and Gephi; streamed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from api.deps import SettingsDep, StoreDep
from api.media_examples import export_content
from api.problems import problem_doc
from api.sparql import parse_accept
from kg.errors import NotAcceptableError
from kg.exports import ExportFormat, export_chunks
from kg.iris import Iris

router = APIRouter(tags=["exports"])

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "The export, streamed", "content": export_content()},
    404: problem_doc("No such document graph"),
    406: problem_doc("No export format matches the Accept header or `format`"),
    422: problem_doc("A parameter is too long or malformed, named in `detail` and `errors`"),
}
_CHOICES = ", ".join(f.value for f in ExportFormat)


def choose_format(accept: str | None, format_name: str | None, one_graph: bool) -> ExportFormat:
    """The `format` parameter if given, else the best Accept match; TriG (whole dataset) or
    Turtle (one graph) by default.

    Raises:
        NotAcceptableError: no export format matches.
    """
    if format_name:
        try:
            return ExportFormat(format_name.strip().lower())
        except ValueError:
            raise NotAcceptableError(
                f"format={format_name!r} is not an export format; use one of {_CHOICES}"
            ) from None
    default = ExportFormat.TURTLE if one_graph else ExportFormat.TRIG
    if not accept or not accept.strip():
        return default
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media in ("*/*", "application/*", "text/*"):
            return default
        found = ExportFormat.from_media_type(media)
        if found is not None:
            return found
    raise NotAcceptableError(
        f"cannot export as {accept!r}; ask with format= one of {_CHOICES}"
        " (CSV comes as two tables: format=csv-nodes and format=csv-edges)"
    )


@router.get(
    "/graph", summary="Export the graph", responses=RESPONSES, response_class=StreamingResponse
)
async def get_graph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    format_name: Annotated[
        str | None, Query(alias="format", description=f"One of: {_CHOICES}.")
    ] = None,
    graph: Annotated[str | None, Query(description="Only this document's graph (its id).")] = None,
) -> StreamingResponse:
    """The knowledge graph: every named graph (TriG, N-Quads, JSON-LD), their union (Turtle,
    N-Triples, RDF/XML), or one document's graph (`graph=`); or its property-graph projection
    (`graphml`, `csv-nodes`, `csv-edges`; see docs/exports.md). Format by `format=` or Accept."""
    fmt = choose_format(request.headers.get("accept"), format_name, graph is not None)
    graph_iri = str(Iris(settings.base_iri).graph(graph)) if graph is not None else None
    # the store is read (and a missing graph raised, as a 404) before the response starts;
    # the serialised chunks are then produced while the response is being sent
    chunks = await run_in_threadpool(export_chunks, store, fmt, graph_iri)
    name = f"newskg-{graph or 'all'}.{fmt.file_extension}"
    if fmt is ExportFormat.CSV_NODES or fmt is ExportFormat.CSV_EDGES:
        name = f"newskg-{graph or 'all'}-{fmt.value.removeprefix('csv-')}.csv"
    return StreamingResponse(
        iterate_in_threadpool(chunks),
        media_type=fmt.media_type,
        headers={"Vary": "Accept", "Content-Disposition": f'inline; filename="{name}"'},
    )


@router.get(
    "/graph/{doc_id}",
    summary="One named graph",
    responses=RESPONSES,
    response_class=StreamingResponse,
)
async def get_named_graph(
    request: Request,
    store: StoreDep,
    settings: SettingsDep,
    doc_id: Annotated[
        str,
        Path(description="A document id, or `ontology` or `actors`.", examples=["alpha"]),
    ],
    format_name: Annotated[
        str | None, Query(alias="format", description=f"One of: {_CHOICES}.")
    ] = None,
) -> StreamingResponse:
    """A named graph IRI (`{base}graph/{doc_id}`, also `ontology` and `actors`) dereferences to
    the graph itself: the same as `/graph?graph={doc_id}`."""
    return await get_graph(request, store, settings, format_name=format_name, graph=doc_id)
