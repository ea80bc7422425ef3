"""The W3C SPARQL 1.1 Protocol tests, all 34, over HTTP against a real newskg server.

The cases are those of `sparql/sparql11/protocol/manifest.ttl` in w3c/rdf-tests, transcribed
here: each sends the manifest's requests as written (method, path and query string, Content-Type,
body) and checks what the manifest expects (a 2xx/3xx or a 4xx status; for a success, the
boolean answer or the kind of answer: boolean, tabular, RDF). The test data is the manifest's
three one-triple files `dataN.nt`, each loaded into the named graph the manifest labels
`http://kasei.us/2009/09/sparql/data/dataN.rdf`.

Where the server's policy adds to the manifest's requests, it says so:

- every request carries `Authorization: Bearer <token>`: updates need it, and with it a refused
  request fails on the protocol error the test is about, never on a missing token;
- each test starts from a store holding the graphs it declares (`ut:graphData`), loaded with an
  authorized update, and one triple naming Bill in `<http://example/addresses>`;
- a refused request must also leave the store as it was (not in the manifest): the `bad_*`
  tests start with data1-3 loaded, which `CLEAR NAMED` would remove, and Bill is who
  `bad_update_dataset_conflict` would rename if its update ran.

One server (on-disk store, one query worker) serves the module's 34 tests; one more test runs
them all again through `KG_STORE_URL` against `oxigraph serve`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
import uvicorn

from api.main import create_app
from kg.config import Settings
from tests.e2e.test_server import ThreadedServer, free_port

pytestmark = pytest.mark.e2e

TOKEN = "w3c-protocol-secret"  # noqa: S105 - a test token
KASEI = "http://kasei.us/2009/09/sparql/data/"
FOAF_DOCUMENT = "http://xmlns.com/foaf/0.1/Document"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"


class Status(StrEnum):
    OK = "2xx or 3xx"
    CLIENT_ERROR = "4xx"


class Answer(StrEnum):
    """`mf:expectedFormat`: the kind of answer and the media types that may carry it."""

    BOOLEAN = "boolean"
    TABULAR = "tabular"
    RDF = "RDF"


ANSWER_MEDIA_TYPES = {
    Answer.BOOLEAN: {"application/sparql-results+xml", "application/sparql-results+json"},
    Answer.TABULAR: {
        "application/sparql-results+xml",
        "application/sparql-results+json",
        "text/csv",
        "text/tab-separated-values",
    },
    Answer.RDF: {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


@dataclass(frozen=True)
class Call:
    """One `ht:Request` and its `ht:resp`."""

    method: str
    target: str
    """`ht:absolutePath`: the path and the query string, already percent-encoded."""
    content_type: str | None = None
    body: str | None = None
    encoding: str = "utf-8"
    """`cnt:characterEncoding` of the body."""
    status: Status = Status.OK
    answer: Answer | None = None
    boolean: bool | None = None


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    calls: tuple[Call, ...]
    graphs: tuple[int, ...] = ()
    """`ut:graphData`: N of each `dataN.nt` loaded into the graph `…/dataN.rdf`."""


def _param(name: str, value: str) -> str:
    """`name=value` percent-encoded as the manifest's `ht:absolutePath`s are (`quote`, no safe
    characters: `ASK%20%7B%7D`, `http%3A%2F%2F…`)."""
    return f"{name}={quote(value, safe='')}"


def _target(*params: str) -> str:
    return "/sparql/" + ("?" + "&".join(params) if params else "")


def _data(n: int) -> str:
    return f"{KASEI}data{n}.rdf"


def _graphs(name: str, *numbers: int) -> list[str]:
    return [_param(name, _data(n)) for n in numbers]


def _ask(target: str, body: str | None = None, content_type: str | None = None) -> Call:
    """An ASK whose answer must be `true` (GET without a body, else POST)."""
    method = "GET" if body is None else "POST"
    return Call(method, target, content_type, body, answer=Answer.BOOLEAN, boolean=True)


def _update(target: str, body: str) -> Call:
    return Call("POST", target, UPDATE, body)


def _refused(
    name: str, method: str, target: str, content_type: str | None = None, body: str | None = None
) -> ProtocolTest:
    """A `bad_*` test: a 4xx (the store holds data1-3, and must still hold them afterwards)."""
    encoding = "utf-16" if content_type and "UTF-16" in content_type else "utf-8"
    call = Call(method, target, content_type, body, encoding, Status.CLIENT_ERROR)
    return ProtocolTest(name, (call,), graphs=(1, 2, 3))


DATA0 = _param("default-graph-uri", _data(0))
ASK_DEFAULT_1_2 = f"ASK {{ <{_data(1)}> a ?type . <{_data(2)}> a ?type . }}"
ASK_NAMED_1_2 = (
    f"ASK {{ GRAPH ?g1 {{ <{_data(1)}> a ?type }} GRAPH ?g2 {{ <{_data(2)}> a ?type }} }}"
)
PROLOGUE = "PREFIX dc: <http://purl.org/dc/terms/>\nPREFIX foaf: <http://xmlns.com/foaf/0.1/>\n"
INSERT_DATA_1_2_3 = (
    "INSERT DATA {\n"
    + "".join(f"    GRAPH <{_data(n)}> {{ <{_data(n)}> a foaf:Document }}\n" for n in (1, 2, 3))
    + "} ;\n"
)
BIB = "http://purl.org/dc/terms/BibliographicResource"


def _insert_bibliographic(graph: str, where: str) -> str:
    return (
        f"INSERT {{\n    GRAPH <{graph}> {{\n        ?s a dc:BibliographicResource\n    }}\n}}\n"
        f"WHERE {{\n{where}\n}}"
    )


def _ask_has_1_2_not_3(graph: str) -> str:
    return (
        f"ASK {{\n    GRAPH <{graph}> {{\n"
        f"        <{_data(1)}> a <{BIB}> .\n        <{_data(2)}> a <{BIB}> .\n    }}\n"
        f"    FILTER NOT EXISTS {{\n        GRAPH <{graph}> {{\n"
        f"            <{_data(3)}> a <{BIB}> .\n        }}\n    }}\n}}"
    )


DATASET_TEST = "http://example.org/protocol-update-dataset-test/"
GRAPHS_TEST = "http://example.org/protocol-update-dataset-graphs-test/"
NAMED_TEST = "http://example.org/protocol-update-dataset-named-graphs-test/"
FULL_TEST = "http://example.org/protocol-update-dataset-full-test/"
BASE_TEST = "http://example.org/protocol-base-test/"

#: The manifest's 34 entries, in its order.
TESTS = (
    ProtocolTest("query_post_form", (_ask(_target(DATA0), _param("query", "ASK {}"), FORM),)),
    ProtocolTest(
        "query_dataset_default_graphs_get",
        (_ask(_target(_param("query", ASK_DEFAULT_1_2), *_graphs("default-graph-uri", 1, 2))),),
        graphs=(1, 2),
    ),
    ProtocolTest(
        "query_dataset_default_graphs_post",
        (_ask(_target(*_graphs("default-graph-uri", 1, 2)), ASK_DEFAULT_1_2, QUERY),),
        graphs=(1, 2),
    ),
    ProtocolTest(
        "query_dataset_named_graphs_post",
        (_ask(_target(*_graphs("named-graph-uri", 1, 2)), ASK_NAMED_1_2, QUERY),),
        graphs=(1, 2),
    ),
    ProtocolTest(
        "query_dataset_named_graphs_get",
        (_ask(_target(_param("query", ASK_NAMED_1_2), *_graphs("named-graph-uri", 1, 2))),),
        graphs=(1, 2),
    ),
    ProtocolTest(
        "query_dataset_full",
        (
            _ask(
                _target(*_graphs("default-graph-uri", 3), *_graphs("named-graph-uri", 1, 2)),
                f"ASK {{\n  <{_data(3)}> a ?type\n"
                f"  GRAPH ?g1 {{ <{_data(1)}> a ?type }}\n"
                f"  GRAPH ?g2 {{ <{_data(2)}> a ?type }}\n}}",
                QUERY,
            ),
        ),
        graphs=(1, 2, 3),
    ),
    ProtocolTest(
        "query_multiple_dataset",
        (
            _ask(
                _target(*_graphs("named-graph-uri", 1, 2)),
                f"ASK FROM <{_data(3)}> {{ GRAPH ?g1 {{ <{_data(1)}> a ?type }}"
                f" GRAPH ?g2 {{ <{_data(2)}> a ?type }} }}",
                QUERY,
            ),
        ),
        graphs=(1, 2, 3),
    ),
    ProtocolTest("query_get", (_ask(_target(_param("query", "ASK {}"), DATA0)),)),
    ProtocolTest(
        "query_content_type_select",
        (Call("POST", _target(DATA0), QUERY, "SELECT (1 AS ?value) {}", answer=Answer.TABULAR),),
    ),
    ProtocolTest(
        "query_content_type_ask",
        (Call("POST", _target(DATA0), QUERY, "ASK {}", answer=Answer.BOOLEAN),),
    ),
    ProtocolTest(
        "query_content_type_describe",
        (Call("POST", _target(DATA0), QUERY, "DESCRIBE <http://example.org/>", answer=Answer.RDF),),
    ),
    ProtocolTest(
        "query_content_type_construct",
        (
            Call(
                "POST", _target(DATA0), QUERY, "CONSTRUCT { <s> <p> 1 } WHERE {}", answer=Answer.RDF
            ),
        ),
    ),
    ProtocolTest(
        "update_dataset_default_graph",
        (
            _update(
                _target(*_graphs("using-graph-uri", 1)),
                PROLOGUE + f"CLEAR ALL ;\nINSERT DATA {{\n    GRAPH <{_data(1)}> {{\n"
                f"        <{_data(1)}> a foaf:Document\n    }}\n}} ;\n"
                + _insert_bibliographic(DATASET_TEST, "    ?s a foaf:Document"),
            ),
            _ask(
                _target(),
                f"ASK {{\n    GRAPH <{DATASET_TEST}> {{\n"
                f"        <{_data(1)}> a <{BIB}>\n    }}\n}}",
                QUERY,
            ),
        ),
    ),
    ProtocolTest(
        "update_dataset_default_graphs",
        (
            _update(
                _target(*_graphs("using-graph-uri", 1, 2)),
                PROLOGUE
                + "DROP ALL ;\n"
                + INSERT_DATA_1_2_3
                + _insert_bibliographic(GRAPHS_TEST, "    ?s a foaf:Document"),
            ),
            _ask(_target(), _ask_has_1_2_not_3(GRAPHS_TEST), QUERY),
        ),
    ),
    ProtocolTest(
        "update_dataset_named_graphs",
        (
            _update(
                _target(*_graphs("using-named-graph-uri", 1, 2)),
                PROLOGUE
                + "DROP ALL ;\n"
                + INSERT_DATA_1_2_3
                + _insert_bibliographic(
                    NAMED_TEST, "    GRAPH ?g {\n        ?s a foaf:Document\n    }"
                ),
            ),
            _ask(_target(), _ask_has_1_2_not_3(NAMED_TEST), QUERY),
        ),
    ),
    ProtocolTest(
        "update_dataset_full",
        (
            _update(
                _target(*_graphs("using-graph-uri", 1), *_graphs("using-named-graph-uri", 2)),
                PROLOGUE
                + "DROP ALL ;\n"
                + INSERT_DATA_1_2_3
                + f"INSERT {{\n    GRAPH <{FULL_TEST}> {{\n"
                "        ?s <http://example.org/in> ?in\n    }\n}\nWHERE {\n    {\n"
                "        GRAPH ?g { ?s a foaf:Document }\n        BIND(?g AS ?in)\n    }\n"
                "    UNION\n    {\n        ?s a foaf:Document .\n"
                '        BIND("default" AS ?in)\n    }\n}',
            ),
            _ask(
                _target(),
                f"ASK {{\n    GRAPH <{FULL_TEST}> {{\n"
                f'        <{_data(1)}> <http://example.org/in> "default" .\n'
                f"        <{_data(2)}> <http://example.org/in> <{_data(2)}> .\n    }}\n"
                f"    FILTER NOT EXISTS {{\n        GRAPH <{FULL_TEST}> {{\n"
                f"            <{_data(3)}> ?p ?o\n        }}\n    }}\n}}",
                QUERY,
            ),
        ),
    ),
    ProtocolTest("update_post_form", (Call("POST", _target(), FORM, "update=CLEAR+ALL"),)),
    ProtocolTest("update_post_direct", (_update(_target(), "CLEAR ALL"),)),
    ProtocolTest(
        "update_base_uri",
        (
            _update(
                _target(),
                f"CLEAR SILENT GRAPH <{BASE_TEST}> ;\nINSERT DATA {{ GRAPH <{BASE_TEST}>"
                " { <http://example.org/s> <http://example.org/p> <test> } }",
            ),
            _ask(
                _target(),
                f"ASK {{\n    GRAPH <{BASE_TEST}> {{\n"
                "        <http://example.org/s> <http://example.org/p> ?o\n"
                '        FILTER (isIRI(?o) && STR(?o) != "test")\n    }\n}',
                QUERY,
            ),
        ),
    ),
    ProtocolTest("query_post_direct", (_ask(_target(), "ASK {}", QUERY),)),
    _refused("bad_query_method", "PUT", _target(_param("query", "ASK {}"), DATA0), FORM),
    _refused(
        "bad_multiple_queries",
        "GET",
        _target(_param("query", "ASK {}"), _param("query", "SELECT * {}")),
    ),
    _refused("bad_query_wrong_media_type", "POST", _target(), "text/plain", "ASK {}"),
    _refused("bad_query_missing_form_type", "POST", _target(), None, _param("query", "ASK {}")),
    _refused("bad_query_missing_direct_type", "POST", _target(), None, "ASK {}"),
    _refused("bad_query_non_utf8", "POST", _target(), f"{QUERY}; charset=UTF-16", "ASK {}"),
    _refused("bad_query_syntax", "GET", _target(_param("query", "ASK {"))),
    _refused("bad_update_get", "GET", _target(_param("update", "CLEAR ALL"))),
    _refused(
        "bad_multiple_updates",
        "POST",
        _target(),
        FORM,
        _param("update", "CLEAR NAMED") + "&" + _param("update", "CLEAR DEFAULT"),
    ),
    _refused("bad_update_wrong_media_type", "POST", _target(), "text/plain", "CLEAR NAMED"),
    _refused(
        "bad_update_missing_form_type", "POST", _target(), None, _param("update", "CLEAR NAMED")
    ),
    _refused("bad_update_non_utf8", "POST", _target(), f"{UPDATE}; charset=UTF-16", "CLEAR NAMED"),
    _refused("bad_update_syntax", "POST", _target(), FORM, _param("update", "CLEAR XYZ")),
    _refused(
        "bad_update_dataset_conflict",
        "POST",
        _target(_param("using-named-graph-uri", "http://example/people")),
        UPDATE,
        "PREFIX foaf:  <http://xmlns.com/foaf/0.1/>\nWITH <http://example/addresses>\n"
        "DELETE { ?person foaf:givenName 'Bill' }\nINSERT { ?person foaf:givenName 'William' }\n"
        "WHERE {\n    ?person foaf:givenName 'Bill'\n}",
    ),
)

#: Beyond the manifest: Bill, whom bad_update_dataset_conflict would rename if it ran.
BILL = (
    "GRAPH <http://example/addresses> {"
    " <http://example/bill> <http://xmlns.com/foaf/0.1/givenName> 'Bill' }"
)


@contextlib.contextmanager
def _serve(settings: Settings) -> Iterator[httpx.Client]:
    """A real server for `settings`, and a client that sends the write token."""
    port = free_port()
    config = uvicorn.Config(
        create_app(settings), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
    )
    with (
        ThreadedServer(config).running(),
        httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"authorization": f"Bearer {TOKEN}"},
            timeout=30,
        ) as http,
    ):
        yield http


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    """One server for the module: on-disk store, one query worker, updates with `TOKEN`."""
    folder = tmp_path_factory.mktemp("w3c-protocol")
    with _serve(Settings(store_path=folder / "store", write_token=TOKEN, query_workers=1)) as http:
        yield http


def _seed(client: httpx.Client, test: ProtocolTest) -> None:
    """Empty the store, then load the test's `ut:graphData` (and Bill)."""
    graphs = [
        f"GRAPH <{_data(n)}> {{ <{_data(n)}> <{RDF_TYPE}> <{FOAF_DOCUMENT}> }}" for n in test.graphs
    ]
    update = f"DROP ALL ; INSERT DATA {{ {' '.join(graphs)} {BILL} }}"
    response = client.post("/update", content=update, headers={"content-type": UPDATE})
    assert response.status_code == 204, response.text


def _content(client: httpx.Client) -> list[str]:
    """Every quad of the store, sorted (the default graph's as `?g` unbound)."""
    response = client.post(
        "/sparql",
        content="SELECT ?s ?p ?o ?g { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o } }",
        headers={"content-type": QUERY, "accept": "text/tab-separated-values"},
    )
    assert response.status_code == 200, response.text
    return sorted(response.text.splitlines()[1:])


def _send(client: httpx.Client, call: Call) -> httpx.Response:
    headers = {"content-type": call.content_type} if call.content_type else {}
    content = call.body.encode(call.encoding) if call.body is not None else None
    return client.request(call.method, call.target, content=content, headers=headers)


def _check(response: httpx.Response, call: Call) -> None:
    """The status class, then the kind of answer, then the boolean, as `ht:resp` says."""
    what = f"{call.method} {call.target}: {response.status_code} {response.text[:300]}"
    if call.status is Status.CLIENT_ERROR:
        assert 400 <= response.status_code < 500, what
        assert response.status_code != 401, what  # refused for the protocol error, not auth
        return
    assert 200 <= response.status_code < 400, what
    if call.answer is None:
        return
    media_type = response.headers.get("content-type", "").split(";")[0].strip()
    assert media_type in ANSWER_MEDIA_TYPES[call.answer], what
    if call.answer is Answer.RDF:
        rdf_format = ox.RdfFormat.from_media_type(media_type)
        assert rdf_format is not None
        list(ox.parse(response.content, format=rdf_format))  # it parses
        return
    results_format = ox.QueryResultsFormat.from_media_type(media_type)
    assert results_format is not None
    results = ox.parse_query_results(response.content, results_format)
    if call.answer is Answer.BOOLEAN:
        assert isinstance(results, ox.QueryBoolean), what
        if call.boolean is not None:
            assert bool(results) is call.boolean, what
    else:
        assert isinstance(results, ox.QuerySolutions), what
        assert len(list(results)) == 1, what


def _run(client: httpx.Client, test: ProtocolTest) -> None:
    _seed(client, test)
    before = _content(client)
    for call in test.calls:
        _check(_send(client, call), call)
    if all(call.status is Status.CLIENT_ERROR for call in test.calls):
        assert _content(client) == before, "a refused request changed the store"


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(client: httpx.Client, test: ProtocolTest) -> None:
    _run(client, test)


def _check_base(client: httpx.Client) -> None:
    """Beyond the manifest (which only asks for some absolute IRI): the base is the URL the
    request was sent to, without its query string, as `oxigraph serve` does."""
    _seed(client, ProtocolTest("base", ()))
    root = str(client.base_url).rstrip("/")
    endpoint = f"{root}/sparql/"
    construct = client.post(
        "/sparql/?format=nt",
        content="CONSTRUCT { <s> <p> <o> } WHERE {}",
        headers={"content-type": QUERY},
    )
    assert construct.status_code == 200, construct.text
    assert construct.text.strip() == f"<{endpoint}s> <{endpoint}p> <{endpoint}o> ."
    insert = client.post(
        "/update",
        content="BASE <sub/> INSERT DATA { GRAPH <g> { <s> <p> <o> } }",
        headers={"content-type": UPDATE},
    )
    assert insert.status_code == 204, insert.text
    base = f"{root}/sub/"  # the update's own BASE, resolved against /update
    ask = f"ASK {{ GRAPH <{base}g> {{ <{base}s> <{base}p> <{base}o> }} }}"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is True


def test_w3c_protocol_base_iri_is_the_endpoint_url(client: httpx.Client) -> None:
    _check_base(client)


def test_w3c_protocol_on_a_remote_store(oxigraph_server: Callable[..., str]) -> None:
    """All 34 again with KG_STORE_URL: the USING clauses and this endpoint's base (not the
    remote's own) reach `oxigraph serve` in the text of the update or query."""
    settings = Settings(store_url=oxigraph_server() + "/query", write_token=TOKEN)
    failed: list[str] = []
    with _serve(settings) as http:
        for test in TESTS:
            try:
                _run(http, test)
            except AssertionError as exc:
                failed.append(f"{test.name}: {exc}")
        _check_base(http)
    assert failed == [], "\n".join(failed)
