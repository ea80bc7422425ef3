"""Typed FastAPI dependencies: `SettingsDep`, `StoreDep`, `SnapshotDep`, `ExecutorDep`,
`PagingDep`, `DatesDep`, the query parameters the list endpoints share (`QQuery`,
`DocumentQuery`, `ActorQuery`), and `Filters`, which makes a list's frozen filter value a
dependency."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Generic, TypedDict, TypeVar, get_type_hints

from fastapi import Depends, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel

from api.executor import QueryExecutor
from kg.config import Settings
from kg.errors import StoreError
from kg.read.index import index_of
from kg.read.queries import DateRange
from kg.read.records import RawPage
from kg.store import GraphStore

MAX_LIMIT = 500
DEFAULT_LIMIT = 100
F = TypeVar("F")


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_store(request: Request) -> GraphStore:
    store: GraphStore | None = getattr(request.app.state, "store", None)
    if store is None:
        raise StoreError("the store is not open (the app is starting or stopping)")
    return store


async def get_snapshot(request: Request) -> AsyncIterator[GraphStore]:
    """The store, inside one `snapshot()` for the whole path operation: a REST answer is made of
    several queries, and an article written or removed meanwhile must be seen whole before or
    whole after (`kg.store.base`).

    Entered with `async with`, so the wait for a writer neither blocks the event loop nor holds
    a threadpool thread; used with `scope="function"`, so the view is let go when the answer is
    computed, before it is sent (a slow client does not hold writers back). Not for /sparql
    (one query, one snapshot, in a worker process) nor for /graph (a long streamed export must
    not hold writers back).
    """
    store = await get_store(request)
    async with store.snapshot():
        yield store


async def get_executor(request: Request) -> QueryExecutor:
    executor: QueryExecutor | None = getattr(request.app.state, "executor", None)
    if executor is None:
        raise StoreError("the query workers are not running (the app is starting or stopping)")
    return executor


@dataclass(frozen=True, slots=True)
class Paging:
    limit: int
    offset: int


async def get_paging(
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description=f"Page size, 1..{MAX_LIMIT}.")
    ] = DEFAULT_LIMIT,
    offset: Annotated[int, Query(ge=0, description="Items to skip.")] = 0,
) -> Paging:
    return Paging(limit=limit, offset=offset)


async def get_dates(
    start: Annotated[
        date | None,
        Query(
            alias="from",
            description="Earliest date, ISO 8601 `YYYY-MM-DD`, inclusive. A statement's date is "
            "its own resolved date (`sem:hasTimeStamp`) if it has one, else its article's "
            "published date; items with neither are left out when `from` or `to` is given.",
            examples=["2025-03-01"],
        ),
    ] = None,
    end: Annotated[
        date | None,
        Query(
            alias="to",
            description="Latest date, ISO 8601 `YYYY-MM-DD`, inclusive; not before `from`.",
            examples=["2025-03-31"],
        ),
    ] = None,
) -> DateRange:
    """The `from`/`to` bounds; `to` before `from` is a 422 naming `to`, like any bad value."""
    if start is not None and end is not None and end < start:
        message = f"{end.isoformat()} is before from={start.isoformat()}"
        raise RequestValidationError(
            [{"loc": ("query", "to"), "msg": message, "type": "value_error"}]
        )
    return DateRange(start, end)


QQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Text search, case- and accent-insensitive (`erdogan` finds Erdoğan).",
        examples=["putin"],
    ),
]
DocumentQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Only items of the document with this id; on /events, /positions and "
        "/quotes an unknown id is a 422 that suggests the closest ids.",
        examples=["alpha"],
    ),
]
ActorQuery = Annotated[
    str | None,
    Query(
        max_length=200,
        description="Actor id (`kg:actorKey`, as in `/actors`); an unknown id is a 422 that "
        "suggests the closest ids (by id, name or alias).",
        examples=["vladimir-putin"],
    ),
]


class Filters(Generic[F]):
    """A list's frozen filter value (`make`, a dataclass of keyword-only fields annotated with
    `Query` or `Depends`), as an async dependency whose parameters are those fields, in their
    order: one declaration serves a list and its actor's twin (`/positions` and
    `/actors/{actor_id}/positions`), with the OpenAPI parameters and 422 answers of two.

    Args:
        make: the filter value's class.
        actor_path: for the twin, the path parameter `actor_id` (its `Annotated` type) that
            stands for the `actor` field; OpenAPI lists and FastAPI validates path parameters
            first, wherever they are declared.
        dropped: fields the twin does not take (they keep their defaults).
    """

    def __init__(
        self, make: Callable[..., F], actor_path: object = None, dropped: tuple[str, ...] = ()
    ) -> None:
        self.make = make
        hints = get_type_hints(make, include_extras=True)  # each field in its class's module
        parameters = []
        for parameter in inspect.signature(make).parameters.values():
            if parameter.name in dropped:
                continue
            parameter = parameter.replace(annotation=hints[parameter.name])
            if parameter.name == "actor" and actor_path is not None:
                parameter = parameter.replace(
                    name="actor_id", annotation=actor_path, default=inspect.Parameter.empty
                )
            parameters.append(parameter)
        #: The parameters FastAPI reads (`inspect.signature` returns it as it is).
        self.__signature__ = inspect.Signature(parameters)

    async def __call__(self, **values: Any) -> F:
        """The filter value; async, so building it costs no threadpool hop."""
        if "actor_id" in values:
            values["actor"] = values.pop("actor_id")
        return self.make(**values)


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[GraphStore, Depends(get_store)]
#: The store held in one consistent view while the path operation runs (`get_snapshot`).
SnapshotDep = Annotated[GraphStore, Depends(get_snapshot, scope="function")]
ExecutorDep = Annotated[QueryExecutor, Depends(get_executor)]
PagingDep = Annotated[Paging, Depends(get_paging)]
DatesDep = Annotated[DateRange, Depends(get_dates)]


class ListArguments(TypedDict):
    """The arguments every `kg.read.queries.*_page` takes from a `ListFilter`."""

    document: str | None
    dates: DateRange
    limit: int
    offset: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ListFilter:
    """The parameters every statement list takes; a list's filter value adds its own after
    them (OpenAPI lists `limit`, `offset`, `from` and `to` last: they are sub-dependencies)."""

    paging: PagingDep
    dates: DatesDep
    document: DocumentQuery = None

    def arguments(self) -> ListArguments:
        """These parameters as `*_page` arguments."""
        return {
            "document": self.document,
            "dates": self.dates,
            "limit": self.paging.limit,
            "offset": self.paging.offset,
        }


def answer(page: RawPage) -> Response:
    """A page already serialised by the read layer, sent as it is (no model built and
    validated per item: the OpenAPI schema is the route's `response_model`)."""
    return Response(page.json(), media_type="application/json")


def answer_model(record: BaseModel) -> Response:
    """A record serialised in one pass by pydantic (FastAPI would validate it against the
    route's `response_model` again, then encode it twice)."""
    return Response(record.model_dump_json(), media_type="application/json")


def answer_kept(
    store: GraphStore, key: tuple[object, ...], read: Callable[[], BaseModel]
) -> Response:
    """`answer_model(read())`, its bytes kept until the next write when the store has a read
    index (`ReadIndex.memo`): an aggregate answer of megabytes is serialised once per write."""
    index = index_of(store)
    if index is None:
        return answer_model(read())
    body = index.memo(("json", *key), lambda: read().model_dump_json().encode())
    return Response(body, media_type="application/json")
