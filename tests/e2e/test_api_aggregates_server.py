"""The aggregate endpoints through a real uvicorn server over a store on disk holding the
"talks" data set (tests/utils/talks.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.main import create_app
from kg.config import Settings
from kg.store import OxigraphStore
from tests.e2e.test_server import ThreadedServer, free_port
from tests.utils.extraction import BASE_IRI
from tests.utils.talks import load_talks

pytestmark = pytest.mark.e2e


@pytest.fixture
def client(tmp_path: Path) -> Iterator[httpx.Client]:
    settings = Settings(store_path=tmp_path / "store", base_iri=BASE_IRI)
    seeded = OxigraphStore(settings.store_path)
    load_talks(seeded)
    seeded.close()
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    with (
        ThreadedServer(config).running(),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http,
    ):
        yield http


def test_api_aggregates_server_answers_every_view(client: httpx.Client) -> None:
    topics = client.get("/topics", params={"used": "true"})
    assert topics.status_code == 200
    assert topics.headers["content-type"] == "application/json"
    assert {t["id"] for t in topics.json()["items"]} == {"ceasefire", "territorial_concessions"}

    view = client.get("/topics/ceasefire/positions", params={"stance": "rejects"}).json()
    (group,) = view["groups"]
    assert [(a["actor"]["id"], a["count"]) for a in group["actors"]] == [
        ("vladimir-putin", 2),
        ("kremlin", 1),
    ]
    for holder in group["actors"]:
        for position in holder["positions"]:
            text = client.get(f"/documents/{position['document']}/text").text
            evidence = position["evidence"]
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]

    network = client.get("/actors/steve-witkoff/network").json()
    assert [(link["actor"]["id"], link["weight"]) for link in network["links"]] == [
        ("vladimir-putin", 2),
        ("yuri-ushakov", 2),
    ]
    whole = client.get("/network", params={"min_weight": 2}).json()
    assert {(e["source"], e["target"]) for e in whole["edges"]} == {
        ("steve-witkoff", "vladimir-putin"),
        ("steve-witkoff", "yuri-ushakov"),
    }
    matrix = client.get("/stance-matrix", params={"actors": 2}).json()
    assert [a["id"] for a in matrix["actors"]] == ["vladimir-putin", "volodymyr-zelenskyy"]


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/topics/nope", {}, 404),
        ("/topics/nope/positions", {}, 404),
        ("/actors/nobody/network", {}, 404),
        ('/topics/ceasefire" } UNION { ?s ?p ?o/positions', {}, 422),
        ('/actors/x" } ; DROP ALL ; /network', {}, 422),
        ("/network", {"limit": 501}, 422),
        ("/stance-matrix", {"min": "many"}, 422),
        ("/topics/ceasefire/positions", {"from": "2025-04-01", "to": "2025-03-01"}, 422),
    ],
)
def test_api_aggregates_server_errors_are_problems(
    client: httpx.Client, path: str, params: dict[str, str | int], status: int
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == status


def test_api_aggregates_server_search_text_never_reaches_sparql(client: httpx.Client) -> None:
    hostile = '"} } ; DROP ALL ; SELECT * { ?s ?p "'
    response = client.get("/topics", params={"q": hostile})
    assert response.status_code == 200
    assert response.json()["total"] == 0
    assert client.get("/topics/ceasefire").json()["positions"] == 5  # nothing was dropped
