"""/sparql and /update through a real uvicorn server on the on-disk store, with the worker pool:
every answer format, every error status, the row cap, token-protected updates and the timeout
that kills its worker."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
import uvicorn

from api.main import create_app
from kg.config import Settings
from tests.e2e.test_server import ThreadedServer, free_port
from tests.utils.server import PoolServed, pool_server

pytestmark = pytest.mark.e2e

TOKEN = "e2e-secret"  # noqa: S105 - a test token
TIMEOUT = 1.0
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 5"
#: Five-way cross product of the sample's triples: ~10^13 rows, it never ends by itself.
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
INSERT = 'INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> "fresh" } }'
ASK_INSERTED = 'ASK { <http://e/a> <http://e/b> "fresh" }'


@pytest.fixture
def served(tmp_path: Path) -> Iterator[PoolServed]:
    with pool_server(
        tmp_path, query_timeout=TIMEOUT, query_workers=2, max_rows=4, write_token=TOKEN
    ) as server:
        yield server


@pytest.fixture
def client(served: PoolServed) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=served.url, timeout=30) as http:
        yield http


@pytest.mark.parametrize(
    "fmt",
    [
        ox.QueryResultsFormat.JSON,
        ox.QueryResultsFormat.XML,
        ox.QueryResultsFormat.CSV,
        ox.QueryResultsFormat.TSV,
    ],
)
def test_e2e_sparql_select_formats(client: httpx.Client, fmt: ox.QueryResultsFormat) -> None:
    response = client.get("/sparql", params={"query": SELECT}, headers={"accept": fmt.media_type})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type.split(";")[0]
    if fmt is ox.QueryResultsFormat.CSV:  # lossy: pyoxigraph does not parse it back
        rows = len(response.text.strip().splitlines()) - 1
    else:
        parsed = ox.parse_query_results(response.content, fmt)
        assert isinstance(parsed, ox.QuerySolutions)
        rows = len(list(parsed))
    assert rows == 4  # KG_MAX_ROWS=4 cut the 5
    assert response.headers["kg-results-truncated"] == "4"


@pytest.mark.parametrize(
    "fmt",
    [ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES, ox.RdfFormat.JSON_LD, ox.RdfFormat.RDF_XML],
)
def test_e2e_sparql_construct_formats(client: httpx.Client, fmt: ox.RdfFormat) -> None:
    response = client.post(
        "/sparql",
        content=CONSTRUCT,
        headers={"content-type": "application/sparql-query", "accept": fmt.media_type},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(fmt.media_type)
    assert len(list(ox.parse(response.content, fmt))) == 5


def test_e2e_sparql_dataset_parameters_and_service_description(client: httpx.Client) -> None:
    alpha = "http://127.0.0.1:8000/graph/alpha"
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def n(params: dict[str, str]) -> int:
        response = client.get("/sparql", params={"query": count, **params})
        assert response.status_code == 200
        return int(response.json()["results"]["bindings"][0]["n"]["value"])

    assert 0 < n({"default-graph-uri": alpha}) < n({})
    named = client.get(
        "/sparql",
        params={
            "query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
            "named-graph-uri": alpha,
        },
    )
    assert [b["g"]["value"] for b in named.json()["results"]["bindings"]] == [alpha]
    described = client.get("/sparql", params={"format": "nt"})
    assert described.status_code == 200
    assert "sparql-service-description#Service" in described.text
    assert "union of all article graphs" in described.text


def test_e2e_sparql_ask_over_get_and_form(client: httpx.Client) -> None:
    got = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    posted = client.post("/sparql", data={"query": "ASK { ?s ?p ?o }"})
    assert got.json()["boolean"] is True
    assert posted.json()["boolean"] is True


@pytest.mark.parametrize(
    ("method", "kwargs", "status", "problem"),
    [
        ("GET", {"params": {"query": "SELECT WHERE"}}, 400, "query-syntax"),
        (  # an unknown format falls back on Accept
            "GET",
            {"params": {"query": SELECT, "format": "bogus"}, "headers": {"accept": "text/html"}},
            406,
            "not-acceptable",
        ),
        ("GET", {"params": {"query": SELECT}, "headers": {"accept": "image/png"}}, 406, None),
        ("POST", {"content": "{}", "headers": {"content-type": "application/json"}}, 415, None),
        ("GET", {"params": {"update": INSERT}}, 403, "update-forbidden"),
    ],
)
def test_e2e_sparql_error_statuses(
    client: httpx.Client, method: str, kwargs: dict[str, object], status: int, problem: str | None
) -> None:
    response = client.request(method, "/sparql", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    if problem:
        assert response.json()["type"].endswith("/" + problem)


@pytest.mark.parametrize(
    ("path", "body", "content_type"),
    [
        ("/update", f"update={INSERT}", "application/x-www-form-urlencoded"),
        ("/update", INSERT, "application/sparql-update"),
        ("/sparql", INSERT, "application/sparql-update"),
    ],
)
def test_e2e_update_needs_the_token_and_workers_see_it(
    client: httpx.Client, path: str, body: str, content_type: str
) -> None:
    headers = {"content-type": content_type}
    assert client.post(path, content=body, headers=headers).status_code == 401
    wrong = client.post(path, content=body, headers={**headers, "authorization": "Bearer no"})
    assert wrong.status_code == 403
    assert wrong.headers["content-type"] == "application/problem+json"
    # the workers read the store read-only; a write made after they opened it must show
    assert client.get("/sparql", params={"query": ASK_INSERTED}).json()["boolean"] is False
    good = client.post(path, content=body, headers={**headers, "authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 204
    for _ in range(3):  # both workers, whichever answers
        assert client.get("/sparql", params={"query": ASK_INSERTED}).json()["boolean"] is True


def test_e2e_update_refused_without_configured_token(tmp_path: Path) -> None:
    app = create_app(Settings(store_path=tmp_path / "store", query_workers=1))
    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    with (
        ThreadedServer(config).running(),
        httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http,
    ):
        response = http.post(
            "/update", data={"update": INSERT}, headers={"authorization": "Bearer x"}
        )
        assert response.status_code == 403
        assert "KG_WRITE_TOKEN" in response.json()["detail"]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_e2e_sparql_timeout_kills_the_worker(served: PoolServed, client: httpx.Client) -> None:
    pool = served.pool()
    before = set(pool.pids())
    assert len(before) == 2
    started = time.monotonic()
    response = client.get("/sparql", params={"query": RUNAWAY})
    elapsed = time.monotonic() - started
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/query-timeout")
    assert "cancelled" in response.json()["detail"]
    assert elapsed < TIMEOUT + 1.0  # the protocol's bound
    killed = before - set(pool.pids())
    assert len(killed) == 1
    assert not any(_alive(pid) for pid in killed)  # its CPU is free again
    # the replacement arrives in the background; the pool is whole again
    deadline = time.monotonic() + 60
    while len(pool.pids()) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(pool.pids()) == 2
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).status_code == 200


def test_e2e_sparql_other_requests_are_served_during_a_runaway(
    served: PoolServed, client: httpx.Client
) -> None:
    outcome: dict[str, int] = {}

    def runaway() -> None:
        with httpx.Client(base_url=served.url, timeout=30) as other:
            outcome["status"] = other.get("/sparql", params={"query": RUNAWAY}).status_code

    thread = threading.Thread(target=runaway)
    thread.start()
    try:
        time.sleep(0.3)  # let the runaway take a worker (not an assertion on time)
        quick = client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
        rest = client.get("/documents")
        still_running = thread.is_alive()
    finally:
        thread.join(timeout=30)
    assert quick.status_code == 200
    assert rest.status_code == 200
    assert still_running
    assert outcome["status"] == 503


@pytest.mark.parametrize("fmt", ["nquads", "trig", "graphml", "csv-nodes"])
def test_e2e_graph_export_streams(client: httpx.Client, fmt: str) -> None:
    with client.stream("GET", "/graph", params={"format": fmt}) as response:
        assert response.status_code == 200
        body = b"".join(response.iter_bytes())
    if fmt in ("nquads", "trig"):
        rdf = ox.RdfFormat.N_QUADS if fmt == "nquads" else ox.RdfFormat.TRIG
        assert len(list(ox.parse(body, format=rdf))) > 100
    else:
        assert len(body.splitlines()) > 10
