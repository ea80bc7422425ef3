"""The SPARQL 1.1 Protocol as pure functions: parse a request, negotiate a format, execute.

    parse_sparql_request(method, content_type, params, body, base_iri=...) -> SparqlRequest
    negotiate(accept, kind, format_name) -> ResultFormat   (`format`, else Accept)
    execute(store, request, accept=..., format_name=..., max_rows=...) -> SparqlAnswer

    authorize_update(authorization, write_token)       (updates need a bearer token)
    update_text(request) -> str                        (using-graph-uri written in as USING)

`api.routers.sparql` only glues these to FastAPI, and runs `execute` through an
`api.executor.QueryExecutor`, which enforces `KG_QUERY_TIMEOUT`. SELECT answers are cut at
`KG_MAX_ROWS` rows and say so (`SparqlAnswer.truncated`, the `KG-Results-Truncated` header).

The protocol negotiates by `Accept` only; the `format` parameter (a browser convenience that
Virtuoso made common) wins when all its values name one format of the answer's kind, and is
otherwise ignored, so clients that send it several times with different spellings
(SPARQLWrapper sends `format=json-ld&format=application/ld+json`) or a value of their own still
get what their `Accept` asks for.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import IO, TypeAlias, cast
from urllib.parse import parse_qsl

import pyoxigraph as ox

from kg.errors import (
    KGError,
    NotAcceptableError,
    QueryError,
    QueryEvaluationError,
    RemoteServiceError,
    StoreError,
    UnsupportedMediaTypeError,
    UpdateForbiddenError,
)
from kg.sparql_dataset import add_using
from kg.sparql_guard import RemoteCalls, remote_calls
from kg.sparql_lookup import QuadLookup
from kg.store import GraphStore

ResultFormat: TypeAlias = ox.QueryResultsFormat | ox.RdfFormat

FORM = "application/x-www-form-urlencoded"
QUERY_MEDIA_TYPE = "application/sparql-query"
UPDATE_MEDIA_TYPE = "application/sparql-update"

#: SELECT/ASK result formats, the default first.
RESULT_FORMATS: tuple[ox.QueryResultsFormat, ...] = (
    ox.QueryResultsFormat.JSON,
    ox.QueryResultsFormat.XML,
    ox.QueryResultsFormat.CSV,
    ox.QueryResultsFormat.TSV,
)
#: CONSTRUCT/DESCRIBE (and service description) formats, the default first.
GRAPH_FORMATS: tuple[ox.RdfFormat, ...] = (
    ox.RdfFormat.TURTLE,
    ox.RdfFormat.N_TRIPLES,
    ox.RdfFormat.JSON_LD,
    ox.RdfFormat.RDF_XML,
    ox.RdfFormat.N3,  # Turtle is N3: clients asking for text/n3 (SPARQLWrapper's N3) get it
)
_FORMAT_ALIASES = {
    "turtle": "ttl",
    "ntriples": "nt",
    "n-triples": "nt",
    "json-ld": "jsonld",
    "rdfxml": "rdf",
    "rdf-xml": "rdf",
    "rdf+xml": "rdf",
}
#: What a `format` name means for a graph answer when it names a results format.
_GRAPH_ALIASES = {"xml": "rdf", "json": "jsonld"}
#: The `format` names to suggest, by kind of answer.
_FORMAT_NAMES = {"results": "json, xml, csv, tsv", "graph": "ttl, nt, jsonld, rdf, n3"}
_UPDATE_KEYWORDS = {
    "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
}  # fmt: skip
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[^:\s]*:\s*<[^>]*>|BASE\s+<[^>]*>)\s*)*", re.IGNORECASE)
_COMMENT = re.compile(r"^\s*#[^\n]*", re.MULTILINE)


class ResultKind(StrEnum):
    RESULTS = "results"
    """SELECT and ASK: SPARQL query results formats."""
    GRAPH = "graph"
    """CONSTRUCT and DESCRIBE: RDF formats."""


@dataclass(frozen=True, slots=True)
class SparqlRequest:
    """What a protocol request asks for (exactly one of `query`/`update`, or neither)."""

    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    using_graphs: list[str] = field(default_factory=list)
    """`using-graph-uri`: an update's default graph (see `update_text`)."""
    using_named_graphs: list[str] = field(default_factory=list)
    """`using-named-graph-uri`: an update's named graphs."""
    base_iri: str | None = None
    """What relative IRIs resolve against: the endpoint's URL, as `oxigraph serve` does (the
    protocol leaves the base to the service)."""
    formats: tuple[str, ...] = ()
    """Every `format` parameter (URL, then form body), in order; see `negotiate`."""
    checked: RemoteCalls | None = None
    """What `kg.sparql_guard.check_remote_calls` found in `query` when the server let it
    through, so a query worker does not read the text a second time."""


@dataclass(frozen=True, slots=True)
class SparqlAnswer:
    """A serialised answer (picklable: worker processes send it back to the server)."""

    body: bytes
    media_type: str
    truncated: int | None = None
    """The row cap when a SELECT had more solutions than `max_rows` and was cut there."""
    ignored_formats: tuple[str, ...] = ()
    """The `format` values that did not decide the format (unknown, conflicting, or of the
    other kind of answer): the `Accept` header did."""


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def _one(pairs: list[tuple[str, str]], name: str) -> str | None:
    values = [v for k, v in pairs if k == name]
    if len(values) > 1:
        raise QueryError(f"the request has {len(values)} `{name}` parameters; give exactly one")
    return values[0] if values else None


def _graph_iris(pairs: list[tuple[str, str]], name: str) -> list[str]:
    iris = [v for k, v in pairs if k == name]
    for iri in iris:
        try:
            ox.NamedNode(iri)
        except ValueError as exc:
            raise QueryError(f"`{name}` is not a valid IRI: {iri!r} ({exc})") from exc
    return iris


def _charset(content_type: str | None) -> str | None:
    for parameter in (content_type or "").split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset":
            return value.strip().strip('"').lower()
    return None


def parse_sparql_request(
    method: str,
    content_type: str | None,
    params: list[tuple[str, str]],
    body: bytes,
    *,
    base_iri: str | None = None,
) -> SparqlRequest:
    """Read a SPARQL 1.1 Protocol request (GET, POST form, POST sparql-query/sparql-update).

    Args:
        method: "GET" or "POST".
        content_type: the request's Content-Type header (POST only).
        params: the URL query parameters, in order, repeated names kept.
        body: the raw request body (POST only).
        base_iri: the endpoint's URL, which relative IRIs resolve against.

    Raises:
        UnsupportedMediaTypeError: a POST body of another media type, or of a charset other
            than UTF-8.
        QueryError: several queries, both a query and an update, a body that is not UTF-8, a
            bad graph IRI, or dataset parameters of the other operation (`using-graph-uri` on
            a query, `default-graph-uri` on an update).
    """
    pairs = list(params)
    query: str | None
    update: str | None
    if method.upper() == "POST":
        media_type = _media_type(content_type)
        charset = _charset(content_type)
        if charset not in (None, "utf-8", "utf8"):
            raise UnsupportedMediaTypeError(
                f"the request body is {charset}; send SPARQL requests in UTF-8"
            )
        try:
            text = body.decode("utf-8")
            if media_type == FORM:
                pairs += parse_qsl(text, keep_blank_values=True, errors="strict")
        except UnicodeDecodeError as exc:
            raise QueryError(f"the request body is not UTF-8: {exc}") from exc
        if media_type == FORM:
            query, update = _one(pairs, "query"), _one(pairs, "update")
        elif media_type == QUERY_MEDIA_TYPE:
            query, update = text, None
        elif media_type == UPDATE_MEDIA_TYPE:
            query, update = None, text
        else:
            raise UnsupportedMediaTypeError(
                f"POST a SPARQL request as {FORM}, {QUERY_MEDIA_TYPE} or {UPDATE_MEDIA_TYPE},"
                f" not {media_type or 'a body without Content-Type'}"
            )
    else:
        query, update = _one(pairs, "query"), _one(pairs, "update")
    if query is not None and update is not None:
        raise QueryError("the request has both a query and an update; send one of them")
    parsed = SparqlRequest(
        query=query,
        update=update,
        default_graphs=_graph_iris(pairs, "default-graph-uri"),
        named_graphs=_graph_iris(pairs, "named-graph-uri"),
        using_graphs=_graph_iris(pairs, "using-graph-uri"),
        using_named_graphs=_graph_iris(pairs, "using-named-graph-uri"),
        base_iri=base_iri,
        formats=tuple(v for k, v in pairs if k == "format"),
    )
    if update is not None and (parsed.default_graphs or parsed.named_graphs):
        raise QueryError(
            "default-graph-uri and named-graph-uri name a query's dataset; name an update's"
            " with using-graph-uri and using-named-graph-uri"
        )
    if update is None and (parsed.using_graphs or parsed.using_named_graphs):
        raise QueryError(
            "using-graph-uri and using-named-graph-uri name an update's dataset; name a"
            " query's with default-graph-uri and named-graph-uri"
        )
    return parsed


def update_text(request: SparqlRequest) -> str:
    """The update to apply: the request's, with its `using-graph-uri` and
    `using-named-graph-uri` written in as USING / USING NAMED clauses (`kg.sparql_dataset`).

    Raises:
        QueryError: no update, or an update that names its own dataset (USING, USING NAMED,
            WITH) while the request names one too (the protocol requires a refusal).
        QuerySyntaxError: the update is not made of SPARQL tokens.
    """
    if request.update is None:
        raise QueryError("the request has no update; POST one (form `update=` or body)")
    return add_using(
        request.update, graphs=request.using_graphs, named_graphs=request.using_named_graphs
    )


def looks_like_update(sparql: str) -> bool:
    """True if the text, after comments and PREFIX/BASE declarations, starts like an update.

    >>> looks_like_update("PREFIX ex: <http://e/> # c\\nINSERT DATA { ex:a ex:b ex:c }")
    True
    >>> looks_like_update("SELECT * WHERE { ?s ?p ?o }")
    False
    """
    text = _COMMENT.sub("", sparql)
    text = _PROLOGUE.sub("", text)
    text = _COMMENT.sub("", text).lstrip()
    first = re.match(r"[A-Za-z]+", text)
    return first is not None and first.group(0).upper() in _UPDATE_KEYWORDS


def _table(kind: ResultKind) -> tuple[ResultFormat, ...]:
    return RESULT_FORMATS if kind is ResultKind.RESULTS else GRAPH_FORMATS


def _lookup(kind: ResultKind, media_type: str) -> ResultFormat | None:
    found: ResultFormat | None
    if kind is ResultKind.RESULTS:
        found = ox.QueryResultsFormat.from_media_type(media_type)
    else:
        found = ox.RdfFormat.from_media_type(media_type)
    return found if found in _table(kind) else None


def parse_accept(accept: str) -> list[tuple[str, float]]:
    """Media ranges by preference: q-value, then specificity, then order.

    >>> parse_accept("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1")
    [('application/sparql-results+json', 1.0), ('text/csv', 0.5), ('*/*', 0.1)]
    """
    ranges: list[tuple[float, int, int, str]] = []
    for index, part in enumerate(accept.split(",")):
        media, *options = (piece.strip() for piece in part.split(";"))
        if not media:
            continue
        q = 1.0
        for option in options:
            name, _, value = option.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((q, specificity, -index, media.lower()))
    ranges.sort(reverse=True)
    return [(media, q) for q, _, _, media in ranges]


def _formats(format_name: str | Sequence[str] | None) -> tuple[str, ...]:
    """The non-blank `format` values (SPARQLWrapper sends an empty one beside its name)."""
    names = (format_name,) if isinstance(format_name, str) else tuple(format_name or ())
    return tuple(name for name in names if name.strip())


def named_format(kind: ResultKind, format_name: str | Sequence[str] | None) -> ResultFormat | None:
    """The format the `format` values name, when they all name the same one of this kind.

    A value is an extension (json, xml, csv, tsv, ttl, nt, jsonld, rdf, n3), a name alias
    (turtle, ntriples, json-ld), a media type or a comma-separated list of them (the first
    supported counts); for a graph answer `xml` means RDF/XML and `json` JSON-LD.

    >>> named_format(ResultKind.GRAPH, ["json-ld", "application/ld+json"]).name
    'JSON-LD'
    >>> named_format(ResultKind.RESULTS, ["json", "xml"]) is None
    True
    """
    found: set[ResultFormat | None] = set()
    for raw in _formats(format_name):
        name = raw.strip().lower()
        if kind is ResultKind.GRAPH:
            name = _GRAPH_ALIASES.get(name, name)
        name = _FORMAT_ALIASES.get(name, name)
        if "/" in name:  # a media type, or a list of them (SPARQLWrapper sends its Accept)
            listed = (_lookup(kind, m.split(";", 1)[0].strip()) for m in name.split(","))
            found.add(next((f for f in listed if f is not None), None))
        elif kind is ResultKind.RESULTS:
            found.add(ox.QueryResultsFormat.from_extension(name))
        else:
            found.add(ox.RdfFormat.from_extension(name))
    if len(found) != 1:
        return None
    only = found.pop()
    return only if only in _table(kind) else None


def negotiate(
    accept: str | None, kind: ResultKind, format_name: str | Sequence[str] | None = None
) -> ResultFormat:
    """Pick the answer format: the `format` parameter if it names one, else the best Accept
    match.

    Args:
        accept: the Accept header (None or empty: the default format).
        kind: results (SELECT/ASK) or graph (CONSTRUCT/DESCRIBE).
        format_name: the `format` parameter's values (see `named_format`); ignored when they
            are unknown, of the other kind, or name different formats.

    Raises:
        NotAcceptableError: neither `format` nor Accept names a supported format.
    """
    formats = (format_name,) if isinstance(format_name, str) else tuple(format_name or ())
    return _negotiate(accept, kind, formats)


@functools.lru_cache(maxsize=256)
def _negotiate(accept: str | None, kind: ResultKind, format_name: tuple[str, ...]) -> ResultFormat:
    """`negotiate`, kept per distinct request (clients send the same few Accept headers)."""
    table = _table(kind)
    named = named_format(kind, format_name)
    if named is not None:
        return named
    ignored = _formats(format_name)
    if not accept or not accept.strip():
        return table[0]
    for media, q in parse_accept(accept):
        if q <= 0:
            continue
        if media == "*/*":
            return table[0]
        if media.endswith("/*"):
            prefix = media[:-1]
            for candidate in table:
                if candidate.media_type.startswith(prefix):
                    return candidate
            continue
        match = _lookup(kind, media)
        if match is not None:
            return match
    also = ""
    if ignored:
        values = ", ".join(repr(v) for v in ignored)
        also = (
            f" (format={values} names no single format of {kind} answers: use one of"
            f" {_FORMAT_NAMES[kind]})"
        )
    supported = ", ".join(f.media_type.split(";")[0] for f in table)
    raise NotAcceptableError(
        f"cannot answer in {accept!r}{also}; this answer is available as {supported}"
    )


def _kind(result: object) -> ResultKind:
    return ResultKind.GRAPH if isinstance(result, ox.QueryTriples) else ResultKind.RESULTS


class _RowCapReachedError(Exception):
    """Raised by `_CappedTsv.write` to stop pyoxigraph's serialiser (and the query) early."""


class _CappedTsv:
    """A file-like sink for pyoxigraph's TSV writer that keeps the header and `max_rows` rows.

    SPARQL TSV has one line per solution (pyoxigraph escapes newlines inside literals), so
    counting newlines counts rows; once a line past the cap is written, `write` raises and the
    serialiser, which pulls solutions lazily, stops reading the query.
    """

    def __init__(self, max_rows: int) -> None:
        self.lines_wanted = max_rows + 1  # the header, then the rows
        self.chunks: list[bytes] = []
        self.lines = 0

    def write(self, chunk: bytes) -> int:
        self.chunks.append(bytes(chunk))
        self.lines += chunk.count(b"\n")
        if self.lines > self.lines_wanted:
            raise _RowCapReachedError
        return len(chunk)

    def flush(self) -> None:
        """Nothing to flush (pyoxigraph calls it at the end of a complete answer)."""

    def value(self) -> bytes:
        """The header and at most `max_rows` rows, each ending with a newline."""
        data = b"".join(self.chunks)
        end = -1
        for _ in range(min(self.lines, self.lines_wanted)):
            end = data.index(b"\n", end + 1)
        return data[: end + 1]


def _capped(solutions: ox.QuerySolutions, max_rows: int) -> tuple[ox.QuerySolutions, bool]:
    """The first `max_rows` solutions, re-materialised, and whether there were more.

    pyoxigraph serialises only whole result iterators, so the solutions are written as SPARQL
    TSV (each term in its N-Triples form) into a sink that stops the writer after `max_rows`
    rows, and the TSV is parsed back: the query runs once and stops being read at row
    `max_rows + 1`, and no term passes through Python (a loop over the solutions in Python was
    ten times slower on large answers: bench/query.py).
    """
    sink = _CappedTsv(max_rows)
    truncated = False
    try:
        solutions.serialize(cast("IO[bytes]", sink), ox.QueryResultsFormat.TSV)
    except _RowCapReachedError:
        truncated = True
    parsed = ox.parse_query_results(sink.value(), ox.QueryResultsFormat.TSV)
    if not isinstance(parsed, ox.QuerySolutions):  # pragma: no cover - TSV of solutions
        raise QueryError("internal error: results did not round-trip")
    return parsed, truncated


def _evaluation_error(exc: Exception, *, remote: bool) -> KGError:
    """The caller's error for an exception the engine raised while answering.

    pyoxigraph evaluates lazily, so a failing SERVICE call, a store read error or a result it
    cannot write surface during serialisation as plain Python exceptions; left alone, they
    would end the worker process that ran the query.
    """
    if remote and isinstance(exc, OSError | RuntimeError):  # unreachable, or a bad answer
        return RemoteServiceError(f"a SERVICE endpoint failed while answering: {exc}")
    if isinstance(exc, OSError):
        return StoreError(f"the store could not be read while answering: {exc}")
    if isinstance(exc, MemoryError):
        return QueryEvaluationError(
            "the answer is too large to build in memory; add a LIMIT or narrow the query"
        )
    return QueryEvaluationError(f"the query failed while it was evaluated: {exc}")


#: What pyoxigraph raises during evaluation and serialisation besides `SyntaxError` (mapped to
#: QuerySyntaxError by the store): I/O and remote failures, and the engine's own runtime errors.
_ENGINE_ERRORS = (OSError, ValueError, RuntimeError, TypeError, ArithmeticError, MemoryError)


def _serialise(
    run: Callable[[], ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples],
    accept: str | None,
    format_name: str | Sequence[str] | None,
    max_rows: int,
    *,
    remote: bool = False,
    row_cap: bool = True,
) -> SparqlAnswer:
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | None = None
    truncated = False
    try:
        result = run()
        kind = _kind(result)
        fmt = negotiate(accept, kind, format_name)
        ignored = () if named_format(kind, format_name) is not None else _formats(format_name)
        if row_cap and isinstance(result, ox.QuerySolutions):
            result, truncated = _capped(result, max_rows)
        if isinstance(result, ox.QueryTriples):
            assert isinstance(fmt, ox.RdfFormat)  # noqa: S101 - negotiated for this kind
            body = result.serialize(format=fmt)
        else:
            assert isinstance(fmt, ox.QueryResultsFormat)  # noqa: S101
            assert result is not None  # noqa: S101
            body = result.serialize(format=fmt)
        return SparqlAnswer(
            body=body or b"",
            media_type=fmt.media_type,
            truncated=max_rows if truncated else None,
            ignored_formats=ignored,
        )
    except KGError:
        raise
    except SyntaxError as exc:  # results that did not round-trip through the row cap
        raise QueryEvaluationError(f"the answer could not be written: {exc.msg or exc}") from None
    except _ENGINE_ERRORS as exc:
        # `from None`: the engine's exception holds the result iterator, bound to this thread
        raise _evaluation_error(exc, remote=remote) from None
    finally:
        result = None


def refuse_update(request: SparqlRequest) -> None:
    """Raise if a query request carries an update (updates go through `/update` with a token).

    Raises:
        UpdateForbiddenError: the request is an update, or its query text starts like one.
    """
    if request.update is not None or (request.query and looks_like_update(request.query)):
        raise UpdateForbiddenError(
            "SPARQL updates are not run as queries: POST them to /update (or to /sparql as"
            " application/sparql-update) with `Authorization: Bearer <KG_WRITE_TOKEN>`"
        )


def authorize_update(authorization: str | None, write_token: str | None) -> None:
    """Let an update through only with `Authorization: Bearer <write_token>`; the rule shared by
    every write is `api.auth.authorize_write` (constant-time comparison).

    Raises:
        UpdateForbiddenError: no write token is configured (the endpoint is read-only), or the
            token given is wrong.
        UnauthorizedError: a token is configured but the request has no bearer token.
    """
    from api.auth import authorize_write  # not at import: the query workers never need FastAPI

    authorize_write(authorization, write_token, action="SPARQL updates")


def _run(
    store: GraphStore, request: SparqlRequest, text: str, *, declares_dataset: bool
) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
    """Evaluate `text` over the request's dataset: the union default graph only when neither
    the request nor the query (FROM, `declares_dataset`) says which graphs make it."""
    return store.query(
        text,
        use_default_graph_as_union=not request.default_graphs and not declares_dataset,
        default_graph=request.default_graphs or None,
        named_graphs=request.named_graphs or None,
        base_iri=request.base_iri,
    )


def execute(
    store: GraphStore,
    request: SparqlRequest,
    *,
    accept: str | None,
    format_name: str | None,
    max_rows: int,
) -> SparqlAnswer:
    """Run the request's query and serialise its answer in the negotiated format.

    `format_name`, when given, stands for the request's own `format` values
    (`SparqlRequest.formats`).

    A SELECT answer holds at most `max_rows` solutions; `SparqlAnswer.truncated` says when it
    was cut. This runs in the server's threadpool or in a query worker process
    (`api.executor`); `execute_lookup` answers the queries that bound their own rows.

    Raises:
        UpdateForbiddenError: the request is an update (see `refuse_update`).
        QuerySyntaxError: the query does not parse (the parser's message).
        NotAcceptableError: no acceptable format for this kind of answer.
        QueryEvaluationError: the engine failed on this query while answering it.
        RemoteServiceError: an (allowed) SERVICE endpoint failed.
        StoreError: the store could not be read.
    """
    refuse_update(request)
    if not request.query:
        raise QueryError("the request has no query; pass ?query=… or POST one")

    facts = request.checked or remote_calls(request.query)

    def run() -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        assert request.query is not None  # noqa: S101 - checked above
        return _run(store, request, request.query, declares_dataset=facts.declares_dataset)

    # pyoxigraph result iterators are bound to the thread that made them: serialise or drop
    # them here, and never let one escape in a traceback (`_serialise` returns or raises
    # only after its result is gone).
    formats = request.formats if format_name is None else format_name
    return _serialise(run, accept, formats, max_rows, remote=bool(facts.services))


def execute_lookup(
    store: GraphStore, request: SparqlRequest, lookup: QuadLookup, *, accept: str | None, rows: int
) -> SparqlAnswer | None:
    """A one-pattern lookup (`kg.sparql_lookup`) answered with at most `rows` solutions, or
    None when it has more (the caller takes the usual path, with its row cap).

    The SELECT runs once with a LIMIT of `rows + 1` (or its own, when lower) and is serialised
    in the negotiated format as it comes, without the row cap's round trip through TSV; the
    solutions are counted in the answer. Same errors as `execute`.
    """
    if lookup.ask or request.query is None:
        return execute(store, request, accept=accept, format_name=None, max_rows=rows)
    bound = rows + 1 if lookup.limit is None else min(lookup.limit, rows + 1)
    limited = lookup.limited(request.query, bound)

    def run() -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        # a SELECT (never an update), with no FROM and no SERVICE: `execute`'s checks hold
        return _run(store, request, limited, declares_dataset=False)

    answer = _serialise(run, accept, request.formats, rows, row_cap=False)
    if bound > rows and _more_than(answer, rows):
        return None
    return answer


def _more_than(answer: SparqlAnswer, rows: int) -> bool:
    """Whether a serialised SELECT answer holds more than `rows` solutions (any of the four
    formats), read without parsing it when a bound on its rows settles it.

    pyoxigraph writes JSON and CSV compactly: solutions are separated by `},{` in JSON and end
    with CRLF in CSV, and a value may contain those bytes too, so their count (plus one, less
    the CSV header) bounds the solutions from above; only a bound over `rows` is checked by
    parsing.
    """
    body = answer.body
    if answer.media_type == ox.QueryResultsFormat.XML.media_type:
        return body.count(b"<result>") > rows  # `<` inside a value is written `&lt;`
    if answer.media_type == ox.QueryResultsFormat.TSV.media_type:
        return body.count(b"\n") - 1 > rows  # the header, then a line per solution
    if answer.media_type == ox.QueryResultsFormat.JSON.media_type:
        if body.count(b"},{") + 1 <= rows:
            return False
        return len(json.loads(body)["results"]["bindings"]) > rows
    if body.count(b"\r\n") - 1 <= rows:
        return False
    return sum(1 for _ in csv.reader(io.StringIO(body.decode()))) - 1 > rows  # quoted newlines


SD = "http://www.w3.org/ns/sparql-service-description#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def service_description(
    endpoint: str,
    graph_iris: list[str],
    fmt: ox.RdfFormat,
    *,
    max_rows: int = 10_000,
    updates: bool = False,
) -> SparqlAnswer:
    """An `sd:Service` graph: the endpoint, languages (`sd:SPARQL11Update` only when `updates`,
    i.e. a write token is configured), result formats, the union default graph, and (as
    `dcterms:description`) the row cap and how a cut answer says so."""

    def sd(name: str) -> ox.NamedNode:
        return ox.NamedNode(SD + name)

    service, dataset, default_graph = ox.BlankNode(), ox.BlankNode(), ox.BlankNode()
    triples = [
        ox.Triple(service, _RDF_TYPE, sd("Service")),
        ox.Triple(service, sd("endpoint"), ox.NamedNode(endpoint)),
        ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Query")),
        *([ox.Triple(service, sd("supportedLanguage"), sd("SPARQL11Update"))] if updates else []),
        ox.Triple(service, sd("feature"), sd("UnionDefaultGraph")),
        ox.Triple(service, sd("defaultDataset"), dataset),
        ox.Triple(
            service,
            ox.NamedNode("http://purl.org/dc/terms/description"),
            ox.Literal(
                f"SELECT answers hold at most {max_rows} rows (KG_MAX_ROWS): a longer answer is"
                f" cut there, with the response header `KG-Results-Truncated: {max_rows}` and a"
                " `Warning` header. Queries stop after KG_QUERY_TIMEOUT seconds (503). Updates"
                " go to /update with `Authorization: Bearer <token>`."
            ),
        ),
        ox.Triple(dataset, _RDF_TYPE, sd("Dataset")),
        ox.Triple(dataset, sd("defaultGraph"), default_graph),
        ox.Triple(default_graph, _RDF_TYPE, sd("Graph")),
        ox.Triple(
            default_graph,
            ox.NamedNode("http://purl.org/dc/terms/description"),
            ox.Literal(
                "The default graph is the union of all article graphs, the actor registry"
                " (each actor described once), the ontology and the gazetteer graphs;"
                " GRAPH ?g reaches each article's own graph."
            ),
        ),
    ]
    iris = [f.iri for f in RESULT_FORMATS] + [f.iri for f in GRAPH_FORMATS]
    for iri_of_format in iris:
        triples.append(ox.Triple(service, sd("resultFormat"), ox.NamedNode(iri_of_format)))
    for iri in graph_iris:
        named = ox.BlankNode()
        triples.append(ox.Triple(dataset, sd("namedGraph"), named))
        triples.append(ox.Triple(named, sd("name"), ox.NamedNode(iri)))
    body = ox.serialize(triples, format=fmt, prefixes={"sd": SD})
    return SparqlAnswer(body=body or b"", media_type=fmt.media_type)


__all__ = [
    "GRAPH_FORMATS",
    "RESULT_FORMATS",
    "NotAcceptableError",
    "ResultKind",
    "SparqlAnswer",
    "SparqlRequest",
    "UnsupportedMediaTypeError",
    "authorize_update",
    "execute",
    "looks_like_update",
    "named_format",
    "negotiate",
    "parse_accept",
    "parse_sparql_request",
    "refuse_update",
    "service_description",
    "update_text",
]
