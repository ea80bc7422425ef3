"""GET /topics, /topics/{id}, /topics/{id}/positions, /actors/{id}/network, /network,
/stance-matrix: counts, grouping, order, symmetry, filters, errors, and a constant number of
store queries per request.

Two data sets: tests/fixtures/sample.trig (the `api_client` fixture) and tests/utils/talks.py,
two articles built from hand-made records through `kg.mapping.to_graph`, with the real ontology
graph (so /topics lists every concept of ontology/topics.ttl).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import BaseModel
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from api import aggregates
from api.main import create_app
from api.schemas import (
    ActorNetwork,
    Network,
    Page,
    StanceMatrix,
    TopicDetail,
    TopicPositions,
    TopicSummary,
)
from kg.config import Settings
from kg.iris import Iris
from kg.mapping import ontology_graph, to_graph
from kg.records import Actor, ActorType, Article, Direction, Extraction, Position, Stance
from kg.registry import put_article
from kg.store import OxigraphStore, QueryResult
from tests.utils.extraction import BASE_IRI, span
from tests.utils.talks import load_talks


@pytest.fixture
def talks(api_settings: Settings, memory_store: OxigraphStore) -> Iterator[TestClient]:
    """A TestClient on the talks data set."""
    load_talks(memory_store)
    with TestClient(create_app(api_settings, store=memory_store)) as client:
        yield client


def ok(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def problem(client: TestClient, path: str, status: int, **params: Any) -> dict[str, Any]:
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


# --- /topics ------------------------------------------------------------------------------------


def test_api_topics_lists_the_sample_scheme_with_counts(api_client: TestClient) -> None:
    page = ok(api_client, "/topics")
    assert page["total"] == 4
    assert [t["label"] for t in page["items"]] == sorted(t["label"] for t in page["items"])
    nato = next(t for t in page["items"] if t["id"] == "nato_membership_ukraine")
    assert nato == {
        "id": "nato_membership_ukraine",
        "label": "NATO membership of Ukraine",
        "iri": "https://w3id.org/newskg/topic/nato_membership_ukraine",
        "broader": None,
        "definition": None,
        "positions": 1,
        "actors": 1,
    }


def test_api_topics_are_every_concept_of_the_ontology(talks: TestClient) -> None:
    scheme = Graph().parse(data=ontology_graph().serialize(format="nt"), format="nt")
    concepts = {str(c) for c in scheme.subjects(RDF.type, SKOS.Concept) if "/topic/" in str(c)}
    page = ok(talks, "/topics", limit=500)
    assert page["total"] == len(concepts) > 20
    assert {t["iri"] for t in page["items"]} == concepts
    ceasefire = next(t for t in page["items"] if t["id"] == "ceasefire")
    assert ceasefire["positions"] == 5
    assert ceasefire["actors"] == 4  # Putin twice, Kremlin, Witkoff, Zelenskyy
    assert ceasefire["definition"]  # rdfs:comment when there is no skos:definition
    used = ok(talks, "/topics", used="true")
    assert {t["id"]: (t["positions"], t["actors"]) for t in used["items"]} == {
        "ceasefire": (5, 4),
        "territorial_concessions": (2, 2),
    }
    unused = ok(talks, "/topics", used="false", limit=500)
    assert unused["total"] == len(concepts) - 2
    assert all(t["positions"] == 0 and t["actors"] == 0 for t in unused["items"])


@pytest.mark.parametrize(
    ("q", "expected"),
    [("TRUCE", "ceasefire"), ("cé", "ceasefire"), ("nato membership", "nato_membership_ukraine")],
)
def test_api_topics_search_labels_ignoring_case_and_accents(
    talks: TestClient, q: str, expected: str
) -> None:
    found = [t["id"] for t in ok(talks, "/topics", q=q, limit=500)["items"]]
    assert expected in found
    assert len(found) < ok(talks, "/topics", limit=1)["total"]


def test_api_topics_page(talks: TestClient) -> None:
    everything = ok(talks, "/topics", limit=500)["items"]
    pages = [ok(talks, "/topics", limit=5, offset=o)["items"] for o in range(0, len(everything), 5)]
    assert [t for p in pages for t in p] == everything


def test_api_topic_detail(talks: TestClient) -> None:
    topic = ok(talks, "/topics/ceasefire")
    assert topic["id"] == "ceasefire"
    assert topic["positions"] == 5
    assert {"truce", "armistice"} <= set(topic["alt_labels"])
    assert topic["narrower"] == []
    summary = next(t for t in ok(talks, "/topics", limit=500)["items"] if t["id"] == "ceasefire")
    assert {k: topic[k] for k in summary} == summary


def test_api_topic_broader_and_narrower(memory_store: OxigraphStore) -> None:
    scheme = Graph()
    base = "https://w3id.org/newskg/topic/"
    for name, broader in (("war_diplomacy", None), ("ceasefire", "war_diplomacy")):
        node = URIRef(base + name)
        scheme.add((node, RDF.type, SKOS.Concept))
        scheme.add((node, SKOS.inScheme, URIRef(base + "scheme")))
        scheme.add((node, SKOS.notation, Literal(name)))
        scheme.add((node, SKOS.prefLabel, Literal(name.title(), lang="en")))
        scheme.add((node, SKOS.definition, Literal(f"About {name}.")))
        if broader:
            scheme.add((node, SKOS.broader, URIRef(base + broader)))
    memory_store.put_graph(BASE_IRI + "graph/ontology", scheme)
    top = aggregates.get_topic(memory_store, "war_diplomacy")
    child = aggregates.get_topic(memory_store, "ceasefire")
    assert (top.broader, top.narrower) == (None, ["ceasefire"])
    assert (child.broader, child.narrower) == ("war_diplomacy", [])
    assert child.definition == "About ceasefire."


def test_api_topic_unknown_is_404(talks: TestClient) -> None:
    for path in ("/topics/nope", "/topics/nope/positions"):
        assert "nope" in problem(talks, path, 404)["detail"]


@pytest.mark.parametrize("bad", ["a b", "x'}", "ceasefire%22"])
def test_api_topic_bad_id_is_422(talks: TestClient, bad: str) -> None:
    problem(talks, f"/topics/{bad}", 422)
    problem(talks, f"/topics/{bad}/positions", 422)


# --- /topics/{id}/positions ---------------------------------------------------------------------


def test_api_topic_positions_group_by_stance_then_holder(talks: TestClient) -> None:
    view = ok(talks, "/topics/ceasefire/positions")
    assert view["topic"]["id"] == "ceasefire"
    assert view["total"] == 5
    shape = [
        (
            g["stance"],
            g["direction"],
            g["count"],
            [(a["actor"]["id"], a["count"]) for a in g["actors"]],
        )
        for g in view["groups"]
    ]
    assert shape == [
        ("rejects", "against", 3, [("vladimir-putin", 2), ("kremlin", 1)]),
        ("supports", "for", 2, [("steve-witkoff", 1), ("volodymyr-zelenskyy", 1)]),
    ]
    putin = view["groups"][0]["actors"][0]
    assert putin["actor"]["type"] == "Person"
    assert putin["actor"]["iri"] == BASE_IRI + "id/actor/vladimir-putin"
    assert [p["document"] for p in putin["positions"]] == ["talks-one", "talks-two"]


def test_api_topic_positions_are_the_positions_items(talks: TestClient) -> None:
    view = ok(talks, "/topics/ceasefire/positions")
    grouped = {p["id"]: p for g in view["groups"] for a in g["actors"] for p in a["positions"]}
    listed = {p["id"]: p for p in ok(talks, "/positions", topic="ceasefire")["items"]}
    assert grouped == listed
    for group in view["groups"]:
        for holder in group["actors"]:
            for position in holder["positions"]:
                assert position["actor"]["id"] == holder["actor"]["id"]
                assert (position["stance"], position["direction"]) == (
                    group["stance"],
                    group["direction"],
                )


@pytest.mark.parametrize(
    ("params", "ids"),
    [
        ({"stance": "supports"}, {"steve-witkoff", "volodymyr-zelenskyy"}),
        ({"direction": "against"}, {"vladimir-putin", "kremlin"}),
        ({"type": "Organization"}, {"kremlin"}),
        ({"from": "2025-03-15"}, {"vladimir-putin", "volodymyr-zelenskyy"}),
        ({"to": "2025-03-10"}, {"vladimir-putin", "kremlin", "steve-witkoff"}),
        ({"stance": "threatens"}, set()),
    ],
)
def test_api_topic_positions_filters(
    talks: TestClient, params: dict[str, str], ids: set[str]
) -> None:
    view = ok(talks, "/topics/ceasefire/positions", **params)
    holders = {a["actor"]["id"] for g in view["groups"] for a in g["actors"]}
    assert holders == ids
    assert view["total"] == sum(g["count"] for g in view["groups"])
    assert view["topic"]["positions"] == 5  # the topic's own counts ignore filters


def test_api_topic_positions_per_actor_caps_the_list_not_the_count(talks: TestClient) -> None:
    view = ok(talks, "/topics/ceasefire/positions", per_actor=1)
    putin = view["groups"][0]["actors"][0]
    assert (putin["count"], len(putin["positions"])) == (2, 1)
    assert putin["positions"][0]["document"] == "talks-one"


@pytest.mark.parametrize(
    "params",
    [
        {"stance": "likes"},
        {"direction": "sideways"},
        {"type": "Planet"},
        {"from": "March"},
        {"from": "2025-03-20", "to": "2025-03-01"},
        {"per_actor": 0},
        {"per_actor": 501},
    ],
)
def test_api_topic_positions_bad_parameter_is_422(
    talks: TestClient, params: dict[str, Any]
) -> None:
    body = problem(talks, "/topics/ceasefire/positions", 422, **params)
    named = "to" if len(params) == 2 else next(iter(params))
    assert [e["parameter"] for e in body["errors"]] == [named]


def test_api_topic_positions_on_the_sample(api_client: TestClient) -> None:
    view = ok(api_client, "/topics/sanctions/positions")
    (group,) = view["groups"]
    assert (group["stance"], group["direction"], group["count"]) == ("threatens", "n/a", 1)
    (kremlin,) = group["actors"]
    (position,) = kremlin["positions"]
    assert position["reported_by"]["id"] == "national-post"
    assert position["evidence"]["text"] == "The Kremlin threatened new sanctions, officials said."


# --- networks -----------------------------------------------------------------------------------


def links(client: TestClient, actor: str) -> dict[str, tuple[int, int, int, list[str]]]:
    network = ok(client, f"/actors/{actor}/network", limit=500)
    assert network["total"] == len(network["links"])
    return {
        link["actor"]["id"]: (link["events"], link["positions"], link["weight"], link["documents"])
        for link in network["links"]
    }


def test_api_actor_network_counts_events_and_positions(talks: TestClient) -> None:
    network = ok(talks, "/actors/vladimir-putin/network")
    assert network["actor"]["id"] == "vladimir-putin"
    assert network["actor"]["type"] == "Person"
    assert [link["actor"]["id"] for link in network["links"]] == [
        "steve-witkoff",  # a meeting and a call
        "ukraine",  # the target of his demand
        "yuri-ushakov",  # the meeting
    ]
    assert links(talks, "vladimir-putin") == {
        "steve-witkoff": (2, 0, 2, ["talks-one"]),
        "ukraine": (0, 1, 1, ["talks-one"]),
        "yuri-ushakov": (1, 0, 1, ["talks-one"]),
    }
    assert links(talks, "steve-witkoff")["yuri-ushakov"] == (2, 0, 2, ["talks-one", "talks-two"])
    assert links(talks, "kremlin") == {"isw": (0, 1, 1, ["talks-one"])}  # holder <-> source


def test_api_actor_network_excludes_the_place(talks: TestClient) -> None:
    assert links(talks, "moscow") == {}
    for actor in ("vladimir-putin", "steve-witkoff", "yuri-ushakov"):
        assert "moscow" not in links(talks, actor)


def test_api_actor_network_is_symmetric(talks: TestClient) -> None:
    actors = [a["id"] for a in ok(talks, "/actors", limit=500)["items"]]
    assert len(actors) > 5
    seen = {a: links(talks, a) for a in actors}
    for a, found in seen.items():
        for b, counts in found.items():
            assert seen[b][a] == counts


def test_api_actor_network_pages(talks: TestClient) -> None:
    first = ok(talks, "/actors/vladimir-putin/network", limit=2)
    rest = ok(talks, "/actors/vladimir-putin/network", limit=2, offset=2)
    assert (first["total"], rest["total"]) == (3, 3)
    assert [link["actor"]["id"] for link in first["links"] + rest["links"]] == [
        "steve-witkoff",
        "ukraine",
        "yuri-ushakov",
    ]


def test_api_actor_network_errors(talks: TestClient) -> None:
    assert "nobody" in problem(talks, "/actors/nobody/network", 404)["detail"]
    problem(talks, "/actors/a b/network", 422)
    problem(talks, "/actors/vladimir-putin/network", 422, limit=501)


def test_api_network_is_the_union_of_actor_networks(talks: TestClient) -> None:
    network = ok(talks, "/network", limit=500)
    edges = {(e["source"], e["target"]): e for e in network["edges"]}
    assert all(a < b for a, b in edges)
    expected = {}
    for node in network["nodes"]:
        for other, (events, positions, weight, _) in links(talks, node["id"]).items():
            pair = (min(node["id"], other), max(node["id"], other))
            expected[pair] = {
                "source": pair[0],
                "target": pair[1],
                "events": events,
                "positions": positions,
                "weight": weight,
            }
    assert edges == expected
    assert len(edges) == 6
    for node in network["nodes"]:
        mine = [e for e in network["edges"] if node["id"] in (e["source"], e["target"])]
        assert node["degree"] == len(mine)
        assert node["weight"] == sum(e["weight"] for e in mine)
    weights = [n["weight"] for n in network["nodes"]]
    assert weights == sorted(weights, reverse=True)


@pytest.mark.parametrize(
    ("params", "nodes", "edges"),
    [
        (
            {"min_weight": 2},
            {"steve-witkoff", "vladimir-putin", "yuri-ushakov"},
            {("steve-witkoff", "vladimir-putin"), ("steve-witkoff", "yuri-ushakov")},
        ),
        (
            {"type": "Person"},
            {"steve-witkoff", "vladimir-putin", "yuri-ushakov"},
            {
                ("steve-witkoff", "vladimir-putin"),
                ("steve-witkoff", "yuri-ushakov"),
                ("vladimir-putin", "yuri-ushakov"),
            },
        ),
        ({"type": "Country"}, set(), set()),
        ({"limit": 1}, {"steve-witkoff"}, set()),
        (
            {"document": "talks-two"},
            {"steve-witkoff", "yuri-ushakov", "volodymyr-zelenskyy", "russia"},
            {("steve-witkoff", "yuri-ushakov"), ("russia", "volodymyr-zelenskyy")},
        ),
        ({"document": "nope"}, set(), set()),
    ],
)
def test_api_network_filters(
    talks: TestClient,
    params: dict[str, Any],
    nodes: set[str],
    edges: set[tuple[str, str]],
) -> None:
    network = ok(talks, "/network", **params)
    assert {n["id"] for n in network["nodes"]} == nodes
    assert {(e["source"], e["target"]) for e in network["edges"]} == edges


@pytest.mark.parametrize(
    "params",
    [{"min_weight": 0}, {"limit": 501}, {"limit": 0}, {"type": "Planet"}, {"document": "a b"}],
)
def test_api_network_bad_parameter_is_422(talks: TestClient, params: dict[str, Any]) -> None:
    problem(talks, "/network", 422, **params)


# --- /stance-matrix -----------------------------------------------------------------------------


def test_api_stance_matrix_rows_columns_cells(talks: TestClient) -> None:
    matrix = ok(talks, "/stance-matrix")
    assert [(a["id"], a["positions"]) for a in matrix["actors"]] == [
        ("vladimir-putin", 3),
        ("volodymyr-zelenskyy", 2),
        ("kremlin", 1),
        ("steve-witkoff", 1),
    ]
    assert [(t["id"], t["positions"]) for t in matrix["topics"]] == [
        ("ceasefire", 5),
        ("territorial_concessions", 2),
    ]
    putin = [
        (c["topic"], c["stance"], c["direction"], c["count"])
        for c in matrix["cells"]
        if c["actor"] == "vladimir-putin"
    ]
    assert putin == [
        ("ceasefire", "rejects", "against", 2),
        ("territorial_concessions", "demands", "for", 1),
    ]
    for actor in matrix["actors"]:
        cells = [c for c in matrix["cells"] if c["actor"] == actor["id"]]
        assert sum(c["count"] for c in cells) == actor["positions"]


def test_api_stance_matrix_cells_lead_to_positions(talks: TestClient) -> None:
    positions = {p["id"]: p for p in ok(talks, "/positions", limit=500)["items"]}
    matrix = ok(talks, "/stance-matrix")
    for cell in matrix["cells"]:
        assert len(cell["positions"]) == cell["count"]
        for position_id in cell["positions"]:
            p = positions[position_id]
            assert (p["actor"]["id"], p["topic"]["id"], p["stance"], p["direction"]) == (
                cell["actor"],
                cell["topic"],
                cell["stance"],
                cell["direction"],
            )


@pytest.mark.parametrize(
    ("params", "rows"),
    [
        ({"min": 2}, ["vladimir-putin", "volodymyr-zelenskyy"]),
        ({"actors": 1}, ["vladimir-putin"]),
        ({"type": "Organization"}, ["kremlin"]),
        ({"document": "talks-two"}, ["volodymyr-zelenskyy", "vladimir-putin"]),
        ({"document": "nope"}, []),
    ],
)
def test_api_stance_matrix_filters(
    talks: TestClient, params: dict[str, Any], rows: list[str]
) -> None:
    matrix = ok(talks, "/stance-matrix", **params)
    assert [a["id"] for a in matrix["actors"]] == rows
    assert {c["actor"] for c in matrix["cells"]} == set(rows)


@pytest.mark.parametrize("params", [{"min": 0}, {"actors": 501}, {"type": "Planet"}])
def test_api_stance_matrix_bad_parameter_is_422(talks: TestClient, params: dict[str, Any]) -> None:
    problem(talks, "/stance-matrix", 422, **params)


# --- batched: the number of store queries does not grow with the data --------------------------


class CountingStore(OxigraphStore):
    """An in-memory store that counts the SPARQL queries it answers."""

    queries = 0

    def query(self, sparql: str, **options: Any) -> QueryResult:
        self.queries += 1
        return super().query(sparql, **options)


CALLS: dict[str, Callable[[OxigraphStore], object]] = {
    "topics": lambda s: aggregates.list_topics(s, q="e", used=None, limit=500, offset=0),
    "topic": lambda s: aggregates.get_topic(s, "ceasefire"),
    "topic_positions": lambda s: aggregates.topic_positions(
        s, "ceasefire", date_from=dt.date(2025, 1, 1)
    ),
    "actor_network": lambda s: aggregates.actor_network(s, "vladimir-putin", limit=500, offset=0),
    "network": lambda s: aggregates.network(s, limit=500),
    "network_document": lambda s: aggregates.network(s, document="talks-one-2"),
    "stance_matrix": lambda s: aggregates.stance_matrix(s, max_actors=500),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_api_aggregates_query_count_does_not_grow_with_the_data(name: str) -> None:
    counts = []
    sizes = []
    for copies in (3, 9):
        store = CountingStore()
        try:
            load_talks(store, copies)
            store.queries = 0
            result = CALLS[name](store)
            counts.append(store.queries)
            sizes.append(len(repr(result)))
        finally:
            store.close()
    assert counts[0] == counts[1] <= 10  # dates and topic phrasings each cost one query more
    if name in ("topic_positions", "actor_network", "stance_matrix"):
        assert sizes[1] > sizes[0]  # the answer did grow with the data


MODELS: dict[str, type[BaseModel]] = {
    "/topics": Page[TopicSummary],
    "/topics/{topic_id}": TopicDetail,
    "/topics/{topic_id}/positions": TopicPositions,
    "/actors/{actor_id}/network": ActorNetwork,
    "/network": Network,
    "/stance-matrix": StanceMatrix,
}


@pytest.mark.parametrize("path", sorted(MODELS))
def test_api_aggregates_are_documented_with_valid_examples(talks: TestClient, path: str) -> None:
    operation = ok(talks, "/openapi.json")["paths"][path]["get"]
    assert operation["summary"]
    assert operation["description"]
    assert {"404", "422"} <= set(operation["responses"])
    for parameter in operation.get("parameters", []):
        assert parameter.get("description"), parameter["name"]
    example = operation["responses"]["200"]["content"]["application/json"]["example"]
    model = MODELS[path]
    assert model.model_validate(example).model_dump(mode="json", exclude_none=True) == example


def test_api_topic_positions_per_actor_keeps_the_first_in_evidence_order(
    memory_store: OxigraphStore,
) -> None:
    text = "Putin rejected a truce. Putin rejected a ceasefire. Putin rejected an armistice."
    sentences = text.split(". ")
    extraction = Extraction(
        article=Article("thrice", text, hashlib.sha256(text.encode()).hexdigest()),
        actors=(Actor("vladimir-putin", "Vladimir Putin", ActorType.PERSON, ("Putin",)),),
        positions=tuple(
            Position(
                "vladimir-putin",
                Stance.REJECTS,
                "ceasefire",
                Direction.AGAINST,
                span(sentence.rstrip("."), text=text),
                "test",
                0.8,
            )
            for sentence in sentences
        ),
    )
    iris = Iris(BASE_IRI)
    memory_store.put_graph(str(iris.ontology_graph()), ontology_graph())
    put_article(memory_store, to_graph(extraction, iris), iris)
    for per_actor in (1, 2, 3):
        view = aggregates.topic_positions(memory_store, "ceasefire", per_actor=per_actor)
        ((holder,),) = [group.actors for group in view.groups]
        starts = [p.evidence.start for p in holder.positions]
        assert holder.count == 3
        assert starts == sorted(text.index(s.rstrip(".")) for s in sentences)[:per_actor]
