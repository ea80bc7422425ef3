"""Linked data: /ontology and /ns, and data IRIs under KG_BASE_IRI that dereference."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

KG = "https://w3id.org/newskg/ns#"


@pytest.mark.parametrize("path", ["/ontology", "/ns"])
def test_api_ontology_turtle_and_json_ld(api_client: TestClient, path: str) -> None:
    turtle = api_client.get(path)
    assert turtle.status_code == 200
    assert turtle.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    assert {KG + "Position", KG + "holder", KG + "Actor"} <= subjects
    jsonld = api_client.get(path, headers={"accept": "application/ld+json"})
    assert jsonld.headers["content-type"].startswith("application/ld+json")
    assert len(list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))) == len(triples)
    assert api_client.get(path, headers={"accept": "image/png"}).status_code == 406


def test_api_actor_iri_dereferences(api_client: TestClient) -> None:
    response = api_client.get(
        "/id/actor/vladimir-putin", headers={"accept": "application/n-triples"}
    )
    assert response.status_code == 200
    triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
    assert {t.subject.value for t in triples} == {"http://127.0.0.1:8000/id/actor/vladimir-putin"}
    labels = {t.object.value for t in triples if t.predicate.value.endswith("prefLabel")}
    assert labels == {"Vladimir Putin"}


def test_api_position_iri_dereferences_with_its_evidence(api_client: TestClient) -> None:
    iri = "http://127.0.0.1:8000/id/document/alpha/position/0c1d2e3f4a5b"
    response = api_client.get(iri.removeprefix("http://127.0.0.1:8000"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    predicates = {t.predicate.value for t in triples}
    assert KG + "holder" in predicates
    assert "http://www.w3.org/ns/oa#hasSelector" in predicates
    assert "http://www.w3.org/ns/oa#start" in predicates
    assert "http://www.w3.org/ns/oa#exact" in predicates


def test_api_document_iri_as_json_ld(api_client: TestClient) -> None:
    response = api_client.get("/id/document/alpha", headers={"accept": "application/ld+json"})
    assert response.status_code == 200
    assert json.loads(response.content)


@pytest.mark.parametrize(
    ("path", "accept", "location"),
    [
        ("/id/actor/vladimir-putin", "text/html,*/*;q=0.8", "/actors/vladimir-putin"),
        ("/id/document/alpha", "application/json", "/documents/alpha"),
        ("/id/document/alpha/position/0c1d2e3f4a5b", "text/html", "/documents/alpha"),
    ],
)
def test_api_iri_redirects_html_and_json(
    api_client: TestClient, path: str, accept: str, location: str
) -> None:
    response = api_client.get(path, headers={"accept": accept}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == location


def test_api_unknown_iri_is_404(api_client: TestClient) -> None:
    response = api_client.get("/id/actor/nobody", headers={"accept": "text/turtle"})
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
