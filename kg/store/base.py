"""The `GraphStore` protocol: what the build, the CLI and the API need from a quad store.

A store holds one named graph per article (plus the ontology, the gazetteer and the actor
registry graphs; `kg.registry` keeps the registry in the same update as each article).
Writes replace or remove one whole named graph in a single transaction, so after a crash every
article is either whole or absent. Reads are SPARQL 1.1 queries whose results are pyoxigraph
objects (`QuerySolutions`, `QueryBoolean`, `QueryTriples`), whatever the implementation: a later
remote store (`KG_STORE_URL`) parses its endpoint's answers into the same types.

pyoxigraph result iterators are bound to the thread that ran the query ("unsendable"): consume
or serialise them in that thread, and don't let one outlive it (e.g. in a traceback). The store
itself is thread-safe.

One query is one snapshot, but an answer is often made of several (a document, then its actors):
`snapshot()` holds one consistent view across them, so an article written or removed meanwhile
is seen whole before or whole after, never half. It is entered with `with` (blocking: the CLI,
a threadpool) or `async with` (an event loop: waits without blocking it).
"""

from __future__ import annotations

from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Protocol, TypeAlias, runtime_checkable

import pyoxigraph as ox

if TYPE_CHECKING:
    from rdflib import Graph

QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples


@dataclass(frozen=True, slots=True)
class StoreStats:
    """Figures about the whole store."""

    graphs: int
    """Number of named graphs."""
    triples: int
    """Number of quads over all graphs (the default graph included)."""


class Snapshot(Protocol):
    """One consistent view of a store for the several queries of one answer (`GraphStore.snapshot`).

    Not reentrant: a reader that already holds a snapshot must not enter a second one of the same
    store (a writer waiting between the two would wait for the first, and the second for it).
    """

    def __enter__(self) -> None:
        """Wait (blocking the thread) until the view can be held, and hold it."""
        ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Let the view go (never blocks)."""
        ...

    async def __aenter__(self) -> None:
        """Wait without blocking the event loop (nor holding a thread) and hold the view."""
        ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Let the view go (never blocks)."""
        ...


class Unguarded:
    """A `Snapshot` that holds nothing: for a store that cannot lock its writers out (a remote
    SPARQL endpoint others write), where each query is its own snapshot."""

    def __enter__(self) -> None:
        return None

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    async def __aenter__(self) -> None:
        return None

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


@runtime_checkable
class GraphStore(Protocol):
    """A quad store with atomic per-graph writes and SPARQL 1.1 reads.

    Every method raises `kg.errors.StoreError` when the store cannot be read or written, and the
    query methods raise `kg.errors.QuerySyntaxError` with the parser's message on invalid SPARQL.
    """

    @property
    def generation(self) -> int | None:
        """The number of writes made through this object, which changes with every write it
        makes: what a cache of reads (or a query worker's reopened store) is keyed on. None when
        others may write the store too (a remote endpoint), so that nothing can be cached."""
        ...

    def snapshot(self) -> Snapshot:
        """One consistent view for the several queries of one answer (module docstring).

        The embedded store holds a read share of its lock, which every write takes alone: no
        write lands between the queries, and a waiting writer keeps new snapshots out, so it is
        not starved. A remote store gives no such guarantee (`Unguarded`).
        """
        ...

    def put_graph(self, graph_iri: str, graph: Graph) -> int:
        """Replace the content of the named graph `graph_iri` by `graph`, in one transaction.

        Args:
            graph_iri: the absolute IRI of the named graph.
            graph: the triples to store (an rdflib `Graph`; its own identifier is ignored).

        Returns:
            The number of triples stored.

        Raises:
            StoreError: the store could not be written; nothing was changed.
            MappingError: a term cannot be stored (an invalid IRI).
        """
        ...

    def remove_graph(self, graph_iri: str) -> bool:
        """Remove the named graph `graph_iri` in one transaction.

        Returns:
            True if the graph existed, False otherwise.

        Raises:
            StoreError: the store could not be written.
        """
        ...

    def has_graph(self, graph_iri: str) -> bool:
        """True if the named graph exists."""
        ...

    def graph_iris(self) -> list[str]:
        """The IRIs of all named graphs, sorted."""
        ...

    def query(
        self,
        sparql: str,
        *,
        use_default_graph_as_union: bool = True,
        default_graph: list[str] | None = None,
        named_graphs: list[str] | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a SPARQL 1.1 query (SELECT, ASK, CONSTRUCT or DESCRIBE).

        Args:
            sparql: the query text.
            use_default_graph_as_union: the default graph is the union of all named graphs
                (ignored when `default_graph` is given).
            default_graph: IRIs of the graphs whose union is the default graph.
            named_graphs: IRIs of the graphs that `GRAPH` may match (all by default).
            base_iri: the IRI relative IRIs resolve against (before the query's own BASE);
                None: a relative IRI is a syntax error.

        Raises:
            QuerySyntaxError: the query is not valid SPARQL (the message is the parser's).
            StoreError: the store could not be read.
        """
        ...

    def update(self, sparql: str, *, base_iri: str | None = None) -> None:
        """Apply a SPARQL 1.1 update in one transaction.

        Args:
            sparql: the update text.
            base_iri: the IRI relative IRIs resolve against, as for `query`.

        Raises:
            QuerySyntaxError: the update is not valid SPARQL.
            StoreError: the store could not be written.
        """
        ...

    def dump(self, format: ox.RdfFormat, graph_iri: str | None = None) -> bytes:
        """Serialise one named graph, or the whole dataset when `graph_iri` is None.

        Raises:
            ValueError: the whole dataset was asked for in a format without named graphs.
            NotFoundError: `graph_iri` is not a stored graph.
            StoreError: the store could not be read.
        """
        ...

    def stats(self) -> StoreStats:
        """Number of named graphs and of triples."""
        ...

    def close(self) -> None:
        """Flush and release the store (its lock on disk); the object is unusable afterwards."""
        ...
