"""The read API through a real uvicorn server over the sample store (tests/fixtures/sample.trig):
every read endpoint, every filter's semantics, paging, the error statuses, the offline docs,
and every item's `iri` (and an IRI from /sparql) dereferencing as Turtle and JSON-LD.

The sample: article alpha (published 2025-03-12) and beta (2025-03-14). Events: alpha's
meeting of Putin and Witkoff (own date 2025-03-13) and Zelenskyy's ceasefire proposal (no own
date), beta's Putin-Trump phone call and Erdoğan's talks offer (no own dates). Positions: Putin
rejects NATO membership (alpha), Zelenskyy proposes a ceasefire (alpha) and rejects the plan
(beta), the Kremlin threatens sanctions (beta, n/a). Quotes: Putin's (alpha), Trump's (beta).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import httpx
import pyoxigraph as ox
import pytest

from tests.utils.server import sample_server

pytestmark = pytest.mark.e2e

MEETING = "alpha/event/a1b2c3d4e5f6"
PROPOSAL = "alpha/event/b2c3d4e5f6a1"
CALL = "beta/event/c3d4e5f6a1b2"
TALKS = "beta/event/d4e5f6a1b2c3"
PUTIN_NATO = "alpha/position/0c1d2e3f4a5b"
ZELENSKYY_CEASEFIRE = "alpha/position/1d2e3f4a5b6c"
ZELENSKYY_PLAN = "beta/position/2e3f4a5b6c7d"
KREMLIN_SANCTIONS = "beta/position/3f4a5b6c7d8e"
PUTIN_QUOTE = "alpha/quote/22-59"
TRUMP_QUOTE = "beta/quote/146-164"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    with (
        sample_server(tmp_path_factory.mktemp("api-server")) as url,
        httpx.Client(base_url=url, timeout=10) as http,
    ):
        yield http


def ids(client: httpx.Client, path: str, params: dict[str, Any]) -> list[str]:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    page = response.json()
    assert page["total"] == len(page["items"])  # every case fits one default page
    return [item["id"] for item in page["items"]]


@pytest.mark.parametrize(
    ("path", "params", "expected"),
    [
        # /actors: q (id, name, alias; folded), type, document
        ("/actors", {"q": "ERDOĞAN"}, ["recep-tayyip-erdogan"]),
        ("/actors", {"q": "the russian LEADER"}, ["vladimir-putin"]),
        ("/actors", {"q": "steve-witkoff"}, ["steve-witkoff"]),
        ("/actors", {"type": "Place"}, ["istanbul", "moscow"]),
        (
            "/actors",
            {"document": "beta"},
            [
                "donald-trump",
                "istanbul",
                "kremlin",
                "national-post",
                "recep-tayyip-erdogan",
                "vladimir-putin",
                "volodymyr-zelenskyy",
            ],
        ),
        ("/actors", {"document": "beta", "type": "Place"}, ["istanbul"]),
        ("/actors", {"document": "beta", "q": "moscow"}, []),
        ("/actors", {"document": "gamma"}, []),
        # /events: document, type, actor (participant), q, from/to (own date, else article's)
        ("/events", {}, [MEETING, PROPOSAL, CALL, TALKS]),
        ("/events", {"document": "beta"}, [CALL, TALKS]),
        ("/events", {"type": "talks"}, [TALKS]),
        ("/events", {"actor": "vladimir-putin"}, [MEETING, CALL]),
        ("/events", {"actor": "steve-witkoff"}, [MEETING]),
        ("/events", {"actor": "vladimir-putin", "document": "beta"}, [CALL]),
        ("/events", {"q": "witkoff"}, [MEETING]),  # a participant's name
        ("/events", {"q": "Erdogan"}, [TALKS]),  # folded
        ("/events", {"q": "BY PHONE"}, [CALL]),  # the evidence text
        ("/events", {"q": "moscow"}, [MEETING]),  # the evidence text names the place
        ("/events", {"from": "2025-03-13"}, [MEETING, CALL, TALKS]),
        ("/events", {"to": "2025-03-12"}, [PROPOSAL]),  # the meeting's own date is 03-13
        ("/events", {"from": "2025-03-13", "to": "2025-03-13"}, [MEETING]),
        ("/events", {"from": "2025-03-15"}, []),
        ("/events", {"type": "meeting", "from": "2025-03-14"}, []),
        # /positions: document, actor, topic, stance, direction, q, from/to (article date)
        ("/positions", {"actor": "volodymyr-zelenskyy"}, [ZELENSKYY_CEASEFIRE, ZELENSKYY_PLAN]),
        ("/positions", {"topic": "sanctions"}, [KREMLIN_SANCTIONS]),
        ("/positions", {"stance": "rejects"}, [PUTIN_NATO, ZELENSKYY_PLAN]),
        ("/positions", {"direction": "for"}, [ZELENSKYY_CEASEFIRE]),
        ("/positions", {"direction": "against"}, [PUTIN_NATO, ZELENSKYY_PLAN]),
        ("/positions", {"direction": "n/a"}, [KREMLIN_SANCTIONS]),
        ("/positions", {"stance": "rejects", "direction": "for"}, []),
        ("/positions", {"q": "kremlin"}, [KREMLIN_SANCTIONS]),  # the holder's name
        ("/positions", {"q": "The Russian Leader"}, [PUTIN_NATO]),  # an alias of the holder
        ("/positions", {"q": "nato in ukraine"}, [PUTIN_NATO]),  # the evidence text
        ("/positions", {"q": "zelenskyy", "document": "beta"}, [ZELENSKYY_PLAN]),
        ("/positions", {"from": "2025-03-13"}, [ZELENSKYY_PLAN, KREMLIN_SANCTIONS]),
        ("/positions", {"to": "2025-03-12"}, [PUTIN_NATO, ZELENSKYY_CEASEFIRE]),
        ("/positions", {"to": "2025-03-12", "q": "zelenskyy"}, [ZELENSKYY_CEASEFIRE]),
        # /quotes: document, actor (speaker; `speaker` kept), q, from/to
        ("/quotes", {"actor": "donald-trump"}, [TRUMP_QUOTE]),
        ("/quotes", {"speaker": "vladimir-putin"}, [PUTIN_QUOTE]),
        ("/quotes", {"speaker": "vladimir-putin", "actor": "donald-trump"}, []),
        ("/quotes", {"q": "never accept"}, [PUTIN_QUOTE]),  # the quoted text
        ("/quotes", {"q": "trump"}, [TRUMP_QUOTE]),  # the speaker's name
        ("/quotes", {"from": "2025-03-13"}, [TRUMP_QUOTE]),
        ("/quotes", {"document": "alpha", "to": "2025-03-11"}, []),
        # /actors/{id}/…: the actor's own items, with the list filters
        ("/actors/vladimir-putin/positions", {}, [PUTIN_NATO]),
        (
            "/actors/volodymyr-zelenskyy/positions",
            {"direction": "against"},
            [ZELENSKYY_PLAN],
        ),
        ("/actors/volodymyr-zelenskyy/positions", {"q": "ceasefire"}, [ZELENSKYY_CEASEFIRE]),
        ("/actors/volodymyr-zelenskyy/positions", {"from": "2025-03-14"}, [ZELENSKYY_PLAN]),
        ("/actors/vladimir-putin/events", {}, [MEETING, CALL]),
        ("/actors/vladimir-putin/events", {"type": "phone_call"}, [CALL]),
        ("/actors/vladimir-putin/events", {"to": "2025-03-13"}, [MEETING]),
        ("/actors/vladimir-putin/events", {"q": "trump"}, [CALL]),
        ("/actors/vladimir-putin/quotes", {}, [PUTIN_QUOTE]),
        ("/actors/vladimir-putin/quotes", {"document": "beta"}, []),
        ("/actors/donald-trump/quotes", {"q": "very well"}, [TRUMP_QUOTE]),
        ("/actors/steve-witkoff/quotes", {}, []),
        # /documents: q (title, outlet, author; folded), from/to (published date)
        ("/documents", {"q": "NATO"}, ["alpha"]),
        ("/documents", {"q": "kyïv"}, ["beta"]),
        ("/documents", {"q": "tara stone"}, ["alpha"]),
        ("/documents", {"from": "2025-03-13"}, ["beta"]),
        ("/documents", {"to": "2025-03-12"}, ["alpha"]),
        ("/documents", {"from": "2025-03-15"}, []),
    ],
)
def test_api_server_filters(
    client: httpx.Client, path: str, params: dict[str, Any], expected: list[str]
) -> None:
    assert ids(client, path, params) == expected


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/events", {"from": "2025-03-13"}),
        ("/positions", {"q": "zelenskyy"}),
        ("/positions", {}),
        ("/actors", {"document": "alpha"}),
        ("/documents", {}),
    ],
)
def test_api_server_pages_a_filtered_list(
    client: httpx.Client, path: str, params: dict[str, Any]
) -> None:
    everything = client.get(path, params=params).json()
    collected = []
    for offset in range(everything["total"] + 1):
        page = client.get(path, params={**params, "limit": 1, "offset": offset}).json()
        assert (page["total"], page["limit"], page["offset"]) == (everything["total"], 1, offset)
        collected += page["items"]
    assert collected == everything["items"]


def test_api_server_items_carry_iris(client: httpx.Client) -> None:
    (meeting,) = client.get("/events", params={"type": "meeting"}).json()["items"]
    assert meeting["iri"].endswith("/id/document/" + MEETING)
    assert {p["iri"] for p in meeting["participants"]} == {
        "http://127.0.0.1:8000/id/actor/vladimir-putin",
        "http://127.0.0.1:8000/id/actor/steve-witkoff",
    }
    (position,) = client.get("/positions", params={"direction": "n/a"}).json()["items"]
    assert position["actor"]["iri"] == "http://127.0.0.1:8000/id/actor/kremlin"
    assert position["reported_by"]["iri"] == "http://127.0.0.1:8000/id/actor/national-post"
    detail = client.get("/actors/kremlin").json()
    assert detail["iri"] == position["actor"]["iri"]


def test_api_server_every_read_endpoint_answers(client: httpx.Client) -> None:
    for path in [
        "/health",
        "/stats",
        "/actors",
        "/actors/vladimir-putin",
        "/actors/vladimir-putin/positions",
        "/actors/vladimir-putin/events",
        "/actors/vladimir-putin/quotes",
        "/positions",
        "/events",
        "/quotes",
        "/documents",
        "/documents/alpha",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/json", path
    assert client.get("/health").json() == {"status": "ok", "graphs": 5}
    assert client.get("/stats").json()["positions"] == 4
    for path in [
        "/topics",
        "/topics/ceasefire",
        "/topics/ceasefire/positions",
        "/actors/vladimir-putin/network",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"] == "application/json", path
    text = client.get("/documents/alpha/text")
    assert text.headers["content-type"] == "text/plain; charset=utf-8"
    for position in client.get("/positions").json()["items"]:
        if position["document"] == "alpha":
            evidence = position["evidence"]
            assert text.text[evidence["start"] : evidence["end"]] == evidence["text"]


RDF_ACCEPTS = {"text/turtle": ox.RdfFormat.TURTLE, "application/ld+json": ox.RdfFormat.JSON_LD}


@pytest.mark.parametrize("accept", sorted(RDF_ACCEPTS))
@pytest.mark.parametrize("path", ["/actors", "/positions", "/events", "/quotes", "/documents"])
def test_api_server_item_iris_dereference(client: httpx.Client, path: str, accept: str) -> None:
    """Every `iri` in a JSON list answers that node's description when asked for RDF."""
    for item in client.get(path).json()["items"]:
        iri = item["iri"]
        assert iri.startswith("http://127.0.0.1:8000/id/")  # KG_BASE_IRI of the sample
        response = client.get(iri.removeprefix("http://127.0.0.1:8000"), headers={"accept": accept})
        assert response.status_code == 200, iri
        assert response.headers["content-type"].startswith(accept), iri
        triples = list(ox.parse(response.content, format=RDF_ACCEPTS[accept]))
        assert ox.NamedNode(iri) in {t.subject for t in triples}, iri


def test_api_server_sparql_result_iris_dereference(client: httpx.Client) -> None:
    """An IRI a SPARQL query returns leads to the same node as the REST item."""
    query = (
        "SELECT ?p WHERE { ?p <https://w3id.org/newskg/ns#holder> "
        "<http://127.0.0.1:8000/id/actor/vladimir-putin> }"
    )
    rows = client.get("/sparql", params={"query": query}).json()["results"]["bindings"]
    (iri,) = [row["p"]["value"] for row in rows]
    assert iri.endswith("/id/document/" + PUTIN_NATO)
    turtle = client.get(
        iri.removeprefix("http://127.0.0.1:8000"), headers={"accept": "text/turtle"}
    )
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    holders = {t.object for t in triples if t.predicate.value.endswith("#holder")}
    assert holders == {ox.NamedNode("http://127.0.0.1:8000/id/actor/vladimir-putin")}


@pytest.mark.parametrize(
    "path",
    [
        "/actors/nobody",
        "/actors/nobody/positions",
        "/actors/nobody/events",
        "/actors/nobody/quotes",
        "/documents/nobody",
    ],
)
def test_api_server_unknown_path_id_is_404_problem(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert (problem["status"], problem["instance"]) == (404, path)
    assert "nobody" in problem["detail"]


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/actors", {"limit": "0"}, "limit"),
        ("/events", {"limit": "501"}, "limit"),
        ("/positions", {"limit": "-1"}, "limit"),
        ("/quotes", {"offset": "-1"}, "offset"),
        ("/documents", {"limit": "ten"}, "limit"),
        ("/actors/vladimir-putin/quotes", {"limit": "0"}, "limit"),
        ("/events", {"from": "2025-13-01"}, "from"),
        ("/positions", {"to": "yesterday"}, "to"),
        ("/quotes", {"from": "2025-03-14", "to": "2025-03-13"}, "to"),
        ("/actors/vladimir-putin/events", {"from": "2025-02-30"}, "from"),
        ("/positions", {"direction": "sideways"}, "direction"),
        ("/actors/vladimir-putin/positions", {"stance": "likes"}, "stance"),
        ("/actors/vladimir-putin/events", {"type": "party"}, "type"),
        ("/actors", {"type": "Planet"}, "type"),
        ("/positions", {"topic": "no topic"}, "topic"),
        ("/events", {"q": "x" * 201}, "q"),
        ("/actors/" + "x" * 201, {}, "actor_id"),
        ("/actors/" + "x" * 201 + "/events", {}, "actor_id"),
    ],
)
def test_api_server_bad_parameter_is_422_naming_it(
    client: httpx.Client, path: str, params: dict[str, Any], parameter: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://w3id.org/newskg/problems/invalid-parameter"
    assert problem["detail"].startswith(f"{parameter}: ")
    assert [e["parameter"] for e in problem["errors"]] == [parameter]


@pytest.mark.parametrize(
    "params",
    [
        {"q": '" } ; DROP ALL ; { "'},
        {"q": "\\u0022 }"},
        {"actor": "a> } <b"},
        {"document": 'alpha" } '},
        {"topic": "x_-"},
    ],
)
def test_api_server_filter_values_are_not_injected(
    client: httpx.Client, params: dict[str, str]
) -> None:
    response = client.get("/positions", params=params)
    if "q" in params:
        assert response.json()["items"] == []
    else:  # an id that names nothing
        assert response.status_code == 422
        assert response.json()["errors"][0]["parameter"] in params
    assert client.get("/stats").json()["documents"] == 2


@pytest.mark.parametrize(
    ("path", "params", "parameter", "suggested"),
    [
        ("/positions", {"holder": "vladimir-putin"}, "holder", []),
        ("/positions", {"type": "demands"}, "type", []),
        ("/events", {"actors": "vladimir-putin"}, "actors", ["actor"]),
        ("/quotes", {"limit": "5", "ofset": "1"}, "ofset", ["offset"]),
        ("/actors/vladimir-putin", {"verbose": "1"}, "verbose", []),
        ("/topics/ceasefire/positions", {"per-actor": "1"}, "per-actor", ["per_actor"]),
        ("/documents", {"search": "x"}, "search", []),
    ],
)
def test_api_server_unknown_parameter_is_422_naming_it(
    client: httpx.Client, path: str, params: dict[str, str], parameter: str, suggested: list[str]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://w3id.org/newskg/problems/invalid-parameter"
    assert problem["detail"].startswith(f"{parameter}: {path} has no parameter {parameter!r}")
    assert "It takes: " in problem["detail"]
    assert [e["parameter"] for e in problem["errors"]] == [parameter]
    assert problem["suggestions"][: len(suggested)] == suggested


@pytest.mark.parametrize(
    ("path", "params", "parameter", "suggested"),
    [
        ("/positions", {"actor": "putin"}, "actor", "vladimir-putin"),
        ("/positions", {"topic": "Ceasefire"}, "topic", "ceasefire"),
        ("/actors/vladimir-putin/positions", {"topic": "sanktions"}, "topic", "sanctions"),
        ("/events", {"actor": "Witkoff"}, "actor", "steve-witkoff"),
        ("/events", {"actor": "the russian leader"}, "actor", "vladimir-putin"),  # an alias
        ("/quotes", {"speaker": "trump"}, "speaker", "donald-trump"),
        ("/quotes", {"document": "alfa"}, "document", "alpha"),
    ],
)
def test_api_server_unknown_filter_id_is_422_suggesting_the_closest(
    client: httpx.Client, path: str, params: dict[str, str], parameter: str, suggested: str
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 422
    problem = response.json()
    assert problem["type"] == "https://w3id.org/newskg/problems/invalid-parameter"
    assert [e["parameter"] for e in problem["errors"]] == [parameter]
    assert problem["suggestions"][0] == suggested
    assert f"did you mean {suggested!r}" in problem["detail"]


def test_api_server_unknown_id_without_a_close_one_suggests_nothing(client: httpx.Client) -> None:
    problem = client.get("/positions", params={"actor": "zzzz-qqqq"}).json()
    assert problem["suggestions"] == []
    assert problem["detail"] == (
        "actor: no actor has the id 'zzzz-qqqq' (the ids are listed at /actors?q=)"
    )


#: Every REST request the web page sends (web/static/js/views/*.js, `getJSON(path, {...})`;
#: `apiUrl` in dom.js leaves out empty values), with the sample's ids: none may become refused
#: by the strict parameters.
WEB_PAGE_REQUESTS = [
    ("/actors", {"q": "putin", "limit": "200"}),  # search.js
    ("/actors", {"type": "Person", "limit": "200"}),
    ("/stats", {}),  # search.js
    ("/documents", {"limit": "500"}),  # actor.js, document.js
    ("/actors/vladimir-putin", {}),  # actor.js
    ("/actors/vladimir-putin/positions", {"limit": "500"}),
    ("/actors/vladimir-putin/events", {"limit": "500"}),
    ("/actors/vladimir-putin/quotes", {"limit": "500"}),
    ("/actors/vladimir-putin/network", {"limit": "100"}),
    ("/documents/alpha/text", {}),  # document.js
    ("/events", {"document": "alpha", "limit": "500"}),
    ("/positions", {"document": "alpha", "limit": "500"}),
    ("/quotes", {"document": "alpha", "limit": "500"}),
    ("/positions", {"actor": "volodymyr-zelenskyy", "topic": "ceasefire", "stance": "proposes",
                    "limit": "500"}),  # matrix.js
    ("/stance-matrix", {"min": "1"}),  # matrix.js
    ("/stance-matrix", {"type": "Person", "min": "2"}),
    ("/network", {"min_weight": "1", "limit": "150"}),  # network.js
    ("/topics/ceasefire/positions", {"per_actor": "20"}),  # topic.js
]  # fmt: skip


@pytest.mark.parametrize(("path", "params"), WEB_PAGE_REQUESTS)
def test_api_server_accepts_what_the_web_page_sends(
    client: httpx.Client, path: str, params: dict[str, str]
) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text


def test_api_server_docs_load_offline(client: httpx.Client) -> None:
    for page in ("/docs", "/redoc"):
        html = client.get(page)
        assert html.status_code == 200
        assert html.headers["content-type"].startswith("text/html")
        assert not re.search(r"https?://", html.text), "the docs page loads nothing remote"
        assets = re.findall(r'(?:src|href)="([^"]+)"', html.text)
        assert any(a.endswith(".js") for a in assets)
        for asset in assets:
            fetched = client.get(asset)
            assert fetched.status_code == 200, asset
            assert fetched.content
    assert "SwaggerUIBundle" in client.get("/docs-assets/swagger-ui-bundle.js").text
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.")


def test_api_server_unknown_route_is_problem(client: httpx.Client) -> None:
    response = client.get("/actors/vladimir-putin/friends")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
