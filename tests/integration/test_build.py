"""The build orchestration with the real pipeline and a real (in-memory) Oxigraph store."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import rdflib
from rdflib.compare import isomorphic
from spacy.language import Language

from kg.build import Builder, Status, read_graph
from kg.config import Settings
from kg.errors import NonConformingGraphError
from kg.iris import Iris
from kg.store.oxigraph import OxigraphStore

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
SEEDS = ("002_d409c77c99fee1ce", "003_9f501f3c695878da")


@pytest.fixture(scope="module")
def nlp() -> Language:
    from kg.nlp.pipeline import build_nlp

    return build_nlp(Settings().spacy_model)


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for stem in SEEDS:
        for path in (REPO / "data" / "articles").glob(f"{stem}.txt*"):
            shutil.copy(path, folder / path.name)
    return folder


def make_builder(nlp: Language, store: OxigraphStore | None = None) -> Builder:
    settings = Settings(store_path=Path("unused"))
    return Builder(settings, store or OxigraphStore(None), nlp_factory=lambda: nlp)


def article_graph(builder: Builder, doc_id: str) -> rdflib.Graph:
    return read_graph(builder.store, str(Iris(builder.settings.base_iri).graph(doc_id)))


def test_build_adds_then_skips_unchanged(nlp: Language, articles: Path) -> None:
    builder = make_builder(nlp)
    first = builder.build([articles])
    assert [o.status for o in first] == [Status.ADDED, Status.ADDED]
    assert all(o.counts["positions"] > 0 for o in first)
    size = builder.store.stats().triples
    second = builder.build([articles])
    assert [o.status for o in second] == [Status.UNCHANGED, Status.UNCHANGED]
    assert builder.store.stats().triples == size


def test_build_replaces_a_changed_article(nlp: Language, articles: Path) -> None:
    builder = make_builder(nlp)
    builder.build([articles])
    path = articles / f"{SEEDS[0]}.txt"
    path.write_text(path.read_text(encoding="utf-8") + "\nPutin rejected the proposal.\n")
    outcomes = {o.doc_id: o.status for o in builder.build([articles])}
    assert outcomes == {SEEDS[0]: Status.REPLACED, SEEDS[1]: Status.UNCHANGED}
    (text,) = article_graph(builder, SEEDS[0]).objects(
        predicate=rdflib.URIRef("https://w3id.org/newskg/ns#text")
    )
    assert str(text).endswith("Putin rejected the proposal.\n")


def test_build_is_deterministic(nlp: Language, articles: Path) -> None:
    one, two = make_builder(nlp), make_builder(nlp)
    one.build([articles])
    two.build([articles])
    for doc_id in SEEDS:
        assert isomorphic(article_graph(one, doc_id), article_graph(two, doc_id))


def test_build_stores_nothing_of_a_non_conforming_article(
    nlp: Language, articles: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def reject(graph: rdflib.Graph) -> None:
        raise NonConformingGraphError("1 violation: test", report=None)

    monkeypatch.setattr("kg.validation.ensure_conforms", reject)
    builder = make_builder(nlp)
    outcomes = builder.build([articles])
    assert {o.status for o in outcomes} == {Status.INVALID}
    assert builder.stored_hashes() == {}
