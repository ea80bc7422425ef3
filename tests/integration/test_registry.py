"""kg.registry on the embedded store: every write of an article keeps the actor registry exactly
what the stored articles' namings give (no orphan, no missing actor, one description each),
whatever the order of the writes; a store built before the registry is migrated, and a registry
a raw update broke is repaired, at start."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from rdflib import Graph, Literal, URIRef

from kg.build import Builder, read_graph
from kg.config import Settings
from kg.iris import Iris
from kg.mapping import to_graph
from kg.namespaces import KG, OWL, RDF, SKOS
from kg.records import Extraction
from kg.registry import (
    describe_actors,
    ensure_registry,
    put_article,
    registry_problems,
)
from kg.store import GraphStore, OxigraphStore
from tests.utils.extraction import BASE_IRI, demo_article, demo_extraction
from tests.utils.talks import talks_one, talks_two

IRIS = Iris(BASE_IRI)
REGISTRY = str(IRIS.registry_graph())


def _lines(graph: Graph) -> set[str]:
    return {line for line in graph.serialize(format="nt").splitlines() if line.strip()}


def article_graphs(store: GraphStore) -> list[Graph]:
    rows = store.query(f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?d a <{KG.Document}> }} }}")
    return [read_graph(store, row["g"].value) for row in rows]  # type: ignore[union-attr]


def assert_exact(store: GraphStore) -> Graph:
    """The registry is what the stored namings give, and nothing else describes an actor."""
    expected = describe_actors(article_graphs(store))
    stored = read_graph(store, REGISTRY) if store.has_graph(REGISTRY) else Graph()
    assert _lines(stored) == _lines(expected)
    assert registry_problems(store, IRIS) == []
    for graph in article_graphs(store):  # article graphs describe no actor
        for predicate in (KG.actorKey, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs):
            assert not list(graph.triples((None, predicate, None))), predicate
    return stored


def renamed_putin(doc_id: str) -> Extraction:
    """The demo article under another id, without its author, calling Putin by another name."""
    demo = demo_extraction()
    actors = tuple(
        dataclasses.replace(a, name="V. Putin", aliases=("Vlad",))
        if a.key == "vladimir-putin"
        else a
        for a in demo.actors
        if a.key != "moscow"
    )
    return dataclasses.replace(
        demo,
        article=demo_article(doc_id=doc_id, author=None),
        actors=actors,
        events=(),
        mentions=tuple(m for m in demo.mentions if m.actor != "moscow"),
    )


def put(store: GraphStore, extraction: Extraction) -> None:
    put_article(store, to_graph(extraction, IRIS), IRIS)


def remove(store: GraphStore, doc_id: str) -> None:
    assert Builder(Settings(base_iri=BASE_IRI), store).remove(doc_id)


def test_registry_add_replace_remove_keeps_it_exact(memory_store: OxigraphStore) -> None:
    put(memory_store, demo_extraction())
    registry = assert_exact(memory_store)
    putin = URIRef(IRIS.actor("vladimir-putin"))
    assert registry.value(putin, SKOS.prefLabel) == Literal("Vladimir Putin")
    assert (URIRef(IRIS.actor("moscow")), RDF.type, KG.Place) in registry

    put(memory_store, talks_one("talks-one"))
    put(memory_store, talks_two("talks-two"))
    assert_exact(memory_store)

    # replace demo by an article that names its author no more and Putin otherwise
    assert (URIRef(IRIS.actor("tara-stone")), None, None) in registry
    put(memory_store, renamed_putin("demo"))
    registry = assert_exact(memory_store)
    assert (URIRef(IRIS.actor("tara-stone")), None, None) not in registry  # no article names her
    names = set(registry.objects(putin, SKOS.prefLabel))
    assert len(names) == 1  # one article's name, the other's among the aliases
    assert {Literal("V. Putin"), Literal("Vlad")} <= set(
        registry.objects(putin, SKOS.altLabel)
    ) | names

    remove(memory_store, "talks-one")
    assert_exact(memory_store)
    remove(memory_store, "demo")
    remove(memory_store, "talks-two")
    assert not memory_store.query(f"ASK {{ GRAPH <{REGISTRY}> {{ ?s ?p ?o }} }}")


def test_registry_does_not_depend_on_the_order_of_writes() -> None:
    """Putin's name is that of the article whose graph IRI sorts first, whoever wrote last."""
    registries = []
    for order in (["a-first", "b-second"], ["b-second", "a-first"]):
        store = OxigraphStore()
        for doc_id in order:
            extraction = renamed_putin(doc_id) if doc_id == "b-second" else demo_extraction()
            if doc_id == "a-first":
                extraction = dataclasses.replace(extraction, article=demo_article(doc_id=doc_id))
            put(store, extraction)
        registries.append(_lines(assert_exact(store)))
        store.close()
    assert registries[0] == registries[1]
    assert any('"Vladimir Putin"' in line and "prefLabel" in line for line in registries[0])


def test_registry_plain_count_joined_with_a_name_counts_each_statement_once(
    memory_store: OxigraphStore,
) -> None:
    """Over the union default graph, the bag join with the holder's name no longer multiplies."""
    for n in range(3):
        put(memory_store, talks_one(f"talks-one-{n}"))
    rows = memory_store.query(
        "PREFIX kg: <https://w3id.org/newskg/ns#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>"
        " SELECT ?name (COUNT(?p) AS ?n) WHERE { ?p a kg:Position ; kg:holder ?h ."
        " ?h skos:prefLabel ?name } GROUP BY ?name"
    )
    counted = {row["name"].value: int(row["n"].value) for row in rows}  # type: ignore[union-attr]
    per_article = {
        p.holder: sum(1 for q in talks_one("x").positions if q.holder == p.holder)
        for p in talks_one("x").positions
    }
    names = {a.key: a.name for a in talks_one("x").actors}
    assert counted == {names[key]: 3 * n for key, n in per_article.items()}


Breakage = Callable[[OxigraphStore], None]


def _orphan(store: GraphStore) -> None:
    orphan = f"<{IRIS.actor('nobody')}> <{KG.actorKey}> 'nobody'"
    store.update(f"INSERT DATA {{ GRAPH <{REGISTRY}> {{ {orphan} }} }}")


def _bypass(store: GraphStore) -> None:
    """An article written by a raw graph replace, which leaves the registry alone."""
    extraction = dataclasses.replace(demo_extraction(), article=demo_article(doc_id="raw"))
    store.put_graph(str(IRIS.graph("raw")), to_graph(extraction, IRIS))


@pytest.mark.parametrize("breakage", [_orphan, _bypass], ids=["orphan", "missing"])
def test_registry_broken_by_a_raw_update_is_repaired_at_start(
    memory_store: OxigraphStore, breakage: Breakage
) -> None:
    put(memory_store, talks_one("talks-one"))
    breakage(memory_store)
    assert registry_problems(memory_store, IRIS)
    ensure_registry(memory_store, IRIS)
    assert_exact(memory_store)


def _old_format(graph: Graph) -> Graph:
    """An article graph as newskg wrote it before the registry: actors described in it."""
    old = Graph(identifier=graph.identifier)
    old += graph
    for naming, actor in graph.subject_objects(KG.namingOf):
        old.add((actor, KG.actorKey, Literal(str(actor).rsplit("/", 1)[-1])))
        for actor_class in graph.objects(naming, KG.actorClass):
            old.add((actor, RDF.type, actor_class))
        for name in graph.objects(naming, KG.name):
            old.add((actor, SKOS.prefLabel, name))
        for alias in graph.objects(naming, KG.alias):
            old.add((actor, SKOS.altLabel, alias))
        for entity in graph.objects(naming, KG.identifiedAs):
            old.add((actor, OWL.sameAs, entity))
        old.remove((naming, None, None))
    return old


def test_registry_migrates_a_store_built_before_it(memory_store: OxigraphStore) -> None:
    new = [to_graph(e, IRIS) for e in (demo_extraction(), talks_one("talks-one"))]
    for graph in new:
        memory_store.put_graph(str(graph.identifier), _old_format(graph))
    gazetteer = f"<https://w3id.org/newskg/actor/x> <{KG.actorKey}> 'x'"  # the old gazetteer place
    memory_store.update(f"INSERT DATA {{ GRAPH <{REGISTRY}> {{ {gazetteer} }} }}")

    ensure_registry(memory_store, IRIS)

    assert_exact(memory_store)
    for graph in new:  # each article graph is what the mapping writes now
        assert _lines(read_graph(memory_store, str(graph.identifier))) == _lines(graph)
    assert memory_store.has_graph(str(IRIS.gazetteer_graph()))
    ensure_registry(memory_store, IRIS)  # idempotent
    assert_exact(memory_store)


def _variant(doc_id: str, name: str, alias: str) -> Extraction:
    """The demo article under `doc_id`, calling Putin `name` with the alias `alias`."""
    demo = renamed_putin(doc_id)
    actors = tuple(
        dataclasses.replace(a, name=name, aliases=(alias,)) if a.key == "vladimir-putin" else a
        for a in demo.actors
    )
    return dataclasses.replace(demo, actors=actors)


@pytest.mark.parametrize(
    "order",
    [
        ["m", "c", "x", "a", "k"],  # a new article sorting first, last, in between
        ["a", "c", "k", "m", "x"],  # each new article sorts last: the aliases-only path
        ["x", "m", "k", "c", "a"],  # each new article sorts first: derived whole each time
    ],
)
def test_registry_stays_exact_whichever_article_sorts_first(order: list[str]) -> None:
    """An added article that an earlier-sorting article already names an actor in only adds
    aliases (kg.registry._add_aliases); one that sorts first, or replaces another, derives the
    actor again: after every write the registry equals what the namings give."""
    store = OxigraphStore()
    for step, doc_id in enumerate(order):
        put(store, _variant(doc_id, f"Putin {doc_id}", f"VVP {doc_id}"))
        assert_exact(store)
        if step == 2:  # replace an article already stored: its old name must go
            put(store, _variant(order[0], "Putin renamed", f"VVP {order[0]} again"))
            assert_exact(store)
    registry = read_graph(store, REGISTRY)
    putin = URIRef(IRIS.actor("vladimir-putin"))
    assert set(registry.objects(putin, SKOS.prefLabel)) == {
        Literal("Putin renamed" if order[0] == "a" else "Putin a")
    }
    aliases = {str(a) for a in registry.objects(putin, SKOS.altLabel)}
    assert f"VVP {order[0]}" not in aliases  # the replaced naming's alias is gone
    assert f"VVP {order[0]} again" in aliases
    store.close()
