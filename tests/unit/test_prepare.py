"""`kg.prepare`: the one path from an article to the update that stores it, with a model-free
pipeline (blank English + the kg_ extensions: the extraction finds nothing, the graph still
holds the document and its provenance)."""

from __future__ import annotations

import pickle
import threading

import pyoxigraph as ox
import pytest
import rdflib
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.articles import make_article
from kg.errors import ExtractionError, NonConformingGraphError
from kg.iris import Iris
from kg.namespaces import KG
from kg.prepare import Failure, Pipeline, Prepared, prepare, prepare_many
from kg.records import Article
from kg.validation import validate
from tests.conftest import SAMPLE_BASE

TEXT = (
    "Russian President Vladimir Putin said on Tuesday that he was ready to meet the Ukrainian"
    " leader, but that the talks would have to take account of the situation on the ground."
)
POISON = "POISON"


@Language.component("kg_test_poison")
def _poison(doc: Doc) -> Doc:
    """Fails on any text holding POISON, as a broken component would."""
    if POISON in doc.text:
        raise ValueError("poisoned text")
    return doc


def _nlp(*, poisoned: bool = False) -> Language:
    from kg.nlp.common import register_extensions

    register_extensions()
    nlp = spacy.blank("en")
    if poisoned:
        nlp.add_pipe("kg_test_poison")
    return nlp


def _article(doc_id: str, text: str = TEXT) -> Article:
    return make_article(text, {"title": f"About {doc_id}"}, doc_id=doc_id, file=None)


@pytest.fixture(scope="module")
def iris() -> Iris:
    return Iris(SAMPLE_BASE)


def test_prepare_gives_the_update_that_stores_a_conforming_graph(iris: Iris) -> None:
    result = prepare(_article("plain"), _nlp(), iris)
    assert isinstance(result, Prepared)
    assert result.graph_iri == str(iris.graph("plain"))
    # one update: the article graph replaced and the actor registry maintained with it
    assert f"DROP SILENT GRAPH <{result.graph_iri}> ;" in result.update
    assert f"<{iris.registry_graph()}>" in result.update
    store = ox.Store()
    store.update(result.update)
    store.update(result.update)  # a replace: applying it twice leaves one copy
    triples = list(store.quads_for_pattern(None, None, None, ox.NamedNode(result.graph_iri)))
    assert result.counts == {
        "actors": 0,
        "events": 0,
        "positions": 0,
        "quotes": 0,
        "triples": len(triples),
    }
    assert len(triples) > 0
    graph = rdflib.Graph()
    dump = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.NamedNode(result.graph_iri))
    graph.parse(data=dump, format="nt")
    assert validate(graph).conforms


def test_prepare_many_fails_only_the_bad_article_and_keeps_the_order(iris: Iris) -> None:
    articles = [
        _article(f"a{i}", TEXT + (f" {POISON}." if i == 2 else f" Day {i}.")) for i in range(5)
    ]
    results = list(prepare_many(articles, _nlp(poisoned=True), iris, batch_size=4))
    assert [r.doc_id for r in results] == [a.doc_id for a in articles]
    failed = [r for r in results if isinstance(r, Failure)]
    assert [f.doc_id for f in failed] == ["a2"]
    assert isinstance(failed[0].error, ExtractionError)
    assert "poisoned text" in failed[0].error.message
    assert all(isinstance(r, Prepared) for r in results if r.doc_id != "a2")


def test_prepare_is_the_same_alone_and_in_a_batch(iris: Iris) -> None:
    articles = [_article(f"b{i}", f"{TEXT} Round {i}.") for i in range(3)]
    alone = [prepare(a, _nlp(), iris) for a in articles]
    assert list(prepare_many(articles, _nlp(), iris)) == alone


def test_prepare_failure_crosses_processes_with_its_violations(iris: Iris) -> None:
    """A worker sends a SHACL refusal back to the writer: it must unpickle (NonConformingGraphError
    takes (message, report), which plain exception pickling cannot rebuild)."""
    from kg.mapping import to_graph
    from kg.nlp.extract import extract

    graph = to_graph(extract(_nlp(), _article("shaped")), iris)
    graph.remove((None, KG.contentHash, None))
    report = validate(graph)
    assert not report.conforms
    assert report.graph is not None
    failure = Failure("shaped", NonConformingGraphError("1 violation", report)).portable()
    back = pickle.loads(pickle.dumps(failure))  # noqa: S301 - our own object
    assert isinstance(back.error, NonConformingGraphError)
    assert back.error.message == "1 violation"
    assert back.error.report.violations == report.violations
    assert back.error.report.graph is None  # pySHACL's report graph stays in the worker


def test_prepare_pipeline_is_built_once_under_a_race() -> None:
    calls: list[int] = []
    gate = threading.Event()

    def factory() -> Language:
        gate.wait(5)
        calls.append(1)
        return _nlp()

    pipeline = Pipeline("unused", factory=factory)
    assert not pipeline.loaded
    threads = [pipeline.preload() for _ in range(3)]
    gate.set()
    for thread in threads:
        thread.join(10)
    assert pipeline.nlp is pipeline.nlp
    assert calls == [1]
    assert pipeline.loaded
