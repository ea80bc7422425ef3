"""Security headers on every answer: a Content-Security-Policy, `nosniff`, no framing, no referrer.

`SecurityHeaders` is a pure ASGI middleware (like `api.limits`): it adds the headers of
`SECURITY_HEADERS` to each response start, leaving alone a header the route already set (the API
docs set their own, looser policy: `docs_policy`).

The page's policy, `PAGE_POLICY`, allows nothing but this server's own files: no inline script or
style, no `eval`, no plugin, no other origin, no `<base>`, no framing. The web page needs no more
(plain ES modules, one stylesheet, `fetch` to this server; its views build the DOM with
`createElement`, and set styles through the CSSOM, which CSP does not restrict). A JSON, Turtle or
CSV answer opened in a browser tab gets the same headers, so a body that a browser would sniff or
render as HTML still runs nothing.

Swagger UI and ReDoc (`api.docs`) ship HTML with one inline `<script>` or `<style>` block;
`docs_policy` allows exactly those blocks by their SHA-256 hashes (`inline_hashes`), never
`'unsafe-inline'` for scripts.
"""

from __future__ import annotations

import base64
import hashlib
import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "PAGE_POLICY",
    "SECURITY_HEADERS",
    "SecurityHeaders",
    "docs_policy",
    "inline_hashes",
    "policy",
]


def policy(directives: dict[str, list[str]]) -> str:
    """A Content-Security-Policy header value from `{directive: [source, ...]}`.

    >>> policy({"default-src": ["'self'"], "frame-ancestors": ["'none'"]})
    "default-src 'self'; frame-ancestors 'none'"
    """
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


PAGE_DIRECTIVES: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
PAGE_POLICY = policy(PAGE_DIRECTIVES)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": PAGE_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

_INLINE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL | re.IGNORECASE)


def inline_hashes(html: str) -> dict[str, list[str]]:
    """The CSP hash sources of the inline `<script>` and `<style>` blocks (without attributes).

    >>> inline_hashes("<p>x</p><script>run()</script>")
    {'script': ["'sha256-AvyuiL0SD1mVY3NNxR+V2uo+lhk6RMFrytWmRt6CrJQ='"], 'style': []}
    """
    found: dict[str, list[str]] = {"script": [], "style": []}
    for match in _INLINE.finditer(html):
        digest = hashlib.sha256(match.group(2).encode("utf-8")).digest()
        found[match.group(1).lower()].append(f"'sha256-{base64.b64encode(digest).decode()}'")
    return found


def docs_policy(html: str, *, redoc: bool = False) -> str:
    """The policy of an API docs page: `PAGE_POLICY`, plus its own inline blocks by hash.

    Args:
        html: the page, whose inline `<script>`/`<style>` blocks are allowed by hash.
        redoc: what the ReDoc bundle needs besides: inline styles (`'unsafe-inline'` in
            `style-src`: it adds `<style>` elements as it loads, before its `nonce` option is
            read) and its search worker, started from a `blob:` URL. Scripts stay allowed by
            hash only.
    """
    hashes = inline_hashes(html)
    directives = PAGE_DIRECTIVES | {
        "script-src": ["'self'", *hashes["script"]],
        "style-src": ["'self'", *hashes["style"]],
        "img-src": ["'self'", "data:"],  # Swagger UI's icons are data: SVGs in its CSS
    }
    if redoc:
        directives["style-src"] = ["'self'", "'unsafe-inline'"]
        directives["worker-src"] = ["'self'", "blob:"]
    return policy(directives)


class SecurityHeaders:
    """ASGI middleware adding `headers` to every HTTP response that does not set them itself.

    Args:
        app: the wrapped ASGI app.
        headers: header name -> value; default `SECURITY_HEADERS`.
    """

    def __init__(self, app: ASGIApp, *, headers: dict[str, str] | None = None) -> None:
        self.app = app
        self.headers = dict(SECURITY_HEADERS if headers is None else headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in self.headers.items():
                    if name not in headers:
                        headers.append(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)
