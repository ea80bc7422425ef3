"""Exports of the store: RDF syntaxes, and a property-graph projection for Neo4j and Gephi.

Used by `kg export` and `GET /graph`; both stream what these functions yield.

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

The CSV headers are the ones Gephi's spreadsheet import recognises (Id/Label, Source/Target/Type/
Weight). Neo4j reads them with `LOAD CSV WITH HEADERS FROM 'file:///nodes.csv' AS row
MERGE (n:Node {id: row.Id}) SET n += row`, then the edges with
`MATCH (a:Node {id: row.Source}), (b:Node {id: row.Target})
CREATE (a)-[:REL {label: row.Label}]->(b)`.
GraphML carries the same attributes as typed `<key>`s (networkx, Gephi, yEd, Cytoscape read it).
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from typing import BinaryIO
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from kg.errors import NotFoundError, QueryError, StoreError
from kg.mapping import ACTOR_CLASSES, EVENT_CLASSES
from kg.store.base import GraphStore
from kg.store.oxigraph import OxigraphStore
from kg.store.terms import sparql_iri

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
    union = store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    if not isinstance(union, ox.QueryTriples):  # pragma: no cover - a CONSTRUCT
        raise QueryError("internal error: CONSTRUCT did not return triples")
    return union.serialize(format=fmt) or b""


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
            union = store.store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
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


# --- the property graph -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PgNode:
    Id: str
    Label: str
    type: str
    kind: str = ""
    key: str = ""
    date: str = ""


@dataclass(frozen=True, slots=True)
class PgEdge:
    Source: str
    Target: str
    Label: str
    role: str = ""
    stance: str = ""
    topic: str = ""
    direction: str = ""
    document: str = ""
    Weight: float = 1.0
    Id: str = ""
    Type: str = "Directed"


NODE_COLUMNS = tuple(f.name for f in fields(PgNode))
_ENDS = ("Source", "Target", "Type")
EDGE_COLUMNS = (*_ENDS, *(f.name for f in fields(PgEdge) if f.name not in _ENDS))


@dataclass(frozen=True, slots=True)
class PropertyGraph:
    nodes: list[PgNode]
    edges: list[PgEdge]


_PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
"""


def _with_classes(sparql: str, classes: Iterable[object]) -> str:
    """`sparql` with `$CLASSES` replaced by `VALUES ?c { … }` of the given class IRIs."""
    values = "VALUES ?c { " + " ".join(sparql_iri(str(c)) for c in classes) + " }"
    return sparql.replace("$CLASSES", values)


_ACTORS = _with_classes(
    _PREFIXES
    + """SELECT ?a (SAMPLE(?k) AS ?key) (MIN(?l) AS ?label) (SAMPLE(?c) AS ?class) WHERE {
  ?a kg:actorKey ?k .
  OPTIONAL { ?a skos:prefLabel ?l }
  OPTIONAL { $CLASSES ?a a ?c }
} GROUP BY ?a ORDER BY ?a""",
    ACTOR_CLASSES.values(),
)
_DOCUMENTS = (
    _PREFIXES
    + """SELECT ?d ?id (SAMPLE(?h) AS ?headline) (SAMPLE(?dp) AS ?date) WHERE {
  ?d a kg:Document ; kg:documentId ?id .
  OPTIONAL { ?d schema:headline ?h } OPTIONAL { ?d schema:datePublished ?dp }
} GROUP BY ?d ?id ORDER BY ?d"""
)
_EVENTS = _with_classes(
    _PREFIXES
    + """SELECT ?e ?c (SAMPLE(?n) AS ?kind) (SAMPLE(?t) AS ?date) (SAMPLE(?d) AS ?doc) WHERE {
  $CLASSES ?e a ?c .
  OPTIONAL { ?c skos:notation ?n }
  OPTIONAL { ?e sem:hasTimeStamp ?t }
  OPTIONAL { ?e prov:wasDerivedFrom ?d }
} GROUP BY ?e ?c ORDER BY ?e""",
    EVENT_CLASSES.values(),
)
_TOPICS = (
    _PREFIXES
    + """SELECT ?t (SAMPLE(?n) AS ?notation) (MIN(?l) AS ?label) WHERE {
  ?p kg:topic ?t .
  OPTIONAL { ?t skos:notation ?n } OPTIONAL { ?t skos:prefLabel ?l }
} GROUP BY ?t ORDER BY ?t"""
)
_PARTICIPATIONS = (
    _PREFIXES
    + """SELECT ?e ?part ?a ?role ?d WHERE {
  ?e kg:hasParticipation ?part . ?part kg:participant ?a .
  OPTIONAL { ?part kg:participantRole ?role } OPTIONAL { ?e prov:wasDerivedFrom ?d }
} ORDER BY ?e ?a"""
)
_POSITIONS = (
    _PREFIXES
    + """SELECT ?p ?a ?stance ?topic ?dir ?target ?d WHERE {
  ?p a kg:Position ; kg:holder ?a ; kg:topic ?topic .
  OPTIONAL { ?p kg:stance ?stance } OPTIONAL { ?p kg:direction ?dir }
  OPTIONAL { ?p kg:target ?target } OPTIONAL { ?p prov:wasDerivedFrom ?d }
} ORDER BY ?p"""
)
_MENTIONS = (
    _PREFIXES
    + """SELECT ?d ?a (COUNT(?m) AS ?n) WHERE {
  ?m a kg:Mention ; kg:refersTo ?a ; prov:wasDerivedFrom ?d .
} GROUP BY ?d ?a ORDER BY ?d ?a"""
)
_REPORTS = _with_classes(
    _PREFIXES
    + "SELECT DISTINCT ?d ?e WHERE { $CLASSES ?e a ?c ; prov:wasDerivedFrom ?d . } ORDER BY ?d ?e",
    EVENT_CLASSES.values(),
)


def _local(iri: str) -> str:
    """The last segment of an IRI (`…/stance/rejects` -> `rejects`, `…ns#Person` -> `Person`)."""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _rows(store: GraphStore, sparql: str, graph_iri: str | None) -> list[dict[str, str]]:
    if graph_iri is None:
        result = store.query(sparql)
    else:
        result = store.query(sparql, use_default_graph_as_union=False, default_graph=[graph_iri])
    if not isinstance(result, ox.QuerySolutions):  # pragma: no cover - SELECTs only
        raise QueryError("internal error: a projection query did not return solutions")
    variables = [v.value for v in result.variables]
    return [
        {name: "" if (term := row[name]) is None else term.value for name in variables}
        for row in result
    ]


def property_graph(store: GraphStore, graph_iri: str | None = None) -> PropertyGraph:
    """The property-graph projection of the whole store, or of one document's graph.

    Raises:
        NotFoundError: `graph_iri` is not in the store.
        StoreError: the store cannot be read.
    """
    if graph_iri is not None and not store.has_graph(graph_iri):
        raise NotFoundError(f"no graph {graph_iri} in the store (see `kg stats`)")

    def rows(sparql: str) -> list[dict[str, str]]:
        return _rows(store, sparql, graph_iri)

    nodes: dict[str, PgNode] = {}
    for row in rows(_ACTORS):
        nodes[row["a"]] = PgNode(
            row["a"],
            row["label"] or row["key"],
            "Actor",
            kind=_local(row["class"]) if row["class"] else "",
            key=row["key"],
        )
    for row in rows(_DOCUMENTS):
        nodes[row["d"]] = PgNode(
            row["d"], row["headline"] or row["id"], "Document", key=row["id"], date=row["date"]
        )
    for row in rows(_EVENTS):
        kind = row["kind"] or _local(row["c"])
        nodes[row["e"]] = PgNode(row["e"], kind, "Event", kind=_local(row["c"]), date=row["date"])
    for row in rows(_TOPICS):
        key = row["notation"] or _local(row["t"])
        nodes[row["t"]] = PgNode(row["t"], row["label"] or key, "Topic", key=key)

    edges: list[PgEdge] = []
    for row in rows(_PARTICIPATIONS):
        edges.append(
            PgEdge(
                row["e"],
                row["a"],
                "participation",
                role=_local(row["role"]) if row["role"] else "",
                document=row["d"],
                Id=row["part"],
            )
        )
    for row in rows(_POSITIONS):
        position = PgEdge(
            row["a"],
            row["topic"],
            "position",
            stance=_local(row["stance"]) if row["stance"] else "",
            topic=nodes[row["topic"]].key if row["topic"] in nodes else _local(row["topic"]),
            direction=_local(row["dir"]) if row["dir"] else "",
            document=row["d"],
            Id=row["p"],
        )
        edges.append(position)
        if row["target"]:
            edges.append(replace(position, Target=row["target"], Label="target"))
    for row in rows(_MENTIONS):
        edges.append(
            PgEdge(row["d"], row["a"], "mention", document=row["d"], Weight=float(row["n"]))
        )
    for row in rows(_REPORTS):
        edges.append(PgEdge(row["d"], row["e"], "reports", document=row["d"]))
    known = [e for e in edges if e.Source in nodes and e.Target in nodes]
    return PropertyGraph(nodes=list(nodes.values()), edges=known)


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
    return _csv_chunks(NODE_COLUMNS, [_record(n) for n in graph.nodes])


def csv_edges(graph: PropertyGraph) -> Iterator[bytes]:
    """edges.csv: one row per edge, columns `EDGE_COLUMNS`."""
    return _csv_chunks(EDGE_COLUMNS, [_record(e) for e in graph.edges])


def _record(item: PgNode | PgEdge) -> dict[str, object]:
    return {f.name: getattr(item, f.name) for f in fields(item)}


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


def export_chunks(
    store: GraphStore, fmt: ExportFormat, graph_iri: str | None = None
) -> Iterator[bytes]:
    """The export in `fmt`, in chunks; the store is read before the first chunk is yielded.

    Raises:
        NotFoundError: `graph_iri` is not in the store.
        StoreError: the store cannot be read.
    """
    rdf = fmt.rdf_format
    if rdf is not None:
        return rdf_chunks(store, rdf, graph_iri)
    projected = property_graph(store, graph_iri)
    if fmt is ExportFormat.GRAPHML:
        return graphml(projected)
    if fmt is ExportFormat.CSV_NODES:
        return csv_nodes(projected)
    return csv_edges(projected)


__all__ = [
    "EDGE_COLUMNS",
    "NODE_COLUMNS",
    "ExportFormat",
    "PgEdge",
    "PgNode",
    "PropertyGraph",
    "chunked",
    "csv_edges",
    "csv_nodes",
    "export_chunks",
    "graphml",
    "property_graph",
    "rdf_chunks",
    "rdf_dump",
]
