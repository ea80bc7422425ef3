"""BodySizeLimit (api/limits.py) as a bare ASGI app: hand-made scopes, receive and send."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Message, Receive, Scope, Send

from api.limits import BodySizeLimit, BodyTooLargeError

LIMIT = 100

App = Callable[[Scope, Receive, Send], Awaitable[None]]


def _scope(headers: dict[str, str] | None = None) -> Scope:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/documents",
        "raw_path": b"/documents",
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in (headers or {}).items()],
        "server": ("127.0.0.1", 8000),
        "client": ("127.0.0.1", 5000),
    }


class Client:
    """Feeds `chunks` as http.request messages and records what was read and sent."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)
        self.reads = 0
        self.sent: list[Message] = []

    async def receive(self) -> Message:
        self.reads += 1
        if not self.chunks:
            return {"type": "http.disconnect"}
        body = self.chunks.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(self.chunks)}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def headers(self) -> dict[str, str]:
        return {k.decode(): v.decode() for k, v in self.sent[0]["headers"]}

    @property
    def json(self) -> dict[str, object]:
        body = b"".join(m.get("body", b"") for m in self.sent[1:])
        loaded: dict[str, object] = json.loads(body)
        return loaded


async def echo_length(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that reads the whole body and answers its length."""
    body = await Request(scope, receive).body()
    await JSONResponse({"length": len(body)})(scope, receive, send)


async def swallowing(scope: Scope, receive: Receive, send: Send) -> None:
    """An app that turns any error reading the body into its own 400."""
    try:
        await Request(scope, receive).body()
    except BodyTooLargeError:
        await JSONResponse({"error": "bad body"}, status_code=400)(scope, receive, send)


def _run(app: App, client: Client, headers: dict[str, str] | None = None) -> None:
    middleware = BodySizeLimit(app, max_bytes=LIMIT)
    asyncio.run(middleware(_scope(headers), client.receive, client.send))


def test_limits_declared_length_over_the_limit_is_refused_unread() -> None:
    called = False

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal called
        called = True

    client = Client([b"x" * 500])
    _run(app, client, {"content-length": "500"})
    assert not called
    assert client.reads == 0  # not one byte of the body was read
    assert client.status == 413
    assert client.headers["content-type"] == "application/problem+json"
    problem = client.json
    assert problem["status"] == 413
    assert problem["limit"] == LIMIT
    assert problem["instance"] == "/documents"
    assert "500 bytes" in str(problem["detail"])
    assert "KG_MAX_BODY_BYTES" in str(problem["detail"])


@pytest.mark.parametrize(
    ("chunks", "status"),
    [
        ([b"x" * 60, b"x" * 60], 413),  # chunked, crosses the limit in the second chunk
        ([b"x" * 101], 413),
        ([b"x" * 50, b"x" * 50], 200),  # exactly the limit
        ([b""], 200),
    ],
)
def test_limits_streamed_body_is_counted(chunks: list[bytes], status: int) -> None:
    client = Client(chunks)
    _run(echo_length, client)
    assert client.status == status
    if status == 200:
        assert client.json == {"length": sum(map(len, chunks))}
    else:
        assert client.json["status"] == 413
        assert len(client.sent) == 2  # one answer only: the app's own was never sent


def test_limits_stops_reading_at_the_chunk_that_crosses() -> None:
    client = Client([b"x" * 60, b"x" * 60, b"x" * 60, b"x" * 60])
    _run(echo_length, client)
    assert client.status == 413
    assert client.reads == 2
    assert len(client.chunks) == 2


def test_limits_app_that_answers_the_error_itself_still_gives_413() -> None:
    client = Client([b"x" * 60, b"x" * 60])
    _run(swallowing, client)
    assert client.status == 413
    assert [m["type"] for m in client.sent] == ["http.response.start", "http.response.body"]


def test_limits_small_declared_body_passes() -> None:
    client = Client([b"x" * 10])
    _run(echo_length, client, {"content-length": "10"})
    assert client.status == 200
    assert client.json == {"length": 10}


def test_limits_lifespan_scope_passes_through() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    middleware = BodySizeLimit(app, max_bytes=LIMIT)
    client = Client([])
    asyncio.run(middleware({"type": "lifespan"}, client.receive, client.send))
    assert seen == ["lifespan"]
