"""The request head limit (`KG_MAX_HEADER_BYTES`): 431 problem+json for a request line and
headers over it, before any route runs.

Two layers, because neither alone bounds both memory and the answer:

- `kg serve` runs uvicorn's h11 parser with `h11_max_incomplete_event_size` set to the limit
  (`uvicorn_limits`), so a client sending an endless head is cut off once the parser's buffer
  passes the limit (uvicorn answers a plain 400 and closes the connection); the default httptools
  parser reads any head whole, however large.
- `HeaderSizeLimit` checks the head that the parser did pass (it may pass one read chunk more
  than the limit) and answers RFC 9457 431 `Request Header Fields Too Large`, naming the limit.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response

__all__ = ["HeaderSizeLimit", "head_size", "uvicorn_limits"]


def head_size(scope: Scope) -> int:
    """Bytes of the request line and headers, counted as they were sent (`name: value\\r\\n`)."""
    target = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"") + 1
    line = len(scope.get("method", "")) + target + 11  # ' ', ' HTTP/1.1', CRLF
    return line + sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))


def uvicorn_limits(max_header_bytes: int) -> dict[str, Any]:
    """The `uvicorn.run` options that bound the request head while it is being read."""
    return {"http": "h11", "h11_max_incomplete_event_size": max_header_bytes}


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
