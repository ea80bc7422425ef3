"""Quad stores behind one protocol, `GraphStore`; `open_store(settings)` picks the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.store.base import GraphStore, QueryResult, Snapshot, StoreStats, Unguarded
from kg.store.oxigraph import OxigraphStore
from kg.store.remote import RemoteStore

if TYPE_CHECKING:
    from kg.config import Settings

__all__ = [
    "GraphStore",
    "OxigraphStore",
    "QueryResult",
    "RemoteStore",
    "Snapshot",
    "StoreStats",
    "Unguarded",
    "open_store",
]


def open_store(settings: Settings) -> GraphStore:
    """Open the store the settings name: the SPARQL endpoint `KG_STORE_URL` when it is set
    (`RemoteStore`), else the embedded store at `KG_STORE_PATH` (`OxigraphStore`).

    Raises:
        StoreError: the embedded store cannot be opened (a remote store connects lazily).
    """
    if settings.store_url:
        return RemoteStore.from_settings(settings)
    return OxigraphStore(settings.store_path)
