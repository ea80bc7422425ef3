"""A real uvicorn server over a copy of tests/fixtures/sample.trig, for the e2e API tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import uvicorn

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
