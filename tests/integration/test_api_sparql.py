"""/sparql: protocol (GET, POST form, POST sparql-query), formats, negotiation, errors, and the
pure functions behind it."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any
from urllib.parse import quote_plus

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from api.sparql import (
    ResultKind,
    SparqlRequest,
    authorize_update,
    looks_like_update,
    negotiate,
    parse_accept,
    parse_sparql_request,
)
from kg.config import Settings
from kg.errors import (
    NotAcceptableError,
    QueryError,
    UnauthorizedError,
    UnsupportedMediaTypeError,
    UpdateForbiddenError,
)
from kg.store import OxigraphStore

COUNT_DOCS = (
    "PREFIX kg: <https://w3id.org/newskg/ns#> SELECT (COUNT(?d) AS ?n) WHERE { ?d a kg:Document }"
)
SELECT_DOCS = (
    "PREFIX kg: <https://w3id.org/newskg/ns#> "
    "SELECT ?id WHERE { ?d kg:documentId ?id } ORDER BY ?id"
)
CONSTRUCT = (
    "PREFIX kg: <https://w3id.org/newskg/ns#> "
    "CONSTRUCT { ?d kg:documentId ?id } WHERE { ?d kg:documentId ?id }"
)
ALPHA = "http://127.0.0.1:8000/graph/alpha"


def solutions(body: bytes) -> list[dict[str, str]]:
    data = json.loads(body)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


# --- the protocol over HTTP -------------------------------------------------------------------


def test_api_sparql_get_select_json_over_union(api_client: TestClient) -> None:
    response = api_client.get("/sparql", params={"query": COUNT_DOCS})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/sparql-results+json"
    assert solutions(response.content) == [{"n": "2"}]


def test_api_sparql_post_form(api_client: TestClient) -> None:
    response = api_client.post("/sparql", data={"query": SELECT_DOCS})
    assert response.status_code == 200
    assert [row["id"] for row in solutions(response.content)] == ["alpha", "beta"]


def test_api_sparql_post_sparql_query(api_client: TestClient) -> None:
    response = api_client.post(
        "/sparql",
        content=SELECT_DOCS.encode(),
        headers={"content-type": "application/sparql-query"},
    )
    assert response.status_code == 200
    assert [row["id"] for row in solutions(response.content)] == ["alpha", "beta"]


def test_api_sparql_trailing_slash(api_client: TestClient) -> None:
    assert api_client.get("/sparql/", params={"query": "ASK {}"}).status_code == 200


def test_api_sparql_ask(api_client: TestClient) -> None:
    response = api_client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"})
    assert response.json() == {"head": {}, "boolean": True}


def test_api_sparql_default_graph_uri(api_client: TestClient) -> None:
    response = api_client.get("/sparql", params={"query": SELECT_DOCS, "default-graph-uri": ALPHA})
    assert [row["id"] for row in solutions(response.content)] == ["alpha"]


def test_api_sparql_named_graph_uri(api_client: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = api_client.get("/sparql", params={"query": query, "named-graph-uri": ALPHA})
    assert solutions(response.content) == [{"g": ALPHA}]


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv; charset=utf-8"),
        ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
        ("text/csv;q=0.4, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv; charset=utf-8"),
        (None, "application/sparql-results+json"),
    ],
)
def test_api_sparql_select_formats(
    api_client: TestClient, accept: str | None, media_type: str
) -> None:
    headers = {"accept": accept} if accept else {}
    response = api_client.get("/sparql", params={"query": SELECT_DOCS}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    fmt = ox.QueryResultsFormat.from_media_type(media_type)
    assert fmt is not None
    if fmt != ox.QueryResultsFormat.CSV:  # pyoxigraph parses JSON, XML and TSV results
        parsed = ox.parse_query_results(response.content, fmt)
        assert isinstance(parsed, ox.QuerySolutions)
        assert [row["id"].value for row in parsed] == ["alpha", "beta"]
    else:
        assert response.text.splitlines() == ["id", "alpha", "beta"]


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [
        ("text/turtle", ox.RdfFormat.TURTLE),
        ("application/n-triples", ox.RdfFormat.N_TRIPLES),
        ("application/ld+json", ox.RdfFormat.JSON_LD),
        ("application/rdf+xml", ox.RdfFormat.RDF_XML),
        (None, ox.RdfFormat.TURTLE),
    ],
)
def test_api_sparql_construct_formats(
    api_client: TestClient, accept: str | None, fmt: ox.RdfFormat
) -> None:
    headers = {"accept": accept} if accept else {}
    response = api_client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == fmt.media_type
    quads = list(ox.parse(response.content, fmt))
    assert {q.object.value for q in quads} == {"alpha", "beta"}


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
        ("xml", "application/sparql-results+xml"),
    ],
)
def test_api_sparql_format_parameter_wins(
    api_client: TestClient, name: str, media_type: str
) -> None:
    response = api_client.get(
        "/sparql",
        params={"query": SELECT_DOCS, "format": name},
        headers={"accept": "text/html,application/xhtml+xml"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


def test_api_sparql_unsupported_accept_is_406(api_client: TestClient) -> None:
    response = api_client.get(
        "/sparql", params={"query": SELECT_DOCS}, headers={"accept": "image/png"}
    )
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "application/sparql-results+json" in response.json()["detail"]


def test_api_sparql_format_of_the_other_kind_falls_back_on_accept(api_client: TestClient) -> None:
    response = api_client.get(
        "/sparql",
        params={"query": SELECT_DOCS, "format": "ttl"},
        headers={"accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "format=ttl" in response.headers["warning"]


def test_api_sparql_format_in_a_form_body_counts(api_client: TestClient) -> None:
    response = api_client.post(
        "/sparql",
        content=f"query={quote_plus(CONSTRUCT)}&format=n3&output=n3".encode(),
        headers={"content-type": "application/x-www-form-urlencoded", "accept": "*/*"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/n3")
    assert "warning" not in response.headers
    documents = list(ox.parse(response.content, format=ox.RdfFormat.N3))
    assert sorted(t.object.value for t in documents) == ["alpha", "beta"]


def test_api_sparql_unknown_format_and_no_acceptable_type_is_406(api_client: TestClient) -> None:
    response = api_client.get(
        "/sparql", params={"query": SELECT_DOCS, "format": "docx"}, headers={"accept": "image/png"}
    )
    assert response.status_code == 406
    assert "format='docx'" in response.json()["detail"]


def test_api_sparql_malformed_query_is_400_with_parser_message(api_client: TestClient) -> None:
    response = api_client.get("/sparql", params={"query": "SELECT ?x WHERE { ?x"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["title"] == "Invalid SPARQL query"
    assert problem["detail"].startswith("error at 1:")
    assert problem["instance"] == "/sparql"


def test_api_sparql_malformed_query_quotes_the_line_with_a_caret(api_client: TestClient) -> None:
    query = "PREFIX kg: <https://w3id.org/newskg/ns#>\nSELECT * WHERE { ?d kg:documentId }"
    response = api_client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    first, quoted, caret = response.json()["detail"].splitlines()
    assert first.startswith("error at 2:35: expected")
    column = 35
    assert quoted == "  2 | SELECT * WHERE { ?d kg:documentId }"
    assert caret == "    | " + " " * (column - 1) + "^"
    assert "[" not in first


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        ("update=DROP ALL", "application/x-www-form-urlencoded"),
        ("DROP ALL", "application/sparql-update"),
        ("query=DROP ALL", "application/x-www-form-urlencoded"),
        ("PREFIX ex: <http://e/>\nINSERT DATA { ex:a ex:b ex:c }", "application/sparql-query"),
    ],
)
def test_api_sparql_updates_are_refused(
    api_client: TestClient, content: str, content_type: str
) -> None:
    response = api_client.post("/sparql", content=content, headers={"content-type": content_type})
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"
    assert api_client.get("/documents").json()["total"] == 2


def test_api_sparql_update_via_get_is_refused(api_client: TestClient) -> None:
    assert api_client.get("/sparql", params={"update": "DROP ALL"}).status_code == 403


def test_api_sparql_other_post_body_is_415(api_client: TestClient) -> None:
    response = api_client.post(
        "/sparql", content="{}", headers={"content-type": "application/json"}
    )
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"


def test_api_sparql_service_description(api_client: TestClient) -> None:
    response = api_client.get("/sparql")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    quads = list(ox.parse(response.content, ox.RdfFormat.TURTLE))
    types = {q.object.value for q in quads if q.predicate.value.endswith("#type")}
    assert "http://www.w3.org/ns/sparql-service-description#Service" in types
    names = {q.object.value for q in quads if q.predicate.value.endswith("#name")}
    assert ALPHA in names
    assert any("union of all article graphs" in q.object.value for q in quads)


def test_api_sparql_service_description_as_json_ld(api_client: TestClient) -> None:
    response = api_client.get("/sparql", headers={"accept": "application/ld+json"})
    assert response.headers["content-type"] == "application/ld+json"
    assert json.loads(response.content)


def test_api_sparql_row_cap_truncates_and_says_so(sample_store: OxigraphStore) -> None:
    from api.main import create_app

    app = create_app(Settings(max_rows=3), store=sample_store)
    with TestClient(app) as client:
        capped = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert capped.status_code == 200
        assert len(solutions(capped.content)) == 3
        assert capped.headers["kg-results-truncated"] == "3"
        assert "truncated" in capped.headers["warning"]
        for fmt, rows in (("csv", 4), ("tsv", 4)):
            cut = client.get(
                "/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }", "format": fmt}
            )
            assert len(cut.text.strip().splitlines()) == rows
        whole = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
        assert len(solutions(whole.content)) == 3
        assert "kg-results-truncated" not in whole.headers
        described = client.get("/sparql", headers={"accept": "application/n-triples"})
        assert "KG-Results-Truncated: 3" in described.text


def test_api_sparql_timeout_with_threads_is_503(sample_store: OxigraphStore) -> None:
    """The in-memory store answers 503 in time (its query thread is not cancelled)."""
    import threading

    from api.main import create_app

    release = threading.Event()

    class SlowStore(OxigraphStore):
        def query(self, sparql: str, **kwargs: Any) -> Any:
            release.wait(30)
            return super().query(sparql, **kwargs)

    slow = SlowStore()
    app = create_app(Settings(query_timeout=0.2), store=slow)
    try:
        with TestClient(app) as client:
            response = client.get("/sparql", params={"query": "ASK {}"})
            assert response.status_code == 503
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["type"].endswith("/query-timeout")
            assert "may still be running" in response.json()["detail"]
    finally:
        release.set()
        slow.close()


def _update_client(store: OxigraphStore, token: str | None) -> TestClient:
    from api.main import create_app

    return TestClient(create_app(Settings(write_token=token), store=store))


INSERT = 'INSERT DATA { GRAPH <http://e/g> { <http://e/a> <http://e/b> "c" } }'
ASK_INSERTED = 'ASK { <http://e/a> <http://e/b> "c" }'


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("/update", {"data": {"update": INSERT}}),
        ("/update", {"content": INSERT, "headers": {"content-type": "application/sparql-update"}}),
        ("/sparql", {"content": INSERT, "headers": {"content-type": "application/sparql-update"}}),
        ("/sparql", {"data": {"update": INSERT}}),
    ],
)
def test_api_sparql_update_with_token(
    sample_store: OxigraphStore, path: str, kwargs: dict[str, Any]
) -> None:
    with _update_client(sample_store, "s3cret") as client:
        headers = dict(kwargs.pop("headers", {}))
        missing = client.post(path, headers=headers, **kwargs)
        assert missing.status_code == 401
        assert missing.headers["www-authenticate"].startswith("Bearer")
        wrong = client.post(path, headers={**headers, "authorization": "Bearer nope"}, **kwargs)
        assert wrong.status_code == 403
        assert client.get("/sparql", params={"query": ASK_INSERTED}).json()["boolean"] is False
        good = client.post(path, headers={**headers, "authorization": "Bearer s3cret"}, **kwargs)
        assert good.status_code == 204
        assert client.get("/sparql", params={"query": ASK_INSERTED}).json()["boolean"] is True


def test_api_sparql_service_description_lists_update_only_with_a_token(
    sample_store: OxigraphStore,
) -> None:
    update = "sparql-service-description#SPARQL11Update"
    for token, listed in ((None, False), ("t", True)):
        with _update_client(sample_store, token) as client:
            described = client.get("/sparql", params={"format": "nt"}).text
            assert (update in described) is listed
            assert "sparql-service-description#SPARQL11Query" in described


def test_api_sparql_update_without_configured_token_is_403(sample_store: OxigraphStore) -> None:
    with _update_client(sample_store, None) as client:
        response = client.post(
            "/update", data={"update": INSERT}, headers={"authorization": "Bearer x"}
        )
        assert response.status_code == 403
        assert "KG_WRITE_TOKEN" in response.json()["detail"]


def test_api_sparql_update_endpoint_refuses_a_query(sample_store: OxigraphStore) -> None:
    with _update_client(sample_store, "t") as client:
        response = client.post("/update", data={"query": "ASK {}"})
        assert response.status_code == 400


@pytest.mark.parametrize(
    ("authorization", "token", "error"),
    [
        (None, None, UpdateForbiddenError),
        ("Bearer x", None, UpdateForbiddenError),
        (None, "t", UnauthorizedError),
        ("Basic dDp0", "t", UnauthorizedError),
        ("Bearer ", "t", UnauthorizedError),
        ("Bearer u", "t", UpdateForbiddenError),
        ("Bearer t", "t", None),
        ("bearer  t ", "t", None),
    ],
)
def test_sparql_authorize_update(
    authorization: str | None, token: str | None, error: type[Exception] | None
) -> None:
    if error is None:
        authorize_update(authorization, token)
    else:
        with pytest.raises(error):
            authorize_update(authorization, token)


def test_api_sparql_xml_results_are_xml(api_client: TestClient) -> None:
    response = api_client.get("/sparql", params={"query": SELECT_DOCS, "format": "xml"})
    root = ET.fromstring(response.content)  # noqa: S314 - our own output
    assert root.tag.endswith("sparql")


# --- the pure functions -----------------------------------------------------------------------


def test_sparql_parse_get() -> None:
    request = parse_sparql_request(
        "GET",
        None,
        [("query", "ASK {}"), ("default-graph-uri", ALPHA), ("named-graph-uri", ALPHA)],
        b"",
    )
    assert request == SparqlRequest(query="ASK {}", default_graphs=[ALPHA], named_graphs=[ALPHA])


def test_sparql_parse_form_decodes_once() -> None:
    request = parse_sparql_request(
        "POST", "application/x-www-form-urlencoded; charset=utf-8", [], b"query=ASK+%7B%7D+%2525"
    )
    assert request.query == "ASK {} %25"


@pytest.mark.parametrize(
    ("params", "body", "content_type", "error"),
    [
        ([("query", "a"), ("query", "b")], b"", None, QueryError),
        ([("default-graph-uri", "not an iri")], b"", None, QueryError),
        ([], b"query=a&update=b", "application/x-www-form-urlencoded", QueryError),
        ([], b"x", "text/plain", UnsupportedMediaTypeError),
    ],
)
def test_sparql_parse_refuses(
    params: list[tuple[str, str]], body: bytes, content_type: str | None, error: type[Exception]
) -> None:
    with pytest.raises(error):
        parse_sparql_request("POST" if body else "GET", content_type, params, body)


def test_sparql_parse_accept_orders_by_q_then_specificity() -> None:
    assert parse_accept("*/*;q=0.8, text/*;q=0.8, text/csv;q=0.8, application/json") == [
        ("application/json", 1.0),
        ("text/csv", 0.8),
        ("text/*", 0.8),
        ("*/*", 0.8),
    ]


@pytest.mark.parametrize(
    ("accept", "kind", "expected"),
    [
        ("application/json", ResultKind.RESULTS, ox.QueryResultsFormat.JSON),
        ("application/json", ResultKind.GRAPH, ox.RdfFormat.JSON_LD),
        ("text/csv;q=0, */*;q=0.1", ResultKind.RESULTS, ox.QueryResultsFormat.JSON),
        ("text/turtle;q=0.2, application/rdf+xml", ResultKind.GRAPH, ox.RdfFormat.RDF_XML),
    ],
)
def test_sparql_negotiate(accept: str, kind: ResultKind, expected: object) -> None:
    assert negotiate(accept, kind) == expected


def test_sparql_negotiate_refuses() -> None:
    with pytest.raises(NotAcceptableError):
        negotiate("text/html", ResultKind.RESULTS)
    with pytest.raises(NotAcceptableError, match="format='csv'"):
        negotiate("text/html", ResultKind.GRAPH, "csv")


#: SPARQLWrapper's N3 Accept header (its `_RDF_N3` list).
N3_ACCEPT = (
    "application/turtle,text/turtle,text/rdf+n3,application/n-triples,application/n3,text/n3"
)


@pytest.mark.parametrize(
    ("accept", "kind", "formats", "expected"),
    [
        # SPARQLWrapper's defaults: its name, then the media type (or "" after */*)
        (None, ResultKind.GRAPH, ["json-ld", "application/ld+json"], ox.RdfFormat.JSON_LD),
        (
            None,
            ResultKind.GRAPH,
            ["json-ld", "application/x-json+ld,application/ld+json"],
            ox.RdfFormat.JSON_LD,
        ),
        ("text/tab-separated-values", ResultKind.RESULTS, ["tsv", ""], ox.QueryResultsFormat.TSV),
        ("application/rdf+xml", ResultKind.GRAPH, ["xml"], ox.RdfFormat.RDF_XML),
        (N3_ACCEPT, ResultKind.GRAPH, ["n3"], ox.RdfFormat.N3),
        (None, ResultKind.GRAPH, ["json"], ox.RdfFormat.JSON_LD),
        (None, ResultKind.GRAPH, ["Turtle"], ox.RdfFormat.TURTLE),
        # unknown, of the other kind, or conflicting: Accept decides
        ("text/n3", ResultKind.GRAPH, ["bogus"], ox.RdfFormat.N3),
        (None, ResultKind.RESULTS, ["ttl"], ox.QueryResultsFormat.JSON),
        ("text/csv", ResultKind.RESULTS, ["json", "xml"], ox.QueryResultsFormat.CSV),
        (N3_ACCEPT, ResultKind.GRAPH, ["csv", "text/csv"], ox.RdfFormat.TURTLE),
    ],
)
def test_sparql_negotiate_format_parameter(
    accept: str | None, kind: ResultKind, formats: list[str], expected: object
) -> None:
    assert negotiate(accept, kind, formats) == expected


def test_sparql_parse_keeps_every_format_value() -> None:
    parsed = parse_sparql_request(
        "POST",
        "application/x-www-form-urlencoded",
        [("format", "json-ld")],
        b"query=ASK%7B%7D&format=application%2Fld%2Bjson&output=json-ld",
    )
    assert parsed.formats == ("json-ld", "application/ld+json")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# comment\nDELETE WHERE { ?s ?p ?o }", True),
        ("BASE <http://e/> PREFIX : <http://e/> CLEAR ALL", True),
        ("with <http://g> delete { ?s ?p ?o } where { ?s ?p ?o }", True),
        ("PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:insert ?o }", False),
        ("DESCRIBE <http://e/drop>", False),
    ],
)
def test_sparql_looks_like_update(text: str, expected: bool) -> None:
    assert looks_like_update(text) is expected


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT * WHERE { }",
        "SELECT ?x ?unbound WHERE { VALUES ?x { 1 'a\\tb\\nc' 'x'@en-GB } }",
        "SELECT ?s WHERE { ?s ?p ?o } LIMIT 0",
    ],
)
def test_api_sparql_select_answers_equal_the_store(
    api_client: TestClient, sample_store: OxigraphStore, query: str
) -> None:
    """The capped, single-evaluation path gives exactly what pyoxigraph serialises."""
    response = api_client.get("/sparql", params={"query": query, "format": "json"})
    assert response.status_code == 200
    direct = sample_store.query(query)
    assert isinstance(direct, ox.QuerySolutions)
    expected = json.loads(direct.serialize(format=ox.QueryResultsFormat.JSON) or b"{}")
    answer = json.loads(response.content)
    assert answer["head"] == expected["head"]

    def rows(data: dict[str, Any]) -> list[str]:
        return sorted(json.dumps(b, sort_keys=True) for b in data["results"]["bindings"])

    assert rows(answer) == rows(expected)
