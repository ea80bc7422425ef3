"""kg.sparql_guard: the SERVICE and LOAD targets read from a query's tokens, and the rule."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from kg.errors import QuerySyntaxError, RemoteAccessRefusedError
from kg.sparql_guard import TokenKind, check_remote_calls, remote_calls, tokenize

REMOTE = "http://127.0.0.1:9911/sparql"


@pytest.mark.parametrize(
    ("query", "services"),
    [
        (f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,)),
        (f"SELECT * {{ SERVICE SILENT <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,)),
        (f"select * {{ sErViCe <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,)),
        (f"SELECT * {{ SERVICE<{REMOTE}>{{?s ?p ?o}} }}", (REMOTE,)),
        (f"SELECT * {{ \\u0053ERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,)),
        ("SELECT * { SERVICE <http\\u003A//127.0.0.1:9911/sparql> { } }", (REMOTE,)),
        (
            "PREFIX r: <http://127.0.0.1:9911/> SELECT * { SERVICE r:sparql { ?s ?p ?o } }",
            (REMOTE,),
        ),
        ("PREFIX : <http://127.0.0.1:9911/> SELECT * { SERVICE :sparql { ?s ?p ?o } }", (REMOTE,)),
        ("SELECT * { SERVICE ?endpoint { ?s ?p ?o } }", (None,)),
        ("BASE <http://127.0.0.1:9911/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }", (None,)),
        ("SELECT * { SERVICE undeclared:x { ?s ?p ?o } }", (None,)),
        (f'SELECT * {{ ?s ?p "SERVICE <{REMOTE}> {{ }}" }}', ()),
        (f"SELECT * {{ ?s ?p '''\nSERVICE <{REMOTE}> {{ }}''' }}", ()),
        (f"SELECT * {{ ?s ?p ?o }} # SERVICE <{REMOTE}> {{ }}", ()),
        ("SELECT * { ?s <http://e/SERVICE> ?service . ?s ex:SERVICE ?o }", ()),
        ("SELECT * { ?s ?p ?o FILTER(?o<?p) }", ()),
    ],
)
def test_sparql_guard_finds_service_calls(query: str, services: tuple[str | None, ...]) -> None:
    assert remote_calls(query).services == services


@pytest.mark.parametrize(
    ("update", "loads"),
    [
        (f"LOAD <{REMOTE}>", (REMOTE,)),
        (f"LOAD SILENT <{REMOTE}> INTO GRAPH <http://e/g>", (REMOTE,)),
        (f'INSERT DATA {{ <http://e/a> <http://e/b> "x" }} ; load <{REMOTE}>', (REMOTE,)),
        (f'INSERT DATA {{ <http://e/a> <http://e/b> "LOAD <{REMOTE}>" }}', ()),
    ],
)
def test_sparql_guard_finds_load_sources(update: str, loads: tuple[str | None, ...]) -> None:
    assert remote_calls(update).loads == loads


def test_sparql_guard_sees_from_clauses() -> None:
    assert remote_calls("SELECT * FROM <http://e/g> { ?s ?p ?o }").declares_dataset
    assert not remote_calls('SELECT * { ?s ?p "FROM" }').declares_dataset


def test_sparql_guard_refuses_by_default_and_names_the_setting() -> None:
    with pytest.raises(RemoteAccessRefusedError) as refused:
        check_remote_calls(f"ASK {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}")
    assert refused.value.status == 400
    assert refused.value.extensions["setting"] == "KG_SPARQL_SERVICES"
    with pytest.raises(RemoteAccessRefusedError) as load:
        check_remote_calls(f"LOAD <{REMOTE}>", services={REMOTE})
    assert load.value.extensions["setting"] == "KG_SPARQL_LOAD_SOURCES"


def test_sparql_guard_allows_exact_iris_only() -> None:
    check_remote_calls(f"ASK {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", services={REMOTE})
    check_remote_calls(f"LOAD <{REMOTE}>", loads={REMOTE})
    for near in (REMOTE + "/", REMOTE.upper(), REMOTE.replace("9911", "9912")):
        with pytest.raises(RemoteAccessRefusedError):
            check_remote_calls(f"ASK {{ SERVICE <{near}> {{ ?s ?p ?o }} }}", services={REMOTE})
    with pytest.raises(RemoteAccessRefusedError):  # a variable endpoint is never allowed
        check_remote_calls(
            f"SELECT * {{ VALUES ?e {{ <{REMOTE}> }} SERVICE ?e {{ }} }}", services={REMOTE}
        )


def test_sparql_guard_tokens_keep_strings_iris_and_prefixed_names_whole() -> None:
    tokens = tokenize('PREFIX ex: <http://e/#x> SELECT ?s { ?s ex:a.b "q\\"#" } # SERVICE')
    assert [(t.kind, t.text) for t in tokens] == [
        (TokenKind.WORD, "PREFIX"),
        (TokenKind.PNAME, "ex:"),
        (TokenKind.IRI, "<http://e/#x>"),
        (TokenKind.WORD, "SELECT"),
        (TokenKind.VAR, "?s"),
        (TokenKind.PUNCT, "{"),
        (TokenKind.VAR, "?s"),
        (TokenKind.PNAME, "ex:a.b"),
        (TokenKind.STRING, '"q\\"#"'),
        (TokenKind.PUNCT, "}"),
    ]


@pytest.mark.parametrize("text", ['SELECT * { ?s ?p "unterminated }', "SELECT * { ?s ?p ?o } ~"])
def test_sparql_guard_refuses_text_that_is_not_sparql_tokens(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        tokenize(text)


_RDFLIB_AGREES = [
    f"SELECT * WHERE {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}",
    f"SELECT * WHERE {{ ?a ?b ?c OPTIONAL {{ SERVICE SILENT <{REMOTE}> {{ ?s ?p ?o }} }} }}",
    f'SELECT * WHERE {{ ?s ?p "SERVICE <{REMOTE}> {{ }}" }}',
    f"SELECT * WHERE {{ ?s ?p ?o }} # SERVICE <{REMOTE}>",
    "SELECT * WHERE { ?s <http://e/SERVICE> ?service }",
]


@pytest.mark.parametrize("query", _RDFLIB_AGREES)
def test_sparql_guard_agrees_with_rdflibs_parse_tree(query: str) -> None:
    """rdflib's full SPARQL parser, as an independent reading of the same text."""
    in_tree = "ServiceGraphPattern" in repr(parseQuery(query))
    assert in_tree == bool(remote_calls(query).services)


def test_sparql_guard_agrees_with_rdflib_on_load() -> None:
    assert "Load" in repr(parseUpdate(f"LOAD <{REMOTE}>"))
    assert "Load" not in repr(
        parseUpdate(f'INSERT DATA {{ <http://e/a> <http://e/b> "LOAD <{REMOTE}>" }}')
    )
    assert remote_calls(f"LOAD <{REMOTE}>").loads == (REMOTE,)
