"""The read index: one SQLite row per position, event and quote, so that a REST page costs the
same at 300 or 300,000 articles.

The RDF store stays the truth, and SPARQL reads it. The friendly API's lists are answered from
this denormalised copy instead: each item's finished record (exactly what the SPARQL read model
of `kg.read.queries` gives for it, as JSON) with the columns its filters and sorts need
(document, evidence offsets, date, stance, direction) and one `facets` row per (item, actor,
topic) in sort order, so that "Putin's positions on territory, page 3" is one walk of a B-tree.

How it stays equal to the graph:

- `sync(store)` compares each stored article's fingerprint (graph, content hash, extractor and
  pipeline versions) with the index and indexes again the articles that differ, by running the
  SPARQL reads on each of them alone. It runs after every article write, inside the store's
  write lock (`OxigraphStore.after_write`), so a reader never sees the two disagree; at start,
  so that a crash between the store's commit and the index's is repaired; and by `kg reindex`.
- A record names actors by the registry's description, which another article can change (the
  registry takes an actor's name from the article graph that sorts first). `sync` reads the
  description of every actor the changed articles name before and after, and indexes again
  every article whose records show an actor whose description changed.
- A SPARQL update sent by hand (`/update`) may change anything: the index is dropped and built
  again (`invalidate`), and meanwhile the reads fall back on SPARQL.
- `check(store)` recomputes every article's rows and reports the differences (`kg validate`).

Only the embedded store has an index: a remote store may be written by others.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import hashlib
import inspect
import json
import logging
import shutil
import sqlite3
import tempfile
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Concatenate, ParamSpec, TypeVar, cast

from rdflib import BNode, Graph

from kg.errors import StoreError
from kg.store import GraphStore
from kg.store.terms import sparql_iri

__all__ = [
    "FacetFilter",
    "ReadIndex",
    "SyncReport",
    "attach",
    "attached",
    "detach",
    "index_of",
    "kept",
    "open_index",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")
P = ParamSpec("P")

#: Bump when the rows' layout or meaning changes: an index of another format is rebuilt.
INDEX_FORMAT = "4"
#: Aggregate answers kept per process until the next write (`ReadIndex.memo`).
MEMO_SIZE = 64
#: List totals kept per process until the next write (`ReadIndex.memo`, `small=True`): a
#: count costs a read of every matching row, a number to keep costs nothing.
COUNTS_KEPT = 4_096
SEP = "\x1f"
#: Every process's kept answers (`ReadIndex.memo`) are stale once this runs.
_BUMP_VERSION = (
    "INSERT INTO meta VALUES ('version', '1') ON CONFLICT(key)"
    " DO UPDATE SET value = CAST(value AS INTEGER) + 1"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, graph TEXT NOT NULL, fingerprint TEXT NOT NULL, published TEXT);
CREATE TABLE IF NOT EXISTS items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL, doc TEXT NOT NULL, iri TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    date_start TEXT, date_end TEXT,
    stance TEXT, direction TEXT,
    search TEXT NOT NULL, record TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS items_order ON items (kind, doc, start, "end", iri);
CREATE INDEX IF NOT EXISTS items_doc ON items (doc);
CREATE TABLE IF NOT EXISTS facets (
    item INTEGER NOT NULL, kind TEXT NOT NULL, actor TEXT NOT NULL, topic TEXT NOT NULL,
    class TEXT NOT NULL, doc TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    iri TEXT NOT NULL, firsts INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS facets_actor_topic
    ON facets (kind, actor, topic, doc, start, "end", iri, firsts, item);
CREATE INDEX IF NOT EXISTS facets_topic
    ON facets (kind, topic, doc, start, "end", iri, firsts, item);
CREATE INDEX IF NOT EXISTS facets_class
    ON facets (kind, class, doc, start, "end", iri, firsts, item);
CREATE INDEX IF NOT EXISTS facets_item ON facets (item);
CREATE TABLE IF NOT EXISTS refs (doc TEXT NOT NULL, actor TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS refs_actor ON refs (actor);
CREATE INDEX IF NOT EXISTS refs_doc ON refs (doc);
CREATE TABLE IF NOT EXISTS namings (doc TEXT NOT NULL, actor TEXT NOT NULL, aliases TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS namings_actor ON namings (actor);
CREATE INDEX IF NOT EXISTS namings_doc ON namings (doc);
CREATE TABLE IF NOT EXISTS links (
    item INTEGER NOT NULL, kind TEXT NOT NULL, doc TEXT NOT NULL, a TEXT NOT NULL, b TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_a ON links (kind, a, b);
CREATE INDEX IF NOT EXISTS links_b ON links (kind, b);
CREATE INDEX IF NOT EXISTS links_item ON links (item);
CREATE INDEX IF NOT EXISTS links_doc ON links (doc);
CREATE TABLE IF NOT EXISTS actors (
    iri TEXT PRIMARY KEY, key TEXT NOT NULL, description TEXT NOT NULL, labels TEXT NOT NULL,
    aliases TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS actors_key ON actors (key);
"""

_TABLES = ("documents", "items", "facets", "refs", "namings", "links", "actors")
_PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
"""


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one `sync` did."""

    indexed: tuple[str, ...] = ()
    """Ids of the articles indexed (again)."""
    removed: tuple[str, ...] = ()
    """Ids of the articles no longer in the store."""
    renamed: tuple[str, ...] = ()
    """IRIs of the actors whose registry description changed."""


@dataclass(frozen=True, slots=True)
class FacetFilter:
    """The filters of one list, as plain values (ids resolved to IRIs by the caller)."""

    kind: str
    """"position", "event" or "quote"."""
    document: str | None = None
    actors: tuple[str, ...] | None = None
    topics: tuple[str, ...] | None = None
    classes: tuple[str, ...] | None = None
    stance: str | None = None
    direction: str | None = None
    needle: str | None = None
    """Folded text looked for in the item's text and its actors' names."""
    date_from: str | None = None
    date_to: str | None = None
    by_date: bool = False


@dataclass(slots=True)
class _Rows:
    """The index rows of one article."""

    items: list[tuple[Any, ...]] = field(default_factory=list)
    facets: list[list[tuple[str, str, str]]] = field(default_factory=list)
    links: list[list[tuple[str, str]]] = field(default_factory=list)
    refs: set[str] = field(default_factory=set)
    namings: dict[str, list[str]] = field(default_factory=dict)
    published: str | None = None


class ReadIndex:
    """A SQLite file (WAL: readers in any thread or process while one writer writes), or a
    shared in-memory database for an in-memory store.

    Args:
        path: the database file; None for memory (gone when the last connection closes).
    """

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        self.read_only = read_only
        """A reader beside the writing process (`kg serve --workers`): no sync, no schema."""
        self._scratch: str | None = None
        if path is None:  # a file all the same: WAL's readers-beside-a-writer, no table locks
            self._scratch = tempfile.mkdtemp(prefix="kg-index-")
            path = Path(self._scratch) / "index.sqlite"
        self.path = path
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._epoch = 0
        self._memo: OrderedDict[tuple[object, ...], object] = OrderedDict()
        self._counts: OrderedDict[tuple[object, ...], object] = OrderedDict()
        self._memo_version: str | None = None
        """Bumped by every write of this process (the caches of `cached` start afresh)."""
        self._rebuild_next = False
        self.ready = False
        """False while the index is being (re)built: reads then go to SPARQL."""
        conn = self._connection()
        if read_only:
            self.recheck()
            return
        with conn:
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        found_format = conn.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        if found_format is not None and found_format[0] != INDEX_FORMAT:  # another layout
            with conn:
                for table in (*_TABLES, "meta"):
                    conn.execute(f"DROP TABLE IF EXISTS {table}")
        with conn:
            conn.executescript(_SCHEMA)
        with conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?)", (INDEX_FORMAT,))

    def _connection(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    def cached(self, name: str, read: Callable[[GraphStore], T], store: GraphStore) -> T:
        """`read(store)`, kept until the next write (the topic scheme, for instance)."""
        cache = self._fresh_cache()
        found = cache.get(name)
        if found is None:
            found = cache[name] = read(store)
        return cast(T, found)

    def topic_iris(self, topic: str, resolve: Callable[[], list[str]]) -> list[str]:
        """`resolve()` (the topic concepts of a REST topic id), kept until the next write."""
        cache = self._fresh_cache()
        found = cache.get("topic:" + topic)
        if found is None:
            found = cache["topic:" + topic] = resolve()
        return cast(list[str], found)

    def _fresh_cache(self) -> dict[str, object]:
        """This thread's cache, emptied when anything wrote the index since: a write of this
        process (`_epoch`) or of another connection (SQLite's `data_version`)."""
        conn = self._connection()
        version = (self._epoch, conn.execute("PRAGMA data_version").fetchone()[0])
        cache: dict[str, object] | None = getattr(self._local, "cache", None)
        if cache is None or getattr(self._local, "version", None) != version:
            cache = self._local.cache = {}
            self._local.version = version
        return cache

    def after_write(self, store: GraphStore) -> None:
        """Sync after a write of the store; on failure the reads go to SPARQL until the next
        start repairs the index."""
        self._epoch += 1
        try:
            if self._rebuild_next:
                self._rebuild_next = False
                self.rebuild(store)
            else:
                self.sync(store)
            conn = self._connection()
            with conn:  # every process's answers computed before this write are stale
                conn.execute(_BUMP_VERSION)
        except Exception:
            self.ready = False
            logger.exception("the read index could not follow a write; reading with SPARQL")

    def memo(self, key: tuple[object, ...], compute: Callable[[], T], *, small: bool = False) -> T:
        """`compute()`, kept in this process until the store is next written (by any process):
        the aggregate answers (a topic's positions, an actor's network) whose size grows with
        the corpus are computed once per write, not once per request; `small` values (a list's
        total) are kept apart, more of them (`COUNTS_KEPT`, else `MEMO_SIZE`)."""
        found = self._connection().execute("SELECT value FROM meta WHERE key = 'version'")
        row = found.fetchone()
        version = row[0] if row is not None else "0"
        kept, size = (self._counts, COUNTS_KEPT) if small else (self._memo, MEMO_SIZE)
        with self._lock:
            if self._memo_version != version:
                self._memo.clear()
                self._counts.clear()
                self._memo_version = version
            if key in kept:
                kept.move_to_end(key)
                return cast(T, kept[key])
        value = compute()
        with self._lock:
            if self._memo_version == version:
                kept[key] = value
                while len(kept) > size:
                    kept.popitem(last=False)
        return value

    def close(self) -> None:
        """Close every connection (a memory index is gone after this)."""
        with self._lock:
            for conn in self._connections:
                with contextlib.suppress(sqlite3.Error):
                    conn.close()
            self._connections.clear()
        self._local = threading.local()
        self.ready = False
        if self._scratch is not None:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def _clear(self, conn: sqlite3.Connection) -> None:
        with conn:
            for table in _TABLES:
                conn.execute(f"DELETE FROM {table}")

    # --- writing -----------------------------------------------------------------------------

    def vocabularies_changed(self, graphs: dict[str, Graph]) -> bool:
        """Whether the ontology and gazetteer graphs about to be stored differ from those the
        index was built with (their names and labels are in the records); remembers them."""
        digest = hashlib.sha256()
        for graph_iri in sorted(graphs):
            digest.update(graph_iri.encode())
            lines = sorted(
                f"{s.n3()} {p.n3()} {o.n3()}"
                for s, p, o in graphs[graph_iri]
                if not isinstance(s, BNode) and not isinstance(o, BNode)
            )
            digest.update("\n".join(lines).encode())
        conn = self._connection()
        found = conn.execute("SELECT value FROM meta WHERE key = 'vocabularies'").fetchone()
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO meta VALUES ('vocabularies', ?)", (digest.hexdigest(),)
            )
        return found is None or found[0] != digest.hexdigest()

    def rebuild_after_next_write(self) -> None:
        """The next write may change anything (a SPARQL update sent by hand): build the index
        again after it, still inside the store's write lock, instead of comparing articles."""
        self._rebuild_next = True

    def sync(self, store: GraphStore, *, everything: bool = False) -> SyncReport:
        """Index again the articles whose fingerprint differs from the store's (every article
        with `everything`), drop those no longer stored, and re-read the actors whose
        description changed (module docstring). The index changes in one transaction: a
        reader in another process sees it before or after, never half-way."""
        if self.read_only:
            raise StoreError("this read index is open for reading only")
        conn = self._connection()
        stored = _fingerprints(store)
        known = dict(conn.execute("SELECT id, fingerprint FROM documents").fetchall())
        changed = sorted(d for d, (_, fp) in stored.items() if everything or known.get(d) != fp)
        gone = sorted(set(known) - set(stored))
        if not changed and not gone:
            self._mark_complete(conn)
            return SyncReport()
        touched = _actors_of(conn, [*changed, *gone])
        if everything:
            touched |= {a for (a,) in conn.execute("SELECT iri FROM actors")}
        fresh = {doc: _article_rows(store, doc, stored[doc][0]) for doc in changed}
        for rows in fresh.values():
            touched |= set(rows.namings)
        described = _describe(store, touched)
        before = dict(
            conn.execute(
                f"SELECT iri, description FROM actors WHERE iri IN ({_marks(touched)})",
                sorted(touched),
            ).fetchall()
        )
        renamed = sorted(
            a for a in touched if a in before and a in described and before[a] != described[a][1]
        )
        again = sorted(_docs_referring(conn, renamed) - set(changed) - set(gone))
        for doc in again:
            fresh[doc] = _article_rows(store, doc, stored[doc][0])
        with conn:
            for doc in [*gone, *fresh]:
                _delete_article(conn, doc)
            for doc, rows in fresh.items():
                _insert_article(conn, doc, stored[doc], rows)
            named = {
                a
                for (a,) in conn.execute(
                    f"SELECT DISTINCT actor FROM namings WHERE actor IN ({_marks(touched)})",
                    sorted(touched),
                )
            }
            conn.executemany(
                "DELETE FROM actors WHERE iri = ?", [(a,) for a in sorted(touched - named)]
            )
            aliases: dict[str, set[str]] = {a: set() for a in named}
            for actor, found in conn.execute(
                f"SELECT actor, aliases FROM namings WHERE actor IN ({_marks(named)})",
                sorted(named),
            ):
                aliases[actor].update(json.loads(found))
            conn.executemany(
                "INSERT OR REPLACE INTO actors VALUES (?, ?, ?, ?, ?)",
                [
                    (a, *described[a], json.dumps(sorted(aliases[a])))
                    for a in sorted(named)
                    if a in described
                ],
            )
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('complete', '1')")
            conn.execute(_BUMP_VERSION)  # the answers kept before this sync are stale
        self.ready = True
        report = SyncReport(tuple(sorted(fresh)), tuple(gone), tuple(renamed))
        logger.debug(
            "index: %d indexed, %d removed, %d actors renamed",
            len(report.indexed),
            len(report.removed),
            len(report.renamed),
        )
        return report

    def rebuild(self, store: GraphStore) -> SyncReport:
        """Build the index again from the store (`kg reindex`), in one transaction."""
        return self.sync(store, everything=True)

    def _mark_complete(self, conn: sqlite3.Connection) -> None:
        with conn:
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('complete', '1')")
        self.ready = True

    def check(self, store: GraphStore) -> list[str]:
        """The differences between the index and the rows the store gives now, one line each
        (empty when they agree): what `kg validate` reports."""
        conn = self._connection()
        stored = _fingerprints(store)
        known = dict(conn.execute("SELECT id, fingerprint FROM documents").fetchall())
        problems = [f"article {d} is not in the index" for d in sorted(set(stored) - set(known))]
        problems += [
            f"article {d} is in the index, not in the store"
            for d in sorted(set(known) - set(stored))
        ]
        for doc in sorted(set(stored) & set(known)):
            if known[doc] != stored[doc][1]:
                problems.append(f"article {doc}: the index holds another version")
                continue
            expected = sorted(_article_rows(store, doc, stored[doc][0]).items)
            found = sorted(
                tuple(r)
                for r in conn.execute(
                    'SELECT kind, iri, start, "end", date_start, date_end, stance, direction,'
                    " search, record FROM items WHERE doc = ?",
                    (doc,),
                )
            )
            if [tuple(e) for e in expected] != found:
                problems.append(f"article {doc}: its indexed statements differ from the graph")
        return problems

    # --- reading -----------------------------------------------------------------------------

    def page(self, wanted: FacetFilter, *, limit: int, offset: int) -> tuple[int, list[str]]:
        """The number of items matching `wanted` and the records (JSON) of one page of them, in
        the read model's order: document id, evidence start and end, IRI; with `by_date`, the
        dated first by first day and the shorter period first."""
        conn = self._connection()
        with self.reading(conn):
            return self._page(conn, wanted, limit, offset)

    def _page(
        self, conn: sqlite3.Connection, wanted: FacetFilter, limit: int, offset: int
    ) -> tuple[int, list[str]]:
        facet = wanted.actors is not None or wanted.topics is not None or wanted.classes is not None
        where, params, on_items = _where(wanted, facet)
        filters = (wanted.actors, wanted.topics, wanted.classes)
        if facet:  # the small facet rows are counted, sorted and cut; the records read last
            source = "facets f"
            if on_items or wanted.by_date:
                source += " JOIN items i ON i.id = f.item"
            order = 'f.doc, f.start, f."end", f.iri'
            if all(values is None or len(values) == 1 for values in filters):
                # one value per filtered dimension: the rows first for those dimensions are
                # one per statement
                where += " AND f.firsts & ? != 0"
                params = [*params, _dimensions(*(values is not None for values in filters))]
                count = f"SELECT COUNT(*) FROM {source} WHERE {where}"
                chosen = f"SELECT f.item FROM {source} WHERE {where}"
            else:
                count = f"SELECT COUNT(DISTINCT f.item) FROM {source} WHERE {where}"
                chosen = f"SELECT f.item FROM {source} WHERE {where} GROUP BY f.item"
        else:
            count = f"SELECT COUNT(*) FROM items i WHERE {where}"
            order = 'i.doc, i.start, i."end", i.iri'
            chosen = f"SELECT i.id FROM items i WHERE {where}"
        total: int = self.memo(
            (count, *params), lambda: conn.execute(count, params).fetchone()[0], small=True
        )
        if total == 0 or limit == 0 or offset >= total:
            return total, []
        if wanted.by_date:
            order = "i.date_start IS NULL, i.date_start, i.date_end, " + order
        ids = [
            r[0]
            for r in conn.execute(
                f"{chosen} ORDER BY {order} LIMIT ? OFFSET ?", [*params, limit, offset]
            )
        ]
        records = dict(
            conn.execute(f"SELECT id, record FROM items WHERE id IN ({_marks(ids)})", ids)
        )
        return total, [records[i] for i in ids]

    def topic_statements(self, topic: str) -> list[tuple[str, str, str, str, str, int, int]]:
        """Every position on the topic IRI `topic`: (IRI, document, stance, direction, holder,
        evidence start, evidence end), one row per holder."""
        rows = self._connection().execute(
            'SELECT i.iri, i.doc, i.stance, i.direction, f.actor, i.start, i."end"'
            " FROM facets f JOIN items i ON i.id = f.item"
            " WHERE f.kind = 'position' AND f.topic = ? AND f.actor != ''",
            (topic,),
        )
        return [tuple(r) for r in rows]

    def records_of(self, kind: str, iris: Iterable[str]) -> dict[str, str]:
        """The records (JSON) of the statements `iris`, by IRI."""
        wanted = sorted(set(iris))
        out: dict[str, str] = {}
        conn = self._connection()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows = conn.execute(
                f"SELECT iri, record FROM items WHERE kind = ? AND iri IN ({_marks(chunk)})",
                [kind, *chunk],
            )
            out.update(dict(rows.fetchall()))
        return out

    def actor_values(self, iris: Iterable[str]) -> dict[str, dict[str, set[str]]]:
        """Per actor IRI: its description's key, name and type values (`_describe`) and the
        aliases every stored article's naming of it gives (kept merged per actor)."""
        wanted = sorted(set(iris))
        out: dict[str, dict[str, set[str]]] = {}
        conn = self._connection()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = _marks(chunk)
            for iri, description, aliases in conn.execute(
                f"SELECT iri, description, aliases FROM actors WHERE iri IN ({marks})", chunk
            ):
                found = json.loads(description)
                values = out.setdefault(iri, {})
                for name in ("key", "name", "type"):
                    if found.get(name):
                        values[name] = set(found[name])
                if aliases != "[]":
                    values["alias"] = set(json.loads(aliases))
        return out

    def published(self) -> dict[str, dt.date]:
        """Each stored article's published day, by document id."""
        rows = self._connection().execute(
            "SELECT id, published FROM documents WHERE published IS NOT NULL"
        )
        return {doc: dt.date.fromisoformat(day) for doc, day in rows}

    def pair_counts(self, kind: str, me: Sequence[str]) -> list[tuple[str, str, int, list[str]]]:
        """(a, b, statements, document ids) of the actor pairs the statements of
        `kind` link: events of which an actor of `me` is `a`; positions that link `me` at all
        (then every pair of those positions)."""
        marks = _marks(me)
        if kind == "event":
            where = f"l.kind = 'event' AND l.a IN ({marks})"
            params: list[str] = list(me)
        else:
            where = (
                "l.kind = 'position' AND l.item IN (SELECT item FROM links WHERE kind ="
                f" 'position' AND (a IN ({marks}) OR b IN ({marks})))"
            )
            params = [*me, *me]
        rows = self._connection().execute(
            "SELECT l.a, l.b, COUNT(DISTINCT l.item), json_group_array(DISTINCT l.doc)"
            f" FROM links l WHERE {where} GROUP BY l.a, l.b",
            params,
        )
        return [(a, b, n, json.loads(docs)) for a, b, n, docs in rows]

    def recheck(self) -> None:
        """A reader's index becomes ready once the writer has completed a first sync."""
        found = self._connection().execute("SELECT key, value FROM meta").fetchall()
        self.ready = dict(found).get("format") == INDEX_FORMAT and ("complete", "1") in found

    @contextlib.contextmanager
    def reading(self, conn: sqlite3.Connection | None = None) -> Iterator[sqlite3.Connection]:
        """One read transaction: the several statements of an answer see one version."""
        conn = conn or self._connection()
        if conn.in_transaction:
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def actor_iris(self, key: str) -> list[str]:
        """The IRIs of the actors with this key that a stored article names."""
        rows = self._connection().execute("SELECT iri FROM actors WHERE key = ?", (key,))
        return sorted(r[0] for r in rows)

    def documents(self) -> set[str]:
        return {r[0] for r in self._connection().execute("SELECT id FROM documents")}

    def size(self) -> int:
        """Bytes on disk (the database and its write-ahead log)."""
        return sum(
            p.stat().st_size
            for p in (self.path, self.path.with_name(self.path.name + "-wal"))
            if p.exists()
        )


def _marks(values: Sequence[str] | set[str]) -> str:
    return ", ".join("?" * len(values))


def _where(wanted: FacetFilter, facet: bool) -> tuple[str, list[Any], bool]:
    """The SQL condition of `wanted`, its parameters, and whether it reads `items i` (else
    only `facets f`, or only `items i` when `facet` is False)."""
    table = "f" if facet else "i"
    clauses = [f"{table}.kind = ?"]
    params: list[Any] = [wanted.kind]
    for column, values in (
        ("actor", wanted.actors),
        ("topic", wanted.topics),
        ("class", wanted.classes),
    ):
        if values is not None:
            clauses.append(f"f.{column} IN ({_marks(values)})")
            params += values
    if wanted.document is not None:
        clauses.append(f"{table}.doc = ?")
        params.append(wanted.document)
    on_items: list[str] = []
    if wanted.stance is not None:
        on_items.append("i.stance = ?")
        params.append(wanted.stance)
    if wanted.direction is not None:
        on_items.append("i.direction = ?")
        params.append(wanted.direction)
    if wanted.date_from is not None or wanted.date_to is not None:
        on_items.append("i.date_start IS NOT NULL")
    if wanted.date_from is not None:
        on_items.append("i.date_end >= ?")
        params.append(wanted.date_from)
    if wanted.date_to is not None:
        on_items.append("i.date_start <= ?")
        params.append(wanted.date_to)
    if wanted.needle:
        on_items.append(
            "(instr(i.search, ?) > 0 OR EXISTS (SELECT 1 FROM facets n JOIN actors a"
            " ON a.iri = n.actor WHERE n.item = i.id AND instr(a.labels, ?) > 0))"
        )
        params += [wanted.needle, wanted.needle]
    return " AND ".join([*clauses, *on_items]), params, bool(on_items)


# --- reading the store -------------------------------------------------------------------------


def _select(store: GraphStore, sparql: str) -> list[dict[str, str]]:
    from kg.read.queries import select

    return select(store, sparql)


def _fingerprints(store: GraphStore) -> dict[str, tuple[str, str]]:
    """Each stored article's graph and fingerprint (what changes when it is written again)."""
    rows = _select(
        store,
        """SELECT ?id ?g ?hash ?version ?pipeline ?pv WHERE { GRAPH ?g {
  ?doc a kg:Document ; kg:documentId ?id ; kg:contentHash ?hash .
  OPTIONAL { ?doc prov:wasGeneratedBy ?run . ?run kg:extractorVersion ?version }
  OPTIONAL { ?doc prov:wasGeneratedBy ?run2 . ?run2 kg:pipelineVersion ?pv }
  OPTIONAL { ?doc prov:wasGeneratedBy ?run3 . ?run3 kg:pipelineName ?pipeline }
} } ORDER BY ?id ?g""",
    )
    out: dict[str, tuple[str, str]] = {}
    for row in rows:
        if row["id"] in out:
            continue  # the first graph by IRI, as the read model takes it
        parts = [
            row["g"],
            row["hash"],
            row.get("version", ""),
            row.get("pipeline", ""),
            row.get("pv", ""),
        ]
        out[row["id"]] = (row["g"], SEP.join(parts))
    return out


def _actors_of(conn: sqlite3.Connection, docs: list[str]) -> set[str]:
    if not docs:
        return set()
    marks = _marks(docs)
    rows = conn.execute(
        f"SELECT actor FROM namings WHERE doc IN ({marks})"
        f" UNION SELECT actor FROM refs WHERE doc IN ({marks})",
        [*docs, *docs],
    )
    return {r[0] for r in rows}


def _docs_referring(conn: sqlite3.Connection, actors: list[str]) -> set[str]:
    if not actors:
        return set()
    rows = conn.execute(f"SELECT DISTINCT doc FROM refs WHERE actor IN ({_marks(actors)})", actors)
    return {r[0] for r in rows}


def _describe(store: GraphStore, actors: set[str]) -> dict[str, tuple[str, str, str]]:
    """Each actor's key, its whole description over all graphs (what a record's names come
    from; compared to find renamed actors) and its folded labels (what `q` looks in)."""
    from kg.read.suggest import fold

    if not actors:
        return {}
    values: dict[str, dict[str, set[str]]] = {}
    chunk = sorted(actors)
    for start in range(0, len(chunk), 500):
        iris = " ".join(sparql_iri(a) for a in chunk[start : start + 500])
        rows = _select(
            store,
            f"""SELECT ?a ?k ?v WHERE {{ VALUES ?a {{ {iris} }}
  {{ ?a kg:actorKey ?v BIND("key" AS ?k) }} UNION {{ ?a skos:prefLabel ?v BIND("name" AS ?k) }}
  UNION {{ ?a skos:altLabel ?v BIND("alias" AS ?k) }} UNION {{ ?a a ?v BIND("type" AS ?k) }}
}}""",
        )
        for row in rows:
            values.setdefault(row["a"], {}).setdefault(row["k"], set()).add(row["v"])
    out: dict[str, tuple[str, str, str]] = {}
    for actor, found in values.items():
        keys = sorted(found.get("key", set()))
        key = keys[0] if keys else actor.rsplit("/", 1)[-1]
        description = json.dumps({k: sorted(v) for k, v in sorted(found.items())})
        labels = SEP.join(
            fold(v) for k in ("key", "name", "alias") for v in sorted(found.get(k, set()))
        )
        out[actor] = (key, description, labels)
    return out


def _article_rows(store: GraphStore, doc: str, graph: str) -> _Rows:
    """The rows of one article: its records as the SPARQL read model gives them, with the
    values its filters look at, read from its own graph."""
    from kg.read import queries
    from kg.read.suggest import fold

    rows = _Rows()
    values = _item_values(store, graph)
    published = queries.published_date(store, doc)
    pages: list[tuple[str, list[Any]]] = [
        ("position", queries.sparql_positions(store, document=doc).items),
        ("event", queries.sparql_events(store, document=doc).items),
        ("quote", queries.sparql_quotes(store, document=doc).items),
    ]
    for kind, records in pages:
        for record in records:
            v = values.get(record.iri, {})
            own = queries.own_date(v)
            when = own if own is not None else published
            texts = v.get("text", [])
            dumped = record.model_dump_json()
            rows.items.append(
                (
                    kind,
                    record.iri,
                    record.evidence.start if record.evidence else -1,
                    record.evidence.end if record.evidence else -1,
                    when.start if when is not None else None,
                    when.end if when is not None else None,
                    getattr(record, "stance", None),
                    getattr(record, "direction", None),
                    SEP.join(fold(t) for t in texts),
                    dumped,
                )
            )
            actors = sorted(set(v.get("actor", []))) or [""]
            topics = sorted(set(v.get("topic", []))) or [""]
            classes = sorted(set(v.get("class", []))) or [""]
            rows.facets.append([(a, t, c) for a in actors for t in topics for c in classes])
            rows.links.append(_links(kind, v))
            rows.refs |= set(_actor_iris_in(json.loads(dumped)))
    for row in _select(
        store,
        f"""SELECT ?a ?alias WHERE {{ GRAPH {sparql_iri(graph)} {{
  {{ ?n kg:namingOf ?a }} UNION {{ ?n kg:namingOf ?a ; kg:alias ?alias }} }} }}""",
    ):
        aliases = rows.namings.setdefault(row["a"], [])
        if "alias" in row and row["alias"] not in aliases:
            aliases.append(row["alias"])
    rows.published = _published_day(store, graph)
    return rows


def _links(kind: str, values: dict[str, list[str]]) -> list[tuple[str, str]]:
    """The actor pairs a statement links: every two participants of an event (both ways), a
    position's holder with its target and with its source."""
    if kind == "event":
        actors = values.get("actor", [])
        return [(a, b) for a in actors for b in actors if a != b]
    if kind == "position":
        return [(a, b) for a in values.get("actor", []) for b in values.get("linked", []) if a != b]
    return []


def _published_day(store: GraphStore, graph: str) -> str | None:
    """The article's `schema:datePublished` day, as the aggregates read it."""
    rows = _select(
        store,
        f"SELECT ?date WHERE {{ GRAPH {sparql_iri(graph)} {{"
        " ?doc a kg:Document ; schema:datePublished ?date } }",
    )
    for row in rows:
        with contextlib.suppress(ValueError):
            return dt.date.fromisoformat(row["date"][:10]).isoformat()
    return None


def _actor_iris_in(value: Any) -> Iterator[str]:
    """The IRIs of the actor references (`ActorRef`) anywhere in a record."""
    if isinstance(value, dict):
        if "aliases" in value and isinstance(value.get("iri"), str):
            yield value["iri"]
        for inner in value.values():
            yield from _actor_iris_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _actor_iris_in(inner)


def _item_values(store: GraphStore, graph: str) -> dict[str, dict[str, list[str]]]:
    """Per statement of one article graph: the actors its filter and `q` look at, its topics,
    event classes, own time stamps and searched texts (one query)."""
    from kg.read.queries import EVENT_CLASS_BY_TYPE

    classes = " ".join(sparql_iri(c) for c in EVENT_CLASS_BY_TYPE.values())
    rows = _select(
        store,
        f"""SELECT ?item ?k ?v WHERE {{ GRAPH {sparql_iri(graph)} {{
  {{ ?item a kg:Position ; kg:holder ?v BIND("actor" AS ?k) }}
  UNION {{ ?item a kg:Position ; kg:topic ?v BIND("topic" AS ?k) }}
  UNION {{ ?item a kg:Position ; kg:target|kg:reportedBy ?v BIND("linked" AS ?k) }}
  UNION {{ ?item a kg:Quote ; kg:speaker ?v BIND("actor" AS ?k) }}
  UNION {{ ?item a kg:Quote ; kg:quotedText ?v BIND("text" AS ?k) }}
  UNION {{ ?item a ?v . VALUES ?v {{ {classes} }} BIND("class" AS ?k) }}
  UNION {{ ?item a ?cls . VALUES ?cls {{ {classes} }}
          ?item (sem:hasActor|(kg:hasParticipation/kg:participant)) ?v BIND("actor" AS ?k) }}
  UNION {{ ?item kg:evidence/oa:hasSelector/oa:exact ?v BIND("text" AS ?k) }}
  UNION {{ ?item sem:hasTimeStamp ?v BIND("date" AS ?k) }}
  UNION {{ ?item sem:hasEarliestBeginTimeStamp ?v BIND("begin" AS ?k) }}
  UNION {{ ?item sem:hasLatestEndTimeStamp ?v BIND("finish" AS ?k) }}
}} }}""",
    )
    out: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        found = out.setdefault(row["item"], {}).setdefault(row["k"], [])
        if row["v"] not in found:
            found.append(row["v"])
    return out


def _dimensions(actors: bool, topics: bool, classes: bool) -> int:
    """The bit of `facets.firsts` for the filtered dimensions (actor 1, topic 2, class 4)."""
    return 1 << (int(actors) | int(topics) << 1 | int(classes) << 2)


def _firsts(facets: list[tuple[str, str, str]]) -> list[int]:
    """Per facet row of one statement, the bits of the dimension sets (`_dimensions`) for
    which it is the first row with its values: a filter on those dimensions that keeps only
    such rows meets each statement once, with no DISTINCT."""
    out = [0] * len(facets)
    for mask in range(1, 8):
        seen: set[tuple[str, ...]] = set()
        for n, row in enumerate(facets):
            key = tuple(value for bit, value in enumerate(row) if mask >> bit & 1)
            if key not in seen:
                seen.add(key)
                out[n] |= 1 << mask
    return out


def _delete_article(conn: sqlite3.Connection, doc: str) -> None:
    conn.execute("DELETE FROM facets WHERE item IN (SELECT id FROM items WHERE doc = ?)", (doc,))
    conn.execute("DELETE FROM links WHERE doc = ?", (doc,))
    conn.execute("DELETE FROM items WHERE doc = ?", (doc,))
    conn.execute("DELETE FROM refs WHERE doc = ?", (doc,))
    conn.execute("DELETE FROM namings WHERE doc = ?", (doc,))
    conn.execute("DELETE FROM documents WHERE id = ?", (doc,))


def _insert_article(
    conn: sqlite3.Connection, doc: str, stored: tuple[str, str], rows: _Rows
) -> None:
    graph, fingerprint = stored
    conn.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?)", (doc, graph, fingerprint, rows.published)
    )
    for item, facets, links in zip(rows.items, rows.facets, rows.links, strict=True):
        kind, iri, start, end = item[0], item[1], item[2], item[3]
        cursor = conn.execute(
            'INSERT INTO items (kind, doc, iri, start, "end", date_start, date_end, stance,'
            " direction, search, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (kind, doc, *item[1:]),
        )
        conn.executemany(
            "INSERT INTO facets VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (cursor.lastrowid, kind, a, t, c, doc, start, end, iri, firsts)
                for (a, t, c), firsts in zip(facets, _firsts(facets), strict=True)
            ],
        )
        conn.executemany(
            "INSERT INTO links VALUES (?, ?, ?, ?, ?)",
            [(cursor.lastrowid, kind, doc, a, b) for a, b in links],
        )
    conn.executemany("INSERT INTO refs VALUES (?, ?)", [(doc, a) for a in sorted(rows.refs)])
    conn.executemany(
        "INSERT INTO namings VALUES (?, ?, ?)",
        [(doc, a, json.dumps(sorted(aliases))) for a, aliases in sorted(rows.namings.items())],
    )


# --- which store has which index ---------------------------------------------------------------

_indexes: weakref.WeakKeyDictionary[GraphStore, ReadIndex] = weakref.WeakKeyDictionary()
_readers: dict[Path, ReadIndex] = {}


def attach(store: GraphStore, index: ReadIndex) -> None:
    """Serve the REST lists of `store` from `index` (synced by the caller)."""
    _indexes[store] = index


def detach(store: GraphStore) -> ReadIndex | None:
    return _indexes.pop(store, None)


def open_index(store: GraphStore) -> ReadIndex | None:
    """The read index of an embedded store, opened (next to its folder, or in a scratch file
    for an in-memory store), synced and kept in step with every write; for a store opened
    read-only beside its writer, the writer's index, read only; None for a remote store.
    Opening it twice gives the same index."""
    from kg.store.oxigraph import OxigraphStore

    if not isinstance(store, OxigraphStore):
        return None
    found = _indexes.get(store)
    if found is not None:
        return found
    path = None if store.path is None else store.path.with_name(store.path.name + ".index.sqlite")
    if store.read_only:  # a reading process beside the writer: the writer keeps the index
        if path is None or not path.exists():
            return None
        reader = _readers.get(path)
        if reader is None:  # one per process, whatever the store objects reopened on it
            reader = _readers[path] = ReadIndex(path, read_only=True)
        attach(store, reader)
        return reader
    index = ReadIndex(path)
    index.sync(store)
    attach(store, index)
    store.after_write.append(index.after_write)
    store.on_close.append(lambda _: index.close())
    return index


def attached(store: GraphStore) -> ReadIndex | None:
    """The index kept for `store`, ready or not."""
    return _indexes.get(store)


def index_of(store: GraphStore) -> ReadIndex | None:
    """The ready index of `store`, or None: read with SPARQL."""
    index = _indexes.get(store)
    if index is not None and index.read_only and not index.ready:
        index.recheck()
    return index if index is not None and index.ready else None


def kept(
    name: str,
) -> Callable[[Callable[Concatenate[GraphStore, P], T]], Callable[Concatenate[GraphStore, P], T]]:
    """Keep a read's answers until the next write when the store has a read index
    (`ReadIndex.memo`), so that its signature is stated once, on the read itself.

    The key is `name` and every argument after the store, defaults filled in, in the order of
    the signature: `read(store, x)` and `read(store, x, n=<default>)` share one answer.
    """

    def decorate(
        read: Callable[Concatenate[GraphStore, P], T],
    ) -> Callable[Concatenate[GraphStore, P], T]:
        signature = inspect.signature(read)

        @functools.wraps(read)
        def memoised(store: GraphStore, /, *args: P.args, **kwargs: P.kwargs) -> T:
            index = index_of(store)
            if index is None:
                return read(store, *args, **kwargs)
            bound = signature.bind(store, *args, **kwargs)
            bound.apply_defaults()
            key = (name, *list(bound.arguments.values())[1:])
            return index.memo(key, lambda: read(store, *args, **kwargs))

        return memoised

    return decorate


def records(rows: Iterable[str]) -> list[dict[str, Any]]:
    return [json.loads(r) for r in rows]
