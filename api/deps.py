"""Typed FastAPI dependencies: `SettingsDep`, `StoreDep`, `ExecutorDep`, `PagingDep`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query, Request

from api.executor import QueryExecutor
from kg.config import Settings
from kg.errors import StoreError
from kg.store import GraphStore

MAX_LIMIT = 500
DEFAULT_LIMIT = 100


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> GraphStore:
    store: GraphStore | None = getattr(request.app.state, "store", None)
    if store is None:
        raise StoreError("the store is not open (the app is starting or stopping)")
    return store


def get_executor(request: Request) -> QueryExecutor:
    executor: QueryExecutor | None = getattr(request.app.state, "executor", None)
    if executor is None:
        raise StoreError("the query workers are not running (the app is starting or stopping)")
    return executor


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


def get_paging(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1..{MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
ExecutorDep = Annotated[QueryExecutor, Depends(get_executor)]
PagingDep = Annotated[Paging, Depends(get_paging)]
