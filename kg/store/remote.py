"""A `GraphStore` on any SPARQL 1.1 endpoint (Fuseki, GraphDB, Virtuoso, Oxigraph server, Neptune).

Selected by `KG_STORE_URL` (the query endpoint); updates go to `KG_STORE_UPDATE_URL` (default:
the query URL with a final `/query` replaced by `/update`, as Oxigraph and Fuseki name them, else
the query URL itself). Only the SPARQL 1.1 Protocol is used, so every operation works the same on
any conforming server:

- `put_graph` is one update request, `DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {…} }`:
  a SPARQL 1.1 update request is applied atomically by the servers above, so the article is whole
  or absent, as in the embedded store.
- `query` POSTs the query form-encoded and parses the answer into the same pyoxigraph result
  types as the embedded store (`parse_query_results` for SELECT/ASK; CONSTRUCT triples are read
  from N-Triples into a scratch in-memory store, since pyoxigraph builds `QueryTriples` only from
  a query).
- With `KG_STORE_GSP_URL` (a Graph Store Protocol endpoint), one graph is read with
  `GET ?graph=<iri>`; without it, with a CONSTRUCT query. The whole dataset is read with a SELECT
  over `GRAPH ?g`, since the protocols have no portable dataset dump.
- The default graph must be the union of the named graphs (the newskg contract). Servers differ
  here, so unless `KG_STORE_UNION_DEFAULT_GRAPH=true` says the server already does it (e.g.
  `oxigraph serve --union-default-graph`), each query names every graph with `default-graph-uri`.
  The list is read at most every `GRAPH_LIST_SECONDS` and at once after the store's own writes:
  a graph another process adds may join the union that much later (`GRAPH <g>` finds it
  at once).

- With `KG_STORE_GRAPH_PREFIX`, only the named graphs whose IRI starts with it are newskg's:
  the others (a server's own, such as Virtuoso's `virtrdf#` and `ldp#` graphs) are left out of
  `graph_iris`, `stats`, `dump` and the emulated union default graph.

Servers differ in how they answer, and the store reads each answer for what it is:

- Each query asks for the one format its form has (results JSON for SELECT and ASK, N-Triples
  for CONSTRUCT and DESCRIBE; the form is read on the query's tokens): Virtuoso 7 ignores
  q-values and answers a CONSTRUCT as a results table when results JSON is listed first.
- An ASK answered as a one-row table (Virtuoso 7's `__ASK_RETVAL`, 1 or 0) is read as the
  boolean it stands for.
- An answer marked incomplete (Virtuoso's `X-SQL-State: S1TAT`, "anytime" partial results
  when its own execution limit is reached) raises `QueryTimeoutError`, never partial rows; one
  cut at the server's row limit (`X-SPARQL-MaxRows`, Virtuoso's `ResultSetMaxRows`; also sent
  when the answer has exactly that many rows) raises `StoreError`.

Consistency: each query is one snapshot of the server, but the SPARQL 1.1 Protocol has no read
transaction, and others may write the endpoint, so `snapshot()` holds nothing (`Unguarded`): the
several queries of one answer may see a write land between them (an article found, then no
actors). `generation` is None for the same reason: no local count can tell that the data changed,
so reads are never cached.

Authentication: user and password in the URL (`https://user:pw@host/sparql`) or
`KG_STORE_USER`/`KG_STORE_PASSWORD` (HTTP Basic, or Digest with `KG_STORE_AUTH=digest`, as
Virtuoso's `/sparql-auth` asks), or `KG_STORE_TOKEN` (a Bearer token). Secrets are never logged.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from kg.errors import (
    MappingError,
    NotFoundError,
    QuerySyntaxError,
    QueryTimeoutError,
    StoreError,
)
from kg.sparql_guard import graph_constants
from kg.sparql_lexer import TokenKind, tokenize
from kg.store.base import QueryResult, StoreStats, Unguarded
from kg.store.terms import put_graph_update, sparql_iri, sparql_literal

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.config import Settings

logger = logging.getLogger(__name__)

_RESULTS_JSON = ox.QueryResultsFormat.JSON
_ACCEPT = f"{_RESULTS_JSON.media_type}, {ox.RdfFormat.N_TRIPLES.media_type};q=0.9"
_ACCEPT_BY_FORM = {
    "SELECT": _RESULTS_JSON.media_type,
    "ASK": _RESULTS_JSON.media_type,
    "CONSTRUCT": ox.RdfFormat.N_TRIPLES.media_type,
    "DESCRIBE": ox.RdfFormat.N_TRIPLES.media_type,
}
#: SQL states a server sends in `X-SQL-State` with an answer it cut short (Virtuoso: S1TAT,
#: "returning incomplete results, query interrupted by result timeout").
_INCOMPLETE_STATES = frozenset({"S1TAT"})
#: The error a server sends for a query it cancelled at its own time limit without any result
#: (Virtuoso: `Virtuoso HY008 Error SR203: Async statement killed by SQLCancel`; HY008 is
#: the SQL state "operation canceled"). The same limit gives S1TAT or this, by timing.
_CANCELLED = re.compile(r"^\s*Virtuoso HY008 ")
#: Seconds the graph list behind the emulated union default graph is reused (the store's own
#: writes drop it at once). Listing the graphs costs a query of its own (~60 ms on Virtuoso
#: with the bundled articles), which every query would otherwise pay first.
GRAPH_LIST_SECONDS = 2.0


@dataclass
class _GraphList:
    """The graph IRIs last read, shared by a store and its `with_timeout` siblings."""

    iris: list[str] | None = None
    read_at: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def fresh(self) -> list[str] | None:
        with self.lock:
            if self.iris is not None and time.monotonic() - self.read_at < GRAPH_LIST_SECONDS:
                return list(self.iris)
            return None

    def keep(self, iris: list[str], read_at: float) -> None:
        with self.lock:
            if read_at >= self.read_at:
                self.iris, self.read_at = list(iris), read_at

    def drop(self) -> None:
        with self.lock:
            self.iris, self.read_at = None, time.monotonic()


class BearerAuth(httpx.Auth):
    """`Authorization: Bearer <token>` on every request."""

    def __init__(self, token: str) -> None:
        self._header = f"Bearer {token}"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = self._header
        yield request


def split_credentials(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without its userinfo, and the (user, password) it carried.

    >>> split_credentials("http://ann:pw@example.org:3030/ds/query")
    ('http://example.org:3030/ds/query', ('ann', 'pw'))
    >>> split_credentials("http://example.org/sparql")
    ('http://example.org/sparql', None)
    """
    parts = urlsplit(url)
    if parts.username is None:
        return url, None
    netloc = parts.hostname or ""
    if parts.port is not None:
        netloc += f":{parts.port}"
    clean = urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))
    return clean, (parts.username, parts.password or "")


def query_form(sparql: str) -> str | None:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the query's first keyword at depth 0 after its
    prologue; None when the text is not tokenizable (the server then says what is wrong).

    >>> query_form("PREFIX s: <http://e/select#> ask { ?s ?p ?o }")
    'ASK'
    >>> query_form('CONSTRUCT { ?s ?p "SELECT" } WHERE { ?s ?p ?o }')
    'CONSTRUCT'
    """
    try:
        tokens = tokenize(sparql)
    except QuerySyntaxError:
        return None
    for token in tokens:
        if (
            token.depth == 0
            and token.kind is TokenKind.WORD
            and token.text.upper() in _ACCEPT_BY_FORM
        ):
            return token.text.upper()
    return None


def default_update_url(query_url: str) -> str:
    """`…/query` -> `…/update` (Oxigraph, Fuseki); any other URL is its own update endpoint.

    >>> default_update_url("http://127.0.0.1:7878/query")
    'http://127.0.0.1:7878/update'
    >>> default_update_url("http://example.org/sparql")
    'http://example.org/sparql'
    """
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("query")] + "update"
    return query_url


class RemoteStore:
    """A `GraphStore` that speaks the SPARQL 1.1 Protocol to a remote endpoint."""

    def __init__(
        self,
        query_url: str,
        *,
        update_url: str | None = None,
        gsp_url: str | None = None,
        auth: httpx.Auth | None = None,
        union_default_graph: bool = False,
        graph_prefix: str | None = None,
        timeout: float = 30.0,
    ) -> None:
        """Connect lazily to `query_url` (nothing is sent until the first call).

        Args:
            query_url: the SPARQL query endpoint (may carry `user:password@`).
            update_url: the SPARQL update endpoint; see `default_update_url`.
            gsp_url: a Graph Store Protocol endpoint; one graph is then read with
                `GET gsp_url?graph=<iri>` (else with a CONSTRUCT query).
            auth: Basic, Digest or Bearer credentials (userinfo in a URL wins over none).
            union_default_graph: the server's default graph is already the union of its graphs.
            graph_prefix: only the named graphs under this IRI prefix are the store's (None:
                every graph the server has).
            timeout: seconds per request; a longer query raises `QueryTimeoutError`.
        """
        self.query_url, credentials = split_credentials(query_url)
        update = update_url or default_update_url(self.query_url)
        self.update_url, update_credentials = split_credentials(update)
        credentials = credentials or update_credentials
        self.gsp_url = split_credentials(gsp_url)[0] if gsp_url else None
        if auth is None and credentials is not None:
            auth = httpx.BasicAuth(*credentials)
        self.union_default_graph = union_default_graph
        self.graph_prefix = graph_prefix
        self.timeout = timeout
        self._auth = auth
        self._graphs = _GraphList()
        self._client: httpx.Client | None = httpx.Client(
            auth=auth, timeout=timeout, headers={"User-Agent": "newskg"}
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> RemoteStore:
        """The remote store `settings.store_url` names, with its credentials."""
        assert settings.store_url is not None  # noqa: S101 - called when it is set
        auth: httpx.Auth | None = None
        if settings.store_token is not None:
            auth = BearerAuth(settings.store_token.get_secret_value())
        elif settings.store_user is not None:
            password = settings.store_password.get_secret_value() if settings.store_password else ""
            if settings.store_auth == "digest":
                auth = httpx.DigestAuth(settings.store_user, password)
            else:
                auth = httpx.BasicAuth(settings.store_user, password)
        return cls(
            settings.store_url,
            update_url=settings.store_update_url,
            gsp_url=settings.store_gsp_url,
            auth=auth,
            union_default_graph=settings.store_union_default_graph,
            graph_prefix=settings.store_graph_prefix,
            timeout=settings.store_timeout,
        )

    def with_timeout(self, seconds: float) -> RemoteStore:
        """The same store on its own connections, each request given at most `seconds`: when
        a query outlives it, the connection is closed, which Virtuoso takes as the order to
        stop the query (`kg serve` sends /sparql queries this way, under KG_QUERY_TIMEOUT)."""
        sibling = RemoteStore(
            self.query_url,
            update_url=self.update_url,
            gsp_url=self.gsp_url,
            auth=self._auth,
            union_default_graph=self.union_default_graph,
            graph_prefix=self.graph_prefix,
            timeout=min(seconds, self.timeout),
        )
        sibling._graphs = self._graphs  # one's writes refresh the other's union
        return sibling

    @property
    def generation(self) -> None:
        """None: others may write the endpoint, so no local count tells when it changed."""
        return None

    def snapshot(self) -> Unguarded:
        """Nothing to hold: each query is its own snapshot (module docstring)."""
        return Unguarded()

    @property
    def client(self) -> httpx.Client:
        if self._client is None:
            raise StoreError(f"the remote store {self.query_url} is closed")
        return self._client

    # --- HTTP ---------------------------------------------------------------------------------

    def _post(self, url: str, data: dict[str, str | list[str]], accept: str) -> httpx.Response:
        """POST a form; map transport and HTTP errors to newskg errors."""
        try:
            response = self.client.post(url, data=data, headers={"Accept": accept})
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(f"the remote store {url} did not answer in time") from exc
        except httpx.TransportError as exc:
            raise StoreError(f"cannot reach the remote store {url}: {exc}") from exc
        if response.status_code == 400:
            raise QuerySyntaxError(f"the remote store refused the request: {response.text[:500]}")
        if response.status_code in (401, 403):
            raise StoreError(
                f"the remote store {url} refused the credentials ({response.status_code}); check"
                " KG_STORE_USER/KG_STORE_PASSWORD or KG_STORE_TOKEN"
            )
        if response.status_code >= 300:
            if _CANCELLED.match(response.text):
                raise QueryTimeoutError(
                    f"the remote store {url} stopped the query at its own time limit and"
                    f" cancelled it: {response.text[:200]}"
                )
            raise StoreError(
                f"the remote store {url} answered {response.status_code}: {response.text[:300]}"
            )
        if response.headers.get("x-sql-state", "").strip().upper() in _INCOMPLETE_STATES:
            raise QueryTimeoutError(
                f"the remote store {url} stopped the query at its own time limit and answered"
                f" incomplete results: {response.headers.get('x-sql-message', '')[:200]}"
            )
        capped = response.headers.get("x-sparql-maxrows")
        if capped is not None:
            raise StoreError(
                f"the remote store {url} cut the answer at its row limit of {capped.strip()}"
                " rows (X-SPARQL-MaxRows; Virtuoso's ResultSetMaxRows): raise the limit above"
                " the number of triples in the store, or add a LIMIT below it"
            )
        return response

    def _graph_filter(self, variable: str) -> str:
        """A FILTER keeping `?variable` to the store's graphs (empty without a prefix)."""
        if self.graph_prefix is None:
            return ""
        return f" FILTER(STRSTARTS(STR(?{variable}), {sparql_literal(self.graph_prefix)}))"

    def _dataset(
        self,
        use_default_graph_as_union: bool,
        default_graph: list[str] | None,
        named_graphs: list[str] | None,
        sparql: str = "",
    ) -> dict[str, str | list[str]]:
        """Protocol dataset parameters with the embedded store's meaning.

        A request that names a dataset has only the named graphs it lists, so when the default
        graph is given (or emulated as the union), every graph is listed as a named graph too,
        unless the caller chose them: `GRAPH ?g` then reaches every graph, as on the embedded
        store. The graphs the query names after `GRAPH` are listed as well when they are the
        store's (under the prefix) but hold nothing yet: to the embedded store they are empty
        graphs, and Virtuoso 7 would otherwise match a `GRAPH <g>` outside the dataset once.
        """
        params: dict[str, str | list[str]] = {}
        every: list[str] | None = None
        if default_graph is not None:
            params["default-graph-uri"] = list(default_graph)
        elif use_default_graph_as_union and not self.union_default_graph:
            every = self._graphs.fresh()
            if every is None:
                every = self.graph_iris()
            params["default-graph-uri"] = every
        if named_graphs is not None:
            params["named-graph-uri"] = list(named_graphs)
        elif params:
            named = every if every is not None else self.graph_iris()
            params["named-graph-uri"] = named + self._absent_constants(sparql, named)
        return params

    def _absent_constants(self, sparql: str, named: list[str]) -> list[str]:
        """The store's graphs the query names after `GRAPH` that `named` lacks."""
        try:
            constants = graph_constants(sparql) if sparql else ()
        except QuerySyntaxError:
            return []  # the server reports the syntax error
        listed = set(named)
        return [
            iri
            for iri in constants
            if iri not in listed
            and (self.graph_prefix is None or iri.startswith(self.graph_prefix))
        ]

    def _select(self, sparql: str) -> list[dict[str, ox.NamedNode | ox.BlankNode | ox.Literal]]:
        """The rows of a SELECT over the server's own dataset (no dataset parameters)."""
        response = self._post(self.query_url, {"query": sparql}, _RESULTS_JSON.media_type)
        parsed = self._parse(response)
        if not isinstance(parsed, ox.QuerySolutions):
            raise StoreError(f"the remote store {self.query_url} did not answer a SELECT")
        names = [v.value for v in parsed.variables]
        rows = []
        for solution in parsed:
            row = {}
            for name in names:
                term = solution[name]
                if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
                    row[name] = term
            rows.append(row)
        return rows

    def _parse(self, response: httpx.Response) -> QueryResult:
        media_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        try:
            results_format = ox.QueryResultsFormat.from_media_type(media_type)
            if results_format is not None:
                return ox.parse_query_results(response.content, results_format)
            rdf_format = ox.RdfFormat.from_media_type(media_type)
            if rdf_format is not None and not rdf_format.supports_datasets:
                scratch = ox.Store()
                scratch.load(response.content, format=rdf_format)
                return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")
        except SyntaxError as exc:
            raise StoreError(f"the remote store's answer does not parse: {exc}") from exc
        raise StoreError(f"the remote store answered an unexpected {media_type or 'body'}")

    # --- GraphStore ---------------------------------------------------------------------------

    def put_graph(self, graph_iri: str, graph: Graph) -> int:
        """Replace the named graph in one update request (atomic on the server)."""
        update, count = put_graph_update(graph_iri, graph)
        self._write(update)
        logger.debug("put graph %s (%d triples) to %s", graph_iri, count, self.update_url)
        return count

    def remove_graph(self, graph_iri: str) -> bool:
        if not self.has_graph(graph_iri):
            return False
        self._write(f"DROP SILENT GRAPH {_iri(graph_iri)}")
        return True

    def has_graph(self, graph_iri: str) -> bool:
        sparql = f"ASK {{ GRAPH {_iri(graph_iri)} {{ ?s ?p ?o }} }}"
        response = self._post(self.query_url, {"query": sparql}, _RESULTS_JSON.media_type)
        answer = _as_boolean(self._parse(response))
        return isinstance(answer, ox.QueryBoolean) and bool(answer)

    def graph_iris(self) -> list[str]:
        """The store's graphs, read now (and kept a moment for the emulated union)."""
        read_at = time.monotonic()
        rows = self._select(
            f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }}{self._graph_filter('g')} }}"
        )
        iris = sorted(row["g"].value for row in rows if isinstance(row.get("g"), ox.NamedNode))
        self._graphs.keep(iris, read_at)
        return iris

    def query(
        self,
        sparql: str,
        *,
        use_default_graph_as_union: bool = True,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a query on the endpoint; see `GraphStore.query`."""
        data: dict[str, str | list[str]] = {"query": _with_base(sparql, base_iri)}
        data.update(self._dataset(use_default_graph_as_union, default_graph, named_graphs, sparql))
        form = query_form(sparql)
        answer = self._parse(
            self._post(self.query_url, data, _ACCEPT_BY_FORM.get(form or "", _ACCEPT))
        )
        return _as_boolean(answer) if form == "ASK" else answer

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply an update on the endpoint; see `GraphStore.update`."""
        self._write(_with_base(sparql, base_iri))

    def _write(self, update: str) -> None:
        """POST an update; the graph list is read again afterwards (a list read while the
        update ran may predate it, so it is dropped when the update ends too)."""
        self._graphs.drop()
        try:
            self._post(self.update_url, {"update": update}, "*/*")
        finally:
            self._graphs.drop()

    def dump(self, format: ox.RdfFormat, graph_iri: str | None = None) -> bytes:
        """One graph (GET from the Graph Store Protocol endpoint, or a CONSTRUCT over it) or the
        dataset (its quads read with a SELECT)."""
        if graph_iri is not None:
            if not self.has_graph(graph_iri):
                raise NotFoundError(f"no graph {graph_iri} in the remote store {self.query_url}")
            if self.gsp_url is not None:
                return self._gsp_get(graph_iri, format)
            sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_iri(graph_iri)} {{ ?s ?p ?o }} }}"
            result = self._parse(
                self._post(self.query_url, {"query": sparql}, ox.RdfFormat.N_TRIPLES.media_type)
            )
            if not isinstance(result, ox.QueryTriples):
                raise StoreError(f"the remote store {self.query_url} did not answer a CONSTRUCT")
            return result.serialize(format=format) or b""
        if not format.supports_datasets:
            raise ValueError(f"{format.name} cannot hold named graphs: dump one graph, or use TriG")
        rows = self._select(
            f"SELECT ?s ?p ?o ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }}{self._graph_filter('g')} }}"
        )
        quads = []
        for row in rows:
            subject, predicate, obj, name = row["s"], row["p"], row["o"], row["g"]
            if isinstance(subject, ox.Literal) or not isinstance(predicate, ox.NamedNode):
                continue
            if isinstance(name, ox.Literal):
                continue
            quads.append(ox.Quad(subject, predicate, obj, name))
        return ox.serialize(quads, format=format) or b""

    def _gsp_get(self, graph_iri: str, format: ox.RdfFormat) -> bytes:
        """`GET {gsp_url}?graph=<iri>` as N-Triples, re-serialised in `format`."""
        assert self.gsp_url is not None  # noqa: S101 - checked by the caller
        try:
            response = self.client.get(
                self.gsp_url,
                params={"graph": graph_iri},
                headers={"Accept": ox.RdfFormat.N_TRIPLES.media_type},
            )
        except httpx.TimeoutException as exc:
            raise QueryTimeoutError(
                f"the remote store {self.gsp_url} did not answer in time"
            ) from exc
        except httpx.TransportError as exc:
            raise StoreError(f"cannot reach the remote store {self.gsp_url}: {exc}") from exc
        if response.status_code == 404:
            raise NotFoundError(f"no graph {graph_iri} in the remote store {self.gsp_url}")
        if response.status_code >= 300:
            raise StoreError(
                f"the remote store {self.gsp_url} answered {response.status_code}:"
                f" {response.text[:300]}"
            )
        try:
            triples = list(ox.parse(response.content, format=ox.RdfFormat.N_TRIPLES))
        except SyntaxError as exc:
            raise StoreError(f"the remote store's graph does not parse: {exc}") from exc
        return ox.serialize(triples, format=format) or b""

    def stats(self) -> StoreStats:
        """Named graphs, and the triples in them (the server's own default graph not counted)."""
        rows = self._select(
            "SELECT (COUNT(DISTINCT ?g) AS ?graphs) (COUNT(*) AS ?triples)"
            f" WHERE {{ GRAPH ?g {{ ?s ?p ?o }}{self._graph_filter('g')} }}"
        )
        row = rows[0] if rows else {}
        return StoreStats(
            graphs=int(row["graphs"].value) if "graphs" in row else 0,
            triples=int(row["triples"].value) if "triples" in row else 0,
        )

    def close(self) -> None:
        """Close the HTTP connections (idempotent)."""
        if self._client is not None:
            self._client.close()
            self._client = None


def _as_boolean(answer: QueryResult) -> QueryResult:
    """An ASK answered as a one-cell table of 1 or 0 (Virtuoso 7 writes `__ASK_RETVAL`) as the
    `QueryBoolean` it stands for; any other answer unchanged."""
    if not isinstance(answer, ox.QuerySolutions) or len(answer.variables) != 1:
        return answer
    rows = list(answer)
    if len(rows) > 1:
        raise StoreError("the remote store answered an ASK with more than one row")
    term = rows[0][0] if rows else None
    truth = isinstance(term, ox.Literal) and term.value in ("1", "true")
    body = b'{"head": {}, "boolean": ' + (b"true" if truth else b"false") + b"}"
    return ox.parse_query_results(body, _RESULTS_JSON)


def _with_base(sparql: str, base_iri: str | None) -> str:
    """The text with `BASE <base_iri>` in front: the protocol has no base parameter, and the
    text's own BASE, if any, comes after it and so still wins (resolved against it).

    >>> _with_base("SELECT * { <s> ?p ?o }", "http://e/sparql")
    'BASE <http://e/sparql> SELECT * { <s> ?p ?o }'
    """
    if base_iri is None:
        return sparql
    return f"BASE {_iri(base_iri)} {sparql}"  # one line: error positions keep their line


def _iri(value: str) -> str:
    try:
        return sparql_iri(value)
    except ValueError as exc:
        raise MappingError(f"not a graph IRI: {value!r} ({exc})") from exc


__all__ = ["BearerAuth", "RemoteStore", "default_update_url", "query_form", "split_credentials"]
