"""The lean request path for SPARQL queries: `GET /sparql?query=…` and
`POST /sparql` as `application/sparql-query`, answered straight from the ASGI call.

A trivial lookup used to cost the server ~3.5 ms of CPU, most of it around the query rather
than in it: FastAPI's routing and dependency solving, five middlewares, two threadpool
hand-offs (parse, then a thread blocked on the worker's pipe). `SparqlFastPath` answers these
two request shapes itself, before the middleware stack, and keeps every check the long path
makes:

- the head limit (KG_MAX_HEADER_BYTES) and the body limit (KG_MAX_BODY_BYTES): a request over
  either is passed to the full stack, which answers 431 or 413 as before (a chunked body that
  crosses the limit while read here is answered 413 here);
- the SPARQL guard (`kg.sparql_guard.check_remote_calls`), the protocol's parsing, the row cap
  and negotiation (`api.sparql`), KG_QUERY_TIMEOUT (the executor kills a runaway worker: 503);
- errors are the same RFC 9457 problem+json as `api.problems`, and every answer carries
  `api.security.SECURITY_HEADERS`.

A lookup of one quad pattern (`kg.sparql_lookup`) is answered here, in the serving process, on
the embedded store, reading at most `LOOKUP_ROWS` solutions: its cost is bounded by those rows,
so it needs no killable worker (a longer answer, or a store error, takes the worker path). Any
other query goes to the worker processes without a thread: `QueryExecutor.arun` lets the event
loop watch the worker's pipe. Anything else at /sparql (the service description, form POSTs,
updates, CORS requests when KG_CORS_ORIGINS is set, HEAD) takes the full FastAPI path.
"""

from __future__ import annotations

import dataclasses
import json
import logging
from typing import Any
from urllib.parse import parse_qsl

from starlette.datastructures import URL
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.headers import head_size
from api.limits import BodyTooLargeError, body_too_large_message
from api.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from api.routers.sparql import answer_headers
from api.security import SECURITY_HEADERS
from api.sparql import (
    QUERY_MEDIA_TYPE,
    SparqlAnswer,
    SparqlRequest,
    execute_lookup,
    parse_sparql_request,
)
from kg.config import Settings
from kg.errors import KGError, StoreError
from kg.sparql_guard import check_remote_calls
from kg.sparql_lexer import tokenize
from kg.sparql_lookup import QuadLookup, quad_lookup
from kg.store import OxigraphStore

__all__ = ["LOOKUP_ROWS", "SPARQL_PATHS", "SparqlFastPath"]

logger = logging.getLogger(__name__)

SPARQL_PATHS = frozenset({"/sparql", "/sparql/"})
#: Most solutions of a one-pattern lookup read in the serving process (a few milliseconds of
#: the event loop at most); a lookup with more goes to a query worker, capped at KG_MAX_ROWS.
LOOKUP_ROWS = 1_000
_SECURITY = [
    (k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in SECURITY_HEADERS.items()
]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return None


def _content_type(media_type: str) -> str:
    """What Starlette's `Response` sends for `media_type` (text types get a UTF-8 charset)."""
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        return media_type + "; charset=utf-8"
    return media_type


class SparqlFastPath:
    """Answers SPARQL read queries at /sparql; passes every other request to `app`.

    Args:
        app: the full application (the FastAPI app's own middleware stack and routes).
        settings: the limits, the guard's allowed services and the row cap.
        state: where the lifespan puts the running `QueryExecutor` (`state.executor`).
    """

    def __init__(self, app: ASGIApp, *, settings: Settings, state: Any) -> None:
        self.app = app
        self.settings = settings
        self.state = state
        self._cors = bool(settings.cors_origin_list)

    def handles(self, scope: Scope) -> bool:
        """Whether this request is one the fast path answers (checked on the head only)."""
        if scope["type"] != "http" or scope["path"] not in SPARQL_PATHS:
            return False
        method = scope["method"]
        if method == "GET":
            if b"query=" not in scope["query_string"]:
                return False  # the service description, or a protocol error: the full path
        elif method == "POST":
            content_type = _header(scope, b"content-type") or ""
            if content_type.split(";", 1)[0].strip().lower() != QUERY_MEDIA_TYPE:
                return False
            length = _header(scope, b"content-length")
            if length is not None and (not length.isdigit() or int(length) > self._max_body):
                return False  # BodySizeLimit answers the 413
        else:
            return False
        if self._cors and _header(scope, b"origin") is not None:
            return False
        return head_size(scope) <= self.settings.max_header_bytes

    @property
    def _max_body(self) -> int:
        return self.settings.max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self.handles(scope):
            await self.app(scope, receive, send)
            return
        try:
            answer = await self._answer(scope, receive)
        except _Fallback:
            await self.app(scope, receive, send)
            return
        except KGError as exc:
            level = logging.ERROR if exc.status >= 500 else logging.INFO
            method, path = scope["method"], scope["path"]
            logger.log(level, "%s %s -> %d %s", method, path, exc.status, exc.code)
            extensions = {k: v for k, v in exc.extensions.items() if isinstance(k, str)}
            if isinstance(exc, BodyTooLargeError):
                extensions["limit"] = self._max_body
            await self._problem(scope, send, exc, extensions)
            return
        except Exception as exc:  # the one catch-all: the same generic 500 as api.problems
            logger.error("unhandled error on %s %s", scope["method"], scope["path"], exc_info=exc)
            detail = "the server failed to answer; the error is logged"
            title = "Internal server error"
            body = self._problem_body(scope, 500, title, detail, "kg/internal", {})
            await self._send(send, 500, PROBLEM_MEDIA_TYPE, body, [])
            return
        headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in answer_headers(answer).items()
        ]
        await self._send(send, 200, _content_type(answer.media_type), answer.body, headers)

    async def _answer(self, scope: Scope, receive: Receive) -> SparqlAnswer:
        executor = getattr(self.state, "executor", None)
        if executor is None:
            raise StoreError("the query workers are not running (the app is starting or stopping)")
        method = scope["method"]
        body = await self._body(receive) if method == "POST" else b""
        query_string = scope["query_string"].decode("latin-1")
        params = parse_qsl(query_string, keep_blank_values=True)
        base = URL(scope=scope).replace(query="", fragment="")
        parsed = parse_sparql_request(
            method, _header(scope, b"content-type"), params, body, base_iri=str(base)
        )
        if parsed.query is None:  # `query=` was part of another parameter's value
            raise _Fallback
        tokens = tokenize(parsed.query)
        checked = check_remote_calls(
            parsed.query, services=self.settings.sparql_service_set, tokens=tokens
        )
        parsed = dataclasses.replace(parsed, checked=checked)
        lookup = quad_lookup(tokens)
        if lookup is not None:
            looked_up = self._lookup(parsed, lookup, _header(scope, b"accept"))
            if looked_up is not None:
                return looked_up
        answer: SparqlAnswer = await executor.arun(
            parsed,
            accept=_header(scope, b"accept"),
            format_name=None,
            max_rows=self.settings.max_rows,
        )
        return answer

    def _lookup(
        self, request: SparqlRequest, lookup: QuadLookup, accept: str | None
    ) -> SparqlAnswer | None:
        """A one-pattern lookup answered on the embedded store here; None for the worker path.

        A remote store is left to the workers' threads (its answer comes over the network),
        as is a lookup with more than `LOOKUP_ROWS` solutions (or KG_MAX_ROWS, when lower:
        the workers cap it and say so), and one the store failed to read (a worker reopens
        its view and tries again).
        """
        store = getattr(self.state, "store", None)
        if not isinstance(store, OxigraphStore):
            return None
        try:
            return execute_lookup(
                store, request, lookup, accept=accept, rows=min(LOOKUP_ROWS, self.settings.max_rows)
            )
        except StoreError:
            return None

    async def _body(self, receive: Receive) -> bytes:
        """The request body, refused (413) as soon as it grows over the limit."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise StoreError("the client disconnected before sending the whole query")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self._max_body:
                raise BodyTooLargeError(body_too_large_message(self._max_body))
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def _problem_body(
        self,
        scope: Scope,
        status: int,
        title: str,
        detail: str,
        code: str,
        extensions: dict[str, Any],
    ) -> bytes:
        body = {
            "type": PROBLEM_BASE + code.removeprefix("kg/"),
            "title": title,
            "status": status,
            "detail": detail,
            "instance": scope["path"],
            **extensions,
        }
        return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()

    async def _problem(
        self, scope: Scope, send: Send, exc: KGError, extensions: dict[str, Any]
    ) -> None:
        headers = [
            (k.lower().encode("latin-1"), v.encode("latin-1"))
            for k, v in (getattr(exc, "headers", None) or {}).items()
        ]
        body = self._problem_body(scope, exc.status, exc.title, exc.message, exc.code, extensions)
        await self._send(send, exc.status, PROBLEM_MEDIA_TYPE, body, headers)

    @staticmethod
    async def _send(
        send: Send, status: int, media_type: str, body: bytes, headers: list[tuple[bytes, bytes]]
    ) -> None:
        raw = [
            (b"content-length", str(len(body)).encode("latin-1")),
            (b"content-type", media_type.encode("latin-1")),
            *headers,
            *_SECURITY,
        ]
        start: Message = {"type": "http.response.start", "status": status, "headers": raw}
        await send(start)
        await send({"type": "http.response.body", "body": body})


class _Fallback(Exception):  # noqa: N818 - control flow, never leaves this module
    """The request is not a plain query after all: the full path answers it."""
