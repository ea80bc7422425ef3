"""The synthetic benchmark graph (bench/graph.py) has our shape and is deterministic."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.graph import BASE_IRI, generate, make_extraction, make_pool, topic_ids
from kg.iris import Iris
from kg.mapping import to_graph
from kg.validation import validate


@pytest.fixture(scope="module")
def pool():
    return make_pool(7)


def test_bench_graph_articles_are_deterministic_and_distinct(pool):
    first, again = make_extraction(pool, 7, 3), make_extraction(make_pool(7), 7, 3)
    assert first == again
    other = make_extraction(pool, 7, 4)
    assert other.article.content_hash != first.article.content_hash
    assert make_extraction(pool, 8, 3).article.content_hash != first.article.content_hash


def test_bench_graph_article_passes_the_shacl_gate(pool):
    extraction = make_extraction(pool, 7, 0)
    graph = to_graph(extraction, Iris(BASE_IRI))
    report = validate(graph)
    assert report.conforms, report.messages
    # the size and mix of a real article (1.8k-2.7k triples, ~15 positions, ~6 events)
    assert 1500 < len(graph) < 4000
    assert len(extraction.positions) == 15
    assert len(extraction.events) == 6
    assert {p.topic for p in extraction.positions} <= set(topic_ids())


def test_bench_graph_spans_are_the_text_at_their_offsets(pool):
    extraction = make_extraction(pool, 7, 1)
    text = extraction.article.text
    spans = [m.span for m in extraction.mentions] + [p.evidence for p in extraction.positions]
    spans += [q.evidence for q in extraction.quotes] + [e.evidence for e in extraction.events]
    assert all(text[s.start : s.end] == s.text for s in spans)


def test_bench_graph_busiest_actor_is_in_most_articles(pool):
    busiest = pool.actors[0].key
    articles = [make_extraction(pool, 7, n) for n in range(20)]
    assert sum(busiest in {a.key for a in x.actors} for x in articles) >= 10


def test_bench_graph_generate_writes_nquads_with_manifest(tmp_path: Path) -> None:
    data = generate(12_000, seed=7, out=tmp_path)
    store = ox.Store()
    store.bulk_load(path=str(data.path), format=ox.RdfFormat.N_QUADS)
    assert len(store) == data.triples >= 12_000
    iris = Iris(BASE_IRI)
    graphs = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    assert str(iris.ontology_graph()) in graphs
    assert str(iris.registry_graph()) in graphs
    assert str(iris.gazetteer_graph()) in graphs
    assert len(graphs) == data.articles + 3
    manifest = json.loads(data.path.with_suffix(".json").read_text())["manifest"]
    assert manifest == data.manifest
    position = ox.NamedNode(manifest["position_iri"])
    assert list(store.quads_for_pattern(position, None, None))
    # a second call reuses the file: same bytes, same manifest
    before = data.path.read_bytes()
    assert generate(12_000, seed=7, out=tmp_path).manifest == data.manifest
    assert data.path.read_bytes() == before
