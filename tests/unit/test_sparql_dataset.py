"""kg.sparql_dataset and the protocol's update dataset: `using-graph-uri` and
`using-named-graph-uri` written into the update as USING / USING NAMED, checked on the text and
by what the rewritten update does on an in-memory store."""

from __future__ import annotations

import doctest

import pyoxigraph as ox
import pytest

import kg.sparql_dataset
from api.sparql import SparqlRequest, parse_sparql_request, update_text
from kg.errors import QueryError, QuerySyntaxError, UnsupportedMediaTypeError
from kg.sparql_dataset import add_using

G1 = "http://e/g1"
G2 = "http://e/g2"
USING = f"USING <{G1}>"
FORM = "application/x-www-form-urlencoded"
UPDATE = "application/sparql-update"


def test_sparql_dataset_doctests() -> None:
    assert doctest.testmod(kg.sparql_dataset).failed == 0


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> 'WHERE' }",
        "DELETE DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "CLEAR ALL ; DROP SILENT GRAPH <http://e/x> ; CREATE GRAPH <http://e/y>",
        "ADD <http://e/x> TO <http://e/y> ; MOVE DEFAULT TO <http://e/z>",
    ],
)
def test_sparql_dataset_leaves_operations_without_where(update: str) -> None:
    assert add_using(update, graphs=[G1]) == update


def test_sparql_dataset_without_graphs_is_the_update_itself() -> None:
    update = "WITH <http://e/w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert add_using(update) is update


@pytest.mark.parametrize(
    ("update", "expected"),
    [
        (
            "INSERT { ?s a <C> } WHERE { ?s ?p ?o }",
            f"INSERT {{ ?s a <C> }} {USING} WHERE {{ ?s ?p ?o }}",
        ),
        (
            "delete { ?s ?p ?o } insert { ?s ?p 1 } where { ?s ?p ?o }",
            f"delete {{ ?s ?p ?o }} insert {{ ?s ?p 1 }} {USING} where {{ ?s ?p ?o }}",
        ),
        (  # WHERE, USING, WITH and ; in a string, an IRI, a comment and a template
            "INSERT { ?s <http://e/WHERE> 'USING <x> WHERE ; WITH' }  # WHERE {\n"
            'WHERE { ?s ?p ?o FILTER(?o != "WHERE") }',
            "INSERT { ?s <http://e/WHERE> 'USING <x> WHERE ; WITH' }  # WHERE {\n"
            f'{USING} WHERE {{ ?s ?p ?o FILTER(?o != "WHERE") }}',
        ),
        (  # a less-than the spec's terminals alone would read as the IRI <'x>
            "INSERT { ?s ?p 1 } WHERE { ?s ?p ?o FILTER(?o<'x>}') }",
            f"INSERT {{ ?s ?p 1 }} {USING} WHERE {{ ?s ?p ?o FILTER(?o<'x>}}') }}",
        ),
        (
            "DELETE WHERE { GRAPH ?g { ?s ?p 'a }' } }",
            f"DELETE {{ GRAPH ?g {{ ?s ?p 'a }}' }} }} {USING}"
            " WHERE { GRAPH ?g { ?s ?p 'a }' } }",
        ),
        (  # each operation, after the prologue
            "BASE <http://e/> PREFIX e: <http://e/>"
            " INSERT DATA { e:a e:b 'x ; INSERT {} WHERE {}' }"
            " ;\nINSERT { <a> <b> 2 } WHERE { <a> <b> 1 } ;\nDELETE WHERE { <a> <b> 1 }",
            "BASE <http://e/> PREFIX e: <http://e/>"
            " INSERT DATA { e:a e:b 'x ; INSERT {} WHERE {}' }"
            f" ;\nINSERT {{ <a> <b> 2 }} {USING} WHERE {{ <a> <b> 1 }} ;\n"
            f"DELETE {{ <a> <b> 1 }} {USING} WHERE {{ <a> <b> 1 }}",
        ),
    ],
)
def test_sparql_dataset_adds_using_before_each_operations_where(update: str, expected: str) -> None:
    rewritten = add_using(update, graphs=[G1])
    assert rewritten == expected
    ox.Store().update(rewritten, base_iri="http://e/")  # the engine accepts it


def test_sparql_dataset_skips_a_prologue_between_operations() -> None:
    """SPARQL 1.1 allows one after `;` (pyoxigraph 0.5 does not parse it, other engines do)."""
    update = "CLEAR ALL ; PREFIX e: <http://e/> BASE <http://e/> DELETE WHERE { e:a ?p ?o }"
    assert add_using(update, graphs=[G1]) == (
        "CLEAR ALL ; PREFIX e: <http://e/> BASE <http://e/>"
        f" DELETE {{ e:a ?p ?o }} {USING} WHERE {{ e:a ?p ?o }}"
    )


def test_sparql_dataset_clause_order() -> None:
    rewritten = add_using("INSERT { ?s ?p ?o } WHERE {}", graphs=[G1, G2], named_graphs=[G2])
    assert rewritten == (
        f"INSERT {{ ?s ?p ?o }} USING <{G1}> USING <{G2}> USING NAMED <{G2}> WHERE {{}}"
    )


@pytest.mark.parametrize(
    "update",
    [
        "WITH <http://e/w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "with <http://e/w> INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p ?o } USING <http://e/u> WHERE { ?s ?p ?o }",
        "CLEAR ALL ; DELETE { ?s ?p ?o } USING NAMED <http://e/u> WHERE { GRAPH ?g { ?s ?p ?o } }",
    ],
)
def test_sparql_dataset_refuses_an_update_with_its_own_dataset(update: str) -> None:
    with pytest.raises(QueryError, match="names its own dataset"):
        add_using(update, named_graphs=[G1])


def test_sparql_dataset_a_dataset_keyword_in_a_string_is_no_conflict() -> None:
    update = "INSERT { ?s ?p 'WITH <x> USING <y>' } WHERE { ?s ?p ?o }"
    assert add_using(update, graphs=[G1]).count("USING <http://e/g1>") == 1


@pytest.mark.parametrize(
    "update",
    [
        'INSERT { ?s ?p "\\u0022" } WHERE { ?s ?p ?o }',
        "INSERT { ?s ?p '\\u0027' } WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p <http://e/\\u003e> } WHERE { ?s ?p ?o }",
        'INSERT { ?s ?p "\\U0000005C" } WHERE { ?s ?p ?o }',
    ],
)
def test_sparql_dataset_refuses_delimiters_written_as_escapes(update: str) -> None:
    with pytest.raises(QueryError, match="code point escape"):
        add_using(update, graphs=[G1])


@pytest.mark.parametrize(
    "update",
    [
        "INSERT { ?s ?p 'open } WHERE { ?s ?p ?o }",
        "INSERT { ?s ?p ?o WHERE { ?s ?p ?o }",
        "DELETE WHERE ?s",
    ],
)
def test_sparql_dataset_refuses_what_is_not_sparql(update: str) -> None:
    with pytest.raises(QuerySyntaxError):
        add_using(update, graphs=[G1])


def _store() -> ox.Store:
    """data1..3 each in its graph (the W3C protocol tests' data), and one triple in the
    default graph."""
    store = ox.Store()
    doc = ox.NamedNode("http://xmlns.com/foaf/0.1/Document")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for n in (1, 2, 3):
        node = ox.NamedNode(f"http://e/data{n}")
        store.add(ox.Quad(node, rdf_type, doc, node))
    store.add(ox.Quad(ox.NamedNode("http://e/data0"), rdf_type, doc, ox.DefaultGraph()))
    return store


def _inserted(store: ox.Store, graph: str) -> set[tuple[str, str]]:
    """(subject, object) of each triple of `graph`, as strings."""
    pairs = set()
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        assert isinstance(quad.subject, ox.NamedNode)
        assert isinstance(quad.object, ox.NamedNode | ox.Literal)
        pairs.add((quad.subject.value, quad.object.value))
    return pairs


def test_sparql_dataset_rewritten_update_uses_the_protocol_dataset() -> None:
    """The W3C update_dataset_full case: data1 is the default graph, data2 the only named one."""
    store = _store()
    update = (
        "INSERT { GRAPH <http://e/out> { ?s <http://e/in> ?in } } WHERE {"
        " { GRAPH ?g { ?s a ?t } BIND(STR(?g) AS ?in) } UNION { ?s a ?t BIND('default' AS ?in) } }"
    )
    store.update(add_using(update, graphs=["http://e/data1"], named_graphs=["http://e/data2"]))
    assert _inserted(store, "http://e/out") == {
        ("http://e/data1", "default"),
        ("http://e/data2", "http://e/data2"),
    }


def test_sparql_dataset_delete_where_matches_in_the_protocol_dataset_only() -> None:
    """`DELETE WHERE` becomes its long form with the clauses: it matches in data2 only, so only
    data2's triple goes."""
    store = _store()
    update = "DELETE WHERE { GRAPH ?g { ?s a ?t } }"
    store.update(add_using(update, named_graphs=["http://e/data2"]))
    assert _inserted(store, "http://e/data2") == set()
    assert _inserted(store, "http://e/data1") == {
        ("http://e/data1", "http://xmlns.com/foaf/0.1/Document")
    }


# --- the protocol request -----------------------------------------------------------------------


def test_sparql_parse_update_dataset_and_base() -> None:
    request = parse_sparql_request(
        "POST",
        UPDATE,
        [("using-graph-uri", G1), ("using-named-graph-uri", G2), ("using-graph-uri", G2)],
        b"INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        base_iri="http://127.0.0.1:8000/sparql",
    )
    assert request.using_graphs == [G1, G2]
    assert request.using_named_graphs == [G2]
    assert request.base_iri == "http://127.0.0.1:8000/sparql"
    assert update_text(request) == (
        f"INSERT {{ ?s ?p ?o }} USING <{G1}> USING <{G2}> USING NAMED <{G2}> WHERE {{ ?s ?p ?o }}"
    )


def test_sparql_update_text_refuses_a_second_dataset() -> None:
    request = SparqlRequest(
        update="WITH <http://e/w> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        using_named_graphs=[G1],
    )
    with pytest.raises(QueryError, match="one way only"):
        update_text(request)
    with pytest.raises(QueryError, match="no update"):
        update_text(SparqlRequest(query="ASK {}"))


@pytest.mark.parametrize(
    ("params", "body", "content_type", "error"),
    [
        ([("using-graph-uri", G1)], b"query=ASK+%7B%7D", FORM, QueryError),
        ([("using-named-graph-uri", G1), ("query", "ASK {}")], b"", None, QueryError),
        ([("default-graph-uri", G1)], b"CLEAR ALL", UPDATE, QueryError),
        ([("named-graph-uri", G1)], b"update=CLEAR+ALL", FORM, QueryError),
        ([("using-graph-uri", "not an iri")], b"CLEAR ALL", UPDATE, QueryError),
        ([], "ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16", None),
        ([], b"CLEAR ALL", f"{UPDATE}; charset=iso-8859-1", None),
        ([], b"query=ASK%FF", FORM, QueryError),
    ],
)
def test_sparql_parse_refuses_protocol_errors(
    params: list[tuple[str, str]],
    body: bytes,
    content_type: str | None,
    error: type[Exception] | None,
) -> None:
    with pytest.raises(error or UnsupportedMediaTypeError):
        parse_sparql_request("POST" if body else "GET", content_type, params, body)


def test_sparql_parse_accepts_a_utf8_charset() -> None:
    for charset in ("utf-8", "UTF-8", '"utf-8"', "utf8"):
        request = parse_sparql_request("POST", f"{UPDATE}; charset={charset}", [], b"CLEAR ALL")
        assert request.update == "CLEAR ALL"
