"""`api.deps.Filters`: a list's frozen filter value as an async FastAPI dependency whose
parameters are its fields, in their order; its `/actors/{actor_id}/…` twin takes the path's
`actor_id` for `actor` and leaves out the fields it does not take."""

from __future__ import annotations

import asyncio
import inspect
from dataclasses import dataclass
from typing import Annotated, get_origin

from fastapi import Path, Query

from api.deps import Filters, PagingDep

ActorId = Annotated[str, Path(max_length=200, description="The actor id.")]


@dataclass(frozen=True, slots=True, kw_only=True)
class Wanted:
    paging: PagingDep
    document: Annotated[str | None, Query(description="A document id.")] = None
    actor: Annotated[str | None, Query(description="An actor id.")] = None
    speaker: Annotated[str | None, Query(description="The older name of actor.")] = None
    q: Annotated[str | None, Query(description="Text.")] = None


def test_api_deps_filters_parameters_are_the_fields_in_order() -> None:
    signature = inspect.signature(Filters(Wanted))
    assert list(signature.parameters) == ["paging", "document", "actor", "speaker", "q"]
    assert signature.parameters["document"].default is None
    assert get_origin(signature.parameters["document"].annotation) is Annotated  # evaluated


def test_api_deps_filters_actor_twin_takes_the_path_and_drops() -> None:
    twin = inspect.signature(Filters(Wanted, actor_path=ActorId, dropped=("speaker",)))
    assert list(twin.parameters) == ["paging", "document", "actor_id", "q"]
    assert twin.parameters["actor_id"].annotation is ActorId
    assert twin.parameters["actor_id"].default is inspect.Parameter.empty


def test_api_deps_filters_builds_the_value() -> None:
    made = asyncio.run(Filters(Wanted)(paging=None, document="alpha", actor="putin", q="x"))
    assert made == Wanted(paging=None, document="alpha", actor="putin", q="x")  # type: ignore[arg-type]


def test_api_deps_filters_twin_puts_the_path_in_actor() -> None:
    twin = Filters(Wanted, actor_path=ActorId, dropped=("speaker",))
    made = asyncio.run(twin(paging=None, document=None, actor_id="putin", q=None))
    assert made.actor == "putin"
    assert made.speaker is None
