"""A store keeps the base IRI it was built with: a build, an app or a CLI command configured
with another KG_BASE_IRI is refused instead of minting a second set of IRIs beside the first."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.build import Builder, check_base_iri
from kg.config import Settings
from kg.errors import StoreError
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE

OTHER = "https://kg.example/"


def test_base_iri_a_new_store_takes_any_base(memory_store: OxigraphStore) -> None:
    check_base_iri(memory_store, OTHER)
    Builder(Settings(base_iri=OTHER), memory_store).load_vocabularies()
    assert memory_store.has_graph(f"{OTHER}graph/ontology")
    check_base_iri(memory_store, OTHER)


def test_base_iri_another_base_is_refused(sample_store: OxigraphStore) -> None:
    check_base_iri(sample_store, SAMPLE_BASE)
    with pytest.raises(StoreError, match=f"KG_BASE_IRI={SAMPLE_BASE}"):
        check_base_iri(sample_store, OTHER)
    before = sample_store.graph_iris()
    with pytest.raises(StoreError):
        Builder(Settings(base_iri=OTHER), sample_store).load_vocabularies()
    assert sample_store.graph_iris() == before  # nothing written under the other base


def test_base_iri_app_refuses_a_store_of_another_base(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = OxigraphStore(path)
    Builder(Settings(base_iri=SAMPLE_BASE), store).load_vocabularies()
    store.close()
    app = create_app(Settings(store_path=path, base_iri=OTHER, query_workers=0))
    with pytest.raises(StoreError, match="this store's IRIs are under"), TestClient(app):
        pass
    served = create_app(Settings(store_path=path, base_iri=SAMPLE_BASE, query_workers=0))
    with TestClient(served) as client:
        assert client.get("/health").status_code == 200
