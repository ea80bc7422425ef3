"""Quad stores behind one protocol, `GraphStore`; `open_store(settings)` picks the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kg.errors import StoreError
from kg.store.base import GraphStore, QueryResult, StoreStats
from kg.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from kg.config import Settings

__all__ = ["GraphStore", "OxigraphStore", "QueryResult", "StoreStats", "open_store"]


def open_store(settings: Settings) -> GraphStore:
    """Open the store the settings name: the embedded store at `settings.store_path`.

    Raises:
        StoreError: the store cannot be opened, or `KG_STORE_URL` is set (the remote store is not
            implemented yet).
    """
    if settings.store_url:
        raise StoreError(
            f"KG_STORE_URL={settings.store_url} is set, but remote stores are not supported yet; "
            "unset it to use the embedded store at KG_STORE_PATH"
        )
    return OxigraphStore(settings.store_path)
