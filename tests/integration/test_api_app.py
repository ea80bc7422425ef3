"""The app shell: lifespan, health, stats, problem+json for unknown routes, methods and crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from kg.store import OxigraphStore
from tests.conftest import load_trig


def test_api_health(api_client: TestClient) -> None:
    response = api_client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "graphs": 5}


def test_api_stats_counts(api_client: TestClient, sample_store: OxigraphStore) -> None:
    stats = api_client.get("/stats").json()
    assert stats == {
        "documents": 2,
        "actors": 12,
        "events": 4,
        "positions": 4,
        "quotes": 2,
        "graphs": 5,
        "triples": sample_store.stats().triples,
    }


def test_api_unknown_route_is_404_problem(api_client: TestClient) -> None:
    response = api_client.get("/nowhere")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["instance"] == "/nowhere"


def test_api_wrong_method_is_405_problem(api_client: TestClient) -> None:
    response = api_client.delete("/documents")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 405


def test_api_unexpected_error_is_generic_500_problem(
    api_settings: Settings, sample_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> None:
        raise ZeroDivisionError("secret internals")

    monkeypatch.setattr(sample_store, "stats", broken)
    app = create_app(api_settings, store=sample_store)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/health")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def test_api_lifespan_opens_and_closes_the_store(tmp_path: Path) -> None:
    settings = Settings(store_path=tmp_path / "store")
    seeded = OxigraphStore(settings.store_path)
    load_trig(seeded)
    seeded.close()
    with TestClient(create_app(settings)) as client:
        assert client.get("/documents").json()["total"] == 2
    reopened = OxigraphStore(settings.store_path)  # the lock was released
    reopened.close()


def test_api_store_in_use_fails_startup(tmp_path: Path) -> None:
    from kg.errors import StoreError

    settings = Settings(store_path=tmp_path / "store")
    holder = OxigraphStore(settings.store_path)
    with (
        pytest.raises(StoreError, match="in use by another process"),
        TestClient(create_app(settings)),
    ):
        pass
    holder.close()


def test_api_openapi_lists_the_contract(api_client: TestClient) -> None:
    paths = api_client.get("/openapi.json").json()["paths"]
    for path in [
        "/documents",
        "/documents/{document_id}",
        "/documents/{document_id}/text",
        "/events",
        "/positions",
        "/quotes",
        "/actors",
        "/actors/{actor_id}",
        "/actors/{actor_id}/positions",
        "/health",
        "/stats",
        "/sparql",
    ]:
        assert path in paths
