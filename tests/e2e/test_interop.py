"""Interop: the TriG export loads into a real Oxigraph server, which then answers the same SPARQL
queries with the same rows as our endpoint."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

pytestmark = pytest.mark.e2e

ACCEPT_JSON = {"accept": "application/sparql-results+json"}
QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    """PREFIX kg: <https://w3id.org/newskg/ns#>
    SELECT ?holder ?stance ?topic ?dir WHERE {
      ?p a kg:Position ; kg:holder ?holder ; kg:stance ?stance ; kg:topic ?topic ;
         kg:direction ?dir } ORDER BY ?holder ?stance ?topic""",
    """PREFIX kg: <https://w3id.org/newskg/ns#> PREFIX oa: <http://www.w3.org/ns/oa#>
    SELECT ?q ?text ?start WHERE { GRAPH ?g { ?q kg:quotedText ?text ; kg:evidence ?e .
      ?e oa:hasSelector ?sel . ?sel oa:start ?start } } ORDER BY ?q""",
    "ASK { GRAPH <http://127.0.0.1:8000/graph/alpha> { ?s ?p ?o } }",
]


def _rows(body: bytes) -> list[tuple[str, ...]] | bool:
    parsed = ox.parse_query_results(body, ox.QueryResultsFormat.JSON)
    if isinstance(parsed, ox.QueryBoolean):
        return bool(parsed)
    assert isinstance(parsed, ox.QuerySolutions)
    names = [v.value for v in parsed.variables]
    return [tuple(str(row[name]) for name in names) for row in parsed]


def test_interop_trig_export_loads_into_oxigraph_and_answers_the_same(
    api_client: TestClient, oxigraph_server: Callable[..., str]
) -> None:
    trig = api_client.get("/graph", params={"format": "trig"})
    assert trig.status_code == 200
    url = oxigraph_server(union_default_graph=True)
    with httpx.Client(base_url=url, timeout=30) as oxigraph:
        loaded = oxigraph.post(
            "/store", content=trig.content, headers={"content-type": "application/trig"}
        )
        assert loaded.status_code in (200, 201, 204), loaded.text
        for sparql in QUERIES:
            ours = api_client.post(
                "/sparql",
                data={"query": sparql},
                headers=ACCEPT_JSON,
            )
            theirs = oxigraph.post(
                "/query",
                data={"query": sparql},
                headers=ACCEPT_JSON,
            )
            assert ours.status_code == theirs.status_code == 200
            expected = _rows(ours.content)
            assert expected, sparql
            assert _rows(theirs.content) == expected, sparql
