"""A real uvicorn server on 127.0.0.1 (free port) in a thread, queried with httpx."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.main import create_app
from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import load_trig

pytestmark = pytest.mark.e2e


class ThreadedServer(uvicorn.Server):
    """uvicorn in a background thread (signal handlers are skipped off the main thread)."""

    @contextlib.contextmanager
    def running(self) -> Iterator[None]:
        thread = threading.Thread(target=self.run, daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 10
            while not self.started:
                if not thread.is_alive() or time.monotonic() > deadline:
                    raise RuntimeError("uvicorn did not start")
                time.sleep(0.01)
            yield
        finally:
            self.should_exit = True
            thread.join(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def server_url(tmp_path: Path) -> Iterator[str]:
    settings = Settings(store_path=tmp_path / "store")
    seeded = OxigraphStore(settings.store_path)
    load_trig(seeded)
    seeded.close()
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    server = ThreadedServer(config)
    with server.running():
        yield f"http://127.0.0.1:{port}"


def test_server_answers_sparql_and_rest(server_url: str) -> None:
    with httpx.Client(base_url=server_url, timeout=10) as client:
        ask = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert ask.status_code == 200
        assert ask.json() == {"head": {}, "boolean": True}

        select = client.post(
            "/sparql",
            content="SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
            headers={"content-type": "application/sparql-query", "accept": "text/csv"},
        )
        assert select.status_code == 200
        assert select.text.splitlines()[0] == "n"

        construct = client.post(
            "/sparql",
            data={"query": "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 3"},
            headers={"accept": "application/n-triples"},
        )
        assert construct.status_code == 200
        assert len(construct.text.strip().splitlines()) == 3

        documents = client.get("/documents", params={"limit": 200})
        assert documents.status_code == 200
        assert [d["id"] for d in documents.json()["items"]] == ["alpha", "beta"]

        text = client.get("/documents/alpha/text")
        assert text.headers["content-type"] == "text/plain; charset=utf-8"
        for event in client.get("/events", params={"document": "alpha"}).json()["items"]:
            ev = event["evidence"]
            assert text.text[ev["start"] : ev["end"]] == ev["text"]

        bad = client.get("/sparql", params={"query": "SELECT WHERE"})
        assert bad.status_code == 400
        assert bad.headers["content-type"] == "application/problem+json"
