"""Aggregate read models: topics, who stands where on a topic, actor networks, stance matrix.

Same rules as `api.queries`: a constant number of SPARQL queries per request whatever the data
size (each aggregate reads every statement it needs in one query and counts in Python), user
input reaches SPARQL text only through `kg.store.terms`, and there is no `OPTIONAL` under a
variable `GRAPH ?g`: a statement's properties come back as one UNION branch each.

Actors are merged across articles by `kg:actorKey` (each article graph describes its actors
itself); a merged actor's name is the first of its names in sort order, as in `/actors`.
Only article graphs (those holding a `kg:Document`) count: the ontology and the actor registry
describe actors and topics but hold no statements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from api.queries import (
    _EVIDENCE_PROPS,
    EVENT_TYPES,
    KG,
    _actor_infos,
    _ActorInfo,
    _direction,
    _Doc,
    _documents,
    _iris,
    _Item,
    _one,
    _props,
    _props_in,
    _ref,
    fold,
    item_id,
    local_name,
    select,
)
from api.schemas import (
    ActorNetwork,
    ActorPositions,
    ActorSummary,
    MatrixActor,
    MatrixCell,
    MatrixTopic,
    Network,
    NetworkEdge,
    NetworkLink,
    NetworkNode,
    Page,
    Position,
    StanceGroup,
    StanceMatrix,
    Topic,
    TopicDetail,
    TopicPositions,
    TopicSummary,
)
from kg.errors import InputError, NotFoundError
from kg.store import GraphStore
from kg.store.terms import sparql_iri, sparql_literal, values_clause

TOPIC_SCHEME = "https://w3id.org/newskg/topic/scheme"

Pair = tuple[str, str]
"""(article graph IRI, node IRI)."""


# --- topics -------------------------------------------------------------------------------------

_CONCEPT_PROPS = {
    "n": "skos:notation",
    "label": "skos:prefLabel",
    "alt": "skos:altLabel",
    "broader": "skos:broader",
    "narrower": "skos:narrower",
    "definition": "skos:definition",
    "comment": "rdfs:comment",
}


@dataclass(slots=True)
class _Concept:
    iri: str
    id: str
    label: str
    alt_labels: list[str]
    broader: str | None
    narrower: set[str]
    definition: str | None


def _concepts(store: GraphStore) -> dict[str, _Concept]:
    """The concepts of the topic scheme by IRI, read in one query (a few dozen concepts)."""
    branches = " UNION ".join(
        f"{{ ?s {path} ?v BIND({sparql_literal(name)} AS ?k) }}"
        for name, path in _CONCEPT_PROPS.items()
    )
    rows = select(
        store,
        f"""SELECT DISTINCT ?s ?k ?v WHERE {{
  {{ ?s skos:inScheme {sparql_iri(TOPIC_SCHEME)} }}
  UNION {{ ?s skos:topConceptOf {sparql_iri(TOPIC_SCHEME)} }}
  {branches}
}}""",
    )
    values: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        values[row["s"]][row["k"]].append(row["v"])
    concepts: dict[str, _Concept] = {}
    for iri, v in values.items():
        for found in v.values():
            found.sort()
        topic_id = _one(v, "n") or local_name(iri)
        concepts[iri] = _Concept(
            iri=iri,
            id=topic_id,
            label=_one(v, "label") or topic_id,
            alt_labels=sorted(set(v.get("alt", []))),
            broader=_one(v, "broader"),
            narrower=set(v.get("narrower", [])),
            definition=_one(v, "definition") or _one(v, "comment"),
        )
    for concept in concepts.values():  # skos:broader and skos:narrower are inverses
        if concept.broader in concepts:
            concepts[concept.broader].narrower.add(concept.iri)
    for concept in concepts.values():
        for narrower in concept.narrower:
            if narrower in concepts and concepts[narrower].broader is None:
                concepts[narrower].broader = concept.iri
    return concepts


def _find_concept(concepts: dict[str, _Concept], topic_id: str) -> _Concept:
    for concept in concepts.values():
        if concept.id == topic_id:
            return concept
    raise NotFoundError(f"no topic with id {topic_id!r}; list them at /topics")


def _summary(
    concept: _Concept, concepts: dict[str, _Concept], positions: int, actors: int
) -> TopicSummary:
    broader = concepts.get(concept.broader or "")
    return TopicSummary(
        id=concept.id,
        label=concept.label,
        iri=concept.iri,
        broader=broader.id if broader else None,
        definition=concept.definition,
        positions=positions,
        actors=actors,
    )


def _topic_use(store: GraphStore) -> tuple[dict[str, int], dict[str, set[str]]]:
    """Per topic IRI: positions in the article graphs, and the keys of their holders."""
    articles = {d.graph for d in _documents(store)}
    rows = select(
        store,
        """SELECT ?g ?t ?h (COUNT(DISTINCT ?p) AS ?n) WHERE {
  GRAPH ?g { ?p a kg:Position ; kg:topic ?t ; kg:holder ?h }
} GROUP BY ?g ?t ?h""",
    )
    rows = [r for r in rows if r["g"] in articles]
    keys = _keys(store, {(r["g"], r["h"]) for r in rows})
    positions: dict[str, int] = defaultdict(int)
    holders: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        positions[row["t"]] += int(row["n"])
        holders[row["t"]].add(keys[(row["g"], row["h"])])
    return positions, holders


def _keys(store: GraphStore, pairs: set[Pair]) -> dict[Pair, str]:
    """The `kg:actorKey` of each (graph, actor) pair, read in that graph (one query)."""
    found = _props_in(store, pairs, {"key": "kg:actorKey"})
    return {pair: _one(found.get(pair, {}), "key") or local_name(pair[1]) for pair in pairs}


def list_topics(
    store: GraphStore, *, q: str | None, used: bool | None, limit: int, offset: int
) -> Page[TopicSummary]:
    """Every topic of the scheme with its use, by label; `q` matches id, label or an altLabel
    ignoring case and accents; `used=True` keeps topics with positions, `False` those without."""
    concepts = _concepts(store)
    positions, holders = _topic_use(store)
    chosen = list(concepts.values())
    if q:
        needle = fold(q.strip())
        chosen = [
            c for c in chosen if any(needle in fold(t) for t in (c.id, c.label, *c.alt_labels))
        ]
    if used is not None:
        chosen = [c for c in chosen if (positions.get(c.iri, 0) > 0) == used]
    chosen.sort(key=lambda c: (fold(c.label), c.id))
    items = [
        _summary(c, concepts, positions.get(c.iri, 0), len(holders.get(c.iri, ())))
        for c in chosen[offset : offset + limit]
    ]
    return Page[TopicSummary](items=items, total=len(chosen), limit=limit, offset=offset)


def get_topic(store: GraphStore, topic_id: str) -> TopicDetail:
    """One topic with its narrower topics and alternative labels.

    Raises:
        NotFoundError: no concept of the scheme has this id.
    """
    concepts = _concepts(store)
    concept = _find_concept(concepts, topic_id)
    positions, holders = _topic_use(store)
    summary = _summary(
        concept, concepts, positions.get(concept.iri, 0), len(holders.get(concept.iri, ()))
    )
    narrower = sorted(concepts[n].id for n in concept.narrower if n in concepts)
    return TopicDetail(**summary.model_dump(), narrower=narrower, alt_labels=concept.alt_labels)


# --- statements read in bulk --------------------------------------------------------------------

_FACT_PROPS = {
    "holder": "kg:holder",
    "stance": "kg:stance",
    "topic": "kg:topic",
    "dir": "kg:direction",
    "target": "kg:target",
    "rep": "kg:reportedBy",
    "hedged": "kg:hedged",
}


@dataclass(frozen=True, slots=True)
class _Fact:
    """A position as read in bulk: IRIs of its parts, no evidence yet."""

    iri: str
    doc: _Doc
    holder: str
    stance: str
    topic: str
    direction: str
    target: str | None
    reported_by: str | None
    hedged: bool


def _graph_filter(docs: list[_Doc], document: str | None) -> str:
    """`VALUES ?g` for one document; all graphs otherwise (rows are then filtered in Python:
    a long VALUES list in front of `GRAPH ?g` makes oxigraph scan once per graph)."""
    return values_clause("g", [sparql_iri(d.graph) for d in docs]) if document else ""


def _facts(
    store: GraphStore,
    docs: list[_Doc],
    *,
    document: str | None = None,
    topics: Iterable[str] | None = None,
) -> list[_Fact]:
    """The positions of the articles `docs` (on `topics` if given), in one query."""
    topic_filter = ""
    if topics is not None:
        wanted = sorted(set(topics))
        if not wanted:
            return []
        topic_filter = f"?s kg:topic ?tf . VALUES ?tf {{ {_iris(wanted)} }}"
    branches = " UNION ".join(
        f"{{ ?s {path} ?v BIND({sparql_literal(name)} AS ?k) }}"
        for name, path in _FACT_PROPS.items()
    )
    rows = select(
        store,
        f"""SELECT ?g ?s ?k ?v WHERE {{
  {_graph_filter(docs, document)}
  GRAPH ?g {{ {topic_filter} ?s a kg:Position . {branches} }}
}}""",
    )
    doc_of = {d.graph: d for d in docs}
    values: dict[Pair, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row["g"] in doc_of:
            values[(row["g"], row["s"])][row["k"]].append(row["v"])
    facts = []
    for (graph, iri), v in sorted(values.items()):
        for found in v.values():
            found.sort()
        holder, stance, topic = _one(v, "holder"), _one(v, "stance"), _one(v, "topic")
        if holder is None or stance is None or topic is None:
            continue  # not a complete position (the SHACL gate lets none through)
        facts.append(
            _Fact(
                iri=iri,
                doc=doc_of[graph],
                holder=holder,
                stance=local_name(stance),
                topic=topic,
                direction=_direction(_one(v, "dir") or ""),
                target=_one(v, "target"),
                reported_by=_one(v, "rep"),
                hedged=_one(v, "hedged") in ("true", "1"),
            )
        )
    return facts


class _Directory:
    """Actors of (graph, IRI) pairs, merged by key: one query for any number of pairs."""

    def __init__(self, store: GraphStore, pairs: set[Pair]) -> None:
        self.infos: dict[Pair, _ActorInfo] = _actor_infos(store, pairs) if pairs else {}
        merged: dict[str, list[tuple[Pair, _ActorInfo]]] = defaultdict(list)
        for pair, info in self.infos.items():
            merged[info.key].append((pair, info))
        self.actors: dict[str, ActorSummary] = {}
        for key, found in merged.items():
            types = sorted({i.type for _, i in found if i.type})
            self.actors[key] = ActorSummary(
                id=key,
                name=min(i.name for _, i in found),
                aliases=sorted({a for _, i in found for a in i.aliases}),
                type=types[0] if types else None,
                iri=min(p[1] for p, _ in found),
            )

    def key(self, graph: str, actor: str) -> str:
        info = self.infos.get((graph, actor))
        return info.key if info else local_name(actor)

    def actor(self, key: str) -> ActorSummary:
        return self.actors.get(key) or ActorSummary(
            id=key, name=key, aliases=[], type=None, iri=key
        )


def _sort_name(actor: ActorSummary) -> tuple[str, str]:
    return fold(actor.name), actor.id


def _positions(
    store: GraphStore,
    facts: list[_Fact],
    directory: _Directory,
    topics: dict[str, Topic],
) -> dict[str, Position]:
    """Full `Position` items (as /positions gives them) for `facts`: one query for evidence.

    `directory` must know the holder, target and source pairs of the facts.
    """
    evidence = _props(store, (f.iri for f in facts), _EVIDENCE_PROPS)
    out: dict[str, Position] = {}
    for fact in facts:
        item = _Item(iri=fact.iri, doc=fact.doc, values=evidence.get(fact.iri, {}))
        g = fact.doc.graph
        infos = directory.infos
        out[fact.iri] = Position(
            id=item_id(fact.iri),
            actor=_ref(infos, g, fact.holder),
            stance=fact.stance,
            topic=topics.get(fact.topic, Topic(id=local_name(fact.topic), label="")),
            direction=fact.direction,
            target=_ref(infos, g, fact.target) if fact.target else None,
            reported_by=_ref(infos, g, fact.reported_by) if fact.reported_by else None,
            hedged=fact.hedged,
            evidence=item.evidence,
            confidence=item.confidence,
            document=fact.doc.id,
            iri=fact.iri,
        )
    return out


def _in_dates(
    store: GraphStore, docs: list[_Doc], date_from: dt.date | None, date_to: dt.date | None
) -> list[_Doc]:
    """The documents published within [date_from, date_to]; undated ones drop out of a range.

    Raises:
        InputError: `date_to` is before `date_from`.
    """
    if date_from is None and date_to is None:
        return docs
    if date_from is not None and date_to is not None and date_to < date_from:
        message = f"{date_to.isoformat()} is before from={date_from.isoformat()}"
        raise InputError(f"to: {message}", errors=[{"parameter": "to", "message": message}])
    published = _props_in(store, [(d.graph, d.iri) for d in docs], {"date": "schema:datePublished"})
    kept = []
    for doc in docs:
        value = _one(published.get((doc.graph, doc.iri), {}), "date")
        try:
            day = dt.date.fromisoformat(value[:10]) if value else None
        except ValueError:
            day = None
        if day is None:
            continue
        if (date_from is None or day >= date_from) and (date_to is None or day <= date_to):
            kept.append(doc)
    return kept


def _stance_order(group: StanceGroup) -> tuple[int, str, str]:
    return -group.count, group.stance, group.direction


def topic_positions(
    store: GraphStore,
    topic_id: str,
    *,
    stance: str | None = None,
    direction: str | None = None,
    actor_type: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    per_actor: int = 100,
) -> TopicPositions:
    """Who stands where on a topic: positions grouped by (stance, direction), then by holder.

    Groups come by count (descending), then stance and direction; holders by count, then name;
    a holder's positions in document then evidence order, at most `per_actor` of them (its
    `count` is always complete). The topic's own counts ignore the filters.

    Raises:
        NotFoundError: no concept of the scheme has this id.
        InputError: `date_to` is before `date_from`.
    """
    concepts = _concepts(store)
    concept = _find_concept(concepts, topic_id)
    docs = _documents(store)
    facts = _facts(store, docs, topics=[concept.iri])
    pairs = {(f.doc.graph, a) for f in facts for a in (f.holder, f.target, f.reported_by) if a}
    directory = _Directory(store, pairs)
    holder_keys = {directory.key(f.doc.graph, f.holder) for f in facts}
    summary = _summary(concept, concepts, len(facts), len(holder_keys))

    in_range = {d.id for d in _in_dates(store, docs, date_from, date_to)}
    chosen = [
        f
        for f in facts
        if (stance is None or f.stance == stance)
        and (direction is None or f.direction == direction)
        and (
            actor_type is None
            or directory.actor(directory.key(f.doc.graph, f.holder)).type == actor_type
        )
        and f.doc.id in in_range
    ]
    topics = {concept.iri: Topic(id=concept.id, label=concept.label)}
    positions = sorted(_positions(store, chosen, directory, topics).values(), key=_position_order)
    grouped: dict[tuple[str, str], dict[str, list[Position]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for position in positions:
        grouped[(position.stance, position.direction)][position.actor.id].append(position)

    groups = []
    for (group_stance, group_direction), by_actor in grouped.items():
        actors = [
            ActorPositions(
                actor=directory.actor(key), count=len(found), positions=found[:per_actor]
            )
            for key, found in by_actor.items()
        ]
        actors.sort(key=lambda a: (-a.count, *_sort_name(a.actor)))
        groups.append(
            StanceGroup(
                stance=group_stance,
                direction=group_direction,
                count=sum(a.count for a in actors),
                actors=actors,
            )
        )
    groups.sort(key=_stance_order)
    return TopicPositions(topic=summary, total=len(chosen), groups=groups)


def _position_order(position: Position) -> tuple[str, int, int, str]:
    return position.document, position.evidence.start, position.evidence.end, position.iri


# --- networks -----------------------------------------------------------------------------------

_PARTICIPANT = "sem:hasActor|kg:hasParticipation/kg:participant"


@dataclass(slots=True)
class _Link:
    """What links two actor keys: shared events and positions, as (graph, IRI) pairs."""

    events: set[Pair] = field(default_factory=set)
    positions: set[Pair] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)

    @property
    def weight(self) -> int:
        return len(self.events) + len(self.positions)


def _me_values(me: set[Pair] | None) -> str:
    if me is None:
        return ""
    return (
        "VALUES (?g ?me) { " + " ".join(f"({sparql_iri(g)} {sparql_iri(a)})" for g, a in me) + " }"
    )


def _event_rows(
    store: GraphStore, docs: list[_Doc], document: str | None, me: set[Pair] | None
) -> list[dict[str, str]]:
    """(graph, event, participant) rows of all events, or only of those `me` took part in."""
    classes = values_clause("cls", (sparql_iri(KG + cls) for cls in EVENT_TYPES))
    mine = f"?e {_PARTICIPANT} ?me ." if me is not None else ""
    return select(
        store,
        f"""SELECT DISTINCT ?g ?e ?a WHERE {{
  {_me_values(me) or _graph_filter(docs, document)}
  GRAPH ?g {{ {mine} ?e a ?cls . {classes} ?e {_PARTICIPANT} ?a . }}
}}""",
    )


def _position_rows(
    store: GraphStore, docs: list[_Doc], document: str | None, me: set[Pair] | None
) -> list[dict[str, str]]:
    """(graph, position, role, actor) rows for holders, targets and sources of positions."""
    mine = (
        "{ ?p kg:holder ?me } UNION { ?p kg:target ?me } UNION { ?p kg:reportedBy ?me }"
        if me is not None
        else ""
    )
    return select(
        store,
        f"""SELECT DISTINCT ?g ?p ?k ?a WHERE {{
  {_me_values(me) or _graph_filter(docs, document)}
  GRAPH ?g {{
    {mine} ?p a kg:Position .
    {{ ?p kg:holder ?a BIND("holder" AS ?k) }}
    UNION {{ ?p kg:target ?a BIND("other" AS ?k) }}
    UNION {{ ?p kg:reportedBy ?a BIND("other" AS ?k) }}
  }}
}}""",
    )


def _links(
    store: GraphStore, docs: list[_Doc], document: str | None, me: set[Pair] | None = None
) -> tuple[dict[tuple[str, str], _Link], _Directory]:
    """Undirected links between actor keys (key pairs in order), and the actors they join.

    Events link every two of their participants (the place is not a participant); a position
    links its holder with its target and with its source (`kg:reportedBy`). Three queries.
    """
    doc_of = {d.graph: d for d in docs}
    event_rows = [r for r in _event_rows(store, docs, document, me) if r["g"] in doc_of]
    position_rows = [r for r in _position_rows(store, docs, document, me) if r["g"] in doc_of]
    pairs = {(r["g"], r["a"]) for r in (*event_rows, *position_rows)}
    directory = _Directory(store, pairs)
    links: dict[tuple[str, str], _Link] = defaultdict(_Link)

    participants: dict[Pair, set[str]] = defaultdict(set)
    for row in event_rows:
        participants[(row["g"], row["e"])].add(directory.key(row["g"], row["a"]))
    for (graph, event), keys in participants.items():
        ordered = sorted(keys)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                link = links[(a, b)]
                link.events.add((graph, event))
                link.documents.add(doc_of[graph].id)

    holders: dict[Pair, set[str]] = defaultdict(set)
    others: dict[Pair, set[str]] = defaultdict(set)
    for row in position_rows:
        found = holders if row["k"] == "holder" else others
        found[(row["g"], row["p"])].add(directory.key(row["g"], row["a"]))
    for (graph, position), keys in holders.items():
        for holder in keys:
            for other in others.get((graph, position), set()) - {holder}:
                link = links[(min(holder, other), max(holder, other))]
                link.positions.add((graph, position))
                link.documents.add(doc_of[graph].id)
    return links, directory


def _actor_pairs(store: GraphStore, docs: list[_Doc], key: str) -> set[Pair]:
    """The (article graph, actor IRI) pairs of the actor with `kg:actorKey` `key`."""
    articles = {d.graph for d in docs}
    rows = select(
        store,
        f"SELECT DISTINCT ?g ?a WHERE {{ GRAPH ?g {{ ?a kg:actorKey {sparql_literal(key)} }} }}",
    )
    return {(r["g"], r["a"]) for r in rows if r["g"] in articles}


def actor_network(store: GraphStore, key: str, *, limit: int, offset: int) -> ActorNetwork:
    """The actors linked to one actor through shared events and positions, strongest first
    (weight descending, then name).

    Raises:
        NotFoundError: no article names an actor with this key.
    """
    docs = _documents(store)
    me = _actor_pairs(store, docs, key)
    if not me:
        raise NotFoundError(f"no actor with id {key!r}; search them at /actors?q=")
    links, directory = _links(store, docs, None, me)
    if key not in directory.actors:  # an actor with no links: describe it all the same
        directory = _Directory(store, me)
    found = [
        NetworkLink(
            actor=directory.actor(b if a == key else a),
            events=len(link.events),
            positions=len(link.positions),
            weight=link.weight,
            documents=sorted(link.documents),
        )
        for (a, b), link in links.items()
        if key in (a, b)
    ]
    found.sort(key=lambda n: (-n.weight, *_sort_name(n.actor)))
    return ActorNetwork(
        actor=directory.actor(key),
        links=found[offset : offset + limit],
        total=len(found),
        limit=limit,
        offset=offset,
    )


def network(
    store: GraphStore,
    *,
    min_weight: int = 1,
    actor_type: str | None = None,
    document: str | None = None,
    limit: int = 100,
) -> Network:
    """The actor network for drawing: edges of at least `min_weight` between actors (of
    `actor_type` if given), and the `limit` heaviest nodes with the edges among them.

    A node's degree and weight count its edges in the filtered network, before the node cut.

    """
    docs = _documents(store, document)
    links, directory = _links(store, docs, document)
    kept = {
        pair: link
        for pair, link in links.items()
        if link.weight >= min_weight
        and (actor_type is None or all(directory.actor(k).type == actor_type for k in pair))
    }
    degree: dict[str, int] = defaultdict(int)
    weight: dict[str, int] = defaultdict(int)
    for (a, b), link in kept.items():
        for k in (a, b):
            degree[k] += 1
            weight[k] += link.weight
    ranked = sorted(degree, key=lambda k: (-weight[k], *_sort_name(directory.actor(k))))[:limit]
    chosen = set(ranked)
    nodes = []
    for k in ranked:
        actor = directory.actor(k)
        nodes.append(
            NetworkNode(
                id=k,
                name=actor.name,
                type=actor.type,
                iri=actor.iri,
                degree=degree[k],
                weight=weight[k],
            )
        )
    edges = [
        NetworkEdge(
            source=a,
            target=b,
            events=len(link.events),
            positions=len(link.positions),
            weight=link.weight,
        )
        for (a, b), link in sorted(kept.items(), key=lambda item: (-item[1].weight, item[0]))
        if a in chosen and b in chosen
    ]
    return Network(nodes=nodes, edges=edges)


# --- stance matrix ------------------------------------------------------------------------------


def stance_matrix(
    store: GraphStore,
    *,
    actor_type: str | None = None,
    min_positions: int = 1,
    max_actors: int = 30,
    document: str | None = None,
) -> StanceMatrix:
    """Actors by topics: rows are the holders with at least `min_positions` positions (the
    `max_actors` with most, then by name), columns the topics they hold positions on (most
    positions first, then label), cells their stances and directions with position ids.

    """
    docs = _documents(store, document)
    facts = _facts(store, docs, document=document)
    directory = _Directory(store, {(f.doc.graph, f.holder) for f in facts})
    concepts = _concepts(store)
    by_actor: dict[str, list[_Fact]] = defaultdict(list)
    for fact in facts:
        by_actor[directory.key(fact.doc.graph, fact.holder)].append(fact)
    rows = [
        (key, found)
        for key, found in by_actor.items()
        if len(found) >= min_positions
        and (actor_type is None or directory.actor(key).type == actor_type)
    ]
    rows.sort(key=lambda row: (-len(row[1]), *_sort_name(directory.actor(row[0]))))
    rows = rows[:max_actors]

    def topic_of(iri: str) -> tuple[str, str]:
        concept = concepts.get(iri)
        return (concept.id, concept.label) if concept else (local_name(iri), local_name(iri))

    topic_count: dict[str, int] = defaultdict(int)
    cells: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for key, found in rows:
        for fact in found:
            topic_count[fact.topic] += 1
            cells[(key, fact.topic, fact.stance, fact.direction)].append(item_id(fact.iri))
    topic_iris = sorted(topic_count, key=lambda t: (-topic_count[t], fold(topic_of(t)[1]), t))
    column = {iri: i for i, iri in enumerate(topic_iris)}
    row_index = {key: i for i, (key, _) in enumerate(rows)}
    actors = []
    for key, found in rows:
        actor = directory.actor(key)
        actors.append(
            MatrixActor(
                id=key, name=actor.name, type=actor.type, iri=actor.iri, positions=len(found)
            )
        )
    topics = [
        MatrixTopic(
            id=topic_of(iri)[0], label=topic_of(iri)[1], iri=iri, positions=topic_count[iri]
        )
        for iri in topic_iris
    ]
    ordered = sorted(cells.items(), key=lambda c: (row_index[c[0][0]], column[c[0][1]], *c[0][2:]))
    return StanceMatrix(
        actors=actors,
        topics=topics,
        cells=[
            MatrixCell(
                actor=key,
                topic=topic_of(topic)[0],
                stance=stance,
                direction=direction,
                count=len(ids),
                positions=sorted(ids),
            )
            for (key, topic, stance, direction), ids in ordered
        ],
    )
