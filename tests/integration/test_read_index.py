"""The read index (`kg.read.index`) answers every REST list exactly as SPARQL over the graph does:
for every actor, topic, stance, direction, event type and document of the bundled articles, with
`q`, date bounds, date order and paging; `kg build` keeps it in step with the store; a write the
index missed (a crash between the two commits) and a hand-written update are caught up."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from kg.errors import InvalidParameterError, StoreError
from kg.read import aggregates, queries
from kg.read.index import ReadIndex, attach, detach, index_of, open_index
from kg.read.queries import ALL_DATES, DateRange
from kg.store import OxigraphStore

STANCES = (
    "demands",
    "proposes",
    "supports",
    "opposes",
    "rejects",
    "threatens",
    "claims",
    "accuses",
)
DIRECTIONS = ("for", "against", "n/a")
RANGES = (
    DateRange(),
    DateRange(start=date(2025, 8, 1)),
    DateRange(end=date(2025, 8, 14)),
    DateRange(start=date(2014, 1, 1), end=date(2014, 12, 31)),
)


def same(indexed: Callable[..., Any], sparql: Callable[..., Any], **filters: Any) -> int:
    """Assert that the indexed list and the SPARQL list agree, whole and in pages; the total."""
    whole = sparql(limit=500, offset=0, **filters)
    assert indexed(limit=500, offset=0, **filters).model_dump() == whole.model_dump(), filters
    for offset in (1, 3):
        page = indexed(limit=2, offset=offset, **filters).model_dump()
        assert page == sparql(limit=2, offset=offset, **filters).model_dump(), (filters, offset)
    return int(whole.total)


@pytest.mark.slow
def test_read_index_build_keeps_it_in_step(bundled_store: OxigraphStore) -> None:
    assert bundled_store.path is not None
    index = ReadIndex(bundled_store.path.with_name(bundled_store.path.name + ".index.sqlite"))
    try:
        report = index.sync(bundled_store)
        assert report.indexed == ()
        assert report.removed == ()
        assert len(index.documents()) == 5
        assert index.check(bundled_store) == []
    finally:
        index.close()


@pytest.mark.slow
def test_read_index_answers_equal_sparql_for_every_filter(bundled_store: OxigraphStore) -> None:
    open_index(bundled_store)
    assert index_of(bundled_store) is not None
    store = bundled_store
    actors = [a.id for a in queries.list_actors(store, limit=500, offset=0).items]
    topics = [
        t.id for t in aggregates.list_topics(store, q=None, used=True, limit=500, offset=0).items
    ]
    documents = [d.id for d in queries.list_documents(store, limit=500, offset=0).items]
    assert len(actors) > 50
    assert len(topics) > 5
    assert len(documents) == 5

    def positions(**f: Any) -> int:
        return same(
            lambda **k: queries.list_positions(store, **k),
            lambda **k: queries.sparql_positions(store, **k),
            **f,
        )

    def events(**f: Any) -> int:
        return same(
            lambda **k: queries.list_events(store, **k),
            lambda **k: queries.sparql_events(store, **k),
            **f,
        )

    def quotes(**f: Any) -> int:
        return same(
            lambda **k: queries.list_quotes(store, **k),
            lambda **k: queries.sparql_quotes(store, **k),
            **f,
        )

    assert positions() > 50
    assert events() > 10
    assert quotes() > 10
    seen = 0
    for actor in actors:
        seen += positions(actor=actor) + events(actor=actor) + quotes(actor=actor)
        for topic in topics:
            positions(actor=actor, topic=topic)
        positions(actor=actor, by_date=True)
    assert seen > 100
    for topic in topics:
        positions(topic=topic)
        positions(topic=topic, by_date=True)
        for stance in STANCES:
            positions(topic=topic, stance=stance)
    for stance in STANCES:
        for direction in DIRECTIONS:
            positions(stance=stance, direction=direction)
    for event_type in queries.EVENT_TYPES.values():
        events(event_type=event_type)
    for document in documents:
        positions(document=document)
        events(document=document)
        quotes(document=document)
    for needle in ("putin", "Zelensky", "ukraine", "nato", "ceasefire", "trump", "é", "zz-none"):
        positions(q=needle)
        events(q=needle)
        quotes(q=needle)
    for dates in RANGES:
        positions(dates=dates)
        positions(dates=dates, by_date=True)
        events(dates=dates)
        quotes(dates=dates)
    positions(actor="vladimir-putin", topic="territorial_concessions", by_date=True)
    wrongs: list[dict[str, Any]] = [{"actor": "putin"}, {"topic": "territory"}, {"document": "x"}]
    for wrong in wrongs:
        with pytest.raises(InvalidParameterError) as indexed:
            queries.list_positions(store, limit=5, offset=0, **wrong)
        with pytest.raises(InvalidParameterError) as sparql:
            queries.sparql_positions(store, limit=5, offset=0, **wrong)
        assert str(indexed.value) == str(sparql.value)


@pytest.mark.slow
def test_read_index_catches_up_a_write_it_missed(
    bundled_store: OxigraphStore, tmp_path: Path
) -> None:
    """A crash after the store's commit and before the index's: the next sync repairs it."""
    index = open_index(bundled_store)
    assert index is not None
    document = queries.list_documents(bundled_store, limit=1, offset=0).items[0].id
    before = queries.sparql_positions(bundled_store, document=document).total
    assert before > 1
    bundled_store.after_write.remove(index.after_write)  # the write the index never sees
    try:
        bundled_store.update(
            "PREFIX kg: <https://w3id.org/newskg/ns#> DELETE { GRAPH ?g { ?p ?x ?y } } WHERE {"
            f' GRAPH ?g {{ ?d kg:documentId "{document}" . ?p a kg:Position ; ?x ?y }} }}'
        )
        bundled_store.update(
            "PREFIX kg: <https://w3id.org/newskg/ns#> DELETE { GRAPH ?g { ?d kg:contentHash ?h } }"
            ' INSERT { GRAPH ?g { ?d kg:contentHash "changed" } } WHERE {'
            f' GRAPH ?g {{ ?d kg:documentId "{document}" ; kg:contentHash ?h }} }}'
        )
    finally:
        bundled_store.after_write.append(index.after_write)
    assert (
        queries.list_positions(bundled_store, document=document, limit=500, offset=0).total
        == before
    )
    assert index.check(bundled_store) == [f"article {document}: the index holds another version"]
    report = index.sync(bundled_store)
    assert report.indexed == (document,)
    assert queries.list_positions(bundled_store, document=document, limit=500, offset=0).total == 0
    assert index.check(bundled_store) == []


@pytest.mark.slow
def test_read_index_rebuilds_after_a_hand_written_update(bundled_store: OxigraphStore) -> None:
    """An update that edits a statement inside an article changes no fingerprint: the index is
    built again after it, in the same write."""
    index = open_index(bundled_store)
    assert index is not None
    first = queries.list_positions(bundled_store, stance="demands", limit=1, offset=0).items[0]
    index.rebuild_after_next_write()
    bundled_store.update(
        "PREFIX kg: <https://w3id.org/newskg/ns#> DELETE { GRAPH ?g { ?p kg:stance ?s } }"
        " INSERT { GRAPH ?g { ?p kg:stance <https://w3id.org/newskg/stance/proposes> } }"
        f" WHERE {{ BIND(<{first.iri}> AS ?p) GRAPH ?g {{ ?p kg:stance ?s }} }}"
    )
    moved = queries.list_positions(bundled_store, stance="proposes", limit=500, offset=0)
    assert first.iri in {p.iri for p in moved.items}
    expected = queries.sparql_positions(bundled_store, stance="proposes", limit=500, offset=0)
    assert moved.model_dump() == expected.model_dump()
    assert index.check(bundled_store) == []
    detach(bundled_store)
    assert index_of(bundled_store) is None
    assert queries.list_positions(bundled_store, dates=ALL_DATES, limit=1, offset=0).total > 0


@contextmanager
def sparql_only(store: OxigraphStore) -> Iterator[None]:
    """Read `store` without its index for the block."""
    index = detach(store)
    try:
        yield
    finally:
        if index is not None:
            attach(store, index)


@pytest.mark.slow
def test_read_index_aggregates_equal_sparql(bundled_store: OxigraphStore) -> None:
    """/topics/{id}/positions and /actors/{id}/network from the index equal their SPARQL twins."""
    open_index(bundled_store)
    assert index_of(bundled_store) is not None
    actors = [a.id for a in queries.list_actors(bundled_store, limit=500, offset=0).items]
    used = aggregates.list_topics(bundled_store, q=None, used=True, limit=500, offset=0)
    variants: list[dict[str, Any]] = [
        {},
        {"stance": "demands"},
        {"direction": "against"},
        {"actor_type": "Person"},
        {"date_from": date(2025, 8, 1)},
        {"date_to": date(2025, 8, 1)},
        {"per_actor": 1},
    ]
    for topic in [t.id for t in used.items]:
        for variant in variants:
            indexed = aggregates.topic_positions(bundled_store, topic, **variant).model_dump()
            with sparql_only(bundled_store):
                expected = aggregates.topic_positions(bundled_store, topic, **variant).model_dump()
            assert indexed == expected, (topic, variant)
    linked = 0
    for actor in actors:
        for limit, offset in ((500, 0), (2, 1)):
            indexed_network = aggregates.actor_network(
                bundled_store, actor, limit=limit, offset=offset
            )
            with sparql_only(bundled_store):
                expected_network = aggregates.actor_network(
                    bundled_store, actor, limit=limit, offset=offset
                )
            assert indexed_network.model_dump() == expected_network.model_dump(), actor
            linked += indexed_network.total
    assert linked > 50


@pytest.mark.slow
def test_read_index_reader_beside_the_writer(bundled_store: OxigraphStore) -> None:
    """A store opened read-only beside the writer (a serving process of `kg serve --workers`)
    reads the writer's index; a write is seen by the next answer, and the reader never
    writes it."""
    assert bundled_store.path is not None
    writer = open_index(bundled_store)
    assert writer is not None
    reader_store = OxigraphStore(bundled_store.path, read_only=True)
    try:
        reader = open_index(reader_store)
        assert reader is not None
        assert reader.read_only
        assert index_of(reader_store) is reader
        before = queries.list_positions(reader_store, limit=500, offset=0)
        assert (
            before.model_dump()
            == queries.list_positions(bundled_store, limit=500, offset=0).model_dump()
        )
        assert reader.topic_iris("x", lambda: ["cached"]) == ["cached"]
        first = before.items[0]
        bundled_store.update(
            "PREFIX kg: <https://w3id.org/newskg/ns#> DELETE { GRAPH ?g { ?d kg:contentHash ?h } }"
            ' INSERT { GRAPH ?g { ?d kg:contentHash "edited" } } WHERE {'
            f' GRAPH ?g {{ ?d kg:documentId "{first.document}" ; kg:contentHash ?h }} }}'
        )
        assert reader.topic_iris("x", lambda: ["fresh"]) == ["fresh"]  # the write emptied it
        with pytest.raises(StoreError):
            reader.sync(reader_store)
    finally:
        reader_store.close()


@pytest.mark.slow
def test_read_index_rest_answers_equal_sparql_answers(bundled_store: OxigraphStore) -> None:
    """Through the REST API: every actor's positions (whole, by topic), events and quotes,
    every topic's positions and every actor's network, with the index and without."""
    from fastapi.testclient import TestClient

    from api.main import create_app
    from kg.config import Settings

    assert bundled_store.path is not None
    settings = Settings(store_path=bundled_store.path)
    with TestClient(create_app(settings, store=bundled_store)) as client:
        assert index_of(bundled_store) is not None
        actors = [a["id"] for a in client.get("/actors", params={"limit": 500}).json()["items"]]
        topics = [
            t["id"]
            for t in client.get("/topics", params={"used": "true", "limit": 500}).json()["items"]
        ]
        paths = [f"/topics/{t}/positions" for t in topics]
        paths += [f"/positions?topic={t}&order=date" for t in topics]
        for actor in actors:
            paths += [
                f"/actors/{actor}/positions",
                f"/actors/{actor}/events",
                f"/actors/{actor}/quotes?limit=2&offset=1",
                f"/actors/{actor}/network",
                f"/events?actor={actor}",
            ]
            paths += [f"/actors/{actor}/positions?topic={t}" for t in topics[:6]]
        for path in paths:
            indexed = client.get(path)
            with sparql_only(bundled_store):
                expected = client.get(path)
            assert indexed.status_code == expected.status_code, path
            assert indexed.json() == expected.json(), path
            assert indexed.headers["content-type"] == expected.headers["content-type"], path


@pytest.mark.slow
def test_read_index_aggregates_kept_until_the_next_write(bundled_store: OxigraphStore) -> None:
    index = open_index(bundled_store)
    assert index is not None
    topic = aggregates.list_topics(bundled_store, q=None, used=True, limit=1, offset=0).items[0].id
    actor = queries.list_actors(bundled_store, limit=1, offset=0).items[0].id
    first = aggregates.topic_positions(bundled_store, topic)
    network = aggregates.actor_network(bundled_store, actor, limit=5, offset=0)
    assert aggregates.topic_positions(bundled_store, topic) is first
    assert aggregates.actor_network(bundled_store, actor, limit=5, offset=0) is network
    assert aggregates.topic_positions(bundled_store, topic, per_actor=1) is not first
    bundled_store.update(
        "INSERT DATA { GRAPH <urn:x-test:scratch> { <urn:x:a> <urn:x:b> <urn:x:c> } }"
    )
    again = aggregates.topic_positions(bundled_store, topic)
    assert again is not first
    assert again == first
    assert aggregates.actor_network(bundled_store, actor, limit=5, offset=0) is not network
