"""The statement lists and their actor twins (`/positions` and `/actors/{actor_id}/positions`, …)
take their parameters from one frozen filter value each (`api.deps.Filters`): the OpenAPI
document lists them in the order they always had, and a request with several bad parameters
names them in the order FastAPI validates them (paging and dates first, then the path, then
the list's own)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

TAIL = ["limit", "offset", "from", "to"]
LONG = "x" * 201


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("/positions", ["document", "actor", "topic", "stance", "direction", "q", "order"]),
        (
            "/actors/{actor_id}/positions",
            ["actor_id", "document", "topic", "stance", "direction", "q", "order"],
        ),
        ("/events", ["document", "type", "actor", "q"]),
        ("/actors/{actor_id}/events", ["actor_id", "document", "type", "q"]),
        ("/quotes", ["document", "actor", "speaker", "q"]),
        ("/actors/{actor_id}/quotes", ["actor_id", "document", "q"]),
    ],
)
def test_api_list_parameters_openapi_order(
    api_client: TestClient, path: str, names: list[str]
) -> None:
    spec = api_client.get("/openapi.json").json()
    parameters = spec["paths"][path]["get"]["parameters"]
    assert [p["name"] for p in parameters] == names + TAIL
    where = {p["name"]: p["in"] for p in parameters}
    assert where.get("actor_id", "path") == "path"
    assert all(where[n] == "query" for n in names + TAIL if n != "actor_id")


@pytest.mark.parametrize(
    ("url", "named"),
    [
        (
            f"/positions?q={LONG}&topic=bad!&actor={LONG}&document={LONG}&limit=0",
            ["limit", "document", "actor", "topic", "q"],
        ),
        (
            f"/actors/{LONG}/positions?stance=nope&document={LONG}&offset=-1",
            ["offset", "actor_id", "document", "stance"],
        ),
        (f"/events?actor={LONG}&type=nope&from=x", ["from", "type", "actor"]),
        (f"/actors/{LONG}/events?type=nope&limit=0", ["limit", "actor_id", "type"]),
        (
            f"/quotes?speaker={LONG}&actor={LONG}&document={LONG}",
            ["document", "actor", "speaker"],
        ),
        (f"/actors/{LONG}/quotes?q={LONG}&to=y", ["to", "actor_id", "q"]),
    ],
)
def test_api_list_parameters_bad_ones_named_in_order(
    api_client: TestClient, url: str, named: list[str]
) -> None:
    answer = api_client.get(url)
    assert answer.status_code == 422
    assert [e["parameter"] for e in answer.json()["errors"]] == named


def test_api_list_parameters_actor_twin_refuses_the_list_s_own(api_client: TestClient) -> None:
    answer = api_client.get("/actors/vladimir-putin/quotes", params={"speaker": "x"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["parameter"] == "speaker"
    answer = api_client.get("/actors/vladimir-putin/positions", params={"actor": "x"})
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["parameter"] == "actor"


def test_api_list_parameters_twin_answers_as_the_list(api_client: TestClient) -> None:
    for kind in ("positions", "events", "quotes"):
        actors = api_client.get("/actors", params={"limit": 500}).json()["items"]
        for actor in [a["id"] for a in actors]:
            listed = api_client.get(f"/{kind}", params={"actor": actor})
            twin = api_client.get(f"/actors/{actor}/{kind}")
            assert twin.status_code == 200
            assert twin.content == listed.content, (kind, actor)
    assert api_client.get("/actors/nobody-at-all/positions").status_code == 404
