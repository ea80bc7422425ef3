"""Strict REST parameters (`api.strict`): unknown parameters refused, close ids suggested."""

from __future__ import annotations

import doctest
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.testclient import TestClient

import api.strict
from api.problems import install_problem_handlers
from api.strict import STRICT, closest

ACTORS = {
    "vladimir-putin": ["Vladimir Putin", "the Russian leader"],
    "volodymyr-zelenskyy": ["Volodymyr Zelenskyy", "Zelensky"],
    "kremlin": ["Kremlin"],
}


def test_api_strict_doctests() -> None:
    result = doctest.testmod(api.strict)
    assert result.attempted > 0
    assert result.failed == 0


@pytest.mark.parametrize(
    ("wanted", "expected"),
    [
        ("putin", ["vladimir-putin"]),  # part of the id
        ("PUTIN", ["vladimir-putin"]),
        ("zelensky", ["volodymyr-zelenskyy"]),  # an alias, exactly
        ("zelenskiy", ["volodymyr-zelenskyy"]),  # close to an alias
        ("Kremlin", ["kremlin"]),
        ("russian leader", ["vladimir-putin"]),
        ("nothing-like-it", []),
        ("", []),
    ],
)
def test_api_strict_closest(wanted: str, expected: list[str]) -> None:
    assert closest(wanted, ACTORS) == expected


def test_api_strict_closest_puts_exact_matches_first() -> None:
    names: dict[str, list[str]] = {"peace-plan": [], "peace": [], "peace-deal": []}
    assert closest("Peace", names)[0] == "peace"


def _shared(limit: Annotated[int, Query()] = 10) -> int:
    return limit


def _app() -> FastAPI:
    router = APIRouter(dependencies=STRICT)

    @router.get("/things")
    def things(
        paging: Annotated[int, Depends(_shared)], actor: str | None = None
    ) -> dict[str, str]:
        return {"actor": actor or "", "limit": str(paging)}

    @router.get("/raw", openapi_extra={"parameters": [{"name": "format", "in": "query"}]})
    def raw() -> dict[str, str]:
        return {}

    app = FastAPI()
    install_problem_handlers(app)
    app.include_router(router)
    return app


@pytest.mark.parametrize(
    "params",
    [{}, {"actor": "a"}, {"limit": "3"}, {"actor": "a", "limit": "3"}],
)
def test_api_strict_takes_declared_parameters(params: dict[str, str]) -> None:
    with TestClient(_app()) as client:
        assert client.get("/things", params=params).status_code == 200


def test_api_strict_takes_parameters_declared_for_the_raw_request() -> None:
    with TestClient(_app()) as client:
        assert client.get("/raw", params={"format": "x"}).status_code == 200
        assert client.get("/raw", params={"fmt": "x"}).status_code == 422


def test_api_strict_refuses_an_unknown_parameter_naming_it() -> None:
    with TestClient(_app()) as client:
        response = client.get("/things", params={"actor": "a", "limt": "3"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"] == [
        {
            "parameter": "limt",
            "message": "/things has no parameter 'limt'; did you mean limit? It takes: actor,"
            " limit",
        }
    ]
    assert problem["suggestions"] == ["limit"]
