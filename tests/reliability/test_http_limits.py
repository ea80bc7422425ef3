"""HTTP limits: CORS is off unless KG_CORS_ORIGINS names origins; a request head over
KG_MAX_HEADER_BYTES gets a 4xx (431 problem+json from the app, or the parser's 400 past it),
never a crash, also through a real `kg serve`."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE, load_trig
from tests.e2e.test_server import free_port
from tests.reliability.support import assert_problem

CROSS = "https://elsewhere.example"
ALLOWED = "https://analyst.example"


def _client(store: OxigraphStore, tmp_path: Path, **settings: object) -> TestClient:
    from api.main import create_app

    config = Settings(store_path=tmp_path / "unused", base_iri=SAMPLE_BASE, **settings)  # type: ignore[arg-type]
    return TestClient(create_app(config, store=store))


# --- CORS -------------------------------------------------------------------------------------


def test_cors_is_off_by_default(sample_store: OxigraphStore, tmp_path: Path) -> None:
    with _client(sample_store, tmp_path) as client:
        simple = client.get("/documents", headers={"origin": CROSS})
        assert simple.status_code == 200
        assert "access-control-allow-origin" not in simple.headers
        preflight = client.options(
            "/documents",
            headers={"origin": CROSS, "access-control-request-method": "POST"},
        )
        assert "access-control-allow-origin" not in preflight.headers
        assert preflight.status_code == 405


def test_cors_allows_only_the_configured_origins(
    sample_store: OxigraphStore, tmp_path: Path
) -> None:
    with _client(sample_store, tmp_path, cors_origins=f" {ALLOWED} , https://b.example") as client:
        allowed = client.get("/sparql", params={"query": "ASK {}"}, headers={"origin": ALLOWED})
        assert allowed.headers["access-control-allow-origin"] == ALLOWED
        assert "KG-Results-Truncated" in allowed.headers["access-control-expose-headers"]
        other = client.get("/documents", headers={"origin": CROSS})
        assert "access-control-allow-origin" not in other.headers
        problem = client.get("/actors/nobody", headers={"origin": ALLOWED})
        assert problem.status_code == 404
        assert problem.headers["access-control-allow-origin"] == ALLOWED  # errors readable too
        preflight = client.options(
            "/documents",
            headers={
                "origin": ALLOWED,
                "access-control-request-method": "POST",
                "access-control-request-headers": "authorization, content-type",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == ALLOWED
        assert "POST" in preflight.headers["access-control-allow-methods"]
        assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
        refused = client.options(
            "/documents", headers={"origin": CROSS, "access-control-request-method": "POST"}
        )
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers


def test_cors_any_origin(sample_store: OxigraphStore, tmp_path: Path) -> None:
    with _client(sample_store, tmp_path, cors_origins="*") as client:
        response = client.get("/documents", headers={"origin": CROSS})
        assert response.headers["access-control-allow-origin"] == "*"


# --- the request head -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "path"),
    [
        ({"x-big": "a" * 20_000}, "/documents"),
        ({f"x-h{i}": "v" * 40 for i in range(500)}, "/documents"),
        ({}, "/sparql?query=" + "%20" * 6_000 + "ASK%7B%7D"),
    ],
    ids=["one-long-header", "many-headers", "long-url"],
)
def test_http_limits_oversized_head_is_431(
    sample_store: OxigraphStore, tmp_path: Path, headers: dict[str, str], path: str
) -> None:
    with _client(sample_store, tmp_path) as client:
        response = client.get(path, headers=headers)
        body = assert_problem(response, 431, "KG_MAX_HEADER_BYTES", "16,384")
        assert body["limit"] == 16_384
        assert client.get("/documents", headers={"x-fits": "a" * 15_000}).status_code == 200


@pytest.fixture(scope="module")
def kg_serve(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`kg serve` itself, in a subprocess, on a store holding the sample data."""
    folder = tmp_path_factory.mktemp("kg-serve")
    store = OxigraphStore(folder / "store")
    load_trig(store)
    store.close()
    port = free_port()
    env = {
        **os.environ,
        "KG_STORE_PATH": str(folder / "store"),
        "KG_BASE_IRI": SAMPLE_BASE,
        "KG_PORT": str(port),
        "KG_QUERY_WORKERS": "1",
    }
    env.pop("KG_STORE_URL", None)
    env.pop("KG_MAX_HEADER_BYTES", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "kg", "serve"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "kg serve did not start"
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
        stderr = server.stderr.read().decode() if server.stderr else ""
        if server.stderr is not None:
            server.stderr.close()
        assert "Traceback" not in stderr, stderr


def _raw_status(url: str, head_bytes: int) -> int | None:
    """Send a GET whose one header holds `head_bytes` bytes; the status, or None when the
    server closed the connection before answering."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        try:
            sock.sendall(
                b"GET /documents HTTP/1.1\r\nHost: x\r\nX-Big: "
                + b"a" * head_bytes
                + b"\r\nConnection: close\r\n\r\n"
            )
            answer = sock.recv(200)
        except (BrokenPipeError, ConnectionResetError):
            return None
    return int(answer.split()[1]) if answer else None


@pytest.mark.e2e
@pytest.mark.parametrize("size", [20_000, 200_000, 4_000_000])
def test_http_limits_kg_serve_refuses_an_oversized_head(kg_serve: str, size: int) -> None:
    status = _raw_status(kg_serve, size)
    assert status is None or 400 <= status < 500, status
    if size == 20_000:  # within the parser's buffer: the app's own precise answer
        assert status == 431
    if size >= 200_000:  # past it: the parser stops reading
        assert status in (None, 400)
    # the server lives on
    assert httpx.get(f"{kg_serve}/documents", timeout=10).status_code == 200
