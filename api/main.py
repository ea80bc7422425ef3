"""The app factory: `create_app(settings, store=None)`; no module-level app or settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

from api.consistency import ConsistentReads
from api.docs import install_docs
from api.executor import make_executor
from api.fastpath import SparqlFastPath
from api.headers import HeaderSizeLimit
from api.ingest import DocumentWriter
from api.limits import BodySizeLimit
from api.problems import install_problem_handlers, install_problem_schema
from api.routers import (
    actors,
    documents,
    events,
    graph,
    health,
    linked_data,
    network,
    positions,
    quotes,
    sparql,
    topics,
)
from api.routers.web import install_web
from api.security import SecurityHeaders
from kg.build import check_store
from kg.config import Settings
from kg.store import GraphStore, open_store

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)


class KGApp(FastAPI):
    """FastAPI with the lean SPARQL query path in front of its middleware stack
    (`api.fastpath`): plain queries at /sparql skip the stack; everything else goes through it."""

    fast_path: SparqlFastPath | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.fast_path is not None and self.fast_path.handles(scope):
            scope["app"] = self
            await self.fast_path(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(
    settings: Settings,
    store: GraphStore | None = None,
    *,
    nlp_factory: Callable[[], Language] | None = None,
) -> FastAPI:
    """Build the REST + SPARQL app.

    Args:
        settings: the configuration (tests pass their own).
        store: an open store to serve; when None, the lifespan opens one from `settings`
            (`open_store`) and closes it on shutdown. A store passed in is left open.
        nlp_factory: builds the spaCy pipeline for POST /documents (tests pass a prepared
            one); default `kg.nlp.pipeline.build_nlp`, loaded on the first POST.

    Raises (at startup):
        StoreError: the store cannot be opened (e.g. another process holds it), or its IRIs
            are under another KG_BASE_IRI (`kg.build.check_store`); a store built before the
            actor registry is migrated (`kg.registry.ensure_registry`).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = store is None
        served = open_store(settings) if store is None else store
        app.state.store = served
        try:
            if owned:  # a store passed in is the caller's to check
                await run_in_threadpool(check_store, served, settings.base_iri)
            app.state.executor = await run_in_threadpool(
                partial(
                    make_executor,
                    served,
                    timeout=settings.query_timeout,
                    workers=settings.query_workers,
                )
            )
        except BaseException:
            if owned:
                served.close()
            raise
        app.state.writer = DocumentWriter(settings, served, nlp_factory=nlp_factory)
        if settings.preload_nlp and settings.write_token is not None:
            app.state.writer.preload()
        logger.info("serving the store (%s)", "opened" if owned else "given")
        try:
            yield
        finally:
            await run_in_threadpool(app.state.executor.close)
            app.state.executor = None
            app.state.writer = None
            if owned:
                await run_in_threadpool(served.close)
            app.state.store = None

    app = KGApp(
        title="newskg",
        summary="Actors, events, positions and quotes of Russia-Ukraine diplomacy news.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc: api.docs, with assets served locally (no CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = None
    app.state.executor = None
    app.state.writer = None
    install_problem_handlers(app)
    install_problem_schema(app)
    install_docs(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(ConsistentReads)  # a GET sees each article whole (api.consistency)
    app.add_middleware(HeaderSizeLimit, max_bytes=settings.max_header_bytes)
    if settings.cors_origin_list:  # CORS is off unless KG_CORS_ORIGINS names origins
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Accept"],
            expose_headers=["KG-Results-Truncated", "Warning", "Location", "Content-Location"],
            max_age=600,
        )
    app.add_middleware(SecurityHeaders)  # outermost: CSP, nosniff, no framing on every answer
    for module in (
        documents, events, positions, quotes, actors, topics, network, health, sparql, graph,
        linked_data,
    ):  # fmt: skip
        app.include_router(module.router)
    install_web(app)  # the page at / and its files under /web (after the API routes)
    app.fast_path = SparqlFastPath(super(KGApp, app).__call__, settings=settings, state=app.state)
    return app
