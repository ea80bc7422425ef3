"""The SPARQL 1.1 Protocol endpoint at /sparql (GET, POST form, POST application/sparql-query).

Parsing, negotiation and execution are the pure functions of `api.sparql`; this router reads the
raw request (the body needs `await`) and runs the query in the threadpool.
"""

from __future__ import annotations

from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep, StoreDep
from api.problems import problem_doc
from api.sparql import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    ResultKind,
    SparqlAnswer,
    execute,
    negotiate,
    parse_sparql_request,
    service_description,
)
from kg.config import Settings
from kg.store import GraphStore

router = APIRouter(tags=["sparql"])

_MEDIA_TYPES: dict[str, object] = {
    media.split(";")[0]: {}
    for media in [f.media_type for f in RESULT_FORMATS] + [f.media_type for f in GRAPH_FORMATS]
}
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "Query answer (negotiated)", "content": _MEDIA_TYPES},
    400: problem_doc("Malformed query: `detail` is the parser's message"),
    403: problem_doc("Updates are disabled"),
    406: problem_doc("No acceptable answer format"),
    415: problem_doc("Unsupported POST body media type"),
}

FormatQuery = Annotated[
    str | None,
    Query(
        alias="format",
        description="Answer format for browsers: json, xml, csv, tsv, ttl, nt, jsonld, rdf.",
    ),
]


def _answer(
    store: GraphStore, settings: Settings, request: Request, body: bytes, format_name: str | None
) -> SparqlAnswer:
    parsed = parse_sparql_request(
        request.method,
        request.headers.get("content-type"),
        list(request.query_params.multi_items()),
        body,
    )
    accept = request.headers.get("accept")
    if parsed.query is None and parsed.update is None and request.method == "GET":
        fmt = negotiate(accept, ResultKind.GRAPH, format_name)
        assert isinstance(fmt, ox.RdfFormat)  # noqa: S101 - negotiated for graphs
        endpoint = str(request.url.replace(query=None))
        return service_description(endpoint, store.graph_iris(), fmt)
    return execute(
        store, parsed, accept=accept, format_name=format_name, max_rows=settings.max_rows
    )


async def _handle(
    request: Request, store: GraphStore, settings: Settings, format_name: str | None
) -> Response:
    body = await request.body() if request.method == "POST" else b""
    answer = await run_in_threadpool(_answer, store, settings, request, body, format_name)
    return Response(answer.body, media_type=answer.media_type, headers={"Vary": "Accept"})


@router.get("/sparql", responses=RESPONSES)
async def sparql_get(
    request: Request, store: StoreDep, settings: SettingsDep, format_name: FormatQuery = None
) -> Response:
    """Run `?query=`; without a query, answer the SPARQL service description (Turtle).

    The default graph is the union of all graphs unless `default-graph-uri` or
    `named-graph-uri` are given.
    """
    return await _handle(request, store, settings, format_name)


@router.post("/sparql", responses=RESPONSES)
async def sparql_post(
    request: Request, store: StoreDep, settings: SettingsDep, format_name: FormatQuery = None
) -> Response:
    """Run a query POSTed form-encoded (`query=`) or as `application/sparql-query`."""
    return await _handle(request, store, settings, format_name)


router.add_api_route("/sparql/", sparql_get, methods=["GET"], include_in_schema=False)
router.add_api_route("/sparql/", sparql_post, methods=["POST"], include_in_schema=False)
