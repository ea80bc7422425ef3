"""A real uvicorn server over a copy of tests/fixtures/sample.trig, for the e2e API tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI

from api.executor import WorkerPool
from api.main import create_app
from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE, load_trig
from tests.e2e.test_server import ThreadedServer, free_port


@contextlib.contextmanager
def sample_server(folder: Path, **settings: Any) -> Iterator[str]:
    """Serve a store on disk in `folder` seeded with the sample data; yields the base URL.

    The store is opened by the app's lifespan, as `kg serve` does; `settings` override
    `Settings` fields (e.g. `write_token`).
    """
    config = Settings(store_path=folder / "store", base_iri=SAMPLE_BASE, **settings)
    seeded = OxigraphStore(config.store_path)
    load_trig(seeded)
    seeded.close()
    port = free_port()
    server = ThreadedServer(
        uvicorn.Config(
            create_app(config), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
    )
    with server.running():
        yield f"http://127.0.0.1:{port}"


@dataclass
class PoolServed:
    """A real server over an on-disk store, with its query worker pool."""

    url: str
    app: FastAPI

    def pool(self) -> WorkerPool:
        executor = self.app.state.executor
        assert isinstance(executor, WorkerPool)
        return executor

    def pids(self) -> list[int]:
        return self.pool().pids()


@contextlib.contextmanager
def pool_server(folder: Path, **settings: Any) -> Iterator[PoolServed]:
    """Serve the sample data from a store in `folder` with two query workers (unless
    `settings` say otherwise); yields the URL and the app."""
    config = Settings(store_path=folder / "store", **{"query_workers": 2, **settings})
    seeded = OxigraphStore(config.store_path)
    load_trig(seeded)
    seeded.close()
    app = create_app(config)
    port = free_port()
    uv = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    with ThreadedServer(uv).running():
        yield PoolServed(f"http://127.0.0.1:{port}", app)
