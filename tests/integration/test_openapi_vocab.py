"""The OpenAPI document's enums are kg.vocab's REST ids: every query parameter that takes an actor
type, event type, stance or direction lists exactly the vocabulary's ids, in its order, and no
enum anywhere in the document is a partial copy of one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kg.config import Settings
from kg.store.oxigraph import OxigraphStore
from kg.vocab import ActorType, Direction, EventType, Stance, TermEnum

REST_ENUMS: list[type[TermEnum]] = [ActorType, EventType, Stance, Direction]


@pytest.fixture
def spec(api_settings: Settings, memory_store: OxigraphStore) -> dict[str, Any]:
    from api.main import create_app

    with TestClient(create_app(api_settings, store=memory_store)) as client:
        answer = client.get("/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def expected_vocab(path: str, name: str) -> type[TermEnum] | None:
    """The vocabulary a parameter takes, by its name (and, for `type`, by its resource)."""
    if name == "stance":
        return Stance
    if name == "direction":
        return Direction
    if name == "type":
        return EventType if path.rstrip("/").endswith("/events") else ActorType
    return None


def enums(node: Any, where: str = "") -> Iterator[tuple[str, list[Any]]]:
    """Every `enum` list in the document, with a readable location."""
    if isinstance(node, dict):
        if isinstance(node.get("enum"), list):
            yield where, node["enum"]
        for key, value in node.items():
            yield from enums(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from enums(value, f"{where}/{index}")


def parameter_enum(parameter: dict[str, Any]) -> list[Any] | None:
    found = [values for _, values in enums(parameter.get("schema", {}))]
    assert len(found) <= 1, parameter
    return found[0] if found else None


def test_openapi_vocab_parameters_list_the_rest_ids(spec: dict[str, Any]) -> None:
    checked: dict[type[TermEnum], list[str]] = {enum: [] for enum in REST_ENUMS}
    wrong: list[str] = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                vocabulary = expected_vocab(path, parameter["name"])
                if vocabulary is None or parameter["in"] != "query":
                    continue
                where = f"{method.upper()} {path} ?{parameter['name']}"
                values = parameter_enum(parameter)
                if values != list(vocabulary.rest_ids()):
                    wrong.append(f"{where}: {values} is not {vocabulary.__name__}")
                checked[vocabulary].append(where)
    assert wrong == []
    assert "GET /positions ?stance" in checked[Stance]
    assert "GET /positions ?direction" in checked[Direction]
    assert "GET /actors ?type" in checked[ActorType]
    assert "GET /events ?type" in checked[EventType]
    assert "GET /actors/{actor_id}/events ?type" in checked[EventType]
    assert "GET /topics/{topic_id}/positions ?type" in checked[ActorType]


def test_openapi_vocab_no_enum_is_a_partial_copy(spec: dict[str, Any]) -> None:
    """An enum made only of one vocabulary's ids is that whole vocabulary (parameters and schema
    fields alike); enums of other things (stance families, precisions) are left alone."""
    partial: list[str] = []
    seen = 0
    for where, values in enums(spec):
        for vocabulary in REST_ENUMS:
            ids = vocabulary.rest_ids()
            if values and set(values) <= set(ids):
                seen += 1
                if tuple(values) != ids:
                    partial.append(f"{where}: {values} is part of {vocabulary.__name__}")
    assert partial == []
    assert seen >= len(REST_ENUMS)
