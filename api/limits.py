"""The request body limit (`KG_MAX_BODY_BYTES`), enforced before a body is read.

`BodySizeLimit` is a pure ASGI middleware (Starlette's BaseHTTPMiddleware would buffer and wrap
the body stream), so it sees the request before any route does:

- a `Content-Length` over the limit is refused at once with 413: nothing of the body is read
  (and uvicorn never sends `100 Continue` to a client that asked for it);
- a body without a length (chunked) is counted while the route reads it; the read that crosses
  the limit raises `BodyTooLargeError`, whatever the route was doing is dropped, and the answer is
  the same 413. At most the limit plus one chunk is ever held in memory.

The 413 is `application/problem+json` like every other error (`api.problems`), and names the
limit and the setting that changes it. The connection is not closed: uvicorn discards the rest
of the body as it arrives, so a client that sends it all before reading still gets the 413
(closing a socket with unread data resets the connection, and the client may lose the answer).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response
from kg.articles import MAX_ARTICLE_BYTES
from kg.errors import KGError

__all__ = ["BodySizeLimit", "BodyTooLargeError", "body_too_large_message"]


class BodyTooLargeError(KGError):
    """A request body over `KG_MAX_BODY_BYTES`."""

    code = "kg/body-too-large"
    title = "Content Too Large"
    status = 413


def body_too_large_message(limit: int, size: int | None = None) -> str:
    """The 413 detail: what was refused, the limit, and how to change it."""
    what = f"the request body ({size:,} bytes)" if size is not None else "the request body"
    return (
        f"{what} is over this server's limit of {limit:,} bytes (KG_MAX_BODY_BYTES); one"
        f" article may hold at most {MAX_ARTICLE_BYTES:,} bytes of text: split larger input"
    )


def _declared_length(scope: Scope) -> int | None:
    """The Content-Length header as an int, or None when absent or malformed."""
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


class BodySizeLimit:
    """ASGI middleware refusing request bodies over `max_bytes` with a 413 problem+json.

    Args:
        app: the wrapped ASGI app.
        max_bytes: the largest body accepted, in bytes.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _declared_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, send, body_too_large_message(self.max_bytes, declared))
            return

        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLargeError(body_too_large_message(self.max_bytes))
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # whatever the app answers to the error, the answer is our 413
            started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLargeError:
            if not exceeded or started:
                raise
        if exceeded and not started:
            await self._refuse(scope, send, body_too_large_message(self.max_bytes))

    async def _refuse(self, scope: Scope, send: Send, detail: str) -> None:
        error = BodyTooLargeError(detail)
        response = problem_response(
            Request(scope),
            status=error.status,
            title=error.title,
            detail=detail,
            code=error.code,
            limit=self.max_bytes,
        )
        await response(scope, _no_receive, send)


async def _no_receive() -> Message:  # pragma: no cover - a JSONResponse never reads
    return {"type": "http.disconnect"}
