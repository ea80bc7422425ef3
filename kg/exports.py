"""Exports of the store: RDF syntaxes, and a property-graph projection for Neo4j and Gephi.

Used by `kg export` and `GET /graph`; both stream what these functions yield. The store is read
by `kg.read.exports` (the projection's queries, the union of all graphs); this module writes.

RDF formats (`turtle ntriples nquads trig jsonld rdfxml`): the whole dataset in a format with
named graphs (N-Quads, TriG, JSON-LD), the union of all graphs in the others, or one document's
graph. The embedded store dumps into a temporary file, which is then sent in chunks, so an
export never sits whole in memory; a remote store's dump is read into memory first.

The property graph (`graphml`, `csv-nodes`, `csv-edges`; `kg export --format csv --output DIR`
writes both CSV files) projects the RDF model onto nodes and directed edges:

    nodes  Id (the IRI), Label, type (Actor | Event | Document | Topic), kind (Person, Meeting…),
           key (actor key, document id or topic notation), date (event date or publication date)
    edges  Source, Target, Type (always "Directed"), Label (the relation), role, stance, topic,
           direction, document, Weight, Id (the IRI of the position/participation, if any)

    participation  Event -> Actor     role: agent | recipient | participant
    position       Actor -> Topic     stance, topic, direction (for | against | not-applicable);
                                      one edge per position, document = where it was stated
    target         Actor -> Actor     the position's target, same attributes (when stated)
    mention        Document -> Actor  Weight = number of mentions in that document
    reports        Document -> Event
    author         Document -> Actor  the byline's author (schema:author)
    publisher      Document -> Actor  the outlet (schema:publisher)

Actors are the actors of the articles, one node per actor key: the gazetteer's copy of an actor
(its own IRI, `https://w3id.org/newskg/actor/{key}`) merges into the article actor, and the
gazetteer's other entries come only with `with_gazetteer` (`kg export --with-gazetteer`).

The Gephi CSV headers are the ones Gephi's spreadsheet import recognises (Id/Label,
Source/Target/Type/Weight). GraphML carries the same attributes as typed `<key>`s (networkx,
Gephi, yEd, Cytoscape read it). The `neo4j` format (`neo4j_files`) writes one CSV file per node
label and per relationship type with the typed headers of `neo4j-admin database import`
(`iri:ID`, `:LABEL`, `:START_ID`, `:END_ID`, `:TYPE`, `confidence:float`, `aliases:string[]`),
and `neo4j_import_command` gives the command that loads them.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import NotFoundError, StoreError
from kg.read.exports import (
    UNION_CONSTRUCT,
    PgEdge,
    PgNode,
    PropertyGraph,
    property_graph,
    union_triples,
)
from kg.store.base import GraphStore
from kg.store.oxigraph import OxigraphStore

CHUNK = 64 * 1024


class ExportFormat(StrEnum):
    TURTLE = "turtle"
    NTRIPLES = "ntriples"
    NQUADS = "nquads"
    TRIG = "trig"
    JSONLD = "jsonld"
    RDFXML = "rdfxml"
    GRAPHML = "graphml"
    CSV_NODES = "csv-nodes"
    CSV_EDGES = "csv-edges"

    @property
    def rdf_format(self) -> ox.RdfFormat | None:
        """The pyoxigraph format of an RDF export; None for the property-graph ones."""
        return _RDF_FORMATS.get(self)

    @property
    def media_type(self) -> str:
        rdf = self.rdf_format
        if rdf is not None:
            return rdf.media_type
        if self is ExportFormat.GRAPHML:
            return "application/graphml+xml"
        return "text/csv; charset=utf-8"

    @property
    def file_extension(self) -> str:
        rdf = self.rdf_format
        if rdf is not None:
            return rdf.file_extension
        return "graphml" if self is ExportFormat.GRAPHML else "csv"

    @classmethod
    def from_media_type(cls, media_type: str) -> ExportFormat | None:
        """The format for a media type (text/csv is ambiguous: nodes or edges? None)."""
        bare = media_type.split(";", 1)[0].strip().lower()
        for fmt in cls:
            if fmt.media_type.split(";")[0] == bare and bare != "text/csv":
                return fmt
        return None


_RDF_FORMATS = {
    ExportFormat.TURTLE: ox.RdfFormat.TURTLE,
    ExportFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
    ExportFormat.NQUADS: ox.RdfFormat.N_QUADS,
    ExportFormat.TRIG: ox.RdfFormat.TRIG,
    ExportFormat.JSONLD: ox.RdfFormat.JSON_LD,
    ExportFormat.RDFXML: ox.RdfFormat.RDF_XML,
}


def rdf_dump(store: GraphStore, fmt: ox.RdfFormat, graph_iri: str | None = None) -> bytes:
    """One named graph, the whole dataset (formats with named graphs), or the union of all
    graphs (Turtle, N-Triples, RDF/XML).

    Raises:
        NotFoundError: `graph_iri` is not in the store.
        StoreError: the store cannot be read.
    """
    if graph_iri is not None:
        if not store.has_graph(graph_iri):
            raise NotFoundError(f"no graph {graph_iri} in the store (see `kg stats`)")
        return store.dump(fmt, graph_iri)
    if fmt.supports_datasets:
        return store.dump(fmt)
    return union_triples(store).serialize(format=fmt) or b""


def _spooled_dump(store: OxigraphStore, fmt: ox.RdfFormat, graph_iri: str | None) -> BinaryIO:
    """The dump written by pyoxigraph into an anonymous temporary file, rewound: the export
    never sits whole in memory, whatever the size of the store.

    Raises:
        NotFoundError: `graph_iri` is not in the store.
        StoreError: the store cannot be read, or the temporary file written.
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by _FileChunks or on error
    try:
        if graph_iri is not None:
            if not store.has_graph(graph_iri):
                raise NotFoundError(f"no graph {graph_iri} in the store (see `kg stats`)")
            store.store.dump(spool, format=fmt, from_graph=ox.NamedNode(graph_iri))
        elif fmt.supports_datasets:
            store.store.dump(spool, format=fmt)
        else:
            union: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | None
            union = store.store.query(UNION_CONSTRUCT)
            if isinstance(union, ox.QueryTriples):
                union.serialize(spool, format=fmt)
            union = None  # pyoxigraph results stay in this thread
        spool.seek(0)
    except OSError as exc:
        spool.close()
        raise StoreError(f"cannot export the store at {store.path}: {exc}") from exc
    except BaseException:
        spool.close()
        raise
    return spool


class _FileChunks:
    """Iterate over a file in chunks and close it at the end, or when dropped unread."""

    def __init__(self, spool: BinaryIO, size: int = CHUNK) -> None:
        self._spool = spool
        self._size = size

    def __iter__(self) -> _FileChunks:
        return self

    def __next__(self) -> bytes:
        chunk = self._spool.read(self._size) if not self._spool.closed else b""
        if not chunk:
            self.close()
            raise StopIteration
        return chunk

    def close(self) -> None:
        self._spool.close()

    def __del__(self) -> None:
        self.close()


def rdf_chunks(
    store: GraphStore, fmt: ox.RdfFormat, graph_iri: str | None = None
) -> Iterator[bytes]:
    """`rdf_dump` in chunks; the embedded store dumps into a temporary file, not into memory.

    The store is read before this returns, so a missing graph raises here, not mid-stream.

    Raises:
        NotFoundError: `graph_iri` is not in the store.
        StoreError: the store cannot be read.
    """
    if isinstance(store, OxigraphStore):
        return _FileChunks(_spooled_dump(store, fmt, graph_iri))
    return chunked(rdf_dump(store, fmt, graph_iri))


def chunked(data: bytes, size: int = CHUNK) -> Iterator[bytes]:
    """`data` in pieces of `size` bytes (for a streamed response)."""
    for start in range(0, len(data), size):
        yield data[start : start + size]


# --- the property graph (read by kg.read.exports) --------------------------------------------

#: The columns of the Gephi tables (and the GraphML keys), in order.
NODE_COLUMNS = ("Id", "Label", "type", "kind", "key", "date")
EDGE_COLUMNS = (
    "Source", "Target", "Type", "Label", "role", "stance", "topic", "direction", "document",
    "Weight", "Id",
)  # fmt: skip


def _csv_chunks(header: tuple[str, ...], records: list[dict[str, object]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(header), lineterminator="\n")
    writer.writeheader()
    for count, record in enumerate(records, start=1):
        writer.writerow(record)
        if count % 1000 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def csv_nodes(graph: PropertyGraph) -> Iterator[bytes]:
    """nodes.csv: one row per node, columns `NODE_COLUMNS`."""
    return _csv_chunks(NODE_COLUMNS, [_record(n, NODE_COLUMNS) for n in graph.nodes])


def csv_edges(graph: PropertyGraph) -> Iterator[bytes]:
    """edges.csv: one row per edge, columns `EDGE_COLUMNS`."""
    return _csv_chunks(EDGE_COLUMNS, [_record(e, EDGE_COLUMNS) for e in graph.edges])


def _record(item: PgNode | PgEdge, columns: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(item, name) for name in columns}


def graphml(graph: PropertyGraph) -> Iterator[bytes]:
    """The property graph as GraphML (a directed graph, typed attribute keys)."""
    yield (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"'
        b' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
        b' xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns'
        b' http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n'
    )
    node_keys = [name for name in NODE_COLUMNS if name != "Id"]
    edge_keys = [name for name in EDGE_COLUMNS if name not in {"Source", "Target", "Type"}]
    lines = []
    for name in node_keys:
        key = name.lower()
        lines.append(f'  <key id="n_{key}" for="node" attr.name="{key}" attr.type="string"/>')
    for name in edge_keys:
        key = name.lower()
        kind = "double" if name == "Weight" else "string"
        lines.append(f'  <key id="e_{key}" for="edge" attr.name="{key}" attr.type="{kind}"/>')
    lines.append('  <graph id="newskg" edgedefault="directed">')
    yield ("\n".join(lines) + "\n").encode()
    buffer: list[str] = []
    for node in graph.nodes:
        data = "".join(
            f'<data key="n_{name.lower()}">{escape(str(value))}</data>'
            for name in node_keys
            if (value := getattr(node, name)) != ""
        )
        buffer.append(f"    <node id={quoteattr(node.Id)}>{data}</node>")
        if len(buffer) >= 500:
            yield ("\n".join(buffer) + "\n").encode()
            buffer.clear()
    for index, edge in enumerate(graph.edges):
        data = "".join(
            f'<data key="e_{name.lower()}">{escape(str(value))}</data>'
            for name in edge_keys
            if (value := getattr(edge, name)) != ""
        )
        buffer.append(
            f'    <edge id="e{index}" source={quoteattr(edge.Source)}'
            f" target={quoteattr(edge.Target)}>{data}</edge>"
        )
        if len(buffer) >= 500:
            yield ("\n".join(buffer) + "\n").encode()
            buffer.clear()
    buffer.append("  </graph>\n</graphml>\n")
    yield "\n".join(buffer).encode()


# --- Neo4j: files for `neo4j-admin database import` -------------------------------------------

#: The array delimiter of the Neo4j files (the tool's default, passed explicitly all the same).
NEO4J_ARRAY_DELIMITER = ";"
_NEO4J_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_ISO_DATE = re.compile(r"^[0-9]{4}(?:-[0-9]{2}(?:-[0-9]{2})?)?$")


@dataclass(frozen=True, slots=True)
class Neo4jFile:
    """One CSV file of the import: a node label's or a relationship type's."""

    name: str
    relationships: bool
    header: tuple[str, ...]
    rows: list[tuple[str, ...]]

    def chunks(self) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return chunked(buffer.getvalue().encode("utf-8"))


# Property columns per node label and relationship type: `name:type` as the import tool reads
# them (no type means string; `[]` an array split at the array delimiter).
_NODE_HEADERS: dict[str, tuple[str, ...]] = {
    "Actor": ("iri:ID", "key:string", "name:string", "kind:string", "aliases:string[]",
              "wikidata:string", ":LABEL"),
    "Document": ("iri:ID", "documentId:string", "title:string", "published:date", ":LABEL"),
    "Event": ("iri:ID", "kind:string", "date:date", ":LABEL"),
    "Topic": ("iri:ID", "key:string", "name:string", ":LABEL"),
}  # fmt: skip
_ENDS_HEADER = (":START_ID", ":END_ID", ":TYPE")
_RELATIONSHIPS: dict[str, tuple[str, tuple[str, ...]]] = {
    # edge label -> (relationship type, its property columns)
    "participation": ("HAS_PARTICIPANT", ("role:string", "document:string", "iri:string")),
    "position": ("HOLDS_POSITION", ("stance:string", "direction:string", "confidence:float",
                                    "document:string", "iri:string")),
    "target": ("TARGETS", ("stance:string", "topic:string", "direction:string",
                           "confidence:float", "document:string", "position:string")),
    "mention": ("MENTIONS", ("count:int",)),
    "reports": ("REPORTS", ()),
    "author": ("WRITTEN_BY", ()),
    "publisher": ("PUBLISHED_BY", ()),
}  # fmt: skip


def _text(value: str) -> str:
    """A string on one line (the import then needs no --multiline-fields)."""
    return " ".join(value.split())


def _node_row(node: PgNode) -> tuple[str, ...]:
    labels = [node.type]
    if node.kind and node.kind != node.type and _NEO4J_NAME.match(node.kind):
        labels.append(node.kind)
    label = NEO4J_ARRAY_DELIMITER.join(labels)
    date = node.date[:10] if _ISO_DATE.match(node.date[:10]) else ""
    if node.type == "Actor":
        aliases = NEO4J_ARRAY_DELIMITER.join(
            _text(a).replace(NEO4J_ARRAY_DELIMITER, ",") for a in node.aliases
        )
        return (node.Id, node.key, _text(node.Label), node.kind, aliases, node.wikidata, label)
    if node.type == "Document":
        return (node.Id, node.key, _text(node.Label), date, label)
    if node.type == "Event":
        return (node.Id, node.kind, date, label)
    return (node.Id, node.key, _text(node.Label), label)


def _edge_row(edge: PgEdge, rel_type: str) -> tuple[str, ...]:
    ends = (edge.Source, edge.Target, rel_type)
    confidence = "" if edge.confidence is None else repr(edge.confidence)
    if edge.Label == "participation":
        return (*ends, edge.role, edge.document, edge.Id)
    if edge.Label == "position":
        return (*ends, edge.stance, edge.direction, confidence, edge.document, edge.Id)
    if edge.Label == "target":
        return (*ends, edge.stance, edge.topic, edge.direction, confidence, edge.document, edge.Id)
    if edge.Label == "mention":
        return (*ends, str(round(edge.Weight)))
    return ends


def neo4j_files(graph: PropertyGraph) -> list[Neo4jFile]:
    """The property graph as `neo4j-admin database import` CSV files: one per node label
    (`Actor.csv`…, the node's kind as a second label) and one per relationship type
    (`HOLDS_POSITION.csv`…), with typed headers; labels and types without rows are left out.
    Every node id is its IRI (one id space), so every relationship's ends are in a node file.
    """
    files: list[Neo4jFile] = []
    for label, header in _NODE_HEADERS.items():
        rows = [_node_row(n) for n in graph.nodes if n.type == label]
        if rows:
            files.append(Neo4jFile(f"{label}.csv", False, header, rows))
    for edge_label, (rel_type, columns) in _RELATIONSHIPS.items():
        rows = [_edge_row(e, rel_type) for e in graph.edges if e.Label == edge_label]
        if rows:
            files.append(Neo4jFile(f"{rel_type}.csv", True, (*_ENDS_HEADER, *columns), rows))
    return files


def neo4j_import_command(files: Iterable[Neo4jFile], folder: str = ".") -> str:
    """The `neo4j-admin database import full` command (Neo4j 5) that loads `files` from
    `folder` into the database `neo4j` (stop the server first; the database is replaced)."""
    prefix = folder.rstrip("/") + "/"
    lines = ["neo4j-admin database import full neo4j --overwrite-destination"]
    lines.append(f'  --array-delimiter="{NEO4J_ARRAY_DELIMITER}" --id-type=string')
    for file in files:
        option = "--relationships" if file.relationships else "--nodes"
        lines.append(f"  {option}={prefix}{file.name}")
    return " \\\n".join(lines)


def neo4j_import_script(files: Iterable[Neo4jFile]) -> str:
    """`import.sh`, written beside the files: the import command, run from their folder."""
    return (
        "#!/bin/sh\n"
        "# Loads the files of this folder into the database neo4j, which it replaces: stop\n"
        "# Neo4j first, and run this where neo4j-admin is on the PATH.\n"
        'cd "$(dirname "$0")" || exit 1\n'
        f"{neo4j_import_command(files)}\n"
    )


def export_chunks(
    store: GraphStore,
    fmt: ExportFormat,
    graph_iri: str | None = None,
    *,
    with_gazetteer: bool = False,
) -> Iterator[bytes]:
    """The export in `fmt`, in chunks; the store is read before the first chunk is yielded.

    `with_gazetteer` adds the gazetteer's unreferenced actors to a property-graph export (RDF
    exports always hold every graph, the gazetteer's included).

    Raises:
        NotFoundError: `graph_iri` is not in the store.
        StoreError: the store cannot be read.
    """
    rdf = fmt.rdf_format
    if rdf is not None:
        return rdf_chunks(store, rdf, graph_iri)
    projected = property_graph(store, graph_iri, with_gazetteer=with_gazetteer)
    if fmt is ExportFormat.GRAPHML:
        return graphml(projected)
    if fmt is ExportFormat.CSV_NODES:
        return csv_nodes(projected)
    return csv_edges(projected)


__all__ = [
    "EDGE_COLUMNS",
    "NEO4J_ARRAY_DELIMITER",
    "NODE_COLUMNS",
    "ExportFormat",
    "Neo4jFile",
    "PgEdge",
    "PgNode",
    "PropertyGraph",
    "chunked",
    "csv_edges",
    "csv_nodes",
    "export_chunks",
    "graphml",
    "neo4j_files",
    "neo4j_import_command",
    "neo4j_import_script",
    "property_graph",
    "rdf_chunks",
    "rdf_dump",
]
