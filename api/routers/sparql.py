"""The SPARQL 1.1 Protocol: queries at /sparql (GET, POST form, POST application/sparql-query),
updates at /update (and POST /sparql as application/sparql-update), with a bearer token.

Parsing, negotiation and execution are the pure functions of `api.sparql`; this router reads the
raw request (the body needs `await`), and hands queries to the app's `QueryExecutor` (worker
processes that enforce KG_QUERY_TIMEOUT, see `api.executor`) from the threadpool.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from api.deps import ExecutorDep, SettingsDep, StoreDep
from api.executor import QueryExecutor
from api.media_examples import SELECT, sparql_content
from api.problems import problem_doc
from api.routers.documents import get_writer
from api.sparql import (
    GRAPH_FORMATS,
    RESULT_FORMATS,
    ResultKind,
    SparqlAnswer,
    SparqlRequest,
    authorize_update,
    negotiate,
    parse_sparql_request,
    refuse_update,
    service_description,
    update_text,
)
from kg.config import Settings
from kg.errors import QueryError
from kg.sparql_guard import check_remote_calls
from kg.store import GraphStore

logger = logging.getLogger(__name__)

router = APIRouter(tags=["sparql"])

RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Query answer, negotiated: SELECT/ASK in a results format, "
        "CONSTRUCT/DESCRIBE in an RDF syntax",
        "content": sparql_content(RESULT_FORMATS, GRAPH_FORMATS),
    },
    400: problem_doc("Malformed query: `detail` is the parser's message"),
    401: problem_doc("An update without a bearer token"),
    403: problem_doc("Updates are disabled, or the bearer token is wrong"),
    406: problem_doc("No acceptable answer format"),
    415: problem_doc("Unsupported POST body media type"),
    503: problem_doc("The query ran over KG_QUERY_TIMEOUT and was stopped, or no store"),
}
TOO_LARGE = problem_doc("The body is over KG_MAX_BODY_BYTES")
POST_RESPONSES: dict[int | str, dict[str, Any]] = {
    **RESPONSES,
    204: {"description": "An update (`application/sparql-update` body) was applied"},
    413: TOO_LARGE,
}
UPDATE_RESPONSES: dict[int | str, dict[str, Any]] = {
    204: {"description": "The update was applied"},
    400: problem_doc("Malformed update: `detail` is the parser's message"),
    401: problem_doc("No bearer token"),
    403: problem_doc("Updates are disabled, or the bearer token is wrong"),
    413: TOO_LARGE,
    415: problem_doc("Unsupported POST body media type"),
    503: problem_doc("The store failed (e.g. a full disk) or is not open"),
}

#: `format` is read with the protocol's parameters (URL and form body, several values).
FORMAT_PARAMETER: dict[str, Any] = {
    "name": "format",
    "in": "query",
    "required": False,
    "description": "Answer format for browsers: json, xml, csv, tsv (SELECT/ASK); ttl, nt,"
    " jsonld, rdf, n3 (CONSTRUCT/DESCRIBE); or a media type. Unknown, of the other kind of"
    " answer, or repeated with different values: ignored, and `Accept` decides (a `Warning`"
    " header says so).",
    "schema": {"type": "string"},
}


def _uri_list(name: str, what: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": what,
        "schema": {"type": "array", "items": {"type": "string"}},
        "explode": True,
    }


#: The protocol's own parameters, read from the raw request (several values, two body types):
#: declared here for the OpenAPI document only.
QUERY_PARAMETERS: list[dict[str, Any]] = [
    {
        "name": "query",
        "in": "query",
        "required": False,
        "description": "The SPARQL 1.1 query; without it, the service description (Turtle).",
        "schema": {"type": "string"},
        "example": SELECT,
    },
    _uri_list("default-graph-uri", "Graphs whose merge is the default graph (else: the union)."),
    _uri_list("named-graph-uri", "Graphs `GRAPH ?g` ranges over (else: all named graphs)."),
    FORMAT_PARAMETER,
]
#: An update's dataset: its WHERE clauses read these graphs, as if it said USING / USING NAMED
#: (refused, 400, when the update has its own USING or WITH).
UPDATE_PARAMETERS: list[dict[str, Any]] = [
    _uri_list("using-graph-uri", "Graphs whose merge is the default graph of an update's WHERE."),
    _uri_list("using-named-graph-uri", "Graphs `GRAPH ?g` ranges over in an update's WHERE."),
]
POST_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {"query": {"type": "string"}},
                "required": ["query"],
            },
            "example": {"query": SELECT},
        },
        "application/sparql-query": {"schema": {"type": "string"}, "example": SELECT},
    },
}
UPDATE_BODY: dict[str, Any] = {
    "required": True,
    "content": {
        "application/sparql-update": {
            "schema": {"type": "string"},
            "example": "DROP GRAPH <http://127.0.0.1:8000/graph/example>",
        },
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {"update": {"type": "string"}},
                "required": ["update"],
            },
        },
    },
}


TRUNCATED_HEADER = "KG-Results-Truncated"


def _answer(
    store: GraphStore,
    executor: QueryExecutor,
    settings: Settings,
    request: Request,
    parsed: SparqlRequest,
) -> SparqlAnswer:
    """The answer to a query, or the service description for a GET without one."""
    accept = request.headers.get("accept")
    if parsed.query is None and parsed.update is None and request.method == "GET":
        fmt = negotiate(accept, ResultKind.GRAPH, parsed.formats)
        assert isinstance(fmt, ox.RdfFormat)  # noqa: S101 - negotiated for graphs
        endpoint = str(request.url.replace(query=None))
        return service_description(
            endpoint,
            store.graph_iris(),
            fmt,
            max_rows=settings.max_rows,
            updates=settings.write_token is not None,
        )
    refuse_update(parsed)
    if parsed.query is not None:
        checked = check_remote_calls(parsed.query, services=settings.sparql_service_set)
        parsed = dataclasses.replace(parsed, checked=checked)
    return executor.run(parsed, accept=accept, format_name=None, max_rows=settings.max_rows)


def answer_headers(answer: SparqlAnswer) -> dict[str, str]:
    """`Vary`, and the row-cap and ignored-`format` warnings of an answer (`api.fastpath` too)."""
    headers = {"Vary": "Accept"}
    warnings = []
    if answer.truncated is not None:
        headers[TRUNCATED_HEADER] = str(answer.truncated)
        warnings.append(
            f'199 newskg "results truncated to the first {answer.truncated} rows (KG_MAX_ROWS)"'
        )
    if answer.ignored_formats:
        values = " ".join(f"format={value}" for value in answer.ignored_formats)
        safe = "".join(c for c in values[:200] if " " <= c <= "~" and c not in '"\\')
        warnings.append(f'199 newskg "{safe} names no single format here; Accept decided"')
    if warnings:
        headers["Warning"] = ", ".join(warnings)
    return headers


def _response(answer: SparqlAnswer) -> Response:
    return Response(answer.body, media_type=answer.media_type, headers=answer_headers(answer))


async def _parse(request: Request) -> SparqlRequest:
    """The protocol request; relative IRIs in it resolve against the endpoint's URL."""
    body = await request.body() if request.method == "POST" else b""
    return await run_in_threadpool(
        parse_sparql_request,
        request.method,
        request.headers.get("content-type"),
        list(request.query_params.multi_items()),
        body,
        base_iri=str(request.url.replace(query=None, fragment=None)),
    )


async def _handle(
    request: Request,
    parsed: SparqlRequest,
    store: GraphStore,
    executor: QueryExecutor,
    settings: Settings,
) -> Response:
    """Run a query, or apply an update (refused without the token) through the document writer,
    so it waits for a POST or DELETE /documents in progress and never interleaves with it."""
    if parsed.update is not None and request.method == "POST":
        token = settings.write_token.get_secret_value() if settings.write_token else None
        authorize_update(request.headers.get("authorization"), token)  # before queueing
        await run_in_threadpool(
            check_remote_calls,
            parsed.update,
            services=settings.sparql_service_set,
            loads=settings.sparql_load_source_set,
        )
        update = await run_in_threadpool(update_text, parsed)  # using-graph-uri as USING
        await get_writer(request).update(update, base_iri=parsed.base_iri)
        logger.info("applied a SPARQL update (%d characters)", len(parsed.update))
        return Response(status_code=204)
    answer = await run_in_threadpool(_answer, store, executor, settings, request, parsed)
    return _response(answer)


@router.get(
    "/sparql",
    summary="SPARQL query (GET)",
    responses=RESPONSES,
    response_class=Response,
    openapi_extra={"parameters": QUERY_PARAMETERS},
)
async def sparql_get(
    request: Request,
    store: StoreDep,
    executor: ExecutorDep,
    settings: SettingsDep,
) -> Response:
    """Run `?query=`; without a query, answer the SPARQL service description (Turtle).

    The default graph is the union of all graphs unless `default-graph-uri` or
    `named-graph-uri` are given. Queries stop after `KG_QUERY_TIMEOUT` seconds (503); a SELECT
    answer holds at most `KG_MAX_ROWS` rows, and a cut answer carries the header
    `KG-Results-Truncated: <KG_MAX_ROWS>` and a `Warning`.
    """
    return await _handle(request, await _parse(request), store, executor, settings)


@router.post(
    "/sparql",
    summary="SPARQL query (POST)",
    responses=POST_RESPONSES,
    response_class=Response,
    openapi_extra={
        "parameters": QUERY_PARAMETERS[1:] + UPDATE_PARAMETERS,
        "requestBody": {
            **POST_BODY,
            "content": {
                **POST_BODY["content"],
                "application/sparql-update": UPDATE_BODY["content"]["application/sparql-update"],
            },
        },
    },
)
async def sparql_post(
    request: Request,
    store: StoreDep,
    executor: ExecutorDep,
    settings: SettingsDep,
) -> Response:
    """Run a query POSTed form-encoded (`query=`) or as `application/sparql-query`.

    An `application/sparql-update` body is an update: see `POST /update`.
    """
    return await _handle(request, await _parse(request), store, executor, settings)


@router.post(
    "/update",
    summary="SPARQL update (bearer token)",
    status_code=204,
    responses=UPDATE_RESPONSES,
    response_class=Response,
    openapi_extra={"parameters": UPDATE_PARAMETERS, "requestBody": UPDATE_BODY},
)
async def sparql_update(
    request: Request, store: StoreDep, executor: ExecutorDep, settings: SettingsDep
) -> Response:
    """Apply a SPARQL 1.1 update (form `update=` or `application/sparql-update`) in one
    transaction; 204 when done.

    `using-graph-uri` and `using-named-graph-uri` give its WHERE clauses their dataset, as
    USING / USING NAMED would (400 if the update has its own USING or WITH). Relative IRIs
    resolve against the endpoint's URL.

    Needs `Authorization: Bearer <KG_WRITE_TOKEN>`: 401 without a token, 403 with a wrong one;
    without KG_WRITE_TOKEN on the server every update is refused (403).
    """
    parsed = await _parse(request)
    if parsed.update is None:
        raise QueryError(
            "POST /update takes an update (form `update=` or application/sparql-update)"
        )
    return await _handle(request, parsed, store, executor, settings)


router.add_api_route("/sparql/", sparql_get, methods=["GET"], include_in_schema=False)
router.add_api_route("/sparql/", sparql_post, methods=["POST"], include_in_schema=False)
