"""Which remote addresses a SPARQL query or update would make the engine fetch, and the rule.

The engine (pyoxigraph) fetches over HTTP for two constructs only: `SERVICE <iri> { … }` in a
query or an update's WHERE, and `LOAD <iri>` in an update. `FROM`, `FROM NAMED`,
`default-graph-uri` and `named-graph-uri` only name graphs of the store and fetch nothing
(tests/e2e/test_no_outbound.py checks both with a listener). The decision is taken on the
query's tokens, read with the SPARQL 1.1 lexical grammar (§19.8 of the spec), so a `SERVICE`
inside a string literal, an IRI or a comment is not a call, and one spelt with `\\u` escapes
(which the spec applies before parsing) is one:

    tokenize(text) -> list[Token]
    remote_calls(text) -> RemoteCalls        (the SERVICE endpoints and LOAD sources)
    check_remote_calls(text, services=..., loads=...)   raises RemoteAccessRefusedError

Only an endpoint written as an absolute IRI (or a prefixed name that expands to one) can be
allowed, by exact match against `KG_SPARQL_SERVICES` / `KG_SPARQL_LOAD_SOURCES`; a variable
endpoint (`SERVICE ?x`) or a relative IRI is always refused, because which address it names
is only known inside the engine.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from kg.errors import QuerySyntaxError, RemoteAccessRefusedError

_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"

_PATTERNS: list[tuple[str, str]] = [
    ("ws", r"\s+"),
    ("comment", r"#[^\r\n]*"),
    ("iri", r"<[^<>\"{}|^`\\\x00-\x20]*>"),
    ("string", r'"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'),
    ("string", r"'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"),
    ("string", r'"(?:[^"\\\n\r]|\\.)*"'),
    ("string", r"'(?:[^'\\\n\r]|\\.)*'"),
    ("var", rf"[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
    ("langtag", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
    ("bnode", rf"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    (
        "pname",
        rf"(?:[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)?:"
        rf"(?:(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?)?",
    ),
    ("number", r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("word", rf"[{_PN_CHARS_BASE}][{_PN_CHARS_BASE}0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/|^?$]"),
]
_TOKEN = re.compile(
    "|".join(f"(?P<{kind}{i}>{pattern})" for i, (kind, pattern) in enumerate(_PATTERNS))
)


class TokenKind(StrEnum):
    IRI = "iri"
    STRING = "string"
    VAR = "var"
    LANGTAG = "langtag"
    BNODE = "bnode"
    PNAME = "pname"
    NUMBER = "number"
    WORD = "word"
    """Keywords (case-insensitive), function names and `a`."""
    PUNCT = "punct"


@dataclass(frozen=True, slots=True)
class Token:
    kind: TokenKind
    text: str
    start: int
    """Offset in the unescaped text."""

    def is_keyword(self, name: str) -> bool:
        return self.kind is TokenKind.WORD and self.text.upper() == name


def unescape_codepoints(text: str) -> str:
    """Apply `\\uXXXX` and `\\UXXXXXXXX` escapes, as SPARQL does before parsing (§19.2).

    >>> unescape_codepoints(r"\\u0053ERVICE")
    'SERVICE'
    """

    def replace(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise QuerySyntaxError(f"invalid code point escape {match.group(0)!r}")
        return chr(code)

    return _CODEPOINT_ESCAPE.sub(replace, text)


def tokenize(text: str) -> list[Token]:
    """The query's tokens (whitespace and comments dropped), after code point escapes.

    >>> [t.text for t in tokenize('SELECT * { ?s ?p "SERVICE" } # SERVICE')]
    ['SELECT', '*', '{', '?s', '?p', '"SERVICE"', '}']

    Raises:
        QuerySyntaxError: a character no SPARQL token starts with (an unterminated string, say).
    """
    source = unescape_codepoints(text)
    tokens: list[Token] = []
    position = 0
    while position < len(source):
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            line = source.count("\n", 0, position) + 1
            raise QuerySyntaxError(
                f"unexpected character {source[position]!r} at line {line}"
                " (an unterminated string or IRI?)"
            )
        kind = (match.lastgroup or "").rstrip("0123456789")
        if kind not in ("ws", "comment"):
            tokens.append(Token(TokenKind(kind), match.group(0), position))
        position = match.end()
    return tokens


@dataclass(frozen=True, slots=True)
class RemoteCalls:
    """What the engine would fetch: each endpoint as an absolute IRI, or None when unknown."""

    services: tuple[str | None, ...] = ()
    loads: tuple[str | None, ...] = ()
    declares_dataset: bool = False
    """The query has FROM or FROM NAMED clauses (its own dataset, which fetches nothing)."""


_LOCAL_ESCAPE = re.compile(r"\\(.)")
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def _target(tokens: list[Token], index: int, prefixes: dict[str, str]) -> str | None:
    """The absolute IRI named at `tokens[index]` (after SILENT), or None when not knowable."""
    if index < len(tokens) and tokens[index].is_keyword("SILENT"):
        index += 1
    if index >= len(tokens):
        return None
    token = tokens[index]
    iri: str | None = None
    if token.kind is TokenKind.IRI:
        iri = token.text[1:-1]
    elif token.kind is TokenKind.PNAME:
        prefix, _, local = token.text.partition(":")
        if prefix in prefixes:
            iri = prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
    if iri is None or not _ABSOLUTE.match(iri):
        return None  # a variable, an unknown prefix or a relative IRI: refused
    return iri


def remote_calls(text: str) -> RemoteCalls:
    """The SERVICE endpoints and LOAD sources of a query or update.

    >>> remote_calls('PREFIX e: <http://e.org/> SELECT * { SERVICE SILENT e:sparql { ?s ?p ?o } }')
    RemoteCalls(services=('http://e.org/sparql',), loads=(), declares_dataset=False)
    >>> remote_calls("SELECT * { ?s ?p 'SERVICE <http://x/>' }  # SERVICE <http://y/>")
    RemoteCalls(services=(), loads=(), declares_dataset=False)

    Raises:
        QuerySyntaxError: the text is not made of SPARQL tokens.
    """
    tokens = tokenize(text)
    prefixes: dict[str, str] = {}
    services: list[str | None] = []
    loads: list[str | None] = []
    dataset = False
    for index, token in enumerate(tokens):
        if (
            token.is_keyword("PREFIX")
            and index + 2 < len(tokens)
            and tokens[index + 1].kind is TokenKind.PNAME
            and tokens[index + 2].kind is TokenKind.IRI
        ):
            prefixes[tokens[index + 1].text.rstrip(":")] = tokens[index + 2].text[1:-1]
        elif token.is_keyword("SERVICE"):
            services.append(_target(tokens, index + 1, prefixes))
        elif token.is_keyword("LOAD"):
            loads.append(_target(tokens, index + 1, prefixes))
        elif token.is_keyword("FROM"):
            dataset = True
    return RemoteCalls(tuple(services), tuple(loads), dataset)


def check_remote_calls(
    text: str, *, services: Collection[str] = (), loads: Collection[str] = ()
) -> RemoteCalls:
    """Refuse a query or update that would fetch anything not allowed; return what it fetches.

    Args:
        text: the query or update.
        services: SERVICE endpoints allowed (`KG_SPARQL_SERVICES`), exact absolute IRIs.
        loads: LOAD sources allowed (`KG_SPARQL_LOAD_SOURCES`), exact absolute IRIs.

    Raises:
        RemoteAccessRefusedError: a SERVICE or LOAD not in its allow-list.
        QuerySyntaxError: the text is not made of SPARQL tokens.
    """
    calls = remote_calls(text)
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


__all__ = [
    "RemoteCalls",
    "Token",
    "TokenKind",
    "check_remote_calls",
    "remote_calls",
    "tokenize",
    "unescape_codepoints",
]
