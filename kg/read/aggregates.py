"""Aggregate read models: topics, who stands where on a topic, actor networks, stance matrix.

Same rules as `kg.read.queries`: a constant number of SPARQL queries per request whatever the data
size, user input reaches SPARQL text only through `kg.store.terms`, and there is no `OPTIONAL`
under a variable `GRAPH ?g`. Counting and pairing happen in SPARQL (`GROUP BY`, `COUNT
(DISTINCT …)`), so a query returns one row per group or per statement, never one per property
of every statement; the details of the statements shown (evidence, targets, per-article names)
are then read with bound subjects, as `kg.read.queries` does for a page.

Actors are identified across articles by `kg:actorKey`. Actor IRIs are minted from the key
(`kg.iris.Iris.actor`), so an actor has one IRI in every article graph and grouping by IRI is
grouping by key; an actor's key, name and type are its one description in the registry graph
(`kg.registry`), its aliases the union of those the scope's articles give it (their
`kg:Naming`s). Only article graphs (those holding a `kg:Document`) count: the ontology, the
registry and the gazetteer describe actors and topics but hold no statements.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from kg import vocab
from kg.errors import InputError, NotFoundError
from kg.phrasing import summarize
from kg.read.index import ReadIndex, index_of, kept
from kg.read.queries import (
    _DATE_EVIDENCE,
    _EVIDENCE_PROPS,
    _TIME_STAMPS,
    ACTOR_TYPES,
    EVENT_TYPES,
    KG,
    _actor_infos,
    _direction,
    _Doc,
    _documents,
    _iris,
    _Item,
    _one,
    _own_date,
    _props,
    _published_dates,
    _ref,
    fold,
    item_id,
    local_name,
    select,
    topic_phrasings,
)
from kg.read.records import (
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
from kg.store import GraphStore
from kg.store.terms import sparql_iri, sparql_literal, values_clause

TOPIC_SCHEME = vocab.TOPIC_NS + "scheme"
SEP = " "
"""GROUP_CONCAT separator for graph IRIs (an IRI has no spaces)."""


# --- scope: which graphs count ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Scope:
    """The article graphs a request reads: all of them, or one document's.

    `before` goes in front of `GRAPH ?g { … }` (a `VALUES ?g` for one document), `after` behind
    it (a `FILTER` leaving out the few graphs that are no article). A long `VALUES ?g` list is
    avoided: oxigraph would evaluate the graph pattern once per listed graph.
    """

    docs: list[_Doc]
    before: str
    after: str

    @property
    def doc_of(self) -> dict[str, _Doc]:
        return {d.graph: d for d in self.docs}


def _scope(store: GraphStore, document: str | None = None) -> _Scope:
    """The scope of all articles, or of `document` (no graph at all if it is unknown)."""
    docs = _documents(store, document)
    if document is not None:
        return _Scope(docs, values_clause("g", [sparql_iri(d.graph) for d in docs]), "")
    articles = {d.graph for d in docs}
    others = [g for g in store.graph_iris() if g not in articles]
    after = f"FILTER(?g NOT IN ({', '.join(sparql_iri(g) for g in others)}))" if others else ""
    return _Scope(docs, "", after)


# --- actors merged over the articles ------------------------------------------------------------

_SUMMARY_PROPS = {
    "key": "kg:actorKey",
    "name": "skos:prefLabel",
    "type": "a",
}
_ACTOR_CLASS_NAMES = {KG + t: t for t in ACTOR_TYPES}


class _Actors:
    """Key, name and type of actor IRIs (the registry's) and their aliases in the scope's
    articles (one query)."""

    def __init__(
        self,
        store: GraphStore,
        scope: _Scope,
        iris: Iterable[str],
        indexed: ReadIndex | None = None,
    ) -> None:
        wanted = sorted(set(iris))
        values: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        if wanted and indexed is not None:  # the same values, from the read index
            for iri, described in indexed.actor_values(wanted).items():
                for name, value in described.items():
                    values[iri][name] |= value
        elif wanted:
            branches = " UNION ".join(
                f"{{ ?s {path} ?v BIND({sparql_literal(name)} AS ?k) }}"
                for name, path in _SUMMARY_PROPS.items()
            )
            rows = select(
                store,
                f"""SELECT DISTINCT ?s ?k ?v WHERE {{
  VALUES ?s {{ {_iris(wanted)} }}
  {{ {branches} }} UNION {{
    {scope.before} GRAPH ?g {{ ?n kg:namingOf ?s ; kg:alias ?v }} {scope.after}
    BIND("alias" AS ?k)
  }}
}}""",
            )
            for row in rows:
                values[row["s"]][row["k"]].add(row["v"])
        self.key_of: dict[str, str] = {}
        merged: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for iri in wanted:
            v = values[iri]
            key = min(v["key"]) if v["key"] else local_name(iri)
            self.key_of[iri] = key
            for name, found in v.items():
                merged[key][name] |= found
            merged[key]["iri"].add(iri)
        self.by_key: dict[str, ActorSummary] = {}
        for key, v in merged.items():
            types = sorted(_ACTOR_CLASS_NAMES[t] for t in v["type"] if t in _ACTOR_CLASS_NAMES)
            self.by_key[key] = ActorSummary(
                id=key,
                name=min(v["name"]) if v["name"] else key,
                aliases=sorted(v["alias"]),
                type=types[0] if types else None,
                iri=min(v["iri"]),
            )

    def key(self, iri: str) -> str:
        return self.key_of.get(iri) or local_name(iri)

    def actor(self, key: str) -> ActorSummary:
        return self.by_key.get(key) or ActorSummary(
            id=key, name=key, aliases=[], type=None, iri=key
        )


def _sort_name(actor: ActorSummary) -> tuple[str, str]:
    return fold(actor.name), actor.id


def _actor_iris(store: GraphStore, scope: _Scope, key: str) -> list[str]:
    """IRIs of the actor with `kg:actorKey` `key` that the scope's articles name."""
    rows = select(
        store,
        f"""SELECT DISTINCT ?a WHERE {{
  ?a kg:actorKey {sparql_literal(key)} .
  {scope.before} GRAPH ?g {{ ?n kg:namingOf ?a }} {scope.after}
}}""",
    )
    return sorted(r["a"] for r in rows)


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
    scope = _scope(store)
    rows = select(
        store,
        f"""SELECT ?t ?h (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  GRAPH ?g {{ ?p a kg:Position ; kg:topic ?t ; kg:holder ?h }}
  {scope.after}
}} GROUP BY ?t ?h""",
    )
    keys = _keys(store, scope, {r["h"] for r in rows})
    positions: dict[str, int] = defaultdict(int)
    holders: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        positions[row["t"]] += int(row["n"])
        holders[row["t"]].add(keys.get(row["h"]) or local_name(row["h"]))
    return positions, holders


def _keys(store: GraphStore, scope: _Scope, iris: set[str]) -> dict[str, str]:
    """The `kg:actorKey` of actor IRIs (one query; the first in sort order if several)."""
    del scope  # an actor's key is its registry description's, whatever the scope
    if not iris:
        return {}
    rows = select(
        store,
        f"""SELECT ?s (MIN(?key) AS ?k) WHERE {{
  VALUES ?s {{ {_iris(sorted(iris))} }} ?s kg:actorKey ?key
}} GROUP BY ?s""",
    )
    return {r["s"]: r["k"] for r in rows if "k" in r}


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


# --- who stands where on a topic ----------------------------------------------------------------

_DETAIL_PROPS = {
    **_EVIDENCE_PROPS,
    "target": "kg:target",
    "rep": "kg:reportedBy",
    "hedged": "kg:hedged",
    **_TIME_STAMPS,
    **_DATE_EVIDENCE,
}
_SPAN_PROPS = {
    "start": "kg:evidence/oa:hasSelector/oa:start",
    "end": "kg:evidence/oa:hasSelector/oa:end",
}


@dataclass(frozen=True, slots=True)
class _Stated:
    """A position as the grouping query reads it: one row, no evidence yet."""

    iri: str
    doc: _Doc
    holder: str
    stance: str
    direction: str


def _published(store: GraphStore, scope: _Scope) -> dict[str, dt.date]:
    """Each article graph's `schema:datePublished` (one query, one row per article)."""
    rows = select(
        store,
        f"""SELECT ?g ?date WHERE {{
  {scope.before} GRAPH ?g {{ ?doc a kg:Document ; schema:datePublished ?date }} {scope.after}
}}""",
    )
    out: dict[str, dt.date] = {}
    for row in rows:
        try:
            out.setdefault(row["g"], dt.date.fromisoformat(row["date"][:10]))
        except ValueError:
            continue
    return out


def _check_dates(date_from: dt.date | None, date_to: dt.date | None) -> None:
    if date_from is not None and date_to is not None and date_to < date_from:
        message = f"{date_to.isoformat()} is before from={date_from.isoformat()}"
        raise InputError(f"to: {message}", errors=[{"parameter": "to", "message": message}])


def _position_order(position: Position) -> tuple[str, int, int, str]:
    return position.document, position.evidence.start, position.evidence.end, position.iri


@kept("topic")
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
    a holder's positions in document then evidence order, the first `per_actor` of them (its
    `count` is always complete). The topic's own counts ignore the filters; `from`/`to` bound
    the article's publication date (undated articles drop out of a bounded range).

    At most eight queries: the scheme, the articles, one row per position on the topic, the
    holders, publication dates (with `from`/`to`), evidence spans (only when a holder has more
    than `per_actor`), then evidence, targets and per-article names of the positions shown.
    With a read index, the answer is kept until the next write (`kept`).

    Raises:
        NotFoundError: no concept of the scheme has this id.
        InputError: `date_to` is before `date_from`.
    """
    _check_dates(date_from, date_to)
    indexed = index_of(store)
    concepts = _concepts(store) if indexed is None else indexed.cached("concepts", _concepts, store)
    concept = _find_concept(concepts, topic_id)
    stated: dict[str, _Stated] = {}
    spans: dict[str, dict[str, list[str]]] = {}
    if indexed is not None:
        doc_by_id = {d.id: d for d in _documents(store)}
        for iri, doc, stance_, direction_, holder, start, end in indexed.topic_statements(
            concept.iri
        ):
            if iri not in stated and doc in doc_by_id:
                stated[iri] = _Stated(iri, doc_by_id[doc], holder, stance_, direction_)
                spans[iri] = {"start": [str(start)], "end": [str(end)]}
        scope = _Scope(list(doc_by_id.values()), "", "")
    else:
        scope = _scope(store)
        doc_of = scope.doc_of
        rows = select(
            store,
            f"""SELECT ?g ?p ?s ?d ?h WHERE {{
  GRAPH ?g {{
    ?p kg:topic {sparql_iri(concept.iri)} ; a kg:Position ;
       kg:stance ?s ; kg:direction ?d ; kg:holder ?h .
  }}
  {scope.after}
}}""",
        )
        for row in rows:
            if row["g"] in doc_of and row["p"] not in stated:
                stated[row["p"]] = _Stated(
                    iri=row["p"],
                    doc=doc_of[row["g"]],
                    holder=row["h"],
                    stance=local_name(row["s"]),
                    direction=_direction(row["d"]),
                )
    actors = _Actors(store, scope, (s.holder for s in stated.values()), indexed)
    summary = _summary(
        concept, concepts, len(stated), len({actors.key(s.holder) for s in stated.values()})
    )

    published: dict[str, dt.date] = {}
    if (date_from or date_to) and indexed is not None:
        by_id = indexed.published()
        published = {d.graph: by_id[d.id] for d in scope.docs if d.id in by_id}
    elif date_from or date_to:
        published = _published(store, scope)
    chosen = [
        s
        for s in stated.values()
        if (stance is None or s.stance == stance)
        and (direction is None or s.direction == direction)
        and (actor_type is None or actors.actor(actors.key(s.holder)).type == actor_type)
        and (
            not (date_from or date_to)
            or (
                s.doc.graph in published
                and (date_from is None or published[s.doc.graph] >= date_from)
                and (date_to is None or published[s.doc.graph] <= date_to)
            )
        )
    ]
    grouped: dict[tuple[str, str], dict[str, list[_Stated]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for position in chosen:
        grouped[(position.stance, position.direction)][actors.key(position.holder)].append(position)

    # Which positions to show: all of a holder's when it has at most `per_actor`, else the first
    # in document and evidence order. Documents before the cut are shown whole, so only the
    # positions of the document the cut falls in need their spans (one query for all of them).
    boundary = [
        s for by in grouped.values() for found in by.values() for s in _cut(found, per_actor)
    ]
    if indexed is None:
        spans = _props(store, (s.iri for s in boundary), _SPAN_PROPS) if boundary else {}

    def order(s: _Stated) -> tuple[str, int, int, str]:
        v = spans.get(s.iri, {})
        return s.doc.id, _int_of(v, "start"), _int_of(v, "end"), s.iri

    kept: dict[tuple[str, str, str], list[_Stated]] = {
        (*group, key): sorted(found, key=order)[:per_actor]
        for group, by in grouped.items()
        for key, found in by.items()
    }
    topic = Topic(id=concept.id, label=concept.label)
    shown = [s for found in kept.values() for s in found]
    if indexed is not None:
        records = indexed.records_of("position", (s.iri for s in shown))
        positions: dict[str, Position] = {}
        for iri, record in records.items():
            parsed = Position.model_validate_json(record)
            if parsed.topic != topic:  # the record names the topic as /positions does
                parsed = parsed.model_copy(update={"topic": topic})
            positions[iri] = parsed
    else:
        positions = _build_positions(store, shown, topic, concept.iri)

    groups = []
    for (group_stance, group_direction), by_actor in grouped.items():
        holders = [
            ActorPositions(
                actor=actors.actor(key),
                count=len(found),
                positions=sorted(
                    (positions[s.iri] for s in kept[(group_stance, group_direction, key)]),
                    key=_position_order,
                ),
            )
            for key, found in by_actor.items()
        ]
        holders.sort(key=lambda a: (-a.count, *_sort_name(a.actor)))
        groups.append(
            StanceGroup(
                stance=group_stance,
                direction=group_direction,
                count=sum(a.count for a in holders),
                actors=holders,
            )
        )
    groups.sort(key=lambda g: (-g.count, g.stance, g.direction))
    return TopicPositions(topic=summary, total=len(chosen), groups=groups)


def _cut(found: list[_Stated], limit: int) -> list[_Stated]:
    """The positions of the document where the first `limit` of `found` (in document order)
    end part-way; none when the cut falls between documents or nothing is cut."""
    if len(found) <= limit:
        return []
    ordered = sorted(found, key=lambda s: s.doc.id)
    last, following = ordered[limit - 1].doc.id, ordered[limit].doc.id
    return [s for s in ordered if s.doc.id == last] if last == following else []


def _int_of(values: dict[str, list[str]], name: str) -> int:
    for value in values.get(name, []):
        try:
            return int(value)
        except ValueError:
            continue
    return -1


def _build_positions(
    store: GraphStore, stated: list[_Stated], topic: Topic, topic_iri: str
) -> dict[str, Position]:
    """`Position` items exactly as /positions gives them (three queries: details, the
    per-article names of holders, targets and sources, and the articles' published dates)."""
    details = _props(store, (s.iri for s in stated), _DETAIL_PROPS)
    published = _published_dates(store, list({s.doc.graph: s.doc for s in stated}.values()))
    pairs = set()
    for s in stated:
        v = details.get(s.iri, {})
        pairs |= {(s.doc.graph, a) for a in (s.holder, _one(v, "target"), _one(v, "rep")) if a}
    infos = _actor_infos(store, pairs)
    phrasing = topic_phrasings(store, {topic_iri: topic})[topic_iri]
    out: dict[str, Position] = {}
    for s in stated:
        v = details.get(s.iri, {})
        item = _Item(iri=s.iri, doc=s.doc, values=v)
        g = s.doc.graph
        target, reported_by = _one(v, "target"), _one(v, "rep")
        out[s.iri] = Position(
            id=item_id(s.iri),
            actor=_ref(infos, g, s.holder),
            stance=s.stance,
            topic=topic,
            direction=s.direction,
            summary=summarize(s.stance, s.direction, phrasing),
            target=_ref(infos, g, target) if target else None,
            reported_by=_ref(infos, g, reported_by) if reported_by else None,
            hedged=_one(v, "hedged") in ("true", "1"),
            evidence=item.evidence,
            sentence=item.sentence,
            holder_mention=item.holder_mention,
            date=_own_date(v) or published.get(g),
            confidence=item.confidence,
            document=s.doc.id,
            iri=s.iri,
        )
    return out


# --- networks -----------------------------------------------------------------------------------

_PARTICIPANT = "sem:hasActor|kg:hasParticipation/kg:participant"


@dataclass(slots=True)
class _Link:
    """What links two actor keys: counts of shared events and positions, and where."""

    events: int = 0
    positions: int = 0
    graphs: set[str] = field(default_factory=set)

    @property
    def weight(self) -> int:
        return self.events + self.positions


def _links(
    store: GraphStore, scope: _Scope, me: list[str] | None = None
) -> tuple[dict[tuple[str, str], _Link], _Actors]:
    """Undirected links between actor keys (pairs in order) and the actors they join; only
    links of the actor IRIs `me` when given.

    Events link every two of their participants (the place is no participant); a position
    links its holder with its target and with its source (`kg:reportedBy`). Counted in SPARQL,
    one row per linked pair: three queries with the actors' names.
    """
    only_a = values_clause("a", [sparql_iri(a) for a in me]) if me is not None else ""
    classes = values_clause("cls", (sparql_iri(KG + cls) for cls in EVENT_TYPES))
    event_rows = select(
        store,
        f"""SELECT ?a ?b (COUNT(DISTINCT ?e) AS ?n)
       (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?gs) WHERE {{
  {scope.before} {only_a}
  GRAPH ?g {{ ?e {_PARTICIPANT} ?a . ?e a ?cls . {classes} ?e {_PARTICIPANT} ?b . }}
  FILTER(?a != ?b) {scope.after}
}} GROUP BY ?a ?b""",
    )
    mine = ""
    if me is not None:
        mine = (
            f"{values_clause('me', [sparql_iri(a) for a in me])}"
            " { ?p kg:holder ?me } UNION { ?p kg:target|kg:reportedBy ?me }"
        )
    position_rows = select(
        store,
        f"""SELECT ?a ?b (COUNT(DISTINCT ?p) AS ?n)
       (GROUP_CONCAT(DISTINCT STR(?g); separator=" ") AS ?gs) WHERE {{
  {scope.before}
  GRAPH ?g {{ {mine} ?p kg:holder ?a ; kg:target|kg:reportedBy ?b ; a kg:Position . }}
  FILTER(?a != ?b) {scope.after}
}} GROUP BY ?a ?b""",
    )
    actors = _Actors(store, scope, {r[v] for r in (*event_rows, *position_rows) for v in "ab"})
    links: dict[tuple[str, str], _Link] = defaultdict(_Link)
    seen: set[tuple[str, str]] = set()
    for row in event_rows:  # a pair of participants comes back in both orders unless `me`
        pair = (min(row["a"], row["b"]), max(row["a"], row["b"]))
        a, b = sorted((actors.key(row["a"]), actors.key(row["b"])))
        if pair not in seen and a != b:
            seen.add(pair)
            links[(a, b)].events += int(row["n"])
            links[(a, b)].graphs.update(row.get("gs", "").split(SEP))
    for row in position_rows:  # holder first: each position once per pair
        a, b = sorted((actors.key(row["a"]), actors.key(row["b"])))
        if a != b:
            links[(a, b)].positions += int(row["n"])
            links[(a, b)].graphs.update(row.get("gs", "").split(SEP))
    if me is not None:
        mine_keys = {actors.key(a) for a in me}
        links = defaultdict(_Link, {p: k for p, k in links.items() if mine_keys & set(p)})
    return links, actors


def _indexed_links(
    store: GraphStore, indexed: ReadIndex, me: list[str]
) -> tuple[dict[tuple[str, str], _Link], _Actors, dict[str, _Doc]]:
    """`_links(store, scope, me)` over all articles, from the read index."""
    docs = _documents(store)
    event_rows = indexed.pair_counts("event", me)
    position_rows = indexed.pair_counts("position", me)
    linked = {r[0] for r in (*event_rows, *position_rows)}
    linked |= {r[1] for r in (*event_rows, *position_rows)}
    actors = _Actors(store, _Scope(docs, "", ""), linked, indexed)
    graph_of = {d.id: d.graph for d in docs}
    links: dict[tuple[str, str], _Link] = defaultdict(_Link)
    seen: set[tuple[str, str]] = set()
    for a_iri, b_iri, n, found in event_rows:
        pair = (min(a_iri, b_iri), max(a_iri, b_iri))
        a, b = sorted((actors.key(a_iri), actors.key(b_iri)))
        if pair not in seen and a != b:
            seen.add(pair)
            links[(a, b)].events += n
            links[(a, b)].graphs.update(graph_of[d] for d in found if d in graph_of)
    for a_iri, b_iri, n, found in position_rows:
        a, b = sorted((actors.key(a_iri), actors.key(b_iri)))
        if a != b:
            links[(a, b)].positions += n
            links[(a, b)].graphs.update(graph_of[d] for d in found if d in graph_of)
    mine_keys = {actors.key(a) for a in me}
    links = defaultdict(_Link, {p: k for p, k in links.items() if mine_keys & set(p)})
    return links, actors, {d.graph: d for d in docs}


@kept("network")
def actor_network(store: GraphStore, key: str, *, limit: int, offset: int) -> ActorNetwork:
    """The actors linked to one actor through shared events and positions, strongest first
    (weight descending, then name); with a read index, kept until the next write (`kept`).

    Raises:
        NotFoundError: no article names an actor with this key.
    """
    indexed = index_of(store)
    if indexed is not None:
        me = indexed.actor_iris(key)
        if not me:
            raise NotFoundError(f"no actor with id {key!r}; search them at /actors?q=")
        links, actors, doc_of = _indexed_links(store, indexed, me)
        if key not in actors.by_key:
            actors = _Actors(store, _Scope(_documents(store), "", ""), me, indexed)
    else:
        scope = _scope(store)
        me = _actor_iris(store, scope, key)
        if not me:
            raise NotFoundError(f"no actor with id {key!r}; search them at /actors?q=")
        links, actors = _links(store, scope, me)
        if key not in actors.by_key:  # no links: describe the actor all the same
            actors = _Actors(store, scope, me)
        doc_of = scope.doc_of
    found = [
        NetworkLink(
            actor=actors.actor(b if a == key else a),
            events=link.events,
            positions=link.positions,
            weight=link.weight,
            documents=sorted({doc_of[g].id for g in link.graphs if g in doc_of}),
        )
        for (a, b), link in links.items()
        if key in (a, b)
    ]
    found.sort(key=lambda n: (-n.weight, *_sort_name(n.actor)))
    return ActorNetwork(
        actor=actors.actor(key),
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
    An unknown `document` gives an empty network.
    """
    links, actors = _links(store, _scope(store, document))
    kept = {
        pair: link
        for pair, link in links.items()
        if link.weight >= min_weight
        and (actor_type is None or all(actors.actor(k).type == actor_type for k in pair))
    }
    degree: dict[str, int] = defaultdict(int)
    weight: dict[str, int] = defaultdict(int)
    for (a, b), link in kept.items():
        for k in (a, b):
            degree[k] += 1
            weight[k] += link.weight
    ranked = sorted(degree, key=lambda k: (-weight[k], *_sort_name(actors.actor(k))))[:limit]
    chosen = set(ranked)
    nodes = [
        NetworkNode(
            id=k,
            name=actors.actor(k).name,
            type=actors.actor(k).type,
            iri=actors.actor(k).iri,
            degree=degree[k],
            weight=weight[k],
        )
        for k in ranked
    ]
    edges = [
        NetworkEdge(
            source=a, target=b, events=link.events, positions=link.positions, weight=link.weight
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

    Five queries: the articles, positions per holder, the holders' names, the rows' positions
    (one row each) and the topic scheme. An unknown `document` gives an empty matrix.
    """
    scope = _scope(store, document)
    # the holder's type is its registry description's, in the default graph
    only_type = f"?h a {sparql_iri(KG + actor_type)} ." if actor_type in ACTOR_TYPES else ""
    counts = select(
        store,
        f"""SELECT ?h (COUNT(DISTINCT ?p) AS ?n) WHERE {{
  {scope.before} GRAPH ?g {{ ?p a kg:Position ; kg:holder ?h . }} {scope.after} {only_type}
}} GROUP BY ?h""",
    )
    actors = _Actors(store, scope, (r["h"] for r in counts))
    per_key: dict[str, int] = defaultdict(int)
    iris_of: dict[str, list[str]] = defaultdict(list)
    for row in counts:
        key = actors.key(row["h"])
        per_key[key] += int(row["n"])
        iris_of[key].append(row["h"])
    keys = sorted(
        (k for k, n in per_key.items() if n >= min_positions),
        key=lambda k: (-per_key[k], *_sort_name(actors.actor(k))),
    )[:max_actors]
    rows = []
    if keys:
        holders = [iri for k in keys for iri in iris_of[k]]
        rows = select(
            store,
            f"""SELECT ?g ?p ?h ?t ?s ?d WHERE {{
  {scope.before} {values_clause("h", [sparql_iri(h) for h in holders])}
  GRAPH ?g {{ ?p kg:holder ?h ; a kg:Position ; kg:topic ?t ; kg:stance ?s ; kg:direction ?d . }}
  {scope.after}
}}""",
        )
    concepts = _concepts(store)

    def topic_of(iri: str) -> tuple[str, str]:
        concept = concepts.get(iri)
        return (concept.id, concept.label) if concept else (local_name(iri), local_name(iri))

    seen: set[str] = set()
    topic_count: dict[str, int] = defaultdict(int)
    cells: dict[tuple[str, str, str, str], list[str]] = defaultdict(list)
    for row in rows:
        if row["p"] in seen:
            continue
        seen.add(row["p"])
        key = actors.key(row["h"])
        topic_count[row["t"]] += 1
        cell = (key, row["t"], local_name(row["s"]), _direction(row["d"]))
        cells[cell].append(item_id(row["p"]))
    topic_iris = sorted(topic_count, key=lambda t: (-topic_count[t], fold(topic_of(t)[1]), t))
    column = {iri: i for i, iri in enumerate(topic_iris)}
    row_index = {key: i for i, key in enumerate(keys)}
    ordered = sorted(cells.items(), key=lambda c: (row_index[c[0][0]], column[c[0][1]], *c[0][2:]))
    return StanceMatrix(
        actors=[
            MatrixActor(
                id=k,
                name=actors.actor(k).name,
                type=actors.actor(k).type,
                iri=actors.actor(k).iri,
                positions=per_key[k],
            )
            for k in keys
        ],
        topics=[
            MatrixTopic(
                id=topic_of(iri)[0], label=topic_of(iri)[1], iri=iri, positions=topic_count[iri]
            )
            for iri in topic_iris
        ],
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
