"""POST /documents in process (TestClient) with a model-free pipeline: the SHACL gate refuses
a graph whole, and a failing extraction stores nothing. The real pipeline and a real server are
in tests/e2e/test_api_writes.py."""

from __future__ import annotations

import threading
import time
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
from spacy.language import Language

from api.main import create_app
from kg.config import Settings
from kg.errors import ExtractionError, NonConformingGraphError, StoreError
from kg.store import OxigraphStore
from kg.validation import ValidationReport, Violation
from tests.conftest import SAMPLE_BASE

with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

TOKEN = "t0ken"  # noqa: S105 - a test token
AUTH = {"authorization": f"Bearer {TOKEN}"}
TEXT = (
    "Russian President Vladimir Putin said on Tuesday that he was ready to meet the Ukrainian"
    " leader, but that the talks would have to take account of the situation on the ground."
)


def _model_free_nlp() -> Language:
    """A blank English pipeline with the kg_ extensions: the extraction finds nothing."""
    import spacy

    from kg.nlp.common import register_extensions

    register_extensions()
    return spacy.blank("en")


@pytest.fixture
def writes(memory_store: OxigraphStore) -> Iterator[TestClient]:
    settings = Settings(base_iri=SAMPLE_BASE, write_token=TOKEN)
    app = create_app(settings, store=memory_store, nlp_factory=_model_free_nlp)
    with TestClient(app) as client:
        yield client


def test_api_writes_model_free_article_is_added(
    writes: TestClient, memory_store: OxigraphStore
) -> None:
    response = writes.post("/documents", json={"text": TEXT, "id": "plain"}, headers=AUTH)
    assert response.status_code == 201, response.text
    assert response.json()["counts"]["actors"] == 0
    assert response.json()["counts"]["triples"] > 0
    assert writes.get("/documents/plain/validation").json()["conforms"] is True


@pytest.mark.parametrize("doc_id", ["ontology", "actors"])
def test_api_writes_never_reach_the_stores_own_graphs(
    writes: TestClient, memory_store: OxigraphStore, doc_id: str
) -> None:
    graph = f"{SAMPLE_BASE}graph/{doc_id}"
    before = set(memory_store.graph_iris())
    assert writes.delete(f"/documents/{doc_id}", headers=AUTH).status_code == 422
    posted = writes.post("/documents", json={"text": TEXT, "id": doc_id}, headers=AUTH)
    assert posted.status_code == 422
    assert posted.headers["content-type"] == "application/problem+json"
    assert set(memory_store.graph_iris()) == before
    assert (graph in before) == (graph in set(memory_store.graph_iris()))


def test_api_writes_shacl_failure_is_422_and_stores_nothing(
    writes: TestClient, memory_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    violation = Violation(
        focus_node="http://127.0.0.1:8000/id/document/bad/position/1",
        path="<https://w3id.org/newskg/ns#stance>",
        severity="Violation",
        message="kg:Position needs exactly one kg:stance",
        source_shape="https://w3id.org/newskg/shapes#PositionShape",
    )

    def refuse(graph: Any) -> None:
        report = ValidationReport(conforms=False, violations=(violation,), text="")
        raise NonConformingGraphError(
            f"graph {graph.identifier} does not conform: 1 violation(s): {violation.message}",
            report,
        )

    monkeypatch.setattr("kg.validation.ensure_conforms", refuse)
    response = writes.post("/documents", json={"text": TEXT, "id": "bad"}, headers=AUTH)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/non-conforming")
    assert "needs exactly one kg:stance" in problem["detail"]
    assert problem["violations"] == [
        {
            "focusNode": violation.focus_node,
            "path": violation.path,
            "severity": "Violation",
            "message": violation.message,
            "sourceShape": violation.source_shape,
            "value": None,
        }
    ]
    assert writes.get("/documents/bad").status_code == 404
    # the vocabularies of the new store may be written first, but nothing of the article
    assert not any("bad" in iri for iri in memory_store.graph_iris())


def test_api_writes_store_failure_is_503(
    writes: TestClient, memory_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    writes.post("/documents", json={"text": TEXT + " One.", "id": "first"}, headers=AUTH)

    def full_disk(sparql: str, **kwargs: Any) -> None:
        raise StoreError("cannot write the store at /data/store: No space left on device")

    monkeypatch.setattr(memory_store, "update", full_disk)  # an article is one update
    response = writes.post("/documents", json={"text": TEXT, "id": "second"}, headers=AUTH)
    assert response.status_code == 503, response.text
    assert "No space left on device" in response.json()["detail"]
    assert writes.get("/documents/second").status_code == 404


def test_api_writes_extraction_failure_is_500_and_stores_nothing(
    writes: TestClient, memory_store: OxigraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(nlp: Language, articles: Any, **kwargs: Any) -> Any:
        raise ExtractionError("the pipeline failed on request body")

    monkeypatch.setattr("kg.nlp.extract.extract_many", fail)
    monkeypatch.setattr("kg.nlp.extract.extract", lambda nlp, article: fail(nlp, [article]))
    response = writes.post("/documents", json={"text": TEXT, "id": "broken"}, headers=AUTH)
    assert response.status_code == 500, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "the pipeline failed" in response.json()["detail"]
    assert not any("broken" in iri for iri in memory_store.graph_iris())


def test_api_writes_openapi_documents_the_write_routes(writes: TestClient) -> None:
    schema = writes.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schema["components"]["securitySchemes"]["bearer"]["description"],
    }
    post = schema["paths"]["/documents"]["post"]
    assert post["security"] == [{"bearer": []}]
    assert set(post["requestBody"]["content"]) == {"application/json", "text/plain"}
    assert post["requestBody"]["content"]["application/json"]["schema"]["required"] == ["text"]
    assert {"200", "201", "401", "403", "413", "415", "422", "503"} <= set(post["responses"])
    delete = schema["paths"]["/documents/{document_id}"]["delete"]
    assert delete["security"] == [{"bearer": []}]
    assert {"204", "401", "403", "404"} <= set(delete["responses"])
    validation = schema["paths"]["/documents/{document_id}/validation"]["get"]
    assert "security" not in validation
    assert set(validation["responses"]["200"]["content"]) == {"application/json", "text/turtle"}


def test_api_writes_openapi_examples_fit_their_models() -> None:
    from api.ingest import POSTED_EXAMPLE, DocumentValidation, DocumentWrite, PostedArticle
    from api.problems import PROBLEM_MEDIA_TYPE
    from api.routers import documents
    from api.schemas import Problem

    PostedArticle.model_validate(POSTED_EXAMPLE)
    DocumentValidation.model_validate(documents.VALIDATION_EXAMPLE)
    for status in (200, 201):
        example = documents.POST_RESPONSES[status]["content"]["application/json"]["example"]
        DocumentWrite.model_validate(example)
    problems = [
        entry["content"][PROBLEM_MEDIA_TYPE]["example"]
        for entry in documents.POST_RESPONSES.values()
        if PROBLEM_MEDIA_TYPE in entry.get("content", {})
    ]
    assert len(problems) == 7
    for example in problems:
        assert Problem.model_validate(example).status in documents.POST_RESPONSES


@pytest.mark.parametrize(("token", "loads"), [(TOKEN, 1), (None, 0)])
def test_api_writes_preload_builds_the_pipeline_once_at_startup(
    memory_store: OxigraphStore, token: str | None, loads: int
) -> None:
    calls: list[float] = []
    loaded = threading.Event()

    def factory() -> Language:
        calls.append(time.monotonic())
        nlp = _model_free_nlp()
        loaded.set()
        return nlp

    settings = Settings(base_iri=SAMPLE_BASE, write_token=token, preload_nlp=True)
    with TestClient(create_app(settings, store=memory_store, nlp_factory=factory)) as client:
        if loads:
            assert loaded.wait(30)  # loaded before any request asked for it
        else:
            assert not loaded.wait(0.5)
        if token is not None:
            response = client.post("/documents", json={"text": TEXT}, headers=AUTH)
            assert response.status_code == 201, response.text
    assert len(calls) == loads
