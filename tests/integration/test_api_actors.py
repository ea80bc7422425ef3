"""GET /actors (search, type), /actors/{id}, /actors/{id}/positions."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


def ids(client: TestClient, path: str, **params: str) -> list[str]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


def test_api_actors_lists_mentioned_actors_by_name(api_client: TestClient) -> None:
    page = api_client.get("/actors").json()
    names = [a["name"] for a in page["items"]]
    assert names == sorted(names, key=str.casefold)
    assert page["total"] == 12
    assert "antonio-guterres" not in [a["id"] for a in page["items"]]  # registry only


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("erdogan", ["recep-tayyip-erdogan"]),
        ("ERDOĞAN", ["recep-tayyip-erdogan"]),
        ("zelenskyy", ["volodymyr-zelenskyy"]),
        ("russian leader", ["vladimir-putin"]),
        ("nobody", []),
    ],
)
def test_api_actors_search_ignores_case_and_accents(
    api_client: TestClient, q: str, expected: list[str]
) -> None:
    assert ids(api_client, "/actors", q=q) == expected


def test_api_actors_filter_by_type(api_client: TestClient) -> None:
    assert ids(api_client, "/actors", type="Place") == ["istanbul", "moscow"]
    response = api_client.get("/actors", params={"type": "Planet"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["parameter"] == "type"


def test_api_actors_pages(api_client: TestClient) -> None:
    everything = ids(api_client, "/actors")
    assert ids(api_client, "/actors", limit="5", offset="5") == everything[5:10]


def test_api_actor_detail(api_client: TestClient) -> None:
    putin = api_client.get("/actors/vladimir-putin").json()
    assert putin["name"] == "Vladimir Putin"
    assert putin["type"] == "Person"
    assert putin["iri"] == "http://127.0.0.1:8000/id/actor/vladimir-putin"
    assert putin["wikidata"] == "http://www.wikidata.org/entity/Q7747"
    assert putin["aliases"] == ["Putin", "The Russian leader"]  # the name is no alias
    assert putin["roles"] == ["Russian leader"]
    assert putin["documents"] == ["alpha", "beta"]


def test_api_actor_positions(api_client: TestClient) -> None:
    assert ids(api_client, "/actors/volodymyr-zelenskyy/positions") == [
        "alpha/position/1d2e3f4a5b6c",
        "beta/position/2e3f4a5b6c7d",
    ]
    assert ids(api_client, "/actors/volodymyr-zelenskyy/positions", stance="rejects") == [
        "beta/position/2e3f4a5b6c7d"
    ]
    assert ids(api_client, "/actors/volodymyr-zelenskyy/positions", topic="ceasefire") == [
        "alpha/position/1d2e3f4a5b6c"
    ]


@pytest.mark.parametrize("path", ["/actors/nobody", "/actors/nobody/positions"])
def test_api_actor_unknown_is_404(api_client: TestClient, path: str) -> None:
    response = api_client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
