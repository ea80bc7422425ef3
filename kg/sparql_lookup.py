"""Which queries cost no more than the rows they return: the lookup of one quad pattern.

A query made of one triple pattern (in the default graph, or inside one `GRAPH`) with no
variable repeated is answered by one range scan of one of the engine's indexes: every solution
is one step of the scan, with nothing to filter, join, sort or group. Reading at most N
solutions of it costs at most N steps, however large the store; `api.fastpath` answers such a
query in the serving process, without the round trip to a query worker that any other query
needs (the worker is there to be killed when a query outlives `KG_QUERY_TIMEOUT`; a lookup
read to a row bound cannot run away).

    quad_lookup(tokens) -> QuadLookup | None       (None: not a lookup)
    QuadLookup.limited(text, count) -> str         (the same query, LIMIT count)

The decision is taken on the query's tokens (`kg.sparql_lexer`), conservatively: anything but
the shapes below (a FILTER, a second pattern, `;` or `,` lists, a path, DISTINCT, ORDER BY,
OFFSET, FROM, a signed number, a repeated variable such as `?x ?p ?x`, which the engine checks
row by row) is not a lookup, and takes the usual path.

    [PREFIX/BASE …] SELECT (* | ?v …) [WHERE] { [GRAPH g {] s p o [.] [}] } [LIMIT n]
    [PREFIX/BASE …] ASK [WHERE] { [GRAPH g {] s p o [.] [}] }
"""

from __future__ import annotations

from dataclasses import dataclass

from kg.sparql_lexer import Token, TokenKind

__all__ = ["QuadLookup", "quad_lookup"]

_NAMED = (TokenKind.IRI, TokenKind.PNAME)
_VARIABLE = (TokenKind.VAR, TokenKind.BNODE)
_LITERAL_WORDS = frozenset({"TRUE", "FALSE"})


class _Reader:
    """A cursor over the tokens, each step checking one expected token."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.index = 0
        self.variables: list[str] = []

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def keyword(self, name: str) -> bool:
        token = self.peek()
        if token is not None and token.is_keyword(name):
            self.index += 1
            return True
        return False

    def punct(self, text: str) -> bool:
        token = self.peek()
        if token is not None and token.kind is TokenKind.PUNCT and token.text == text:
            self.index += 1
            return True
        return False

    def kind(self, *kinds: TokenKind) -> Token | None:
        token = self.peek()
        if token is not None and token.kind in kinds:
            self.index += 1
            return token
        return None

    def prologue(self) -> bool:
        """Skip the BASE and PREFIX declarations."""
        while True:
            if self.keyword("BASE"):
                if self.kind(TokenKind.IRI) is None:
                    return False
            elif self.keyword("PREFIX"):
                if self.kind(TokenKind.PNAME) is None or self.kind(TokenKind.IRI) is None:
                    return False
            else:
                return True

    def term(self, *, predicate: bool = False) -> bool:
        """One RDF term or variable of a triple pattern; a variable is noted."""
        token = self.peek()
        if token is None:
            return False
        if token.kind in _VARIABLE:
            self.index += 1
            self.variables.append(token.text[1:] if token.kind is TokenKind.VAR else token.text)
            return True
        if token.kind in _NAMED or (token.kind is TokenKind.NUMBER and not predicate):
            self.index += 1
            return True
        if token.kind is TokenKind.WORD:
            word = token.text.upper()
            if (predicate and token.text == "a") or (not predicate and word in _LITERAL_WORDS):
                self.index += 1
                return True
            return False
        if token.kind is TokenKind.STRING and not predicate:
            self.index += 1
            if self.kind(TokenKind.LANGTAG) is None and self.punct("^^"):
                return self.kind(*_NAMED) is not None
            return True
        return False

    def triple(self) -> bool:
        """`s p o`, then an optional `.`."""
        if not (self.term() and self.term(predicate=True) and self.term()):
            return False
        self.punct(".")
        return True

    def group(self) -> bool:
        """`{ triple }` or `{ GRAPH g { triple } }`."""
        if not self.punct("{"):
            return False
        if self.keyword("GRAPH"):
            graph = self.kind(*_NAMED, *_VARIABLE)
            if graph is None:
                return False
            if graph.kind in _VARIABLE:
                self.variables.append(graph.text[1:] if graph.kind is TokenKind.VAR else graph.text)
            if not (self.punct("{") and self.triple() and self.punct("}")):
                return False
        elif not self.triple():
            return False
        return self.punct("}")

    def projection(self) -> bool:
        """`*` or one or more variables (no DISTINCT, REDUCED or expressions)."""
        if self.punct("*"):
            return True
        projected = 0
        while self.kind(TokenKind.VAR) is not None:
            projected += 1
        return projected > 0

    def limit(self) -> tuple[int | None, int | None] | None:
        """`LIMIT n` and nothing more: (n, its offset); nothing more: (None, None); else None."""
        token = self.peek()
        if token is not None and self.keyword("LIMIT"):
            count = self.kind(TokenKind.NUMBER)
            if count is None or not count.text.isdigit() or self.peek() is not None:
                return None
            return int(count.text), token.start
        return (None, None) if token is None else None


@dataclass(frozen=True, slots=True)
class QuadLookup:
    """A query found to be one quad pattern (`quad_lookup`)."""

    ask: bool
    """An ASK (one solution at most); else a SELECT."""
    limit: int | None = None
    """The SELECT's own LIMIT."""
    limit_at: int | None = None
    """Where `LIMIT` starts in the text (None: the text has none)."""

    def limited(self, text: str, count: int) -> str:
        """The SELECT `text` with `LIMIT count` in place of its own (on a line of its own,
        after a possible trailing comment)."""
        return f"{text if self.limit_at is None else text[: self.limit_at]}\nLIMIT {count}"


def quad_lookup(tokens: list[Token]) -> QuadLookup | None:
    """The query as a lookup of one quad pattern, read at a cost bounded by its rows, or None.

    >>> from kg.sparql_lexer import tokenize
    >>> quad_lookup(tokenize("SELECT ?p ?o WHERE { <http://e/s> ?p ?o } LIMIT 5"))
    QuadLookup(ask=False, limit=5, limit_at=42)
    >>> quad_lookup(tokenize("SELECT * { ?x ?p ?x }")) is None  # the engine compares each row
    True
    >>> quad_lookup(tokenize("SELECT ?o { <http://e/s> ?p ?o } ORDER BY ?o")) is None
    True
    """
    reader = _Reader(tokens)
    if not reader.prologue():
        return None
    found: QuadLookup | None = None
    if reader.keyword("SELECT"):
        if not reader.projection():
            return None
        reader.keyword("WHERE")
        limit = reader.limit() if reader.group() else None
        if limit is not None:
            found = QuadLookup(ask=False, limit=limit[0], limit_at=limit[1])
    elif reader.keyword("ASK"):
        reader.keyword("WHERE")
        if reader.group() and reader.peek() is None:
            found = QuadLookup(ask=True)
    if found is None or len(set(reader.variables)) != len(reader.variables):
        return None
    return found
