"""The read model: SPARQL over the shape of docs/rdf-model.md, turned into response models.

Each list is answered with a constant number of queries whatever the page size (a count, one
page query, and at most two batched look-ups of participants and actor names), never one query
per item. User input reaches SPARQL text only through `kg.store.terms` (`sparql_literal`,
`sparql_iri`, `values_clause`), which escape it with pyoxigraph's own term serialiser; limits and
offsets are integers validated by FastAPI.

Document-scoped reads (`GRAPH ?g`) use the article's own named graph, so the aliases of an actor
in `/events?document=x` are the surface forms seen in article x.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from api.schemas import (
    Actor,
    ActorRef,
    Document,
    DocumentDetail,
    Event,
    Evidence,
    Page,
    ParticipantRef,
    Position,
    Quote,
    Stats,
    Topic,
    TypedActorRef,
)
from kg.errors import NotFoundError, StoreError
from kg.store import GraphStore, QueryResult
from kg.store.terms import sparql_iri, sparql_literal, values_clause

KG = "https://w3id.org/newskg/ns#"
STANCE = "https://w3id.org/newskg/stance/"
DIRECTION = "https://w3id.org/newskg/direction/"
TOPIC = "https://w3id.org/newskg/topic/"
WIKIDATA = "http://www.wikidata.org/entity/"
SEP = "\x1f"
"""GROUP_CONCAT separator (unit separator): never part of a name."""

PREFIXES = """PREFIX kg: <https://w3id.org/newskg/ns#>
PREFIX schema: <https://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX sem: <http://semanticweb.cs.vu.nl/2009/11/sem/>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""

#: Event classes of the ontology -> REST event type (`skos:notation` of the class).
EVENT_TYPES: dict[str, str] = {
    "Meeting": "meeting",
    "PhoneCall": "phone_call",
    "Talks": "talks",
    "CeasefireProposal": "ceasefire_proposal",
    "Sanctions": "sanctions",
    "SanctionsThreat": "sanctions_threat",
    "Attack": "attack",
    "Resignation": "resignation",
    "Invasion": "invasion",
    "Annexation": "annexation",
    "OtherEvent": "other",
}
EVENT_CLASS_BY_TYPE = {rest: KG + cls for cls, rest in EVENT_TYPES.items()}
ACTOR_TYPES = ("Person", "Organization", "Country", "Place", "Group")

Row = dict[str, str]


# --- helpers ------------------------------------------------------------------------------------


def select(store: GraphStore, sparql: str) -> list[Row]:
    """Run a SELECT over the union of all graphs; each row maps bound variables to values."""
    results: QueryResult | None = store.query(PREFIXES + sparql)
    if not isinstance(results, ox.QuerySolutions):
        raise StoreError("internal read query did not return solutions")
    names = [v.value for v in results.variables]
    rows: list[Row] = []
    try:
        for solution in results:
            row: Row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    row[name] = term.value
            rows.append(row)
    finally:
        # pyoxigraph results are bound to this thread: never let a traceback carry one away.
        solution = results = None
    return rows


def _count(store: GraphStore, sparql: str) -> int:
    rows = select(store, sparql)
    return int(rows[0].get("n", "0")) if rows else 0


def _iris(values: Iterable[str]) -> str:
    return " ".join(sparql_iri(v) for v in values)


def _event_classes() -> str:
    return values_clause("cls", (sparql_iri(KG + cls) for cls in EVENT_TYPES))


def _actor_classes(only: str | None = None) -> str:
    types = [only] if only else list(ACTOR_TYPES)
    return (
        "VALUES (?cls ?atype) { "
        + " ".join(f"({sparql_iri(KG + t)} {sparql_literal(t)})" for t in types)
        + " }"
    )


def item_id(iri: str) -> str:
    """`http://…/id/document/demo/position/0c1d` -> `demo/position/0c1d`."""
    marker = "/id/document/"
    return iri.split(marker, 1)[1] if marker in iri else iri


def local_name(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def fold(text: str) -> str:
    """Case- and accent-insensitive form for search: 'Erdoğan' -> 'erdogan'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _split(value: str | None) -> list[str]:
    return sorted({v for v in (value or "").split(SEP) if v})


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None


def _direction(iri: str) -> str:
    name = local_name(iri)
    return "n/a" if name == "not-applicable" else name


def _evidence(row: Row) -> Evidence:
    start, end = int(row.get("start", "0")), int(row.get("end", "0"))
    return Evidence(document=row["docId"], start=start, end=end, text=row.get("exact", ""))


def _first_per(rows: list[Row], key: str) -> list[Row]:
    """Keep the first row of each `key` value, in order (optional multi-values add rows)."""
    seen: set[str] = set()
    out: list[Row] = []
    for row in rows:
        if row[key] not in seen:
            seen.add(row[key])
            out.append(row)
    return out


# --- actor references (batched) -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _ActorInfo:
    key: str
    name: str
    aliases: list[str]
    type: str | None


def _actor_infos(
    store: GraphStore, pairs: set[tuple[str, str]]
) -> dict[tuple[str, str], _ActorInfo]:
    """Names, aliases and types of actors as each (graph, actor IRI) pair describes them."""
    if not pairs:
        return {}
    values = " ".join(f"({sparql_iri(g)} {sparql_iri(a)})" for g, a in sorted(pairs))
    rows = select(
        store,
        f"""
SELECT ?g ?actor (SAMPLE(?key0) AS ?key) (SAMPLE(?name0) AS ?name) (SAMPLE(?atype0) AS ?atype)
       (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001F") AS ?aliases)
WHERE {{
  VALUES (?g ?actor) {{ {values} }}
  GRAPH ?g {{
    OPTIONAL {{ ?actor kg:actorKey ?key0 }}
    OPTIONAL {{ ?actor skos:prefLabel ?name0 }}
    OPTIONAL {{ ?actor skos:altLabel ?alias }}
    OPTIONAL {{ ?actor a ?cls . {_actor_classes()} BIND(?atype AS ?atype0) }}
  }}
}} GROUP BY ?g ?actor""",
    )
    infos: dict[tuple[str, str], _ActorInfo] = {}
    for row in rows:
        key = row.get("key") or local_name(row["actor"])
        infos[(row["g"], row["actor"])] = _ActorInfo(
            key=key,
            name=row.get("name") or key,
            aliases=_split(row.get("aliases")),
            type=row.get("atype"),
        )
    return infos


def _ref(infos: dict[tuple[str, str], _ActorInfo], graph: str, actor: str) -> ActorRef:
    info = infos.get((graph, actor))
    if info is None:
        key = local_name(actor)
        return ActorRef(id=key, name=key, aliases=[])
    return ActorRef(id=info.key, name=info.name, aliases=info.aliases)


# --- paged statements ---------------------------------------------------------------------------


def _paged(
    store: GraphStore,
    *,
    item_pattern: str,
    filters: str,
    details: str,
    detail_vars: str,
    limit: int,
    offset: int,
) -> tuple[int, list[Row]]:
    """Count and page the statements (events, positions, quotes) derived from documents.

    `item_pattern` and `filters` constrain `?item` inside its article graph `?g`; `details` are
    patterns (OPTIONALs) inside the same graph for the page's items. The order is document id,
    then evidence start and end, then item IRI.
    """
    where = f"""
    {filters}
    GRAPH ?g {{
      ?doc a kg:Document ; kg:documentId ?docId .
      ?item prov:wasDerivedFrom ?doc .
      {item_pattern}
    }}"""
    total = _count(store, f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ {where} }}")
    if total == 0 or offset >= total:
        return total, []
    rows = select(
        store,
        f"""
SELECT ?item ?g ?docId ?start ?end ?exact ?conf {detail_vars} WHERE {{
  {{
    SELECT ?item ?g ?docId (MIN(xsd:integer(?start0)) AS ?start) (MIN(xsd:integer(?end0)) AS ?end)
    WHERE {{
      {where}
      OPTIONAL {{ GRAPH ?g {{ ?item kg:evidence/oa:hasSelector ?ps . ?ps oa:start ?start0 ;
                                                                       oa:end ?end0 }} }}
    }}
    GROUP BY ?item ?g ?docId
    ORDER BY ?docId ?start ?end ?item
    LIMIT {int(limit)} OFFSET {int(offset)}
  }}
  GRAPH ?g {{
    OPTIONAL {{ ?item kg:evidence/oa:hasSelector ?qs . ?qs oa:exact ?exact }}
    OPTIONAL {{ ?item kg:confidence ?conf }}
    {details}
  }}
}} ORDER BY ?docId ?start ?end ?item""",
    )
    return total, _first_per(rows, "item")


def _document_filter(document: str | None) -> str:
    return values_clause("docId", [sparql_literal(document)]) if document is not None else ""


def _require_document(store: GraphStore, document: str | None) -> None:
    if document is not None and not document_exists(store, document):
        raise NotFoundError(f"no document with id {document!r}; list them at /documents")


def list_events(
    store: GraphStore,
    *,
    document: str | None,
    event_type: str | None,
    limit: int,
    offset: int,
) -> Page[Event]:
    _require_document(store, document)
    classes = (
        values_clause("cls", [sparql_iri(EVENT_CLASS_BY_TYPE[event_type])])
        if event_type
        else _event_classes()
    )
    total, rows = _paged(
        store,
        item_pattern=f"?item a ?cls . {classes}",
        filters=_document_filter(document),
        detail_vars="?cls ?place ?time ?date ?status",
        details=f"""
    ?item a ?cls . {_event_classes()}
    OPTIONAL {{ ?item sem:hasPlace ?place }}
    OPTIONAL {{ ?item kg:timeExpression ?time }}
    OPTIONAL {{ ?item sem:hasTimeStamp ?date }}
    OPTIONAL {{ ?item kg:status ?status }}""",
        limit=limit,
        offset=offset,
    )
    participants: dict[str, list[tuple[str, str]]] = {}
    pairs: set[tuple[str, str]] = set()
    if rows:
        items = " ".join(f"({sparql_iri(r['item'])} {sparql_iri(r['g'])})" for r in rows)
        part_rows = select(
            store,
            f"""
SELECT ?item ?actor (SAMPLE(?role0) AS ?role) WHERE {{
  VALUES (?item ?g) {{ {items} }}
  GRAPH ?g {{
    {{ ?item sem:hasActor ?actor }} UNION {{ ?item kg:hasParticipation/kg:participant ?actor }}
    OPTIONAL {{ ?item kg:hasParticipation ?p . ?p kg:participant ?actor ;
                                                 kg:participantRole ?role0 }}
  }}
}} GROUP BY ?item ?actor ORDER BY ?item ?actor""",
        )
        graph_of = {r["item"]: r["g"] for r in rows}
        for prow in part_rows:
            participants.setdefault(prow["item"], []).append(
                (prow["actor"], local_name(prow.get("role", "participant")))
            )
            pairs.add((graph_of[prow["item"]], prow["actor"]))
        pairs |= {(r["g"], r["place"]) for r in rows if "place" in r}
    infos = _actor_infos(store, pairs)
    events = []
    for row in rows:
        parts = [
            ParticipantRef(**_ref(infos, row["g"], actor).model_dump(), role=role)
            for actor, role in participants.get(row["item"], [])
        ]
        events.append(
            Event(
                id=item_id(row["item"]),
                type=EVENT_TYPES.get(local_name(row["cls"]), "other"),
                participants=parts,
                place=_ref(infos, row["g"], row["place"]) if "place" in row else None,
                time=row.get("time"),
                date=row.get("date"),
                status=local_name(row["status"]) if "status" in row else None,
                evidence=_evidence(row),
                confidence=_float(row.get("conf")),
                document=row["docId"],
                iri=row["item"],
            )
        )
    return Page[Event](items=events, total=total, limit=limit, offset=offset)


def list_positions(
    store: GraphStore,
    *,
    document: str | None,
    actor: str | None = None,
    topic: str | None = None,
    stance: str | None = None,
    limit: int,
    offset: int,
) -> Page[Position]:
    _require_document(store, document)
    pattern = ["?item a kg:Position ."]
    if actor is not None:
        pattern.append(f"?item kg:holder/kg:actorKey {sparql_literal(actor)} .")
    if stance is not None:
        pattern.append(f"?item kg:stance {sparql_iri(STANCE + stance)} .")
    if topic is not None:
        wanted = sparql_literal(topic)
        pattern.append(
            f"?item kg:topic ?t0 . FILTER(STRAFTER(STR(?t0), {sparql_literal(TOPIC)}) = {wanted}"
            f" || EXISTS {{ GRAPH ?tg {{ ?t0 skos:notation {wanted} }} }})"
        )
    total, rows = _paged(
        store,
        item_pattern="\n      ".join(pattern),
        filters=_document_filter(document),
        detail_vars="?holder ?stance ?topic ?dir ?target ?rep ?hedged",
        details="""
    ?item kg:holder ?holder .
    OPTIONAL { ?item kg:stance ?stance }
    OPTIONAL { ?item kg:topic ?topic }
    OPTIONAL { ?item kg:direction ?dir }
    OPTIONAL { ?item kg:target ?target }
    OPTIONAL { ?item kg:reportedBy ?rep }
    OPTIONAL { ?item kg:hedged ?hedged }""",
        limit=limit,
        offset=offset,
    )
    topics = _topic_labels(store, {r["topic"] for r in rows if "topic" in r})
    pairs = {(r["g"], r[k]) for r in rows for k in ("holder", "target", "rep") if k in r}
    infos = _actor_infos(store, pairs)
    positions = []
    for row in rows:
        topic_iri = row.get("topic", "")
        positions.append(
            Position(
                id=item_id(row["item"]),
                actor=_ref(infos, row["g"], row["holder"]),
                stance=local_name(row.get("stance", "")),
                topic=topics.get(topic_iri, Topic(id=local_name(topic_iri), label="")),
                direction=_direction(row.get("dir", "")),
                target=_ref(infos, row["g"], row["target"]) if "target" in row else None,
                reported_by=_ref(infos, row["g"], row["rep"]) if "rep" in row else None,
                hedged=row.get("hedged") in ("true", "1"),
                evidence=_evidence(row),
                confidence=_float(row.get("conf")),
                document=row["docId"],
                iri=row["item"],
            )
        )
    return Page[Position](items=positions, total=total, limit=limit, offset=offset)


def _topic_labels(store: GraphStore, iris: set[str]) -> dict[str, Topic]:
    """REST id (`skos:notation`, else the local name) and label of each topic, in one query."""
    if not iris:
        return {}
    rows = select(
        store,
        f"""
SELECT ?topic (SAMPLE(?n0) AS ?n) (SAMPLE(?l0) AS ?label) WHERE {{
  VALUES ?topic {{ {_iris(iris)} }}
  OPTIONAL {{ ?topic skos:notation ?n0 }}
  OPTIONAL {{ ?topic skos:prefLabel ?l0 }}
}} GROUP BY ?topic""",
    )
    out: dict[str, Topic] = {}
    for row in rows:
        topic_id = row.get("n") or local_name(row["topic"])
        out[row["topic"]] = Topic(id=topic_id, label=row.get("label") or topic_id)
    return out


def list_quotes(
    store: GraphStore,
    *,
    document: str | None,
    speaker: str | None = None,
    limit: int,
    offset: int,
) -> Page[Quote]:
    _require_document(store, document)
    pattern = "?item a kg:Quote ."
    if speaker is not None:
        pattern += f" ?item kg:speaker/kg:actorKey {sparql_literal(speaker)} ."
    total, rows = _paged(
        store,
        item_pattern=pattern,
        filters=_document_filter(document),
        detail_vars="?speaker ?text",
        details="""
    ?item kg:speaker ?speaker .
    OPTIONAL { ?item kg:quotedText ?text }""",
        limit=limit,
        offset=offset,
    )
    infos = _actor_infos(store, {(r["g"], r["speaker"]) for r in rows})
    quotes = [
        Quote(
            id=item_id(row["item"]),
            speaker=_ref(infos, row["g"], row["speaker"]),
            text=row.get("text", row.get("exact", "")),
            evidence=_evidence(row),
            confidence=_float(row.get("conf")),
            document=row["docId"],
            iri=row["item"],
        )
        for row in rows
    ]
    return Page[Quote](items=quotes, total=total, limit=limit, offset=offset)


# --- documents ----------------------------------------------------------------------------------

_DOCUMENT_FIELDS = """
    OPTIONAL { ?doc kg:fileName ?file }
    OPTIONAL { ?doc schema:headline ?title }
    OPTIONAL { ?doc schema:url ?url }
    OPTIONAL { ?doc schema:datePublished ?published }
    OPTIONAL { ?doc kg:contentHash ?hash }
    OPTIONAL { ?doc schema:author ?author . OPTIONAL { ?author skos:prefLabel ?authorName } }
    OPTIONAL { ?doc schema:publisher ?outlet . OPTIONAL { ?outlet skos:prefLabel ?outletName } }
"""
_DOCUMENT_VARS = "?doc ?g ?docId ?file ?title ?url ?published ?hash ?authorName ?outletName"


def _document(row: Row) -> Document:
    return Document(
        id=row["docId"],
        file=row.get("file"),
        title=row.get("title"),
        url=row.get("url"),
        outlet=row.get("outletName"),
        author=row.get("authorName"),
        published=row.get("published"),
        iri=row["doc"],
        content_hash=row.get("hash"),
    )


def document_exists(store: GraphStore, document: str) -> bool:
    results = store.query(
        PREFIXES + f"ASK {{ {values_clause('docId', [sparql_literal(document)])}"
        " GRAPH ?g { ?doc a kg:Document ; kg:documentId ?docId } }"
    )
    return bool(results)


def list_documents(store: GraphStore, *, limit: int, offset: int) -> Page[Document]:
    total = _count(
        store,
        "SELECT (COUNT(DISTINCT ?doc) AS ?n) WHERE { GRAPH ?g { ?doc a kg:Document ;"
        " kg:documentId ?docId } }",
    )
    rows = select(
        store,
        f"""
SELECT {_DOCUMENT_VARS} WHERE {{
  {{ SELECT ?doc ?g ?docId WHERE {{ GRAPH ?g {{ ?doc a kg:Document ; kg:documentId ?docId }} }}
     ORDER BY ?docId ?doc LIMIT {int(limit)} OFFSET {int(offset)} }}
  GRAPH ?g {{ {_DOCUMENT_FIELDS} }}
}} ORDER BY ?docId ?doc""",
    )
    items = [_document(row) for row in _first_per(rows, "doc")]
    return Page[Document](items=items, total=total, limit=limit, offset=offset)


def get_document(store: GraphStore, document: str) -> DocumentDetail:
    rows = select(
        store,
        f"""
SELECT {_DOCUMENT_VARS} WHERE {{
  {values_clause("docId", [sparql_literal(document)])}
  GRAPH ?g {{ ?doc a kg:Document ; kg:documentId ?docId . {_DOCUMENT_FIELDS} }}
}} ORDER BY ?doc""",
    )
    if not rows:
        raise NotFoundError(f"no document with id {document!r}; list them at /documents")
    actor_rows = select(
        store,
        f"""
SELECT ?actor (SAMPLE(?key0) AS ?key) (SAMPLE(?name0) AS ?name) (SAMPLE(?atype) AS ?type)
       (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001F") AS ?aliases)
WHERE {{
  VALUES ?g {{ {sparql_iri(rows[0]["g"])} }}
  GRAPH ?g {{
    ?actor a ?cls . {_actor_classes()}
    OPTIONAL {{ ?actor kg:actorKey ?key0 }}
    OPTIONAL {{ ?actor skos:prefLabel ?name0 }}
    OPTIONAL {{ ?actor skos:altLabel ?alias }}
  }}
}} GROUP BY ?actor""",
    )
    actors = [
        TypedActorRef(
            id=row.get("key") or local_name(row["actor"]),
            name=row.get("name") or row.get("key") or local_name(row["actor"]),
            aliases=_split(row.get("aliases")),
            type=row.get("type"),
        )
        for row in actor_rows
    ]
    actors.sort(key=lambda a: (fold(a.name), a.id))
    return DocumentDetail(**_document(rows[0]).model_dump(), actors=actors)


def get_document_text(store: GraphStore, document: str) -> str:
    rows = select(
        store,
        f"""SELECT ?text WHERE {{
  {values_clause("docId", [sparql_literal(document)])}
  GRAPH ?g {{ ?doc a kg:Document ; kg:documentId ?docId ; kg:text ?text }}
}} LIMIT 1""",
    )
    if not rows:
        if document_exists(store, document):
            raise NotFoundError(f"the document {document!r} has no stored text")
        raise NotFoundError(f"no document with id {document!r}; list them at /documents")
    return rows[0]["text"]


# --- actors -------------------------------------------------------------------------------------


def _actor_rows(store: GraphStore, *, key: str | None, actor_type: str | None) -> list[Row]:
    """Every actor typed in an article graph (or one, by key), grouped over the articles."""
    key_filter = f"?actor kg:actorKey {sparql_literal(key)} ." if key is not None else ""
    return select(
        store,
        f"""
SELECT ?actor (SAMPLE(?key0) AS ?key) (MIN(?name0) AS ?name) (SAMPLE(?atype) AS ?type)
       (GROUP_CONCAT(DISTINCT ?alias; separator="\\u001F") AS ?aliases)
       (GROUP_CONCAT(DISTINCT ?docId; separator="\\u001F") AS ?docs)
       (SAMPLE(?wd0) AS ?wd)
WHERE {{
  GRAPH ?g {{
    ?doc a kg:Document ; kg:documentId ?docId .
    ?actor a ?cls . {_actor_classes(actor_type)}
    {key_filter}
    OPTIONAL {{ ?actor kg:actorKey ?key0 }}
    OPTIONAL {{ ?actor skos:prefLabel ?name0 }}
    OPTIONAL {{ ?actor skos:altLabel ?alias }}
  }}
  OPTIONAL {{ ?actor owl:sameAs ?wd0 FILTER(STRSTARTS(STR(?wd0), {sparql_literal(WIKIDATA)})) }}
}} GROUP BY ?actor""",
    )


def _actor(row: Row, roles: list[str] | None = None) -> Actor:
    key = row.get("key") or local_name(row["actor"])
    return Actor(
        id=key,
        name=row.get("name") or key,
        aliases=_split(row.get("aliases")),
        type=row.get("type"),
        iri=row["actor"],
        wikidata=row.get("wd"),
        roles=roles or [],
        documents=_split(row.get("docs")),
    )


def list_actors(
    store: GraphStore, *, q: str | None, actor_type: str | None, limit: int, offset: int
) -> Page[Actor]:
    """Actors named in the articles, by name; `q` matches name, aliases or id, ignoring case
    and accents (done in Python: SPARQL has no accent folding)."""
    actors = [_actor(row) for row in _actor_rows(store, key=None, actor_type=actor_type)]
    if q:
        needle = fold(q.strip())
        actors = [a for a in actors if any(needle in fold(t) for t in (a.name, a.id, *a.aliases))]
    actors.sort(key=lambda a: (fold(a.name), a.id))
    page = actors[offset : offset + limit]
    return Page[Actor](items=page, total=len(actors), limit=limit, offset=offset)


def get_actor(store: GraphStore, key: str) -> Actor:
    rows = _actor_rows(store, key=key, actor_type=None)
    if not rows:
        raise NotFoundError(f"no actor with id {key!r}; search them at /actors?q=")
    role_rows = select(
        store,
        f"""SELECT DISTINCT ?label WHERE {{
  {values_clause("actor", [sparql_iri(rows[0]["actor"])])}
  ?role kg:roleOf ?actor ; rdfs:label ?label .
}} ORDER BY ?label""",
    )
    return _actor(rows[0], roles=[r["label"] for r in role_rows])


def actor_exists(store: GraphStore, key: str) -> bool:
    return bool(
        store.query(
            PREFIXES
            + "ASK { GRAPH ?g { ?doc a kg:Document . ?actor kg:actorKey "
            + sparql_literal(key)
            + " } }"
        )
    )


# --- figures ------------------------------------------------------------------------------------


def stats(store: GraphStore) -> Stats:
    rows = select(
        store,
        f"""
SELECT ?documents ?actors ?events ?positions ?quotes WHERE {{
  {{ SELECT (COUNT(DISTINCT ?d) AS ?documents) WHERE {{ GRAPH ?g {{ ?d a kg:Document }} }} }}
  {{ SELECT (COUNT(DISTINCT ?a) AS ?actors) WHERE {{
      GRAPH ?g {{ ?d a kg:Document . ?a a ?cls . {_actor_classes()} }} }} }}
  {{ SELECT (COUNT(DISTINCT ?e) AS ?events) WHERE {{
      GRAPH ?g {{ ?d a kg:Document . ?e prov:wasDerivedFrom ?d ; a ?cls . {_event_classes()} }}
  }} }}
  {{ SELECT (COUNT(DISTINCT ?p) AS ?positions) WHERE {{ GRAPH ?g {{ ?p a kg:Position }} }} }}
  {{ SELECT (COUNT(DISTINCT ?q) AS ?quotes) WHERE {{ GRAPH ?g {{ ?q a kg:Quote }} }} }}
}}""",
    )
    row = rows[0] if rows else {}
    figures = store.stats()
    return Stats(
        documents=int(row.get("documents", "0")),
        actors=int(row.get("actors", "0")),
        events=int(row.get("events", "0")),
        positions=int(row.get("positions", "0")),
        quotes=int(row.get("quotes", "0")),
        graphs=figures.graphs,
        triples=figures.triples,
    )
