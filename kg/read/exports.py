"""The reads of the exports: the property-graph projection of the store (nodes and directed
edges for Gephi, GraphML and Neo4j; `kg.exports` writes it out and its docstring draws the model)
and the union of all graphs for the RDF formats without named graphs.

Each read is a handful of SELECTs over the union graph, or over one article graph and the actor
registry beside it; take them inside one `store.snapshot()` for a consistent projection.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

import pyoxigraph as ox

from kg import vocab
from kg.errors import NotFoundError, QueryError
from kg.mapping import ACTOR_CLASSES, EVENT_CLASSES
from kg.store.base import GraphStore
from kg.store.terms import sparql_iri

__all__ = [
    "UNION_CONSTRUCT",
    "PgEdge",
    "PgNode",
    "PropertyGraph",
    "local_name",
    "property_graph",
    "union_triples",
]

#: Every triple of every named graph (the union), for the formats without named graphs.
UNION_CONSTRUCT = "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"


def union_triples(store: GraphStore) -> ox.QueryTriples:
    """The union of all named graphs, as triples to serialise in this thread.

    Raises:
        StoreError: the store cannot be read.
    """
    union = store.query(UNION_CONSTRUCT)
    if not isinstance(union, ox.QueryTriples):  # pragma: no cover - a CONSTRUCT
        raise QueryError("internal error: CONSTRUCT did not return triples")
    return union


@dataclass(frozen=True, slots=True)
class PgNode:
    """A node of the projection; `aliases` and `wikidata` only go into the Neo4j files."""

    Id: str
    Label: str
    type: str
    kind: str = ""
    key: str = ""
    date: str = ""
    aliases: tuple[str, ...] = ()
    wikidata: str = ""


@dataclass(frozen=True, slots=True)
class PgEdge:
    """A directed edge; `confidence` (of a position) only goes into the Neo4j files."""

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
    confidence: float | None = None


@dataclass(frozen=True, slots=True)
class PropertyGraph:
    nodes: list[PgNode]
    edges: list[PgEdge]


_PREFIXES = vocab.sparql_prefixes("kg", "skos", "schema", "prov", "sem")


def _with_classes(sparql: str, classes: Iterable[object]) -> str:
    """`sparql` with `$CLASSES` replaced by `VALUES ?c { … }` of the given class IRIs."""
    values = "VALUES ?c { " + " ".join(sparql_iri(str(c)) for c in classes) + " }"
    return sparql.replace("$CLASSES", values)


# Actors are read property by property (DISTINCT), not in one OPTIONAL join: an actor described
# in n article graphs would give n^k rows in the union graph.
_ACTOR_KEYS = _PREFIXES + "SELECT DISTINCT ?a ?k WHERE { ?a kg:actorKey ?k } ORDER BY ?a ?k"
_ACTOR_LABELS = (
    _PREFIXES
    + "SELECT DISTINCT ?a ?l WHERE { ?a skos:prefLabel ?l FILTER EXISTS { ?a kg:actorKey [] } }"
)
_ACTOR_ALIASES = (
    _PREFIXES
    + "SELECT DISTINCT ?a ?l WHERE { ?a skos:altLabel ?l FILTER EXISTS { ?a kg:actorKey [] } }"
)
_ACTOR_WIKIDATA = (
    _PREFIXES
    + "PREFIX owl: <http://www.w3.org/2002/07/owl#>\n"
    + "SELECT DISTINCT ?a ?wd WHERE { ?a owl:sameAs ?wd FILTER EXISTS { ?a kg:actorKey [] } }"
)
_ACTOR_CLASSES = _with_classes(
    _PREFIXES + "SELECT DISTINCT ?a ?c WHERE { $CLASSES ?a a ?c }", ACTOR_CLASSES.values()
)
# The actors of the articles: those a statement derived from a document points at (mention,
# position, participation, quote, role…), or a document's author or publisher. The gazetteer's
# entries are not: its own IRIs (https://w3id.org/newskg/actor/…) are only described.
_ACTORS_SEEN = (
    _PREFIXES
    + """SELECT DISTINCT ?a WHERE {
  ?a kg:actorKey [] .
  { ?x ?p ?a . ?x prov:wasDerivedFrom [] } UNION { [] schema:author|schema:publisher ?a }
}"""
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
    + """SELECT ?p ?a ?stance ?topic ?dir ?target ?d ?conf WHERE {
  ?p a kg:Position ; kg:holder ?a ; kg:topic ?topic .
  OPTIONAL { ?p kg:stance ?stance } OPTIONAL { ?p kg:direction ?dir }
  OPTIONAL { ?p kg:confidence ?conf }
  OPTIONAL { ?p kg:target ?target } OPTIONAL { ?p prov:wasDerivedFrom ?d }
} ORDER BY ?p"""
)
_MENTIONS = (
    _PREFIXES
    + """SELECT ?d ?a (COUNT(?m) AS ?n) WHERE {
  ?m a kg:Mention ; kg:refersTo ?a ; prov:wasDerivedFrom ?d .
} GROUP BY ?d ?a ORDER BY ?d ?a"""
)
_BYLINES = (
    _PREFIXES
    + """SELECT DISTINCT ?d ?rel ?a WHERE {
  VALUES ?rel { schema:author schema:publisher } ?d a kg:Document ; ?rel ?a .
} ORDER BY ?d ?rel ?a"""
)
_REPORTS = _with_classes(
    _PREFIXES
    + "SELECT DISTINCT ?d ?e WHERE { $CLASSES ?e a ?c ; prov:wasDerivedFrom ?d . } ORDER BY ?d ?e",
    EVENT_CLASSES.values(),
)


def local_name(iri: str) -> str:
    """The last segment of an IRI (`…/stance/rejects` -> `rejects`, `…ns#Person` -> `Person`)."""
    return iri.rstrip("/").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _registry_of(graph_iri: str) -> str:
    """The actor registry beside an article graph: `{base}graph/{id}` -> `{base}graph/actors`
    (`kg.iris.Iris.registry_graph`); it describes the actors the article only names."""
    return graph_iri.rsplit("/", 1)[0] + "/actors"


def _rows(store: GraphStore, sparql: str, graph_iri: str | None) -> list[dict[str, str]]:
    if graph_iri is None:
        result = store.query(sparql)
    else:
        result = store.query(
            sparql,
            use_default_graph_as_union=False,
            default_graph=[graph_iri, _registry_of(graph_iri)],
        )
    if not isinstance(result, ox.QuerySolutions):  # pragma: no cover - SELECTs only
        raise QueryError("internal error: a projection query did not return solutions")
    variables = [v.value for v in result.variables]
    return [
        {name: "" if (term := row[name]) is None else term.value for name in variables}
        for row in result
    ]


def _actor_nodes(
    rows: Callable[[str], list[dict[str, str]]], with_gazetteer: bool
) -> tuple[dict[str, PgNode], dict[str, str]]:
    """One node per actor key, and the node id of every actor IRI read.

    The same actor can have several IRIs: the article IRI (`{base}id/actor/{key}`) and the
    gazetteer's (`https://w3id.org/newskg/actor/{key}`), or the IRIs of several base IRIs in one
    store. They share the key, so they become one node, whose id is an article IRI when there is
    one. Gazetteer entries no article refers to are left out unless `with_gazetteer`.
    """
    key_of = {row["a"]: row["k"] for row in rows(_ACTOR_KEYS)}
    seen = {row["a"] for row in rows(_ACTORS_SEEN)}
    labels: dict[str, set[str]] = defaultdict(set)
    aliases: dict[str, set[str]] = defaultdict(set)
    wikidata: dict[str, set[str]] = defaultdict(set)
    classes: dict[str, set[str]] = defaultdict(set)
    for sparql, table, column in (
        (_ACTOR_LABELS, labels, "l"),
        (_ACTOR_ALIASES, aliases, "l"),
        (_ACTOR_WIKIDATA, wikidata, "wd"),
        (_ACTOR_CLASSES, classes, "c"),
    ):
        for row in rows(sparql):
            table[row["a"]].add(row[column])
    by_key: dict[str, list[str]] = defaultdict(list)
    for iri, key in sorted(key_of.items()):
        by_key[key].append(iri)
    nodes: dict[str, PgNode] = {}
    node_of: dict[str, str] = {}
    for key, iris in by_key.items():
        own = [iri for iri in iris if iri in seen]
        if not own and not with_gazetteer:
            continue
        used = iris if with_gazetteer else own
        first = own or iris  # the article's description wins over the gazetteer's
        label = min((lbl for iri in first for lbl in labels[iri]), default=key)
        kinds = sorted(local_name(c) for iri in first for c in classes[iri])
        node = PgNode(
            first[0],
            label,
            "Actor",
            kind=kinds[0] if kinds else "",
            key=key,
            aliases=tuple(sorted({a for iri in used for a in aliases[iri]} - {label, ""})),
            wikidata=min((wd for iri in used for wd in wikidata[iri]), default=""),
        )
        nodes[node.Id] = node
        node_of.update(dict.fromkeys(iris, node.Id))
    return nodes, node_of


def property_graph(
    store: GraphStore, graph_iri: str | None = None, *, with_gazetteer: bool = False
) -> PropertyGraph:
    """The property-graph projection of the whole store, or of one document's graph.

    Args:
        store: the store to read.
        graph_iri: only this named graph (a document's); None: every graph.
        with_gazetteer: also the gazetteer's actors that no article refers to.

    Raises:
        NotFoundError: `graph_iri` is not in the store.
        StoreError: the store cannot be read.
    """
    if graph_iri is not None and not store.has_graph(graph_iri):
        raise NotFoundError(f"no graph {graph_iri} in the store (see `kg stats`)")

    def rows(sparql: str) -> list[dict[str, str]]:
        return _rows(store, sparql, graph_iri)

    nodes, node_of = _actor_nodes(rows, with_gazetteer)

    def actor(iri: str) -> str:
        return node_of.get(iri, iri)

    for row in rows(_DOCUMENTS):
        nodes[row["d"]] = PgNode(
            row["d"], row["headline"] or row["id"], "Document", key=row["id"], date=row["date"]
        )
    for row in rows(_EVENTS):
        kind = row["kind"] or local_name(row["c"])
        nodes[row["e"]] = PgNode(
            row["e"], kind, "Event", kind=local_name(row["c"]), date=row["date"]
        )
    for row in rows(_TOPICS):
        key = row["notation"] or local_name(row["t"])
        nodes[row["t"]] = PgNode(row["t"], row["label"] or key, "Topic", key=key)

    edges: list[PgEdge] = []
    for row in rows(_PARTICIPATIONS):
        edges.append(
            PgEdge(
                row["e"],
                actor(row["a"]),
                "participation",
                role=local_name(row["role"]) if row["role"] else "",
                document=row["d"],
                Id=row["part"],
            )
        )
    for row in rows(_POSITIONS):
        position = PgEdge(
            actor(row["a"]),
            row["topic"],
            "position",
            stance=local_name(row["stance"]) if row["stance"] else "",
            topic=nodes[row["topic"]].key if row["topic"] in nodes else local_name(row["topic"]),
            direction=local_name(row["dir"]) if row["dir"] else "",
            document=row["d"],
            Id=row["p"],
            confidence=float(row["conf"]) if row["conf"] else None,
        )
        edges.append(position)
        if row["target"]:
            edges.append(replace(position, Target=actor(row["target"]), Label="target"))
    for row in rows(_MENTIONS):
        edges.append(
            PgEdge(row["d"], actor(row["a"]), "mention", document=row["d"], Weight=float(row["n"]))
        )
    for row in rows(_REPORTS):
        edges.append(PgEdge(row["d"], row["e"], "reports", document=row["d"]))
    for row in rows(_BYLINES):
        edges.append(PgEdge(row["d"], actor(row["a"]), local_name(row["rel"]), document=row["d"]))
    known = [e for e in edges if e.Source in nodes and e.Target in nodes]
    return PropertyGraph(nodes=list(nodes.values()), edges=known)
