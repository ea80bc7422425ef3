"""SecurityHeaders and the Content-Security-Policy values (api/security.py), without a server."""

from __future__ import annotations

import asyncio
import doctest
import re

import pytest
from starlette.responses import HTMLResponse, JSONResponse
from starlette.types import Message, Receive, Scope, Send

import api.security
from api.security import (
    PAGE_POLICY,
    SECURITY_HEADERS,
    SecurityHeaders,
    docs_policy,
    inline_hashes,
)

SCOPE: Scope = {
    "type": "http",
    "asgi": {"version": "3.0"},
    "http_version": "1.1",
    "method": "GET",
    "scheme": "http",
    "path": "/",
    "raw_path": b"/",
    "query_string": b"",
    "root_path": "",
    "headers": [],
    "server": ("127.0.0.1", 8000),
    "client": ("127.0.0.1", 5000),
}


def directives(value: str) -> dict[str, list[str]]:
    """A Content-Security-Policy header as {directive: [source, ...]}."""
    parsed: dict[str, list[str]] = {}
    for part in value.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def answer(app: HTMLResponse | JSONResponse) -> dict[str, str]:
    """The headers SecurityHeaders sends for `app`'s answer (names lower-cased)."""
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(SecurityHeaders(app)(dict(SCOPE), receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in start["headers"]}


def test_api_security_headers_on_every_answer() -> None:
    headers = answer(JSONResponse({"items": []}))
    assert headers["content-security-policy"] == PAGE_POLICY
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["content-type"] == "application/json"


def test_api_security_a_policy_set_by_the_route_is_kept() -> None:
    own = "default-src 'self'; script-src 'self' 'sha256-abc='"
    headers = answer(HTMLResponse("<p>docs</p>", headers={"Content-Security-Policy": own}))
    assert headers["content-security-policy"] == own
    assert headers["x-frame-options"] == "DENY"
    assert list(headers).count("content-security-policy") == 1


def test_api_security_other_scopes_pass_through() -> None:
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])

    async def nothing() -> Message:
        return {"type": "lifespan.startup"}

    async def ignore(message: Message) -> None:
        raise AssertionError(message)

    asyncio.run(SecurityHeaders(app)({"type": "lifespan"}, nothing, ignore))
    assert seen == ["lifespan"]


def test_api_security_page_policy_allows_only_this_server() -> None:
    policy = directives(PAGE_POLICY)
    assert policy["default-src"] == ["'self'"]
    for name in ("script-src", "style-src", "img-src", "connect-src"):
        assert policy[name] == ["'self'"], name
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in PAGE_POLICY
    assert SECURITY_HEADERS["Content-Security-Policy"] == PAGE_POLICY


def test_api_security_inline_hashes_cover_inline_blocks_only() -> None:
    html = (
        '<script src="/a.js"></script><script>run()</script>'
        "<style>body { margin: 0; }</style><STYLE>p{}</STYLE>"
    )
    hashes = inline_hashes(html)
    assert hashes["script"] == ["'sha256-AvyuiL0SD1mVY3NNxR+V2uo+lhk6RMFrytWmRt6CrJQ='"]
    assert len(hashes["style"]) == 2
    assert all(re.fullmatch(r"'sha256-[A-Za-z0-9+/]{43}='", h) for h in hashes["style"])


@pytest.mark.parametrize("redoc", [False, True])
def test_api_security_docs_policy_never_allows_inline_scripts(redoc: bool) -> None:
    html = "<style>body { margin: 0; }</style><script>const ui = SwaggerUIBundle({})</script>"
    policy = directives(docs_policy(html, redoc=redoc))
    assert policy["script-src"] == ["'self'", *inline_hashes(html)["script"]]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "data:"]
    if redoc:
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["worker-src"] == ["'self'", "blob:"]
    else:
        assert policy["style-src"] == ["'self'", *inline_hashes(html)["style"]]
        assert "worker-src" not in policy


def test_api_security_doctests() -> None:
    result = doctest.testmod(api.security)
    assert result.attempted > 0
    assert result.failed == 0
