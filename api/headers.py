"""The request head limit (`KG_MAX_HEADER_BYTES`): 431 problem+json for a request line and
headers over it, before any route runs.

Two layers, because neither alone bounds both memory and the answer:

- `kg serve` runs uvicorn's httptools parser (C, llhttp; several times cheaper per request than
  the pure-Python h11) through `BoundedHttpToolsProtocol`, which counts the bytes of a head still
  being read and, once they pass `PARSER_CUTOFF` times the limit, answers a plain 400 and closes
  the connection (uvicorn's own httptools protocol reads any head whole, however large);
  `uvicorn_limits` gives the options.
- `HeaderSizeLimit` checks the head that the parser did pass (it may pass one read chunk more
  than the limit) and answers RFC 9457 431 `Request Header Fields Too Large`, naming the limit.

The same protocol sends a response's head together with its first body chunk (`_HeadWithBody`):
uvicorn writes each to the socket as it comes, two system calls and two TCP segments for every
small answer, where one does.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, cast

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from api.problems import problem_response

__all__ = ["BoundedHttpToolsProtocol", "HeaderSizeLimit", "head_size", "uvicorn_limits"]

#: The parser cuts a head off at this many times KG_MAX_HEADER_BYTES (at least 64 KiB), so a
#: head a little over the limit still reaches `HeaderSizeLimit` and gets its precise 431.
PARSER_CUTOFF = 4
_MIN_CUTOFF_BYTES = 65_536


def head_size(scope: Scope) -> int:
    """Bytes of the request line and headers, counted as they were sent (`name: value\\r\\n`)."""
    target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + 1
    line = len(scope.get("method", "")) + target + 11  # ' ', ' HTTP/1.1', CRLF
    return line + sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))


class _HeadWithBody:
    """A response cycle's transport that holds the response head until the next write.

    In one request's cycle uvicorn writes, in order: a `100 Continue` line (only while the body
    is still awaited, before the response starts), the response head, then the body chunks.
    The head is held and leaves with the first body chunk (ASGI always sends one, if empty),
    or before the transport closes; everything else is the real transport's.
    """

    __slots__ = ("_held", "_started", "_transport")

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._held = b""
        self._started = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._started and bytes(data[:13]) != b"HTTP/1.1 100 ":
            self._started = True
            self._held = bytes(data)
            return
        if self._held:
            data, self._held = self._held + data, b""
        self._transport.write(data)

    def close(self) -> None:
        if self._held:
            self._transport.write(self._held)
            self._held = b""
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a bound on the bytes of a request head in progress.

    Bytes are counted from the start of a head (connection start, or the end of the previous
    request) until its headers are complete; a chunk that finishes a head resets the count, so a
    body read in the same chunk is never counted. At most one read chunk passes the bound.
    """

    max_head_bytes = 16_384 * PARSER_CUTOFF

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_open = True
        self._head_bytes = 0

    def data_received(self, data: bytes) -> None:
        if self._head_open:
            self._head_bytes += len(data)
        super().data_received(data)
        if self._head_open and self._head_bytes > self.max_head_bytes:
            self._head_open = False  # answer once
            self.logger.warning("request head over %d bytes; closing", self.max_head_bytes)
            self.send_400_response("Request head too large.")

    def on_headers_complete(self) -> None:
        self._head_open = False
        self._head_bytes = 0
        earlier = self.cycle
        super().on_headers_complete()
        if self.cycle is not earlier:  # a cycle was made for this request (not an upgrade)
            self.cycle.transport = cast("asyncio.Transport", _HeadWithBody(self.transport))

    def on_message_complete(self) -> None:
        self._head_open = True
        super().on_message_complete()


def bounded_protocol(max_header_bytes: int) -> type[BoundedHttpToolsProtocol]:
    """A `BoundedHttpToolsProtocol` cutting heads off past `PARSER_CUTOFF` x the limit."""
    cutoff = max(PARSER_CUTOFF * max_header_bytes, _MIN_CUTOFF_BYTES)
    return type("BoundedHttpTools", (BoundedHttpToolsProtocol,), {"max_head_bytes": cutoff})


def uvicorn_limits(max_header_bytes: int) -> dict[str, Any]:
    """The `uvicorn.run` options that bound the request head while it is being read, with the
    httptools parser and uvloop's event loop (the lean request path: docs/performance.md).

    The serving process's log records stop noting the caller's frame, thread and process
    (the logging HOWTO's "Optimization": about 10 µs of each request's access line); no log
    format of the server shows them.
    """
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # the documented switch for caller lookups
    return {"http": bounded_protocol(max_header_bytes), "loop": "uvloop"}


class HeaderSizeLimit:
    """ASGI middleware answering 431 problem+json to a request head over `max_bytes`.

    Args:
        app: the wrapped ASGI app.
        max_bytes: the largest request line plus headers accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or head_size(scope) <= self.max_bytes:
            await self.app(scope, receive, send)
            return
        response = problem_response(
            Request(scope),
            status=431,
            title="Request Header Fields Too Large",
            detail=f"the request line and headers ({head_size(scope):,} bytes) are over this"
            f" server's limit of {self.max_bytes:,} bytes (KG_MAX_HEADER_BYTES); send fewer or"
            " shorter headers, or POST long queries in the body",
            code="kg/header-too-large",
            limit=self.max_bytes,
        )
        await response(scope, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - a JSONResponse never reads
    return {"type": "http.disconnect"}
