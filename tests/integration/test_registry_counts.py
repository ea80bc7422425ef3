"""The documented aggregate SPARQL queries (every ```sparql block of README.md and docs/*.md
whose first line reads `# same counts as: GET <path> (<label> -> <count>)`) give over the union
default graph the counts REST gives: on the "talks" test data and, with the real pipeline, on
the bundled articles (each actor described once, so the bag join with its name multiplies
nothing)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.queries import ACTOR_TYPES
from kg.config import Settings
from kg.store import GraphStore, OxigraphStore
from tests.utils.extraction import BASE_IRI
from tests.utils.talks import load_talks

REPO = Path(__file__).resolve().parents[2]
_BLOCK = re.compile(r"```sparql\n(# same counts as: GET (\S+) \(.*?\)\n.*?)```", re.S)

Counts = dict[str, int]


def documented_queries() -> list[tuple[str, str]]:
    """(REST path, query) of every marked block of the README and docs/."""
    found = []
    for path in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for match in _BLOCK.finditer(path.read_text(encoding="utf-8")):
            found.append((match.group(2), match.group(1)))
    return found


def _stance_matrix(client: TestClient) -> Counts:
    matrix = client.get("/stance-matrix", params={"actors": 500}).json()
    return {a["name"]: a["positions"] for a in matrix["actors"]}


def _topics(client: TestClient) -> Counts:
    page = client.get("/topics", params={"used": "true", "limit": 500}).json()
    return {t["id"]: t["positions"] for t in page["items"]}


def _actor_types(client: TestClient) -> Counts:
    totals = {
        t: client.get("/actors", params={"type": t, "limit": 1}).json()["total"]
        for t in ACTOR_TYPES
    }
    return {t: n for t, n in totals.items() if n}


REST: dict[str, Callable[[TestClient], Counts]] = {
    "/stance-matrix?actors=500": _stance_matrix,
    "/topics?used=true": _topics,
    "/actors?type={type}": _actor_types,
}


def sparql_counts(store: GraphStore, query: str) -> Counts:
    result = store.query(query)
    assert isinstance(result, ox.QuerySolutions)
    label, count = (v.value for v in result.variables)
    return {row[label].value: int(row[count].value) for row in result}


def assert_documented_counts(store: GraphStore, client: TestClient) -> None:
    queries = documented_queries()
    assert {path for path, _ in queries} == set(REST), "a documented query without a REST twin"
    for path, query in queries:
        expected = REST[path](client)
        assert expected, path
        assert sparql_counts(store, query) == expected, path


def test_registry_counts_documented_queries_equal_rest_on_test_data(tmp_path: Path) -> None:
    store = OxigraphStore()
    load_talks(store, copies=2)
    settings = Settings(store_path=tmp_path / "store", base_iri=BASE_IRI)
    with TestClient(create_app(settings, store=store)) as client:
        assert_documented_counts(store, client)
    store.close()


@pytest.mark.slow
def test_registry_counts_documented_queries_equal_rest_on_the_bundled_articles(
    bundled_store: OxigraphStore,
) -> None:
    store = bundled_store
    settings = Settings(store_path=store.path)
    with TestClient(create_app(settings, store=store)) as client:
        assert_documented_counts(store, client)
        putin = _stance_matrix(client)["Vladimir Putin"]
    # the figure: 26 positions, not 26 times the number of articles naming him
    holder = (
        "PREFIX kg: <https://w3id.org/newskg/ns#> SELECT (COUNT(?p) AS ?n) WHERE {"
        ' ?p a kg:Position ; kg:holder ?h . ?h kg:actorKey "vladimir-putin" }'
    )
    rows = store.query(holder)
    assert isinstance(rows, ox.QuerySolutions)
    assert int(next(iter(rows))["n"].value) == putin
