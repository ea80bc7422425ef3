"""Dates through a real uvicorn server on the bundled articles (built with the real pipeline)
and a wire article whose dateline states its published date (tests/fixtures/dated/): the
`date` of events and positions, `from`/`to` on them, and `order=date` (an actor's timeline).

The bundled articles have no published date: only what their text dates ("in 2014", "in
2022") is dated. The wire article is dated 2025-03-18 by its dateline; its statements carry the
date their sentence gives ("on Friday", "in 2014", "last week"), else that published date.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn

from api.main import create_app
from kg.build import Builder
from kg.config import Settings
from kg.store import OxigraphStore
from tests.e2e.test_server import ThreadedServer, free_port

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
WIRE = "wire_dateline"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    folder = tmp_path_factory.mktemp("dated")
    articles = folder / "articles"
    shutil.copytree(ROOT / "data" / "articles", articles)
    shutil.copy(ROOT / "tests" / "fixtures" / "dated" / f"{WIRE}.txt", articles)
    settings = Settings(store_path=folder / "store", query_workers=0)
    store = OxigraphStore()
    outcomes = Builder(settings, store).build([articles])
    assert all(o.ok for o in outcomes), outcomes
    port = free_port()
    config = uvicorn.Config(
        create_app(settings, store=store), host="127.0.0.1", port=port, log_level="warning"
    )
    with (
        ThreadedServer(config).running(),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http,
    ):
        yield http
    store.close()


def items(client: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    response = client.get(path, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    page = response.json()
    assert page["total"] == len(page["items"])
    found: list[dict[str, Any]] = page["items"]
    return found


def test_api_dates_event_dated_in_2014_by_the_text(client: httpx.Client) -> None:
    events = items(client, "/events")
    crimea = [e for e in events if e["date"] and e["date"]["value"] == "2014"]
    assert {e["document"] for e in crimea} >= {"000_bc7c407ef40413f8", "002_d409c77c99fee1ce"}
    for event in crimea:
        assert event["date"]["precision"] == "year"
        assert (event["date"]["start"], event["date"]["end"]) == ("2014-01-01", "2014-12-31")
        assert event["date"]["basis"] == "text"
        assert event["date"]["text"]["text"] == "2014"
    # no article of the bundle has a published date: nothing relative is dated
    assert all(e["date"] is None or e["date"]["precision"] == "year" for e in events)


@pytest.mark.parametrize(
    ("bounds", "inside"),
    [
        ({"from": "2014-01-01", "to": "2014-12-31"}, True),
        ({"from": "2014-06-01", "to": "2014-06-30"}, True),  # a year meets a month of it
        ({"from": "2014-12-31"}, True),
        ({"to": "2013-12-31"}, False),
        ({"from": "2015-01-01", "to": "2021-12-31"}, False),
    ],
)
def test_api_dates_events_from_to_meet_the_stated_period(
    client: httpx.Client, bounds: dict[str, str], inside: bool
) -> None:
    everything = items(client, "/events")
    crimea = {e["id"] for e in everything if e["date"] and e["date"]["value"] == "2014"}
    undated = {e["id"] for e in everything if e["date"] is None}
    found = {e["id"] for e in items(client, "/events", **bounds)}
    assert (crimea <= found) is inside
    assert not crimea & found or inside
    assert not undated & found  # no date of its own and no published date: never in a range


def test_api_dates_document_published_date_detected_from_its_dateline(
    client: httpx.Client,
) -> None:
    document = client.get(f"/documents/{WIRE}").json()
    assert document["published"] == "2025-03-18"
    assert document["published_evidence"]["text"] == "March 18, 2025"
    bundled = client.get("/documents/000_bc7c407ef40413f8").json()
    assert (bundled["published"], bundled["published_evidence"]) == (None, None)


def test_api_dates_positions_carry_their_statement_date(client: httpx.Client) -> None:
    positions = {
        (p["actor"]["id"], p["stance"], p["topic"]["id"]): p["date"]
        for p in items(client, "/positions", document=WIRE)
    }
    dated = {key: (d["value"], d["precision"], d["basis"]) for key, d in positions.items()}
    assert dated[("vladimir-putin", "demands", "nato_membership_ukraine")] == (
        "2014",
        "year",
        "text",
    )
    assert dated[("volodymyr-zelensky", "demands", "ceasefire")] == ("2025-W11", "week", "text")
    assert dated[("russia", "rejects", "ceasefire")] == ("2025-03-14", "day", "text")
    # no date of its own: the article's, with the dateline it was read from
    opposes = positions[("vladimir-putin", "opposes", "ceasefire")]
    assert (opposes["value"], opposes["basis"]) == ("2025-03-18", "published")
    assert opposes["text"]["text"] == "March 18, 2025"
    # the bundled articles' positions have neither
    assert all(
        p["date"] is None for p in items(client, "/positions", document="004_3cfbb70250ff8981")
    )


@pytest.mark.parametrize(
    ("bounds", "expected"),
    [
        ({"from": "2014-01-01", "to": "2014-12-31"}, {"nato_membership_ukraine"}),
        ({"from": "2025-03-10", "to": "2025-03-16"}, {"ceasefire"}),  # Friday and last week
        ({"from": "2025-03-18"}, {"ceasefire"}),  # Putin opposes: the published date
        ({"to": "2013-12-31"}, set()),
    ],
)
def test_api_dates_positions_from_to(
    client: httpx.Client, bounds: dict[str, str], expected: set[str]
) -> None:
    found = items(client, "/positions", **bounds)
    assert {p["topic"]["id"] for p in found} == expected
    assert {p["document"] for p in found} <= {WIRE}


def test_api_dates_actor_timeline_orders_positions_by_date(client: httpx.Client) -> None:
    by_document = items(client, "/actors/vladimir-putin/positions")
    timeline = items(client, "/actors/vladimir-putin/positions", order="date")
    assert sorted(p["id"] for p in timeline) == sorted(p["id"] for p in by_document)
    dated = [p for p in timeline if p["date"]]
    assert [p["date"]["start"] for p in dated] == sorted(p["date"]["start"] for p in dated)
    assert timeline[: len(dated)] == dated  # the undated last
    assert [p["date"]["value"] for p in dated] == ["2014", "2025-03-18"]
    on_topic = items(client, "/actors/vladimir-putin/positions", topic="ceasefire", order="date")
    assert on_topic[0]["date"]["value"] == "2025-03-18"
    assert {p["topic"]["id"] for p in on_topic} == {"ceasefire"}
    bad = client.get("/actors/vladimir-putin/positions", params={"order": "when"})
    assert bad.status_code == 422
