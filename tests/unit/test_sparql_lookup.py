"""Which queries are lookups of one quad pattern (kg.sparql_lookup): the shapes whose cost is
bounded by the rows read, and every near miss that must take the worker path."""

from __future__ import annotations

import pytest

from kg.sparql_lexer import tokenize
from kg.sparql_lookup import QuadLookup, quad_lookup

P = "PREFIX kg: <https://w3id.org/newskg/ns#> "


@pytest.mark.parametrize(
    "query",
    [
        "SELECT ?p ?o WHERE { <http://e/s> ?p ?o }",
        "select * { ?s ?p ?o . }",
        f"{P}SELECT ?s {{ ?s a kg:Position }}",
        f"{P}BASE <http://e/> SELECT ?s {{ ?s kg:label 'Putin'@en }}",
        f'{P}SELECT ?s {{ ?s kg:count "3"^^<http://www.w3.org/2001/XMLSchema#integer> }}',
        f"{P}SELECT ?s {{ ?s kg:count 3 }}",
        f"{P}SELECT ?s {{ ?s kg:flag true }}",
        "SELECT ?g ?p { GRAPH ?g { <http://e/s> ?p _:o } }",
        "SELECT ?p { GRAPH <http://e/g> { <http://e/s> ?p ?o } }",
        "ASK { <http://e/s> ?p ?o }",
        "ASK WHERE { GRAPH ?g { ?s ?p ?o } }",
        "SELECT $p ?o { <http://e/s> $p ?o } # a comment",
    ],
)
def test_one_quad_pattern_is_a_lookup(query: str) -> None:
    assert quad_lookup(tokenize(query)) is not None


@pytest.mark.parametrize(
    ("query", "why"),
    [
        ("SELECT * { ?x ?p ?x }", "a repeated variable is checked row by row"),
        ("SELECT * { ?x ?p $x }", "the same variable, spelt with $"),
        ("SELECT * { GRAPH ?x { ?x ?p ?o } }", "the graph variable repeated"),
        ("SELECT * { _:b ?p _:b }", "a repeated blank node"),
        ("SELECT * { ?s ?p ?o FILTER(?o = 1) }", "a filter reads rows it drops"),
        ("SELECT * { ?s ?p ?o . ?o ?q ?r }", "a join"),
        ("SELECT * { ?s ?p ?o ; ?q ?r }", "two patterns with ;"),
        ("SELECT * { ?s ?p ?o , ?r }", "two patterns with ,"),
        ("SELECT * { ?s <http://e/p>+ ?o }", "a path"),
        ("SELECT * { ?s <http://e/p>/<http://e/q> ?o }", "a sequence path"),
        ("SELECT DISTINCT ?p { ?s ?p ?o }", "DISTINCT reads every row"),
        ("SELECT REDUCED ?p { ?s ?p ?o }", "REDUCED"),
        ("SELECT ?s { ?s ?p ?o } ORDER BY ?s", "a sort reads every row"),
        ("SELECT ?s { ?s ?p ?o } OFFSET 1000000", "an offset skips rows"),
        ("SELECT ?s { ?s ?p ?o } LIMIT 5 OFFSET 5", "an offset after the limit"),
        ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "an aggregate"),
        ("SELECT ?s { ?s ?p ?o } GROUP BY ?s", "grouping"),
        ("SELECT ?s FROM <http://e/g> { ?s ?p ?o }", "a dataset clause"),
        ("SELECT ?s { ?s ?p ?o } VALUES ?s { <http://e/s> }", "trailing VALUES"),
        ("SELECT ?s { ?s ?p -1 }", "a signed number"),
        ("SELECT ?s { { ?s ?p ?o } }", "a nested group"),
        ("SELECT ?s { ?s ?p ?o } LIMIT ?x", "not a number"),
        ("SELECT ?s { ?s 1 ?o }", "a number is no predicate"),
        ("SELECT ?s { ?s ?p [] }", "an anonymous blank node"),
        ("SELECT ?s { ?s ?p ?o OPTIONAL { ?o ?q ?r } }", "OPTIONAL"),
        ("SELECT ?s { SERVICE <http://e/sparql> { ?s ?p ?o } }", "SERVICE"),
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "another form"),
        ("DESCRIBE <http://e/s>", "another form"),
        ("ASK { ?s ?p ?o } LIMIT 1", "nothing may follow an ASK"),
        ("SELECT { ?s ?p ?o }", "no projection"),
        ("SELECT ?s { }", "no pattern"),
    ],
)
def test_a_near_miss_is_not_a_lookup(query: str, why: str) -> None:
    assert quad_lookup(tokenize(query)) is None, why


def test_the_lookup_notes_its_own_limit_and_where_it_starts() -> None:
    text = "SELECT ?p { <http://e/s> ?p ?o } LIMIT 7"
    found = quad_lookup(tokenize(text))
    assert found == QuadLookup(ask=False, limit=7, limit_at=text.index("LIMIT"))
    assert found.limited(text, 3) == "SELECT ?p { <http://e/s> ?p ?o } \nLIMIT 3"
    assert quad_lookup(tokenize("ASK { ?s ?p ?o }")) == QuadLookup(ask=True)


def test_limited_goes_on_a_line_after_a_trailing_comment() -> None:
    text = "SELECT ?p { <http://e/s> ?p ?o } # no limit here"
    found = quad_lookup(tokenize(text))
    assert found is not None
    assert found.limit is None
    limited = found.limited(text, 11)
    assert limited == text + "\nLIMIT 11"
    assert quad_lookup(tokenize(limited)) == QuadLookup(
        ask=False, limit=11, limit_at=limited.index("LIMIT")
    )
