"""kg.sparql_lexer: SPARQL tokens read as pyoxigraph reads them, with their nesting depth."""

from __future__ import annotations

import doctest
import re

import pyoxigraph as ox
import pytest

import kg.sparql_lexer
from kg.errors import QuerySyntaxError
from kg.sparql_lexer import TokenKind, explain_syntax_error, tokenize

BASE = "http://e/"
INT = "<http://www.w3.org/2001/XMLSchema#integer>"


def _texts(sparql: str) -> list[str]:
    return [token.text for token in tokenize(sparql)]


def _engine_accepts(sparql: str) -> None:
    ox.Store().query(sparql, base_iri=BASE)


def test_sparql_lexer_doctests() -> None:
    assert doctest.testmod(kg.sparql_lexer).failed == 0


@pytest.mark.parametrize(
    ("term", "kind"),
    [
        ('"WHERE { } ; #"', TokenKind.STRING),
        ('"""a "quoted" } WHERE"""', TokenKind.STRING),
        ("'''it's } '''", TokenKind.STRING),
        ('"a \\" } WHERE"', TokenKind.STRING),
        ("<http://e/a#WHERE;it's>", TokenKind.IRI),
        ("e:a\\#b", TokenKind.PNAME),
    ],
)
def test_sparql_lexer_strings_iris_and_names_are_one_token(term: str, kind: TokenKind) -> None:
    sparql = f"PREFIX e: <http://e/> ASK {{ ?s ?p {term} }}"
    _engine_accepts(sparql)
    tokens = tokenize(sparql)
    assert [t.text for t in tokens[-5:]] == ["{", "?s", "?p", term, "}"]
    assert tokens[-2].kind is kind


def test_sparql_lexer_drops_comments_but_not_hash_in_iris() -> None:
    texts = _texts("ASK { # } WHERE\n ?s <http://e/#x> ?o } # {")
    assert texts == ["ASK", "{", "?s", "<http://e/#x>", "?o", "}"]


@pytest.mark.parametrize(
    ("sparql", "expected"),
    [
        # less-than right after an operand inside an expression, as the engine reads it
        ("ASK { FILTER(1<'a>') }", ["1", "<", "'a>'"]),
        ("ASK { FILTER(?a<?b && ?c>?d) }", ["?a", "<", "?b", "&&", "?c", ">", "?d"]),
        ("ASK { FILTER(STR(?a)<'x>y') }", [")", "<", "'x>y'"]),
        ("ASK { FILTER(?a<=<http://e/>) }", ["?a", "<=", "<http://e/>"]),
        ("ASK { FILTER(1<2#>\n) }", ["1", "<", "2", ")"]),
        ("SELECT (COUNT(*) AS ?n) {} GROUP BY ?x HAVING (COUNT(*)<3)", [")", "<", "3"]),
        # an IRI wherever a term may stand
        ("ASK { ?s<p>?o }", ["?s", "<p>", "?o"]),
        ("ASK { FILTER(?a = <b#c>) }", ["=", "<b#c>"]),
        ("ASK { FILTER(?a IN (<b#1>, <c#2>)) }", ["(", "<b#1>", ",", "<c#2>", ")"]),
        (f"ASK {{ FILTER({INT}(?a)<3) }}", [INT, "(", "?a", ")", "<", "3"]),
        (f"ASK {{ FILTER {INT}(?a) }}", [INT, "(", "?a", ")"]),
        ("ASK { VALUES (?a ?b) { (<x#1><y#2>) } }", ["(", "<x#1>", "<y#2>", ")"]),
        ("ASK { ?s ?p (<a#1> <b#2>) }", ["(", "<a#1>", "<b#2>", ")"]),
        ("ASK { ?s (<p#1>|<q#2>)* ?o }", ["(", "<p#1>", "|", "<q#2>", ")"]),
        ("ASK { ?s a (<a#1> <b#2>) }", ["a", "(", "<a#1>", "<b#2>", ")"]),
        (
            f"SELECT (COUNT(*) AS ?n) {{ ?a ?p (?a <c#d>) }} GROUP BY {INT}(?a)",
            ["GROUP", "BY", INT, "(", "?a", ")"],
        ),
        ("ASK { { SELECT ?a { ?a ?p (1 <c#d>) } } }", ["(", "1", "<c#d>", ")"]),
    ],
)
def test_sparql_lexer_reads_less_than_and_iris_as_the_engine_does(
    sparql: str, expected: list[str]
) -> None:
    _engine_accepts(sparql)
    texts = _texts(sparql)
    assert any(texts[i : i + len(expected)] == expected for i in range(len(texts))), texts


def test_sparql_lexer_a_less_than_cannot_hide_a_service_call() -> None:
    """pyoxigraph compares 1 with "a>" and then calls the SERVICE: so must the tokens say
    (the spec's terminals alone would read `<'a>` as an IRI and the rest as a string)."""
    query = "SELECT * { FILTER(1<'a>') SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } #')\n}"
    assert "SERVICE" in _texts(query)


def test_sparql_lexer_code_point_escapes_stay_inside_strings_and_iris() -> None:
    """pyoxigraph applies \\u escapes inside strings and IRIs only: "\\u0022" is a one-character
    string, not the start of a long string that would hide what follows."""
    query = 'SELECT * { BIND("\\u0022" AS ?x) SERVICE SILENT <http://127.0.0.1:9/> { } } # """'
    texts = _texts(query)
    assert texts[5] == '"\\u0022"'
    assert "SERVICE" in texts
    assert _texts("ASK { <http://e/\\u0061> ?p ?o }")[2] == "<http://e/\\u0061>"
    with pytest.raises(QuerySyntaxError, match="unexpected"):
        tokenize("\\u0053ELECT * {}")  # the engine refuses it too


@pytest.mark.parametrize(
    ("sparql", "numbers"),
    [
        ("ASK { ?s ?p 1. }", ["1"]),
        ("ASK { ?s ?p 1.5, .5, 1e3, 1.e3, 2. }", ["1.5", ".5", "1e3", "1.e3", "2"]),
    ],
)
def test_sparql_lexer_numbers_leave_the_final_dot(sparql: str, numbers: list[str]) -> None:
    _engine_accepts(sparql)
    tokens = tokenize(sparql)
    assert [t.text for t in tokens if t.kind is TokenKind.NUMBER] == numbers
    assert [t.text for t in tokens[-2:]] == [".", "}"]


def test_sparql_lexer_depths() -> None:
    tokens = tokenize("INSERT { ?s ?p [ ?q (1) ] } WHERE { FILTER(?s) }")
    assert [(t.text, t.depth) for t in tokens] == [
        ("INSERT", 0),
        ("{", 0),
        ("?s", 1),
        ("?p", 1),
        ("[", 1),
        ("?q", 2),
        ("(", 2),
        ("1", 3),
        (")", 2),
        ("]", 1),
        ("}", 0),
        ("WHERE", 0),
        ("{", 0),
        ("FILTER", 1),
        ("(", 1),
        ("?s", 2),
        (")", 1),
        ("}", 0),
    ]
    assert tokens[0].is_keyword("INSERT")
    assert tokens[0].end == len("INSERT")


@pytest.mark.parametrize(
    ("sparql", "message"),
    [
        ("ASK { ?s ?p 'open }", "unexpected"),
        ('ASK { ?s ?p "line\nend" }', "unexpected"),
        ("ASK { ?s ?p ?o ) }", "closes nothing"),
        ("ASK { ?s ?p ?o ]", "closes nothing"),
        ("ASK { ?s ?p ?o } }", "closes nothing"),
        ("ASK { { ?s ?p ?o }", r"error at 1:19: .*bracket\(s\) open"),
        ("ASK { ?s ?p ?o } \u00a4", "unexpected"),
    ],
)
def test_sparql_lexer_refuses_what_is_not_sparql(sparql: str, message: str) -> None:
    with pytest.raises(QuerySyntaxError, match=message):
        tokenize(sparql)


#: What pyoxigraph 0.5 says for `SELECT ?x WHERE { ?x` (its character classes cut short).
ENGINE_MESSAGE = (
    'error at 1:21: expected one of "!", "$", "(", "?", "a", [\'0\' ..= \'9\' | \'\\u{00B7}\'],'
    " ['A' ..= 'Z'\n| 'a' ..= 'z'], ['_'], [_]"
)


def test_sparql_lexer_explains_an_engine_message() -> None:
    assert explain_syntax_error("SELECT ?x WHERE { ?x", ENGINE_MESSAGE).splitlines() == [
        'error at 1:21: expected one of "!", "$", "(", "?", "a", a name character',
        "  1 | SELECT ?x WHERE { ?x",
        "    |                     ^",
    ]


@pytest.mark.parametrize(
    "sparql",
    [
        "PREFIX kg: <https://w3id.org/newskg/ns#>\nSELECT * WHERE {\n  ?s kg:p ?o FILTER(?o = )\n}",
        "SELECT * WHERE { ?s ?p 'é' . ?s ?p ?o ?o }",  # a character of two bytes before the error
        "ASK {\n\t?s ?p ?o . ?s ?p }",  # a tab before the error
        "SELECT ?x WHERE { " + "?s ?p ?o . " * 30 + "BIND(1 AS ?x) ?x }",  # a long line
    ],
)
def test_sparql_lexer_caret_is_under_the_engine_column(sparql: str) -> None:
    with pytest.raises(SyntaxError) as raised:
        ox.Store().query(sparql)
    message = str(raised.value.msg)
    position = re.match(r"error at (\d+):(\d+):", message)
    assert position is not None, message
    line, column = int(position.group(1)), int(position.group(2))
    first, quoted, caret = explain_syntax_error(sparql, message).splitlines()
    assert first.startswith(f"error at {line}:{column}:")
    assert "[" not in first.partition("expected")[2]  # no character classes left
    gutter = f"{line:>3} | "
    assert quoted.startswith(gutter)
    shown = quoted[len(gutter) :]
    at = caret.index("^") - len(gutter)
    source = sparql.splitlines()[line - 1]
    if shown.startswith("…"):  # a window of a long line: the text under the caret matches
        offset = source.index(shown[1:]) - 1
        assert source[offset + at : offset + at + 5] == source[column - 1 : column + 4]
    else:
        assert shown == source
        assert at == column - 1
        assert caret[len(gutter) : len(gutter) + at].strip(" \t") == ""


def test_sparql_lexer_own_errors_show_the_caret() -> None:
    with pytest.raises(QuerySyntaxError) as raised:
        tokenize("ASK {\n  ?s ?p 'open\n}")
    assert str(raised.value).splitlines() == [
        'error at 2:9: unexpected "\'" (an unterminated string or IRI?)',
        "  2 |   ?s ?p 'open",
        "    |         ^",
    ]
