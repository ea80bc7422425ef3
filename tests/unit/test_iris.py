"""IRI minting: stable, and refusing ids that cannot be part of an IRI."""

from __future__ import annotations

import pytest

from kg.errors import InputError
from kg.iris import Iris, check_doc_id, minted_bases, serving_note, slugify

BASE = "http://127.0.0.1:8000/"


def test_iris_document_and_graph() -> None:
    iris = Iris(BASE)
    assert str(iris.document("000_ab.c-1")) == f"{BASE}id/document/000_ab.c-1"
    assert str(iris.graph("000_ab.c-1")) == f"{BASE}graph/000_ab.c-1"


@pytest.mark.parametrize("doc_id", ["a b", "", "x/y", "<x>", 'q"', "é"])
def test_iris_refuse_malformed_document_ids(doc_id: str) -> None:
    with pytest.raises(InputError, match="is not a document id"):
        Iris(BASE).graph(doc_id)


def test_iris_slugify_is_stable_and_ascii() -> None:
    assert slugify("Volodymyr Zelenskyy") == "volodymyr-zelenskyy"
    assert slugify("Путин") == slugify("Путин")
    assert slugify("Путин").startswith("x")


@pytest.mark.parametrize(
    "doc_id", ["ontology", "actors", "gazetteer", ".", "..", "...", "a b", "a/b"]
)
def test_iris_refuse_ids_that_would_reach_other_graphs(doc_id: str) -> None:
    """The store's own graphs (ontology, actor registry, gazetteer), path-like ids: never ids."""
    with pytest.raises(InputError):
        check_doc_id(doc_id)
    with pytest.raises(InputError):
        Iris("http://127.0.0.1:8000/").graph(doc_id)


@pytest.mark.parametrize("doc_id", ["Ontology", "actors-2025", "a.b", ".hidden", "x.."])
def test_iris_accept_ids_near_the_reserved_ones(doc_id: str) -> None:
    assert check_doc_id(doc_id) == doc_id


def test_iris_minted_bases_read_from_the_ontology_graphs() -> None:
    graphs = [f"{BASE}graph/ontology", f"{BASE}graph/a", "https://kg.example/x/graph/ontology"]
    assert minted_bases(graphs) == ["http://127.0.0.1:8000/", "https://kg.example/x/"]
    assert minted_bases([f"{BASE}graph/a", f"{BASE}graph/myontology"]) == []


@pytest.mark.parametrize(
    ("base", "host", "port"),
    [(BASE, "127.0.0.1", 8000), ("https://kg.example/", "kg.example", 443)],
)
def test_iris_no_serving_note_when_iris_name_the_server(base: str, host: str, port: int) -> None:
    assert serving_note(base, host, port) is None


@pytest.mark.parametrize(
    ("host", "port"), [("127.0.0.1", 8765), ("127.0.0.2", 8000), ("localhost", 8000)]
)
def test_iris_serving_note_says_where_iris_are_answered(host: str, port: int) -> None:
    note = serving_note(BASE, host, port)
    assert note is not None
    assert f"http://{host}:{port}/id/actor/vladimir-putin" in note
    assert "KG_BASE_IRI" in note
