"""Every error answer is RFC 9457 `application/problem+json`; this module is the only translator.

- `KGError` (and subclasses)      → its own status, `type` from its code, `detail` its message
- `RequestValidationError`        → 422, naming each bad parameter
- Starlette `HTTPException`       → its status (404 unknown route, 405 wrong method, …)
- anything else                   → 500, logged with its traceback, a generic body
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import KGError
from kg.read.records import Problem

logger = logging.getLogger(__name__)

PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://w3id.org/newskg/problems/"


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    detail: str,
    code: str,
    headers: dict[str, str] | None = None,
    **extensions: Any,
) -> JSONResponse:
    """A problem+json response; `code` ("kg/not-found") becomes the `type` IRI."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + code.removeprefix("kg/"),
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.url.path,
        **extensions,
    }
    return JSONResponse(body, status_code=status, media_type=PROBLEM_MEDIA_TYPE, headers=headers)


def _kg_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, KGError)  # noqa: S101 - registered for KGError only
    extensions = {k: v for k, v in exc.extensions.items() if isinstance(k, str)}
    level = logging.ERROR if exc.status >= 500 else logging.INFO
    logger.log(level, "%s %s -> %d %s", request.method, request.url.path, exc.status, exc.code)
    return problem_response(
        request,
        status=exc.status,
        title=exc.title,
        detail=exc.message,
        code=exc.code,
        headers=getattr(exc, "headers", None),
        **extensions,
    )


def _parameter_name(loc: tuple[Any, ...] | list[Any]) -> str:
    """('query', 'limit') -> 'limit'; ('body', 'x', 0) -> 'x[0]'."""
    parts = [str(p) for p in loc if p not in ("query", "path", "body", "header", "form")]
    return ".".join(parts) or "request"


def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)  # noqa: S101
    errors = [
        {"parameter": _parameter_name(error.get("loc", ())), "message": error.get("msg", "")}
        for error in exc.errors()
    ]
    detail = "; ".join(f"{e['parameter']}: {e['message']}" for e in errors)
    return problem_response(
        request,
        status=422,
        title="Invalid request parameter",
        detail=detail or "invalid request",
        code="kg/invalid-parameter",
        errors=errors,
    )


def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)  # noqa: S101
    phrase = HTTPStatus(exc.status_code).phrase
    if exc.status_code == 404:
        detail = f"no resource at {request.url.path}; see /docs for the API"
    elif exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}"
    else:
        detail = str(exc.detail) if exc.detail else phrase
    return problem_response(
        request,
        status=exc.status_code,
        title=phrase,
        detail=detail,
        code="kg/" + phrase.lower().replace(" ", "-"),
        headers=dict(exc.headers) if exc.headers else None,
    )


def _unexpected_error(request: Request, exc: Exception) -> JSONResponse:
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem_response(
        request,
        status=500,
        title="Internal server error",
        detail="the server failed to answer; the error is logged",
        code="kg/internal",
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Register the handlers above on `app`."""
    app.add_exception_handler(KGError, _kg_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected_error)


def problem_doc(description: str) -> dict[str, Any]:
    """An OpenAPI response entry for a problem+json answer (`install_problem_schema` makes it
    the only media type of every 4xx/5xx answer)."""
    return {
        "description": description,
        "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def install_problem_schema(app: FastAPI) -> None:
    """Every error answer in the OpenAPI document is `application/problem+json` with the
    `Problem` schema: FastAPI would otherwise also list the route's own media type (JSON, plain
    text) for 4xx/5xx answers that are never sent that way."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault(
            "Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, answer in operation.get("responses", {}).items():
                    if status[:1] not in {"4", "5"}:
                        continue
                    content = answer.get("content") or {}
                    media = content.get(PROBLEM_MEDIA_TYPE) or {
                        "schema": {"$ref": "#/components/schemas/Problem"}
                    }
                    answer["content"] = {PROBLEM_MEDIA_TYPE: media}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


#: OpenAPI `responses=` for the read routers: errors are problem+json.
PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: problem_doc("Unknown document or actor (problem+json)"),
    422: problem_doc("Invalid parameter, named in `detail` and `errors` (problem+json)"),
    503: problem_doc("The store is unavailable (problem+json)"),
}
