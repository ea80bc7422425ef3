"""kg.read.documents, kg.read.describe and kg.read.mentions on the sample dataset: the reads the
writers, linked data and the article view share."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.errors import NotFoundError
from kg.read.describe import describe
from kg.read.documents import (
    GraphCounts,
    article_graphs,
    graph_of,
    read_graph,
    stored_counts,
    stored_document,
    stored_hashes,
)
from kg.read.mentions import list_mentions
from kg.read.queries import get_document
from kg.store import OxigraphStore
from tests.conftest import SAMPLE_BASE

ALPHA_GRAPH = f"{SAMPLE_BASE}graph/alpha"
ALPHA_HASH = "883a46262827e71400dd6016a7730ed31ac29b0703b8d3af791e4e4ac0184e7e"


def test_read_documents_stored_hashes(sample_store: OxigraphStore) -> None:
    hashes = stored_hashes(sample_store)
    assert sorted(hashes) == ["alpha", "beta"]
    assert hashes["alpha"] == ALPHA_HASH


def test_read_documents_stored_hashes_of_an_empty_store(memory_store: OxigraphStore) -> None:
    assert stored_hashes(memory_store) == {}


def test_read_documents_graph_of(sample_store: OxigraphStore) -> None:
    assert graph_of(sample_store, "alpha") == ALPHA_GRAPH
    assert graph_of(sample_store, "nothing") is None
    assert graph_of(sample_store, 'alpha" } } ; DROP ALL ; { "') is None
    assert sample_store.has_graph(ALPHA_GRAPH)


def test_read_documents_read_graph_is_the_stored_graph(sample_store: OxigraphStore) -> None:
    graph = read_graph(sample_store, ALPHA_GRAPH)
    assert str(graph.identifier) == ALPHA_GRAPH
    assert len(graph) == stored_counts(sample_store, "alpha").triples
    with pytest.raises(NotFoundError):
        read_graph(sample_store, f"{SAMPLE_BASE}graph/nothing")


def test_read_documents_stored_counts_count_one_graph(sample_store: OxigraphStore) -> None:
    alpha = stored_counts(sample_store, "alpha")
    assert isinstance(alpha, GraphCounts)
    assert alpha.actors == len(get_document(sample_store, "alpha").actors)
    assert alpha.positions > 0
    assert alpha.triples > alpha.actors + alpha.events + alpha.positions + alpha.quotes
    assert stored_counts(sample_store, "beta") != alpha
    with pytest.raises(NotFoundError, match="nothing"):
        stored_counts(sample_store, "nothing")


def test_read_documents_stored_document(sample_store: OxigraphStore) -> None:
    document = stored_document(sample_store, "alpha")
    assert document.id == "alpha"
    assert document.content_hash == ALPHA_HASH
    assert not hasattr(document, "actors")


def test_read_documents_article_graphs_leave_out_the_vocabularies(
    sample_store: OxigraphStore,
) -> None:
    assert article_graphs(sample_store, SAMPLE_BASE) == [
        ("alpha", ALPHA_GRAPH),
        ("beta", f"{SAMPLE_BASE}graph/beta"),
    ]
    assert article_graphs(sample_store, "http://elsewhere.example/") == []


def test_read_describe_an_iri_with_its_evidence(sample_store: OxigraphStore) -> None:
    mention = f"{SAMPLE_BASE}id/document/alpha/mention/0-14"
    triples = describe(sample_store, mention)
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    assert mention in subjects
    assert f"{mention}/evidence" in subjects  # its evidence
    assert f"{mention}/evidence/position" in subjects  # and the evidence's selectors
    with pytest.raises(NotFoundError):
        describe(sample_store, f"{SAMPLE_BASE}id/document/alpha/mention/1-2")
    with pytest.raises(NotFoundError):
        describe(sample_store, "not an iri")


def test_read_mentions_unknown_document(sample_store: OxigraphStore) -> None:
    with pytest.raises(NotFoundError, match="nope"):
        list_mentions(sample_store, "nope")
