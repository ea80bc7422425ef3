"""SPARQL 1.1 text as tokens, read the way the engine (pyoxigraph) reads it.

    tokenize(text) -> list[Token]

Whitespace and comments are dropped; a string, an IRI or a prefixed name is one token, so a
keyword, a brace or a `#` inside one is none of those. Each token carries its offset in the text
and its nesting depth (how many `{ }`, `( )` and `[ ]` enclose it), so callers can find an
operation's own `WHERE` (depth 0) without being fooled by a pattern's.

Where the engine reads the text differently from the spec's terminals (§19.8), the lexer follows
the engine, since a reading the engine does not share is a reading an attacker can exploit:

- **`<` is less-than, not an IRI, right after an operand inside an expression's parentheses**
  (`FILTER(?a<'x>')` compares `?a` with the string `"x>"`): the grammar allows no IRI there,
  and pyoxigraph's parser, which tries each rule in context, reads the operator. Everywhere
  else (triple patterns, collections, `VALUES`, function arguments) `<…>` is an IRI, as in the
  spec. An expression is a `( )` opened by `FILTER`, `BIND`, a function or keyword (`STR(`,
  `IN (`), `FILTER <fn>(`, or anywhere in a `SELECT` clause or in `GROUP BY`/`ORDER BY`/
  `HAVING`; any `( )` inside one is one too. Other parentheses (collections, property-path
  groups, `VALUES` lists) hold terms only.
- **`\\u` escapes count only inside strings and IRIs.** pyoxigraph applies them there (an IRI may
  be written `<http://e/\\u0061>`) and refuses them elsewhere, so `"\\u0022"` is a one-character
  string, not the start of a `\"\"\"` string (which a lexer that unescapes the whole text first
  would see).

Text that is not made of SPARQL tokens, or whose brackets do not pair up, raises
`QuerySyntaxError`: the engine would refuse it too, and no caller acts on a reading it cannot
trust.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, StrEnum, auto
from typing import NamedTuple

from kg.errors import QuerySyntaxError

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_EXPONENT = r"[eE][+-]?[0-9]+"

_IRI = ("iri", rf"<(?:[^<>\"{{}}|^`\\\x00-\x20]|{_UCHAR})*>")
_PATTERNS: list[tuple[str, str]] = [
    ("ws", r"\s+"),
    ("comment", r"#[^\r\n]*"),
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
    (
        "number",
        rf"[0-9]+\.[0-9]*{_EXPONENT}|\.?[0-9]+{_EXPONENT}|[0-9]*\.[0-9]+|[0-9]+",
    ),
    ("word", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("punct", r"\^\^|&&|\|\||!=|<=|>=|[{}()\[\];,.=<>!+\-*/|^?~]"),
]


def _compile(patterns: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{kind}{i}>{p})" for i, (kind, p) in enumerate(patterns)))


#: Where an IRI may start: the IRI first, so `<p>` is never read as less-than.
_TERM = _compile([*_PATTERNS[:2], _IRI, *_PATTERNS[2:]])
#: Right after an operand in an expression: `<` is an operator.
_OPERATOR = _compile(_PATTERNS)
_NO_PNAME = [pattern for pattern in _PATTERNS if pattern[0] != "pname"]
#: The same two where no prefixed name can start (see `_PnameRuns`).
_TERM_NO_PNAME = _compile([*_NO_PNAME[:2], _IRI, *_NO_PNAME[2:]])
_OPERATOR_NO_PNAME = _compile(_NO_PNAME)
_NAME_RUN = re.compile(rf"[{_PN_CHARS}.]+")
_SPACE = re.compile(r"\s+")


class _PnameRuns:
    """Where a prefixed name may start: only in a run of name characters followed by `:`.

    Trying the prefixed-name pattern at every offset of a long run without a colon
    (`a.a.a.…`) rescans the run each time, quadratic in its length (6 s for 32 KB); each run's
    end is found once here, when a token first starts in it (tokens only move forward), so the
    whole text is scanned at most once.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.start = self.end = 0
        """The run of name characters last found: [start, end)."""

    def possible(self, position: int) -> bool:
        text = self.text
        if text.startswith(":", position):
            return True
        if not self.start <= position < self.end:
            run = _NAME_RUN.match(text, position)
            if run is None:
                return False
            self.start, self.end = position, run.end()
        return text.startswith(":", self.end)


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


#: Each pattern's group name (`kind` + its index) to its kind; None for whitespace, comments.
_KINDS: dict[str, TokenKind] = {
    name: TokenKind(name.rstrip("0123456789"))
    for compiled in (_TERM, _OPERATOR, _TERM_NO_PNAME, _OPERATOR_NO_PNAME)
    for name in compiled.groupindex
    if not name.startswith(("ws", "comment"))
}


class Token(NamedTuple):
    """One token (a tuple: a query of thousands of tokens is read per request)."""

    kind: TokenKind
    text: str
    start: int
    """Offset in the text."""
    depth: int
    """Brackets around the token; an opening or closing bracket counts those outside it."""

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    def is_keyword(self, name: str) -> bool:
        """A keyword, compared case-insensitively (`name` in upper case)."""
        return self.kind is TokenKind.WORD and self.text.upper() == name


class _Nest(Enum):
    """What an open bracket holds (the text itself at the bottom of the stack)."""

    ROOT = auto()
    GROUP = auto()
    EXPRESSION = auto()
    TERMS = auto()
    """Parentheses holding terms: a collection, a property path, a `VALUES` list."""
    BRACKET = auto()


class _Clause(Enum):
    NONE = 0
    SELECT = 1
    """Between SELECT and the WHERE group: `( )` is `(expression AS ?v)`."""
    MODIFIERS = 2
    """After GROUP BY, ORDER BY, HAVING: every `( )` is an expression."""


@dataclass(slots=True)
class _Frame:
    nest: _Nest
    clause: _Clause = field(default=_Clause.NONE)


_CLOSES: dict[str, tuple[_Nest, ...]] = {
    "}": (_Nest.GROUP,),
    ")": (_Nest.EXPRESSION, _Nest.TERMS),
    "]": (_Nest.BRACKET,),
}
_OPERAND_KINDS = {
    TokenKind.IRI,
    TokenKind.STRING,
    TokenKind.VAR,
    TokenKind.LANGTAG,
    TokenKind.PNAME,
    TokenKind.NUMBER,
}


def _ends_operand(token: Token | None) -> bool:
    if token is None:
        return False
    if token.kind in _OPERAND_KINDS:
        return True
    return token.text == ")" or token.is_keyword("TRUE") or token.is_keyword("FALSE")


def _opens_expression(frame: _Frame, previous: Token | None, before: Token | None) -> bool:
    """Whether a `(` read in `frame` after `before previous` starts an expression."""
    if frame.nest is _Nest.EXPRESSION:
        return True
    if frame.nest in (_Nest.TERMS, _Nest.BRACKET):
        return False
    if frame.clause is not _Clause.NONE:
        return True
    if previous is None:
        return False
    if previous.kind is TokenKind.WORD:  # FILTER(, BIND(, STR(…; not `a (1 2)`, `VALUES (?x)`
        return previous.text != "a" and not previous.is_keyword("VALUES")
    return (
        previous.kind in (TokenKind.IRI, TokenKind.PNAME)
        and before is not None
        and before.is_keyword("FILTER")
    )


def _set_clause(frame: _Frame, word: Token) -> None:
    keyword = word.text.upper()
    if keyword == "SELECT":
        frame.clause = _Clause.SELECT
    elif keyword in ("GROUP", "ORDER", "HAVING"):
        frame.clause = _Clause.MODIFIERS
    elif keyword in ("LIMIT", "OFFSET", "VALUES") or (
        keyword in ("WHERE", "FROM") and frame.clause is _Clause.SELECT
    ):
        frame.clause = _Clause.NONE


def _where(text: str, offset: int) -> str:
    """`error at LINE:COLUMN`, the form of pyoxigraph's own parser messages."""
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"error at {line}:{column}"


_AT = re.compile(r"^error at (\d+):(\d+)")
#: A character class in a parser's "expected one of" list: `['0' ..= '9' | '_']`, `[_]`.
_CHAR_CLASS = re.compile(r"\[(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\]'\"])*\]")
_SHOWN = 100
"""Characters of a long line shown around the column."""


def _expected(message: str) -> str:
    """The message with the character classes of its "expected one of" list dropped (a name
    character stands for them; `[_]`, any character, says nothing)."""
    head, found, listed = message.partition("expected one of ")
    if not found:
        return message
    classes = [c for c in _CHAR_CLASS.findall(listed) if c != "[_]"]
    items = [i.strip() for i in _CHAR_CLASS.sub("", listed).split(",")]
    items = [i for i in items if i] + (["a name character"] if classes else [])
    if not items:
        return head.rstrip(": ") + ": unexpected text"
    return head + ("expected " if len(items) == 1 else found) + ", ".join(items)


def explain_syntax_error(text: str, message: str) -> str:
    """A parser message (`error at LINE:COLUMN: …`) made readable: character classes dropped
    from its "expected one of" list, and the line quoted with a caret under the column.

    >>> print(explain_syntax_error("ASK {\\n  ?s ?p\\n}", "error at 3:1: expected one of [_], ?o"))
    error at 3:1: expected ?o
      3 | }
        | ^
    >>> explain_syntax_error("ASK {}", "a message without a position")
    'a message without a position'
    """
    at = _AT.match(message)
    if at is None:
        return message
    line_number, column = int(at.group(1)), int(at.group(2))
    lines = text.splitlines() or [""]
    if not 1 <= line_number <= len(lines):
        return _expected(message)
    line = lines[line_number - 1]
    start = max(0, min(column - 1 - _SHOWN // 2, len(line) - _SHOWN))
    shown = line[start : start + _SHOWN]
    before = line[start : max(start, column - 1)]
    pad = "".join(c if c == "\t" else " " for c in before)
    gutter = f"{line_number:>3} | "
    return (
        f"{_expected(message)}\n{gutter}{'…' if start else ''}{shown}\n"
        f"{' ' * (len(gutter) - 2)}| {' ' if start else ''}{pad}^"
    )


def tokenize(text: str) -> list[Token]:
    """The text's tokens, without whitespace and comments, with their offsets and depths.

    >>> [t.text for t in tokenize('ASK { ?s ?p "} #" } # }') if t.depth == 0]
    ['ASK', '{', '}']
    >>> [t.text for t in tokenize("ASK { FILTER(?s<'>') ?s <p> '<' }")]
    ['ASK', '{', 'FILTER', '(', '?s', '<', "'>'", ')', '?s', '<p>', "'<'", '}']

    Raises:
        QuerySyntaxError: a character no SPARQL token starts with (an unterminated string,
            say), or brackets that do not pair up.
    """
    tokens: list[Token] = []
    frames = [_Frame(_Nest.ROOT)]
    previous: Token | None = None
    before: Token | None = None
    runs = _PnameRuns(text)
    position = 0
    size = len(text)
    while position < size:
        if text[position].isspace():  # most gaps are one blank: skipped without the patterns
            position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            continue
        frame = frames[-1]
        operator = frame.nest is _Nest.EXPRESSION and _ends_operand(previous)
        if runs.possible(position):
            pattern = _OPERATOR if operator else _TERM
        else:
            pattern = _OPERATOR_NO_PNAME if operator else _TERM_NO_PNAME
        match = pattern.match(text, position)
        if match is None or match.end() == position:
            raise QuerySyntaxError(
                explain_syntax_error(
                    text,
                    f"{_where(text, position)}: unexpected {text[position]!r}"
                    " (an unterminated string or IRI?)",
                )
            )
        position = match.end()
        kind = _KINDS.get(match.lastgroup or "")
        if kind is None:  # whitespace or a comment
            continue
        value = match.group(0)
        if value in _CLOSES:
            if frame.nest not in _CLOSES[value]:
                raise QuerySyntaxError(
                    explain_syntax_error(
                        text, f"{_where(text, match.start())}: {value!r} closes nothing open there"
                    )
                )
            frames.pop()
            frame = frames[-1]
        token = Token(kind, value, match.start(), len(frames) - 1)
        if value == "{":
            if frame.clause is _Clause.SELECT:
                frame.clause = _Clause.NONE
            frames.append(_Frame(_Nest.GROUP))
        elif value == "(":
            expression = _opens_expression(frame, previous, before)
            frames.append(_Frame(_Nest.EXPRESSION if expression else _Nest.TERMS))
        elif value == "[":
            frames.append(_Frame(_Nest.BRACKET))
        elif token.kind is TokenKind.WORD and frame.nest in (_Nest.ROOT, _Nest.GROUP):
            _set_clause(frame, token)
        tokens.append(token)
        before, previous = previous, token
    if len(frames) > 1:
        raise QuerySyntaxError(
            explain_syntax_error(
                text,
                f"{_where(text, len(text))}: the text ends with {len(frames) - 1} bracket(s) open",
            )
        )
    return tokens


__all__ = ["Token", "TokenKind", "explain_syntax_error", "tokenize"]
