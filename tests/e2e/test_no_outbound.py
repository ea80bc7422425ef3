"""No request a caller sends makes the server fetch anything: a listener on 127.0.0.1 counts
what reaches it while every query form, update form and protocol parameter names it.

Also: an allowed SERVICE endpoint (KG_SPARQL_SERVICES) is called and its rows come back, a
failing one answers 502 problem+json, a slow one is cut by KG_QUERY_TIMEOUT, and no failure
ends a query worker (same PIDs before and after). A hostile remote store (KG_STORE_URL) that
redirects or answers JSON-LD with a remote context makes no request either.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from kg.errors import StoreError
from kg.store.remote import RemoteStore
from tests.utils.server import PoolServed, pool_server

pytestmark = pytest.mark.e2e

TOKEN = "outbound-secret"  # noqa: S105 - a test token
RESULTS = b'{"head":{"vars":["s"]},"results":{"bindings":[{"s":{"type":"uri","value":"http://remote.example/row"}}]}}'


@dataclass
class Listener:
    """An HTTP server on 127.0.0.1 that records every request it receives."""

    url: str
    hits: list[str] = field(default_factory=list)


def _handler(listener: Listener) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            listener.hits.append(f"{self.command} {self.path}")
            length = int(self.headers.get("content-length") or 0)
            self.rfile.read(length)
            if self.path.startswith("/slow"):
                time.sleep(3)
            if self.path.startswith("/fail"):
                self.send_response(500)
                self.end_headers()
                return
            if self.path.startswith("/redirect"):
                self.send_response(302)
                self.send_header("Location", listener.url + "/redirected")
                self.end_headers()
                return
            if self.path.startswith("/jsonld"):
                body = (
                    b'{"@context": "' + listener.url.encode() + b'/context",'
                    b' "@id": "http://e/a", "x": "1"}'
                )
                content_type = "application/ld+json"
            elif self.path.startswith("/garbage"):
                body, content_type = b"{not json", "application/sparql-results+json"
            else:
                body, content_type = RESULTS, "application/sparql-results+json"
            self.send_response(200)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = _answer  # noqa: N815 - http.server names

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test reads `listener.hits`."""

    return Handler


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    found = Listener(f"http://127.0.0.1:{server.server_address[1]}")
    server.RequestHandlerClass = _handler(found)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PoolServed]:
    """A server with the default settings: no SERVICE or LOAD allowed."""
    with pool_server(tmp_path_factory.mktemp("closed"), write_token=TOKEN) as served:
        yield served


@pytest.fixture(scope="module")
def federated(tmp_path_factory: pytest.TempPathFactory, listener: Listener) -> Iterator[PoolServed]:
    """A server allowing four of the listener's endpoints, with a 1 s query timeout."""
    allowed = " ".join(f"{listener.url}/{name}" for name in ("sparql", "fail", "garbage", "slow"))
    with pool_server(
        tmp_path_factory.mktemp("federated"),
        write_token=TOKEN,
        sparql_services=allowed,
        query_timeout=1.0,
    ) as served:
        yield served


def _queries(target: str) -> list[str]:
    """Every way a query can name `target` as a SERVICE endpoint."""
    where = f"SERVICE <{target}> {{ ?s ?p ?o }}"
    return [
        f"SELECT * WHERE {{ {where} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{target}> {{ ?s ?p ?o }} }}",
        f"ASK {{ {where} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {where} }}",
        f"DESCRIBE ?s WHERE {{ {where} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ {where} }} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ {where} }} }}",
        f"SELECT * WHERE {{ {{ ?a ?b ?c }} UNION {{ {where} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c FILTER EXISTS {{ {where} }} }}",
        f"SELECT * WHERE {{ ?a ?b ?c MINUS {{ {where} }} }}",
        f"select * where {{ service <{target}> {{ ?s ?p ?o }} }}",
        # read as pyoxigraph reads them: `<` after an operand is less-than, and \\u escapes
        # count only inside strings and IRIs (both once hid a SERVICE from the guard)
        f"SELECT * {{ FILTER(1<'a>') SERVICE SILENT <{target}> {{ ?s ?p ?o }} #')\n}}",
        f'SELECT * {{ BIND("\\u0022" AS ?x) SERVICE SILENT <{target}> {{ }} }} # """',
        f"PREFIX r: <{target.rsplit('/', 1)[0]}/> SELECT * WHERE {{ SERVICE r:x {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{target}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"BASE <{target}> SELECT * WHERE {{ SERVICE <x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }} # a comment",
    ]


def _updates(target: str) -> list[str]:
    return [
        f"LOAD <{target}>",
        f"LOAD SILENT <{target}> INTO GRAPH <http://e/g>",
        f"INSERT {{ GRAPH <http://e/g> {{ ?s ?p ?o }} }}"
        f" WHERE {{ SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f'INSERT DATA {{ <http://e/a> <http://e/b> "x" }} ; LOAD <{target}>',
    ]


def _is_refusal(response: httpx.Response) -> bool:
    return (
        response.status_code == 400
        and response.headers["content-type"] == "application/problem+json"
        and response.json()["type"].endswith("/remote-access-refused")
        and "KG_SPARQL_" in response.json()["detail"]
    )


def test_e2e_no_query_form_reaches_the_network(closed: PoolServed, listener: Listener) -> None:
    before = closed.pids()
    with httpx.Client(base_url=closed.url, timeout=30) as http:
        for query in _queries(f"{listener.url}/x"):
            answers = [
                http.get("/sparql", params={"query": query}),
                http.post("/sparql", data={"query": query}),
                http.post(
                    "/sparql",
                    content=query,
                    headers={"Content-Type": "application/sparql-query"},
                ),
            ]
            assert all(_is_refusal(a) for a in answers), (query, [a.text for a in answers])
    assert listener.hits == []
    assert closed.pids() == before


def test_e2e_no_update_form_reaches_the_network(closed: PoolServed, listener: Listener) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    with httpx.Client(base_url=closed.url, timeout=30) as http:
        for update in _updates(f"{listener.url}/x"):
            answers = [
                http.post("/update", data={"update": update}, headers=auth),
                http.post(
                    "/update",
                    content=update,
                    headers={**auth, "Content-Type": "application/sparql-update"},
                ),
                http.post(
                    "/sparql",
                    content=update,
                    headers={**auth, "Content-Type": "application/sparql-update"},
                ),
            ]
            assert all(_is_refusal(a) for a in answers), (update, [a.text for a in answers])
            # without the token: refused before anything is read
            assert http.post("/update", data={"update": update}).status_code == 401
        # the refused updates changed nothing
        ask = http.get("/sparql", params={"query": 'ASK { <http://e/a> <http://e/b> "x" }'})
        assert ask.json()["boolean"] is False
    assert listener.hits == []


def test_e2e_dataset_iris_fetch_nothing(closed: PoolServed, listener: Listener) -> None:
    remote = f"{listener.url}/graph"
    with httpx.Client(base_url=closed.url, timeout=30) as http:
        answers = [
            http.get("/sparql", params={"query": f"SELECT * FROM <{remote}> WHERE {{ ?s ?p ?o }}"}),
            http.get(
                "/sparql",
                params={
                    "query": f"SELECT * FROM NAMED <{remote}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"
                },
            ),
            http.get(
                "/sparql",
                params={"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": remote},
            ),
            http.get(
                "/sparql",
                params={
                    "query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
                    "named-graph-uri": remote,
                },
            ),
        ]
    assert [a.status_code for a in answers] == [200] * 4
    assert all(a.json()["results"]["bindings"] == [] for a in answers)
    assert listener.hits == []


def test_e2e_service_in_a_literal_or_comment_is_no_call(
    closed: PoolServed, listener: Listener
) -> None:
    query = (
        f'SELECT ?x WHERE {{ BIND("SERVICE <{listener.url}/x> {{ }}" AS ?x) }}'
        f"  # SERVICE <{listener.url}/x> {{ ?s ?p ?o }}"
    )
    with httpx.Client(base_url=closed.url, timeout=30) as http:
        answer = http.get("/sparql", params={"query": query})
    assert answer.status_code == 200
    assert "SERVICE" in answer.json()["results"]["bindings"][0]["x"]["value"]
    assert listener.hits == []


def test_e2e_allowed_service_answers_and_failures_keep_the_workers(
    federated: PoolServed, listener: Listener
) -> None:
    before = federated.pids()
    assert len(before) == 2
    with httpx.Client(base_url=federated.url, timeout=30) as http:
        hits = len(listener.hits)
        rows = http.get(
            "/sparql",
            params={
                "query": f"SELECT ?s WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"
            },
        )
        assert rows.status_code == 200, rows.text
        assert rows.json()["results"]["bindings"] == [
            {"s": {"type": "uri", "value": "http://remote.example/row"}}
        ]
        assert len(listener.hits) > hits
        for name in ("fail", "garbage"):
            failed = http.get(
                "/sparql",
                params={
                    "query": f"SELECT * WHERE {{ SERVICE <{listener.url}/{name}> {{ ?s ?p ?o }} }}"
                },
            )
            assert failed.status_code == 502, failed.text
            assert failed.headers["content-type"] == "application/problem+json"
            assert failed.json()["type"].endswith("/remote-service")
        # one allowed endpoint does not open the others
        other = http.get(
            "/sparql",
            params={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}/other> {{ ?s ?p ?o }} }}"},
        )
        assert _is_refusal(other)
        assert not any(hit.endswith("/other") for hit in listener.hits)
        assert federated.pids() == before  # no failure ended a worker
        slow = http.get(
            "/sparql",
            params={"query": f"SELECT * WHERE {{ SERVICE <{listener.url}/slow> {{ ?s ?p ?o }} }}"},
        )
        assert slow.status_code == 503
        assert slow.json()["type"].endswith("/query-timeout")


@pytest.mark.parametrize("path", ["/redirect", "/jsonld"])
def test_e2e_hostile_remote_store_makes_no_request(listener: Listener, path: str) -> None:
    store = RemoteStore(listener.url + path)
    try:
        with pytest.raises(StoreError):
            store.query("CONSTRUCT WHERE { ?s ?p ?o }")
    finally:
        store.close()
    assert not any(hit.endswith(("/redirected", "/context")) for hit in listener.hits)
