"""The SPARQL 1.1 Protocol's update dataset (`using-graph-uri`, `using-named-graph-uri`), written
into the update as the `USING` / `USING NAMED` clauses it stands for.

    add_using(update, graphs=[...], named_graphs=[...]) -> str

The protocol (§2.2.3) gives an update's WHERE clauses the dataset those parameters name, exactly
as `USING <g>` and `USING NAMED <g>` would, and refuses a request that also names a dataset in
its text (`USING`, `USING NAMED`, `WITH`). pyoxigraph's `Store.update` takes no dataset, so the
clauses are added to the text, which then means the same on any SPARQL 1.1 engine (the embedded
store, or a remote one): before the `WHERE` of each `DELETE`/`INSERT … WHERE` operation, and
`DELETE WHERE { P }` becomes `DELETE { P } USING … WHERE { P }`, its long form (SPARQL 1.1
Update §3.1.3.3). `INSERT DATA`, `DELETE DATA` and the graph management operations have no
WHERE and are left alone.

The operations and their `WHERE` are found on the update's tokens (`kg.sparql_lexer`), at depth
0, so a `WHERE`, `WITH` or `;` inside a string, an IRI, a comment or a group graph pattern is
never taken for the operation's own.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kg.errors import QueryError, QuerySyntaxError
from kg.sparql_lexer import Token, tokenize
from kg.store.terms import sparql_iri

#: `\u` escapes of the characters that end strings, IRIs and escapes (`"`, `'`, `<`, `>`, `\`,
#: line ends): engines that apply escapes before parsing (the spec's §19.2; Jena) and engines
#: that apply them inside strings and IRIs only (pyoxigraph) read such a text differently, so
#: the clauses could land in a different place for each; such an update is not rewritten.
_DELIMITER_ESCAPE = re.compile(r"\\(?:u|U0000)(?:002[27]|003[cCeE]|005[cC]|000[aAdD])")


def _operations(tokens: list[Token]) -> list[list[Token]]:
    """The update's operations: its depth-0 tokens, split at depth-0 `;`."""
    operations: list[list[Token]] = [[]]
    for token in tokens:
        if token.depth != 0:
            continue
        if token.text == ";":
            operations.append([])
        else:
            operations[-1].append(token)
    return [operation for operation in operations if operation]


def _body(operation: list[Token]) -> list[Token]:
    """The operation without its prologue (`PREFIX p: <iri>`, `BASE <iri>`)."""
    index = 0
    while index < len(operation):
        if operation[index].is_keyword("PREFIX"):
            index += 3
        elif operation[index].is_keyword("BASE"):
            index += 2
        else:
            break
    return operation[index:]


def add_using(update: str, *, graphs: Sequence[str] = (), named_graphs: Sequence[str] = ()) -> str:
    """The update with the protocol's dataset written in as USING / USING NAMED clauses.

    Args:
        update: the SPARQL 1.1 update request (one or more operations).
        graphs: `using-graph-uri` values, absolute IRIs: their merge is the default graph of
            every WHERE.
        named_graphs: `using-named-graph-uri` values, absolute IRIs: the named graphs of every
            WHERE.

    Returns:
        `update` itself when no graph is given, else the update with the clauses added.

    >>> add_using("INSERT { ?s a <C> } WHERE { ?s ?p 'WHERE' }", graphs=["http://e/g"])
    "INSERT { ?s a <C> } USING <http://e/g> WHERE { ?s ?p 'WHERE' }"
    >>> add_using("DELETE WHERE { ?s ?p ?o }", named_graphs=["http://e/g"])
    'DELETE { ?s ?p ?o } USING NAMED <http://e/g> WHERE { ?s ?p ?o }'

    Raises:
        QueryError: the update names its own dataset (USING, USING NAMED or WITH), or writes a
            quote, angle bracket, backslash or line end as a `\\u` escape.
        QuerySyntaxError: the update is not made of SPARQL tokens, or its brackets do not pair.
        ValueError: a graph is not an absolute IRI.
    """
    if not graphs and not named_graphs:
        return update
    clauses = " ".join(
        [f"USING {sparql_iri(iri)}" for iri in graphs]
        + [f"USING NAMED {sparql_iri(iri)}" for iri in named_graphs]
    )
    escape = _DELIMITER_ESCAPE.search(update)
    if escape is not None:
        raise QueryError(
            f"the update writes {escape.group(0)!r}, a quote, angle bracket, backslash or line"
            " end as a code point escape, which SPARQL engines read differently; write the"
            " character itself"
            ' (or a string escape such as \\" or \\n) to use using-graph-uri or'
            " using-named-graph-uri"
        )
    edits: list[tuple[int, int, str]] = []
    for operation in _operations(tokenize(update)):
        own = [t.text.upper() for t in operation if t.is_keyword("USING") or t.is_keyword("WITH")]
        if own:
            raise QueryError(
                f"the update names its own dataset ({own[0]}) and the request names one with"
                " using-graph-uri or using-named-graph-uri; give the dataset one way only"
            )
        body = _body(operation)
        if len(body) < 2 or not (body[0].is_keyword("DELETE") or body[0].is_keyword("INSERT")):
            continue  # a graph management operation: no WHERE
        if body[1].is_keyword("DATA"):
            continue
        if body[0].is_keyword("DELETE") and body[1].is_keyword("WHERE"):
            if len(body) < 4 or body[2].text != "{" or body[3].text != "}":
                raise QuerySyntaxError("DELETE WHERE must be followed by { … }")
            pattern = update[body[2].start : body[3].end]
            edits.append(
                (body[0].start, body[3].end, f"DELETE {pattern} {clauses} WHERE {pattern}")
            )
            continue
        where = next((t for t in body if t.is_keyword("WHERE")), None)
        if where is not None:  # without one, the engine reports the syntax error
            edits.append((where.start, where.start, f"{clauses} "))
    for start, end, text in reversed(edits):
        update = update[:start] + text + update[end:]
    return update


__all__ = ["add_using"]
