"""kg.sparql_guard: the SERVICE and LOAD targets read from a query's tokens, and the rule."""

from __future__ import annotations

import pytest
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

from kg.errors import QueryError, QuerySyntaxError, RemoteAccessRefusedError
from kg.sparql_guard import MAX_CHAIN, MAX_DEPTH, check_remote_calls, remote_calls

REMOTE = "http://127.0.0.1:9911/sparql"


@pytest.mark.parametrize(
    ("query", "services"),
    [
        (f"SELECT * {{ SERVICE <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,)),
        (f"SELECT * {{ SERVICE SILENT <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,)),
        (f"select * {{ sErViCe <{REMOTE}> {{ ?s ?p ?o }} }}", (REMOTE,)),
        (f"SELECT * {{ SERVICE<{REMOTE}>{{?s ?p ?o}} }}", (REMOTE,)),
        # pyoxigraph reads `<` after an operand in an expression as less-than, and applies
        # \u escapes only inside strings and IRIs: neither hides a call from the guard
        (f"SELECT * {{ FILTER(1<'a>') SERVICE <{REMOTE}> {{ ?s ?p ?o }} #')\n}}", (REMOTE,)),
        (f'SELECT * {{ BIND("\\u0022" AS ?x) SERVICE <{REMOTE}> {{ }} }} # """', (REMOTE,)),
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


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "unterminated }',
        "SELECT * { ?s ?p ?o } `",
        f"SELECT * {{ \\u0053ERVICE <{REMOTE}> {{ }} }}",  # pyoxigraph refuses it too
    ],
)
def test_sparql_guard_refuses_text_that_is_not_sparql_tokens(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        remote_calls(text)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * (MAX_DEPTH + 1) + " ?s ?p ?o " + "}" * (MAX_DEPTH + 1),
        "ASK { FILTER(" + "(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH + ") }",
        "SELECT * { " + " UNION ".join(["{ ?s ?p ?o }"] * (MAX_CHAIN + 1)) + " }",
        "SELECT * { " + " ".join(["OPTIONAL { ?s ?p ?o }"] * (MAX_CHAIN + 1)) + " }",
        "ASK { FILTER(" + " || ".join(["?a"] * (MAX_CHAIN + 2)) + ") }",
        "ASK { ?s " + "/".join(["<http://e/p>"] * (MAX_CHAIN + 2)) + " ?o }",
    ],
    ids=["groups", "parentheses", "union", "optional", "or", "path"],
)
def test_sparql_guard_refuses_what_would_overflow_the_engines_stack(query: str) -> None:
    with pytest.raises(QueryError) as refused:
        remote_calls(query)
    assert refused.value.status == 400


def test_sparql_guard_lets_flat_lists_of_any_length_through() -> None:
    many = MAX_CHAIN * 5
    remote_calls(
        "INSERT DATA { "
        + " . ".join(f"<http://e/s{i}> <http://e/p> {i}" for i in range(many))
        + " }"
    )
    remote_calls(
        "SELECT * { VALUES ?x { " + " ".join(f"<http://e/{i}>" for i in range(many)) + " } }"
    )
    remote_calls("SELECT * { FILTER(?o IN (" + ", ".join(str(i) for i in range(many)) + ")) }")
    nested = "SELECT * WHERE " + "{" * MAX_DEPTH + " ?s ?p ?o " + "}" * MAX_DEPTH
    assert remote_calls(nested).services == ()


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
