"""Positions read as sentences (`summary`) and contradictions (`/actors/{id}/contradictions`):
hand-made records over two articles, mapped with the real ontology graph, served by the app."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal

from api.contradictions import find_contradictions, store_contradictions
from api.main import create_app
from api.queries import list_positions
from kg.config import Settings
from kg.iris import Iris
from kg.mapping import ontology_graph, to_graph
from kg.namespaces import KG, TOPIC
from kg.records import Actor, ActorType, Article, Direction, Extraction, Position, Stance
from kg.registry import put_article
from kg.store import OxigraphStore
from tests.utils.extraction import BASE_IRI, span

PUTIN = Actor("vladimir-putin", "Vladimir Putin", ActorType.PERSON, ("Putin",))
ZELENSKY = Actor("volodymyr-zelensky", "Volodymyr Zelensky", ActorType.PERSON, ("Zelensky",))
# (holder, stance, topic, direction, sentence) per article
ONE = [
    (PUTIN, Stance.DEMANDS, "regime_change_ukraine", Direction.FOR, "Putin demands a new regime."),
    (PUTIN, Stance.REJECTS, "ceasefire", Direction.AGAINST, "Putin rejected the truce."),
    (PUTIN, Stance.CLAIMS, "nato_membership_ukraine", Direction.FOR, "Putin claims Kyiv joins."),
    (PUTIN, Stance.ACCUSES, "sanctions", Direction.FOR, "Putin accused the West of sanctions."),
    (ZELENSKY, Stance.SUPPORTS, "ceasefire", Direction.FOR, "Zelensky backs a truce."),
]
TWO = [
    (PUTIN, Stance.DEMANDS, "regime_change_ukraine", Direction.AGAINST, "Putin wants Kyiv kept."),
    (PUTIN, Stance.SUPPORTS, "ceasefire", Direction.FOR, "Putin backs a ceasefire."),
    (PUTIN, Stance.DEMANDS, "nato_membership_ukraine", Direction.AGAINST, "Putin demands no."),
    (PUTIN, Stance.ACCUSES, "sanctions", Direction.AGAINST, "Putin accused the West again."),
    (ZELENSKY, Stance.THREATENS, "ceasefire", Direction.AGAINST, "Zelensky threatens war."),
]


def _extraction(doc_id: str, rows: list[tuple[Actor, Stance, str, Direction, str]]) -> Extraction:
    text = " ".join(sentence for *_, sentence in rows)
    return Extraction(
        article=Article(doc_id, text, hashlib.sha256(text.encode()).hexdigest()),
        actors=tuple({holder.key: holder for holder, *_ in rows}.values()),
        positions=tuple(
            Position(holder.key, stance, topic, direction, span(sentence, text=text), "test", 0.8)
            for holder, stance, topic, direction, sentence in rows
        ),
    )


@pytest.fixture
def store(memory_store: OxigraphStore) -> OxigraphStore:
    iris = Iris(BASE_IRI)
    memory_store.put_graph(str(iris.ontology_graph()), ontology_graph())
    for doc_id, rows in (("one", ONE), ("two", TWO)):
        put_article(memory_store, to_graph(_extraction(doc_id, rows), iris), iris)
    return memory_store


@pytest.fixture
def client(api_settings: Settings, store: OxigraphStore) -> Iterator[TestClient]:
    with TestClient(create_app(api_settings, store=store)) as client:
        yield client


def ok(client: TestClient, path: str, **params: Any) -> Any:
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_api_positions_summary_reads_as_a_sentence(client: TestClient) -> None:
    page = ok(client, "/actors/vladimir-putin/positions")
    said = {(p["document"], p["summary"]) for p in page["items"]}
    assert said == {
        ("one", "demands: regime change in Kyiv"),
        ("one", "rejects: a ceasefire"),
        ("one", "claims: Ukraine joins NATO"),
        ("one", "accuses over: sanctions"),
        ("two", "demands: Ukraine keeps its elected government"),
        ("two", "supports: a ceasefire"),
        ("two", "demands: Ukraine stays out of NATO"),
        ("two", "accuses over: sanctions"),
    }
    topic_view = ok(client, "/topics/ceasefire/positions")
    summaries = {
        p["summary"] for g in topic_view["groups"] for a in g["actors"] for p in a["positions"]
    }
    assert summaries == {
        "rejects: a ceasefire",
        "supports: a ceasefire",
        "threatens: the fighting goes on",
    }


def test_api_positions_summary_prefers_the_store_s_phrases(store: OxigraphStore) -> None:
    """The store's own topic phrases win over ontology/topics.ttl (a store may carry another
    version of the scheme); a store without them falls back on the repository's."""
    graph = ontology_graph()
    graph.set((TOPIC.ceasefire, KG.forPhrase, Literal("a truce", lang="en")))
    graph.add((TOPIC.ceasefire, KG.forPhrase, Literal("ein Waffenstillstand", lang="de")))
    iris = Iris(BASE_IRI)
    store.put_graph(str(iris.ontology_graph()), graph)
    items = list_positions(store, actor="volodymyr-zelensky", limit=10, offset=0).items
    assert {p.summary for p in items} == {"supports: a truce", "threatens: the fighting goes on"}
    bare = ontology_graph()
    bare.remove((None, KG.forPhrase, None))
    store.put_graph(str(iris.ontology_graph()), bare)
    items = list_positions(store, actor="volodymyr-zelensky", limit=10, offset=0).items
    assert {p.summary for p in items} == {
        "supports: a ceasefire",
        "threatens: the fighting goes on",
    }


def test_api_actor_contradictions_lists_both_sides_per_family(client: TestClient) -> None:
    body = ok(client, "/actors/vladimir-putin/contradictions")
    assert body["actor"]["id"] == "vladimir-putin"
    assert body["total"] == len(body["items"]) == 2
    found = [
        (
            c["topic"]["id"],
            c["family"],
            [(p["document"], p["stance"]) for p in c["positions_for"]],
            [(p["document"], p["stance"]) for p in c["positions_against"]],
        )
        for c in body["items"]
    ]
    # by topic label: "Ceasefire" before "Regime change in Ukraine"; claims-for and
    # demands-against NATO are different families, and accusations never contradict
    assert found == [
        ("ceasefire", "wants", [("two", "supports")], [("one", "rejects")]),
        ("regime_change_ukraine", "wants", [("one", "demands")], [("two", "demands")]),
    ]
    regime = body["items"][1]
    assert [p["summary"] for p in regime["positions_for"] + regime["positions_against"]] == [
        "demands: regime change in Kyiv",
        "demands: Ukraine keeps its elected government",
    ]
    evidence = regime["positions_for"][0]["evidence"]
    assert evidence["text"] == "Putin demands a new regime."
    assert ok(client, "/actors/volodymyr-zelensky/contradictions")["items"] == []


def test_api_actor_contradictions_errors(client: TestClient) -> None:
    response = client.get("/actors/nobody/contradictions")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    response = client.get("/actors/vladimir-putin/contradictions", params={"topic": "ceasefire"})
    assert response.status_code == 422
    assert "topic" in response.json()["detail"]


def test_api_store_contradictions_match_the_actor_answers(
    client: TestClient, store: OxigraphStore
) -> None:
    everything = store_contradictions(store)
    assert [(c.actor.id, c.topic.id) for c in everything] == [
        ("vladimir-putin", "ceasefire"),
        ("vladimir-putin", "regime_change_ukraine"),
    ]
    putin = ok(client, "/actors/vladimir-putin/contradictions")["items"]
    assert [c.model_dump(mode="json") for c in everything] == putin


def test_api_find_contradictions_needs_both_directions_in_one_family(
    store: OxigraphStore,
) -> None:
    items = list_positions(store, limit=100, offset=0).items
    one_side = [p for p in items if not (p.stance == "demands" and p.direction == "against")]
    assert [c.topic.id for c in find_contradictions(one_side)] == ["ceasefire"]
    assert find_contradictions(p for p in items if p.direction == "for") == []
