"""GET /events, /positions, /quotes: contract fields, evidence integrity, order, paging, filters."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

LISTS = ["/events", "/positions", "/quotes"]


def texts(client: TestClient) -> dict[str, str]:
    return {d: client.get(f"/documents/{d}/text").text for d in ("alpha", "beta")}


def items(client: TestClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page["items"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("path", LISTS)
def test_api_evidence_is_the_stored_slice(api_client: TestClient, path: str) -> None:
    stored = texts(api_client)
    found = items(api_client, path)
    assert found
    for item in found:
        ev = item["evidence"]
        assert set(ev) == {"document", "start", "end", "text"}
        assert stored[ev["document"]][ev["start"] : ev["end"]] == ev["text"]


@pytest.mark.parametrize("path", LISTS)
def test_api_lists_in_document_then_evidence_order(api_client: TestClient, path: str) -> None:
    found = items(api_client, path)
    keys = [(i["evidence"]["document"], i["evidence"]["start"]) for i in found]
    assert keys == sorted(keys)


@pytest.mark.parametrize(("path", "total"), [("/events", 4), ("/positions", 4), ("/quotes", 2)])
def test_api_lists_page_with_total(api_client: TestClient, path: str, total: int) -> None:
    everything = items(api_client, path)
    assert len(everything) == total
    collected = []
    for offset in range(0, total, 1):
        page = api_client.get(path, params={"limit": 1, "offset": offset}).json()
        assert page["total"] == total
        collected += page["items"]
    assert collected == everything
    beyond = api_client.get(path, params={"offset": total}).json()
    assert beyond == {"items": [], "total": total, "limit": 100, "offset": total}


@pytest.mark.parametrize("path", LISTS)
def test_api_lists_filter_by_document(api_client: TestClient, path: str) -> None:
    for doc in ("alpha", "beta"):
        assert {i["evidence"]["document"] for i in items(api_client, path, document=doc)} == {doc}


@pytest.mark.parametrize("path", LISTS)
def test_api_lists_unknown_document_filter_is_422_suggesting_ids(
    api_client: TestClient, path: str
) -> None:
    response = api_client.get(path, params={"document": "betta"})
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"] == [
        {"parameter": "document", "message": problem["detail"].removeprefix("document: ")}
    ]
    assert problem["suggestions"] == ["beta"]


def test_api_events_contract(api_client: TestClient) -> None:
    meeting, proposal = items(api_client, "/events", document="alpha")
    assert meeting["id"] == "alpha/event/a1b2c3d4e5f6"
    assert meeting["iri"] == "http://127.0.0.1:8000/id/document/alpha/event/a1b2c3d4e5f6"
    assert meeting["type"] == "meeting"
    assert meeting["status"] == "happened"
    assert meeting["time"] == "on Thursday"
    assert meeting["date"] == {
        "value": "2025-03-13",
        "precision": "day",
        "start": "2025-03-13",
        "end": "2025-03-13",
        "basis": "text",
        "text": None,  # the fixture states the time stamp without its words
    }
    assert meeting["place"] == {
        "id": "moscow",
        "name": "Moscow",
        "aliases": ["Moscow"],
        "iri": "http://127.0.0.1:8000/id/actor/moscow",
    }
    assert meeting["confidence"] == pytest.approx(0.7)
    roles = {p["id"]: p["role"] for p in meeting["participants"]}
    assert roles == {"vladimir-putin": "agent", "steve-witkoff": "participant"}
    putin = next(p for p in meeting["participants"] if p["id"] == "vladimir-putin")
    assert putin["name"] == "Vladimir Putin"
    assert putin["aliases"] == ["The Russian leader", "Vladimir Putin"]
    assert proposal["type"] == "ceasefire_proposal"
    assert proposal["place"] is None


def test_api_events_filter_by_type(api_client: TestClient) -> None:
    calls = items(api_client, "/events", type="phone_call")
    assert [e["type"] for e in calls] == ["phone_call"]
    roles = {p["id"]: p["role"] for p in calls[0]["participants"]}
    assert roles == {"vladimir-putin": "agent", "donald-trump": "recipient"}


def test_api_positions_contract(api_client: TestClient) -> None:
    putin, zelenskyy = items(api_client, "/positions", document="alpha")
    assert putin["actor"] == {
        "id": "vladimir-putin",
        "name": "Vladimir Putin",
        "aliases": ["The Russian leader", "Vladimir Putin"],
        "iri": "http://127.0.0.1:8000/id/actor/vladimir-putin",
    }
    assert putin["stance"] == "rejects"
    assert putin["topic"] == {
        "id": "nato_membership_ukraine",
        "label": "NATO membership of Ukraine",
    }
    assert putin["direction"] == "against"
    assert putin["target"]["id"] == "ukraine"
    assert putin["reported_by"] is None
    assert putin["hedged"] is False
    assert putin["confidence"] == pytest.approx(0.8)
    assert zelenskyy["stance"] == "proposes"
    assert zelenskyy["direction"] == "for"


def test_api_positions_not_applicable_direction_and_attribution(api_client: TestClient) -> None:
    kremlin = items(api_client, "/positions", document="beta", stance="threatens")[0]
    assert kremlin["direction"] == "n/a"
    assert kremlin["hedged"] is True
    assert kremlin["reported_by"]["id"] == "national-post"


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({"topic": "ceasefire"}, ["alpha/position/1d2e3f4a5b6c"]),
        ({"stance": "rejects"}, ["alpha/position/0c1d2e3f4a5b", "beta/position/2e3f4a5b6c7d"]),
        ({"actor": "kremlin"}, ["beta/position/3f4a5b6c7d8e"]),
        ({"topic": "sanctions", "stance": "rejects"}, []),
    ],
)
def test_api_positions_filters(
    api_client: TestClient, params: dict[str, str], ids: list[str]
) -> None:
    assert [p["id"] for p in items(api_client, "/positions", **params)] == ids


def test_api_quotes_contract(api_client: TestClient) -> None:
    (quote,) = items(api_client, "/quotes", document="alpha")
    assert quote["speaker"]["id"] == "vladimir-putin"
    assert quote["text"] == "We will never accept NATO in Ukraine."
    assert quote["evidence"]["text"] == quote["text"]
    assert quote["id"] == "alpha/quote/22-59"


def test_api_quotes_filter_by_speaker(api_client: TestClient) -> None:
    assert [q["speaker"]["id"] for q in items(api_client, "/quotes", speaker="donald-trump")] == [
        "donald-trump"
    ]


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/events", {"limit": 0}, "limit"),
        ("/events", {"limit": 501}, "limit"),
        ("/positions", {"offset": -1}, "offset"),
        ("/positions", {"stance": "likes"}, "stance"),
        ("/positions", {"topic": "a b"}, "topic"),
        ("/events", {"type": "party"}, "type"),
        ("/quotes", {"limit": "many"}, "limit"),
    ],
)
def test_api_bad_parameters_are_422_naming_them(
    api_client: TestClient, path: str, params: dict[str, Any], parameter: str
) -> None:
    response = api_client.get(path, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 422
    assert problem["detail"].startswith(f"{parameter}:")
    assert problem["errors"][0]["parameter"] == parameter


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/positions", {"actor": 'x" } ; DROP ALL ; { "'}),
        ("/quotes", {"speaker": 'x\\" } }'}),
        ("/events", {"document": 'alpha" } '}),
    ],
)
def test_api_filters_are_not_injected(
    api_client: TestClient, path: str, params: dict[str, str]
) -> None:
    response = api_client.get(path, params=params)
    assert response.status_code == 422  # the id names nothing
    assert response.json()["errors"][0]["parameter"] in params
    assert api_client.get("/stats").json()["documents"] == 2
