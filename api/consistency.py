"""Consistent reads: a REST answer is made of several SPARQL queries, each its own snapshot, so
an article deleted or posted between two of them could show half (a document found, then no
actors; a count of 13 positions, then none listed). `ConsistentReads` makes every GET hold the
store's read share (`OxigraphStore.read_lock`) from the start of the request to the end of its
answer, and every write takes that lock exclusively for the moment of the write: a reader sees
an article whole before the write or whole after it.

It is a pure ASGI middleware that never blocks the event loop: it polls the lock without
waiting (`try_acquire_read`), so a waiting writer (which keeps new readers out) gets its turn and
no threadpool thread sits blocked on a lock. Left out: /sparql (one query, one snapshot, in a
worker process), /graph (a long streamed export must not hold writers back) and the static
pages. A store without `read_lock` (a remote SPARQL store) is read as before.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ConsistentReads"]

#: Paths whose GETs answer from one query (or stream) and take no read share.
UNLOCKED_PREFIXES = ("/sparql", "/graph", "/docs", "/redoc", "/openapi.json", "/web", "/health")
#: Seconds between two tries while a writer holds or waits for the lock.
POLL_SECONDS = 0.002


class ConsistentReads:
    """ASGI middleware holding the store's read share for each GET (see the module docstring).

    Args:
        app: the wrapped ASGI app; the store is looked up on `scope["app"].state.store` at each
            request (the lifespan opens it after the middleware is built).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"].startswith(UNLOCKED_PREFIXES)
        ):
            await self.app(scope, receive, send)
            return
        state = getattr(scope.get("app"), "state", None)
        lock = getattr(getattr(state, "store", None), "read_lock", None)
        if lock is None:
            await self.app(scope, receive, send)
            return
        while not lock.try_acquire_read():
            await asyncio.sleep(POLL_SECONDS)
        try:
            await self.app(scope, receive, send)
        finally:
            lock.release_read()
