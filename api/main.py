"""The app factory: `create_app(settings, store=None)`; no module-level app or settings."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from functools import partial
from typing import TYPE_CHECKING, Literal

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope, Send

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
from api.serving import GenerationPublisher, ServeRuntime, WriteForwarder
from kg.build import check_store
from kg.config import Settings
from kg.read.index import open_index
from kg.store import GraphStore, OxigraphStore, open_store
from kg.store.generation import GenerationWatch, SharedGeneration, open_read_only

if TYPE_CHECKING:
    from spacy.language import Language

logger = logging.getLogger(__name__)


#: What one process of `kg serve` does: everything (one process), or, with `--workers N`,
#: the one writer or one of the readers (`api.serving`).
Role = Literal["single", "writer", "reader"]


class KGApp(FastAPI):
    """FastAPI with what must run before its middleware stack, per request:

    - a reader catches up with the writer (`watch`: reopen on a new generation), then forwards
      a write to the writer process (`forwarder`);
    - the writer publishes its write count before any answer starts (`publisher`);
    - plain queries at /sparql take the lean path (`fast_path`, `api.fastpath`).
    """

    fast_path: SparqlFastPath | None = None
    watch: GenerationWatch | None = None
    forwarder: WriteForwarder | None = None
    publisher: GenerationPublisher | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            if self.watch is not None:
                await self.watch.refresh()
            if self.forwarder is not None and self.forwarder.forwards(scope):
                scope["app"] = self
                await self.forwarder(scope, receive, send)
                return
            if self.publisher is not None:
                send = self.publisher.wrap(send)
            if self.fast_path is not None and self.fast_path.handles(scope):
                scope["app"] = self
                await self.fast_path(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    async def _local(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The app without the forwarder (what a reader answers itself)."""
        if self.fast_path is not None and self.fast_path.handles(scope):
            await self.fast_path(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def create_app(
    settings: Settings,
    store: GraphStore | None = None,
    *,
    nlp_factory: Callable[[], Language] | None = None,
    role: Role = "single",
    runtime: ServeRuntime | None = None,
) -> KGApp:
    """Build the REST + SPARQL app.

    Args:
        settings: the configuration (tests pass their own).
        store: an open store to serve; when None, the lifespan opens one from `settings`
            (`open_store`) and closes it on shutdown. A store passed in is left open.
        nlp_factory: builds the spaCy pipeline for POST /documents (tests pass a prepared
            one); default `kg.nlp.pipeline.build_nlp`, loaded on the first POST.
        role: "single" (one process does everything), or under `kg serve --workers N`
            (`api.serving`, which gives `runtime`): "writer" (the store read-write, publishing
            its write count) or "reader" (the store read-only, reopened when that count moves;
            writes forwarded to the writer). A reader's `app.state.generation_watch` takes
            the hooks of other modules that must reopen what they read.
        runtime: the private folder of `kg serve --workers N` (writer socket, generation).

    Raises (at startup):
        StoreError: the store cannot be opened (e.g. another process holds it), or its IRIs
            are under another KG_BASE_IRI (`kg.build.check_store`); a store built before the
            actor registry is migrated (`kg.registry.ensure_registry`).
    """

    if role != "single" and (runtime is None or store is not None):
        raise ValueError("a writer or reader app needs its runtime folder and opens its own store")

    @asynccontextmanager
    async def lifespan(app: KGApp) -> AsyncIterator[None]:
        if role == "reader":
            async with _reader_lifespan(app, settings, runtime):
                yield
            return
        owned = store is None
        served = open_store(settings) if store is None else store
        app.state.store = served
        try:
            if owned and role == "single":  # a store passed in is the caller's to check
                await run_in_threadpool(check_store, served, settings.base_iri)
            await run_in_threadpool(open_index, served)
            app.state.executor = await run_in_threadpool(
                partial(
                    make_executor,
                    served,
                    timeout=settings.query_timeout,
                    # the writer answers no reads: its queries (updates' checks) use threads
                    workers=settings.query_workers if role == "single" else 0,
                )
            )
        except BaseException:
            if owned:
                served.close()
            raise
        if role == "writer":
            assert runtime is not None  # noqa: S101 - checked above
            app.publisher = GenerationPublisher(
                SharedGeneration.open(runtime.generation_file),
                lambda: served.generation if isinstance(served, OxigraphStore) else 0,
            )
        app.state.writer = DocumentWriter(settings, served, nlp_factory=nlp_factory)
        if settings.preload_nlp and settings.write_token is not None:
            app.state.writer.preload()
        logger.info("serving the store (%s, %s)", "opened" if owned else "given", role)
        try:
            yield
        finally:
            await run_in_threadpool(app.state.executor.close)
            app.state.executor = None
            app.state.writer = None
            if owned:
                await run_in_threadpool(served.close)
            app.state.store = None
            if app.publisher is not None:
                app.publisher.shared.close()

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
    if role == "reader":
        assert runtime is not None  # noqa: S101 - checked above
        app.forwarder = WriteForwarder(
            app._local, runtime=runtime, max_body_bytes=settings.max_body_bytes
        )
    app.fast_path = SparqlFastPath(super(KGApp, app).__call__, settings=settings, state=app.state)
    return app


@asynccontextmanager
async def _reader_lifespan(
    app: KGApp, settings: Settings, runtime: ServeRuntime | None
) -> AsyncIterator[None]:
    """A reader's store and query workers, kept up to date with the writer's generation."""
    assert runtime is not None  # noqa: S101 - create_app checked it
    shared = SharedGeneration.open(runtime.generation_file)
    watch = GenerationWatch(shared)  # before the store opens: no write can slip in between
    app.watch = watch
    app.state.generation_watch = watch
    path = settings.store_path
    app.state.store = await run_in_threadpool(open_read_only, path)
    await run_in_threadpool(open_index, app.state.store)  # the writer's, read only

    def reopen_store(generation: int) -> None:
        # in-flight requests keep the view they hold; it is freed when they end
        reopened = open_read_only(path)
        open_index(reopened)
        app.state.store = reopened
        logger.debug("reader reopened the store at generation %d", generation)

    watch.register(reopen_store)
    try:
        app.state.executor = await run_in_threadpool(
            partial(
                make_executor,
                app.state.store,
                timeout=settings.query_timeout,
                workers=settings.query_workers,
                generation=watch.current,
                current_store=lambda: app.state.store,
            )
        )
    except BaseException:
        shared.close()
        raise
    logger.info("reading the store at %s (reader process)", path)
    try:
        yield
    finally:
        await run_in_threadpool(app.state.executor.close)
        app.state.executor = None
        app.state.store = None
        if app.forwarder is not None:
            await app.forwarder.aclose()
        shared.close()
