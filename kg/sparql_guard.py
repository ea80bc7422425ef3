"""Which remote addresses a SPARQL query or update would make the engine fetch, and the rule.

The engine (pyoxigraph) fetches over HTTP for two constructs only: `SERVICE <iri> { … }` in a
query or an update's WHERE, and `LOAD <iri>` in an update. `FROM`, `FROM NAMED`,
`default-graph-uri` and `named-graph-uri` only name graphs of the store and fetch nothing
(tests/e2e/test_no_outbound.py checks both with a listener). The decision is taken on the
query's tokens as pyoxigraph reads them (`kg.sparql_lexer`), so a `SERVICE` inside a string
literal, an IRI or a comment is not a call:

    remote_calls(text) -> RemoteCalls        (the SERVICE endpoints and LOAD sources)
    check_remote_calls(text, services=..., loads=...)   raises RemoteAccessRefusedError

The same pass refuses queries nested or chained deep enough to overflow the engine's stack
(MAX_DEPTH, MAX_CHAIN): pyoxigraph ends the whole process on those, with no exception.

Only an endpoint written as an absolute IRI (or a prefixed name that expands to one) can be
allowed, by exact match against `KG_SPARQL_SERVICES` / `KG_SPARQL_LOAD_SOURCES`; a variable
endpoint (`SERVICE ?x`) or a relative IRI is always refused, because which address it names
is only known inside the engine.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from kg.errors import QueryError, RemoteAccessRefusedError
from kg.sparql_lexer import Token, TokenKind, tokenize

#: Deepest nesting of `{ }`, `( )` and `[ ]` accepted. pyoxigraph's parser and evaluator
#: recurse on it and end the process (SIGSEGV, no exception) past ~3,000 levels of
#: parentheses or ~4,000 of blank-node brackets; real queries stay under 20.
MAX_DEPTH = 128
#: Most operators joined inside one group (`.`, `||`, `/`, UNION, OPTIONAL, FILTER…): the
#: engine builds each chain as a left-deep tree and crashed on 4,000 OPTIONALs or 10,000
#: `||`. Lists that are flat in the engine (VALUES and DATA blocks, `IN (…)` commas) are free.
MAX_CHAIN = 1_000
_CHAINING_PUNCT = frozenset(
    {".", ";", "||", "&&", "+", "-", "*", "/", "|", "^", "!", "=", "!=", "<", ">", "<=", ">="}
)
_CHAINING_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH", "SERVICE"})
_FLAT_BLOCKS = frozenset({"VALUES", "DATA"})
_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class RemoteCalls:
    """What the engine would fetch: each endpoint as an absolute IRI, or None when unknown."""

    services: tuple[str | None, ...] = ()
    loads: tuple[str | None, ...] = ()
    declares_dataset: bool = False
    """The query has FROM or FROM NAMED clauses (its own dataset, which fetches nothing)."""


_LOCAL_ESCAPE = re.compile(r"\\(.)")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _unescape_iri(text: str) -> str:
    """An IRI token's text without its brackets, `\\u` escapes applied (pyoxigraph's reading)."""

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"

    return _CODEPOINT_ESCAPE.sub(replace, text[1:-1])


def _target(tokens: list[Token], index: int, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI named at `tokens[index]` (after SILENT), or None when not knowable."""
    if index < len(tokens) and tokens[index].is_keyword("SILENT"):
        index += 1
    if index >= len(tokens):
        return None
    token = tokens[index]
    iri: str | None = None
    if token.kind is TokenKind.IRI:
        iri = _unescape_iri(token.text)
    elif token.kind is TokenKind.PNAME:
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            iri = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    if iri is None or not _ABSOLUTE.match(iri):
        return None  # a variable, an unknown prefix or a relative IRI: refused
    return iri


def _check_shape(tokens: list[Token]) -> None:
    """Refuse nesting and operator chains deep enough to overflow the engine's stack.

    Raises:
        QueryError: deeper than MAX_DEPTH, or more than MAX_CHAIN operators in one group.
    """
    chains = [0]
    flat = [False]
    previous: Token | None = None
    for token in tokens:
        joins = not flat[-1] and (
            token.text == "{"  # a group joins its parent's other patterns
            or (token.kind is TokenKind.PUNCT and token.text in _CHAINING_PUNCT)
            or (token.kind is TokenKind.WORD and token.text.upper() in _CHAINING_WORDS)
        )
        if joins:
            chains[-1] += 1
            if chains[-1] > MAX_CHAIN:
                raise QueryError(
                    f"the query joins more than {MAX_CHAIN} patterns or operators in one group"
                    " (`.`, UNION, OPTIONAL, `||`, `/`…); split it, or use VALUES for long lists"
                )
        if token.text in ("{", "(", "["):
            if token.depth + 1 > MAX_DEPTH:
                raise QueryError(
                    f"the query nests brackets more than {MAX_DEPTH} deep; flatten it"
                    " (the engine cannot evaluate deeper nesting safely)"
                )
            chains.append(0)
            flat.append(previous is not None and previous.text.upper() in _FLAT_BLOCKS)
        elif token.text in ("}", ")", "]"):
            chains.pop()
            flat.pop()
        previous = token


def remote_calls(text: str, tokens: list[Token] | None = None) -> RemoteCalls:
    """The SERVICE endpoints and LOAD sources of a query or update, after the shape check.

    `tokens`, when given, are the text's (`kg.sparql_lexer.tokenize`), read once by a caller
    that needs them too.

    >>> remote_calls('PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:sparql { ?s ?p ?o } }')
    RemoteCalls(services=('http://e.org/sparql',), loads=(), declares_dataset=False)
    >>> remote_calls("SELECT * { ?s ?p 'SERVICE <http://x/>' }  # SERVICE <http://y/>")
    RemoteCalls(services=(), loads=(), declares_dataset=False)

    Raises:
        QuerySyntaxError: the text is not made of SPARQL tokens, or its brackets do not pair.
        QueryError: nesting or operator chains past MAX_DEPTH / MAX_CHAIN.
    """
    if tokens is None:
        tokens = tokenize(text)
    _check_shape(tokens)
    prefixes: dict[str, str] = {}
    services: list[str | None] = []
    loads: list[str | None] = []
    dataset = False
    for index, token in enumerate(tokens):
        if token.kind is not TokenKind.WORD:
            continue
        word = token.text.upper()
        if (
            word == "PREFIX"
            and index + 2 < len(tokens)
            and tokens[index + 1].kind is TokenKind.PNAME
            and tokens[index + 2].kind is TokenKind.IRI
        ):
            prefixes[tokens[index + 1].text.rstrip(":")] = _unescape_iri(tokens[index + 2].text)
        elif word == "SERVICE":
            services.append(_target(tokens, index + 1, prefixes))
        elif word == "LOAD":
            loads.append(_target(tokens, index + 1, prefixes))
        elif word == "FROM":
            dataset = True
    return RemoteCalls(tuple(services), tuple(loads), dataset)


def check_remote_calls(
    text: str,
    *,
    services: Collection[str] = (),
    loads: Collection[str] = (),
    tokens: list[Token] | None = None,
) -> RemoteCalls:
    """Refuse a query or update that would fetch anything not allowed; return what it fetches.

    Args:
        text: the query or update.
        services: SERVICE endpoints allowed (`KG_SPARQL_SERVICES`), exact absolute IRIs.
        loads: LOAD sources allowed (`KG_SPARQL_LOAD_SOURCES`), exact absolute IRIs.
        tokens: the text's tokens, when the caller has them already.

    Raises:
        RemoteAccessRefusedError: a SERVICE or LOAD not in its allow-list.
        QuerySyntaxError: the text is not made of SPARQL tokens.
        QueryError: nesting or operator chains past MAX_DEPTH / MAX_CHAIN.
    """
    calls = remote_calls(text, tokens)
    for endpoint in calls.services:
        if endpoint is None or endpoint not in services:
            what = (
                f"<{endpoint}>" if endpoint else "an endpoint given by a variable or relative IRI"
            )
            raise RemoteAccessRefusedError(
                f"SERVICE {what} is refused: this server sends no request on a query's behalf"
                " unless its operator allows the endpoint by its exact IRI in KG_SPARQL_SERVICES"
                + (f" (allowed now: {', '.join(sorted(services))})" if services else " (empty)"),
                setting="KG_SPARQL_SERVICES",
            )
    for source in calls.loads:
        if source is None or source not in loads:
            what = f"<{source}>" if source else "a source given by a relative IRI"
            raise RemoteAccessRefusedError(
                f"LOAD {what} is refused: this server fetches no document on an update's"
                " behalf unless its operator allows the source by its exact IRI in"
                " KG_SPARQL_LOAD_SOURCES",
                setting="KG_SPARQL_LOAD_SOURCES",
            )
    return calls


__all__ = ["MAX_CHAIN", "MAX_DEPTH", "RemoteCalls", "check_remote_calls", "remote_calls"]


def graph_constants(text: str) -> tuple[str, ...]:
    """The absolute IRIs a query names after `GRAPH` (an IRI or a prefixed name), in order,
    without repeats; variables and relative IRIs are left out.

    A remote store lists them among the named graphs it sends (`kg.store.remote`): Virtuoso 7
    answers a `GRAPH <g>` outside the request's dataset with one empty solution instead of none
    (ASK true, COUNT 1).

    >>> graph_constants("PREFIX g: <http://e/g/> ASK { GRAPH g:a { ?s ?p ?o } GRAPH ?x {} }")
    ('http://e/g/a',)

    Raises:
        QuerySyntaxError: the text is not made of SPARQL tokens.
    """
    tokens = tokenize(text)
    prefixes: dict[str, str] = {}
    found: dict[str, None] = {}
    for index, token in enumerate(tokens):
        if (
            token.is_keyword("PREFIX")
            and index + 2 < len(tokens)
            and tokens[index + 1].kind is TokenKind.PNAME
            and tokens[index + 2].kind is TokenKind.IRI
        ):
            prefixes[tokens[index + 1].text.rstrip(":")] = _unescape_iri(tokens[index + 2].text)
        elif token.is_keyword("GRAPH"):
            iri = _target(tokens, index + 1, prefixes)
            if iri is not None:
                found[iri] = None
    return tuple(found)
