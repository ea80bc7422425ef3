"""The read model: SPARQL over the shape of docs/rdf-model.md, turned into response models.

Each list is answered with a constant number of queries whatever the page size (the article
list, a count per article graph, the page's items, one batched look-up of their values, and
one each for participants, actor names and topic labels), never one query per item.

User input reaches SPARQL text only through `kg.store.terms` (`sparql_literal`, `sparql_iri`,
`values_clause`), which build pyoxigraph terms (IRIs are validated) and serialise them with
pyoxigraph's own escaping; limits and offsets are integers validated by FastAPI.

An actor's key, name and type are read from its one description in the registry graph
(`kg.registry`; over the union default graph it is there once); its aliases are read from the
article's own `kg:Naming` of it, so the aliases of an actor in `/events?document=x` are the
names article x gives it. Queries avoid `OPTIONAL` under
a variable `GRAPH ?g` (slow in oxigraph on large stores): values are read with bound subjects,
one UNION branch per property, and gathered in Python.

Filters that SPARQL cannot express run in Python over one query that reads every candidate's
sort key and filter values: `q` (case- and accent-folded search, which SPARQL cannot do) and
`from`/`to` (a statement's date is its own `sem:hasTimeStamp` when it has one, else its
article's `schema:datePublished`; a statement with neither is left out when a date bound is
given). Filters on IRIs (document, actor, topic, stance, direction, type) stay in SPARQL.

A filter value that matches nothing (an unknown document, actor or topic id) gives an empty
page; only an unknown id in the path (`/actors/{id}/…`, `/documents/{id}`) is a 404.
"""

from __future__ import annotations

import contextlib
import unicodedata
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pyoxigraph as ox

from kg import vocab
from kg.dates import iso, last_day, parse_iso
from kg.errors import InputError, InvalidParameterError, NotFoundError, StoreError
from kg.phrasing import TopicPhrasing, repository_phrasings, summarize
from kg.read.index import FacetFilter, ReadIndex, index_of
from kg.read.records import (
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
    RawPage,
    StatementDate,
    Stats,
    TextSpan,
    Topic,
    TypedActorRef,
)
from kg.read.suggest import closest
from kg.records import Article, DatePrecision, StatedDate
from kg.store import GraphStore, QueryResult
from kg.store.terms import sparql_iri, sparql_literal, values_clause
from kg.titles import display_title

KG = vocab.KG_NS
STANCE = vocab.STANCE_NS
DIRECTION = vocab.DIRECTION_NS
TOPIC = vocab.TOPIC_NS
WIKIDATA = vocab.WIKIDATA_NS
SEP = "\x1f"
"""GROUP_CONCAT separator (unit separator): never part of a name."""

PREFIXES = vocab.sparql_prefixes("kg", "schema", "skos", "oa", "prov", "sem", "owl", "rdfs", "xsd")

#: Event classes of the ontology (local name) -> REST event type (`skos:notation` of the class).
EVENT_TYPES: dict[str, str] = {t.term.name: t.value for t in vocab.EventType}
EVENT_CLASS_BY_TYPE = {rest: KG + cls for cls, rest in EVENT_TYPES.items()}
ACTOR_TYPES = vocab.ActorType.rest_ids()
_EVENT_CLASSES = {KG + cls for cls in EVENT_TYPES}

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


#: `kg:direction` IRI -> REST direction (a plain dict: it is read once per position row).
_REST_DIRECTIONS = {d.iri: d.value for d in vocab.Direction}


def _direction(iri: str) -> str:
    """The REST direction of a `kg:direction` IRI (its local name if it is not in the scheme)."""
    return _REST_DIRECTIONS.get(iri) or local_name(iri)


def _first_per(rows: list[Row], key: str) -> list[Row]:
    """Keep the first row of each `key` value, in order (optional multi-values add rows)."""
    seen: set[str] = set()
    out: list[Row] = []
    for row in rows:
        if row[key] not in seen:
            seen.add(row[key])
            out.append(row)
    return out


# --- documents and their graphs -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Doc:
    id: str
    graph: str
    iri: str


#: The document list of each embedded store, with the store's write generation it was read at:
#: almost every REST answer needs it, and at a million triples it costs ~15 ms to read.
_document_lists: weakref.WeakKeyDictionary[GraphStore, tuple[int, list[_Doc]]] = (
    weakref.WeakKeyDictionary()
)


def _documents(store: GraphStore, document: str | None = None) -> list[_Doc]:
    """The stored articles (or the one with id `document`) with their named graphs, by id.

    On an embedded store the list is kept until the next write (its `generation`, read before
    the query, so a write during the query only makes the next call read again); a remote
    store, which others may write, is asked every time."""
    generation = store.generation
    if generation is None:
        return _read_documents(store, document)
    cached = _document_lists.get(store)
    if cached is None or cached[0] != generation:
        cached = (generation, _read_documents(store, None))
        _document_lists[store] = cached
    return cached[1] if document is None else [d for d in cached[1] if d.id == document]


def _read_documents(store: GraphStore, document: str | None) -> list[_Doc]:
    only = _document_filter(document)
    rows = select(
        store,
        f"""SELECT ?docId ?g ?doc WHERE {{
  {only}
  GRAPH ?g {{ ?doc a kg:Document ; kg:documentId ?docId }}
}} ORDER BY ?docId ?doc""",
    )
    return [_Doc(id=r["docId"], graph=r["g"], iri=r["doc"]) for r in _first_per(rows, "docId")]


def _document_filter(document: str | None) -> str:
    return values_clause("docId", [sparql_literal(document)]) if document is not None else ""


def _filter_documents(store: GraphStore, document: str | None) -> list[_Doc]:
    """The documents a `document` filter keeps.

    Raises:
        InvalidParameterError: no document has this id (the closest ids suggested).
    """
    docs = _documents(store, document)
    if document is not None and not docs:
        suggestions = closest(document, {d.id: [] for d in _documents(store)})
        raise InvalidParameterError(
            "document",
            _unknown("document", document, suggestions, "/documents"),
            suggestions=suggestions,
        )
    return docs


def _unknown(what: str, wanted: str, suggestions: list[str], where: str) -> str:
    """'no actor has the id 'putin'; did you mean 'vladimir-putin'? (all ids: /actors)'."""
    hint = f"; did you mean {' or '.join(map(repr, suggestions))}?" if suggestions else ""
    return f"no {what} has the id {wanted!r}{hint} (the ids are listed at {where})"


def _require_documents(store: GraphStore, document: str | None) -> list[_Doc]:
    docs = _documents(store, document)
    if document is not None and not docs:
        raise NotFoundError(f"no document with id {document!r}; list them at /documents")
    return docs


# --- property look-ups (batched) ---------------------------------------------------------------
#
# oxigraph evaluates OPTIONAL under a variable GRAPH slowly on large stores, and a UNION of many
# constant-graph branches costs milliseconds per branch. So values are read with bound subjects
# and one UNION branch per property, without OPTIONAL, and gathered in Python.


Values = dict[str, list[str]]


def _branches(props: dict[str, str], subject: str = "?s") -> str:
    return " UNION ".join(
        f"{{ {subject} {path} ?v BIND({sparql_literal(name)} AS ?k) }}"
        for name, path in props.items()
    )


def _gather(rows: list[Row], keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Values]:
    out: dict[tuple[str, str], Values] = {key: {} for key in keys}
    for row in rows:
        values = out.get((row.get("g", ""), row["s"]))
        if values is not None:
            values.setdefault(row["k"], []).append(row["v"])
    for values in out.values():
        for found in values.values():
            found.sort()
    return out


def _props(store: GraphStore, subjects: Iterable[str], props: dict[str, str]) -> dict[str, Values]:
    """Each subject's values of each property path, read in the union of all graphs."""
    wanted = sorted(set(subjects))
    if not wanted:
        return {}
    rows = select(
        store,
        f"SELECT ?s ?k ?v WHERE {{ VALUES ?s {{ {_iris(wanted)} }} {_branches(props)} }}",
    )
    return {s: values for (_, s), values in _gather(rows, (("", s) for s in wanted)).items()}


def _props_in(
    store: GraphStore, pairs: Iterable[tuple[str, str]], props: dict[str, str]
) -> dict[tuple[str, str], Values]:
    """Each (graph, subject) pair's values of each property path, read in that graph only."""
    wanted = sorted(set(pairs))
    if not wanted:
        return {}
    values = " ".join(f"({sparql_iri(g)} {sparql_iri(s)})" for g, s in wanted)
    rows = select(
        store,
        f"SELECT ?g ?s ?k ?v WHERE {{ VALUES (?g ?s) {{ {values} }}"
        f" GRAPH ?g {{ {_branches(props)} }} }}",
    )
    return _gather(rows, wanted)


def _one(values: Values, name: str) -> str | None:
    found = values.get(name)
    return found[0] if found else None


def _int(values: Values, name: str) -> int | None:
    numbers = []
    for value in values.get(name, []):
        with contextlib.suppress(ValueError):
            numbers.append(int(value))
    return min(numbers) if numbers else None


# --- actor references ---------------------------------------------------------------------------

_ACTOR_PROPS = {
    "key": "kg:actorKey",
    "name": "skos:prefLabel",
    "type": "a",
}
_NAMING_PROPS = {"alias": "^kg:namingOf/kg:alias"}
_ACTOR_CLASS_NAMES = {KG + t: t for t in ACTOR_TYPES}


@dataclass(frozen=True, slots=True)
class _ActorInfo:
    key: str
    name: str
    aliases: list[str]
    type: str | None


def _actor_infos(
    store: GraphStore, pairs: set[tuple[str, str]]
) -> dict[tuple[str, str], _ActorInfo]:
    """Names and types of actors (the registry's), with the aliases each (graph, actor IRI)
    pair's article gives them."""
    infos: dict[tuple[str, str], _ActorInfo] = {}
    described = _props(store, {actor for _, actor in pairs}, _ACTOR_PROPS)
    for pair, aliases in _props_in(store, pairs, _NAMING_PROPS).items():
        values = {**described.get(pair[1], {}), **aliases}
        key = _one(values, "key") or local_name(pair[1])
        types = [_ACTOR_CLASS_NAMES[t] for t in values.get("type", []) if t in _ACTOR_CLASS_NAMES]
        infos[pair] = _ActorInfo(
            key=key,
            name=_one(values, "name") or key,
            aliases=sorted(set(values.get("alias", []))),
            type=types[0] if types else None,
        )
    return infos


def _ref(infos: dict[tuple[str, str], _ActorInfo], graph: str, actor: str) -> ActorRef:
    info = infos.get((graph, actor))
    iri = actor or None
    if info is None:
        key = local_name(actor)
        return ActorRef(id=key, name=key, aliases=[], iri=iri)
    return ActorRef(id=info.key, name=info.name, aliases=info.aliases, iri=iri)


def _actor_iris(store: GraphStore, key: str) -> list[str]:
    """IRIs of the actors whose `kg:actorKey` is `key` and that some article names (the
    gazetteer's own IRIs are not)."""
    articles = {d.graph for d in _documents(store)}
    rows = select(
        store,
        "SELECT DISTINCT ?actor ?g WHERE { ?actor kg:actorKey "
        + sparql_literal(key)
        + " GRAPH ?g { ?naming kg:namingOf ?actor } }",
    )
    return sorted({r["actor"] for r in rows if r["g"] in articles})


# --- paged statements (events, positions, quotes) ----------------------------------------------

_EVIDENCE_PROPS = {
    "start": "kg:evidence/oa:hasSelector/oa:start",
    "end": "kg:evidence/oa:hasSelector/oa:end",
    "exact": "kg:evidence/oa:hasSelector/oa:exact",
    "conf": "kg:confidence",
    "s_start": "kg:sentence/oa:hasSelector/oa:start",
    "s_end": "kg:sentence/oa:hasSelector/oa:end",
    "s_text": "kg:sentence/oa:hasSelector/oa:exact",
    "h_start": "kg:holderMention/oa:hasSelector/oa:start",
    "h_end": "kg:holderMention/oa:hasSelector/oa:end",
    "h_text": "kg:holderMention/oa:hasSelector/oa:exact",
}


@dataclass(frozen=True, slots=True)
class DateRange:
    """Inclusive `from`/`to` bounds; either may be open."""

    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            message = f"{self.end.isoformat()} is before from={self.start.isoformat()}"
            raise InputError(f"to: {message}", errors=[{"parameter": "to", "message": message}])

    @property
    def bounded(self) -> bool:
        return self.start is not None or self.end is not None

    def holds(self, value: str | None) -> bool:
        """True when the ISO date (or dateTime) `value` lies within the bounds; False if None."""
        day = _iso_date(value)
        if day is None:
            return False
        return self.overlaps(day, day)

    def overlaps(self, first: date, last: date) -> bool:
        """True when the period first..last (a day, week, month or year) meets the bounds: a
        statement dated "in 2014" is within from=2014-06-01."""
        after_start = self.start is None or self.start <= last
        return after_start and (self.end is None or first <= self.end)


def _iso_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


ALL_DATES = DateRange()
#: A page size that takes every item (the index reads one article's items whole).
ALL = 1 << 60


@dataclass(frozen=True, slots=True)
class _Search:
    """The Python side of a statement filter: `needle` (folded `q`) is looked for in the names
    of the actors reached by `actor_path` and in the values of `text_paths`."""

    needle: str | None
    actor_path: str
    text_paths: tuple[str, ...]
    dates: DateRange
    by_date: bool = False

    @property
    def active(self) -> bool:
        return bool(self.needle) or self.dates.bounded or self.by_date


@dataclass(frozen=True, slots=True)
class _Item:
    iri: str
    doc: _Doc
    values: Values

    @property
    def evidence(self) -> Evidence:
        return Evidence(
            document=self.doc.id,
            start=_int(self.values, "start") or 0,
            end=_int(self.values, "end") or 0,
            text=_one(self.values, "exact") or "",
        )

    @property
    def confidence(self) -> float | None:
        return _float(_one(self.values, "conf"))

    @property
    def sentence(self) -> TextSpan | None:
        return _text_span(self.values, "s_")

    @property
    def holder_mention(self) -> TextSpan | None:
        return _text_span(self.values, "h_")


def _text_span(values: Values, prefix: str) -> TextSpan | None:
    """The span read through `{prefix}start/end/text`, or None when the item has none."""
    start, end = _int(values, prefix + "start"), _int(values, prefix + "end")
    text = _one(values, prefix + "text")
    if start is None or end is None or text is None:
        return None
    return TextSpan(start=start, end=end, text=text)


def _needle(q: str | None) -> str | None:
    folded = fold(q).strip() if q else ""
    return folded or None


def _actors_named(store: GraphStore, needle: str, graphs: set[str]) -> set[str]:
    """IRIs of the actors named in `graphs` whose id, name or an alias contains `needle`."""
    rows = select(
        store,
        """SELECT DISTINCT ?g ?actor ?label WHERE { GRAPH ?g { ?naming kg:namingOf ?actor }
  { ?actor kg:actorKey ?label } UNION { ?actor skos:prefLabel ?label }
  UNION { ?actor skos:altLabel ?label } }""",
    )
    return {r["actor"] for r in rows if r["g"] in graphs and needle in fold(r["label"])}


def _order(values: Values, iri: str) -> tuple[int, int, str]:
    start, end = _int(values, "start"), _int(values, "end")
    return (-1 if start is None else start), (-1 if end is None else end), iri


def _paged(
    store: GraphStore,
    docs: list[_Doc],
    *,
    item_pattern: str,
    props: dict[str, str],
    limit: int,
    offset: int,
    search: _Search | None = None,
) -> tuple[int, list[_Item]]:
    """Count and page the statements matching `item_pattern` (and `search`) in `docs`.

    The order is document id, then evidence start and end, then item IRI.
    """
    if not docs:
        return 0, []
    if search is not None and search.active:
        total, chosen = _searched(store, docs, item_pattern, search, limit, offset)
    else:
        total, chosen = _counted(store, docs, item_pattern, limit, offset)
    values = _props(store, [iri for iri, _ in chosen], {**_EVIDENCE_PROPS, **props})
    return total, [_Item(iri=iri, doc=doc, values=values[iri]) for iri, doc in chosen]


def _counted(
    store: GraphStore, docs: list[_Doc], item_pattern: str, limit: int, offset: int
) -> tuple[int, list[tuple[str, _Doc]]]:
    """The page when every filter is in SPARQL: the count per article graph, then the items of
    only the articles the page touches, with their sort keys (two queries)."""
    if len(docs) == 1:
        graph = sparql_iri(docs[0].graph)
        rows = select(
            store,
            f"SELECT (COUNT(DISTINCT ?item) AS ?n) WHERE {{ GRAPH {graph} {{ {item_pattern} }} }}",
        )
        counts = {docs[0].graph: int(rows[0]["n"]) if rows else 0}
    else:
        rows = select(
            store,
            f"SELECT ?g (COUNT(DISTINCT ?item) AS ?n) WHERE {{ GRAPH ?g {{ {item_pattern} }} }}"
            " GROUP BY ?g",
        )
        counts = {r["g"]: int(r["n"]) for r in rows}
    total = sum(counts.get(d.graph, 0) for d in docs)
    plan: list[tuple[_Doc, int, int]] = []
    skip, wanted = offset, limit
    for doc in docs:
        n = counts.get(doc.graph, 0)
        if wanted == 0:
            break
        if skip >= n:
            skip -= n
            continue
        take = min(n - skip, wanted)
        plan.append((doc, skip, take))
        wanted -= take
        skip = 0
    if not plan:
        return total, []
    graphs = {doc.graph: doc for doc, _, _ in plan}
    keys = _sort_keys(store, sorted(graphs), item_pattern)
    chosen: list[tuple[str, _Doc]] = []
    for doc, skip, take in plan:
        mine = sorted(key for g, key, _ in keys.values() if g == doc.graph)
        chosen += [(key[2], doc) for key in mine[skip : skip + take]]
    return total, chosen


def _sort_keys(
    store: GraphStore,
    graphs: list[str],
    item_pattern: str,
    extra: dict[str, str] | None = None,
) -> dict[str, tuple[str, tuple[int, int, str], Values]]:
    """Each item's graph, sort key and values (evidence offsets plus `extra` paths), in one
    query over the article graphs `graphs`."""
    # "a" is in every item's pattern: an item without evidence offsets is still listed
    keyed = {"a": "a", "start": _EVIDENCE_PROPS["start"], "end": _EVIDENCE_PROPS["end"]}
    branches = _branches({**keyed, **(extra or {})}, subject="?item")
    rows = select(
        store,
        f"""SELECT DISTINCT ?g ?item ?k ?v WHERE {{
  VALUES ?g {{ {_iris(graphs)} }}
  GRAPH ?g {{ {item_pattern} {{ {branches} }} }}
}}""",
    )
    gathered: dict[str, tuple[str, Values]] = {}
    for row in rows:
        _, values = gathered.setdefault(row["item"], (row["g"], {}))
        values.setdefault(row["k"], []).append(row["v"])
    return {item: (g, _order(values, item), values) for item, (g, values) in gathered.items()}


def _searched(
    store: GraphStore,
    docs: list[_Doc],
    item_pattern: str,
    search: _Search,
    limit: int,
    offset: int,
) -> tuple[int, list[tuple[str, _Doc]]]:
    """The page when `q` or a date bound applies: every candidate's sort key and filter values
    in one query, the matching actors in one more, the article dates in a third; then filtered,
    counted and paged here."""
    extra: dict[str, str] = {}
    named: set[str] = set()
    graphs = {d.graph: d for d in docs}
    if search.needle:
        extra["actor"] = search.actor_path
        for n, path in enumerate(search.text_paths):
            extra[f"text{n}"] = path
        named = _actors_named(store, search.needle, set(graphs))
    published: dict[str, StatementDate] = {}
    dated = search.dates.bounded or search.by_date
    if dated:
        extra.update(_TIME_STAMPS)
        published = _published_dates(store, docs)
    keys = _sort_keys(store, sorted(graphs), item_pattern, extra)

    def when(graph: str, values: Values) -> StatementDate | None:
        own = _own_date(values)
        return own if own is not None else published.get(graph)

    def keep(graph: str, values: Values) -> bool:
        if search.dates.bounded:
            found = when(graph, values)
            if found is None or not search.dates.overlaps(
                date.fromisoformat(found.start), date.fromisoformat(found.end)
            ):
                return False
        if search.needle:
            texts = (v for k, found in values.items() if k.startswith("text") for v in found)
            return bool(named.intersection(values.get("actor", []))) or any(
                search.needle in fold(t) for t in texts
            )
        return True

    rank = {d.graph: n for n, d in enumerate(docs)}

    def order(graph: str, values: Values) -> tuple[int, str, str]:
        """Dated first, by first day, the shorter period first; then the undated."""
        found = when(graph, values) if search.by_date else None
        return (0, found.start, found.end) if found is not None else (1, "", "")

    matching = sorted(
        (order(g, values), rank[g], key, item)
        for item, (g, key, values) in keys.items()
        if keep(g, values)
    )
    page = matching[offset : offset + limit]
    return len(matching), [(item, docs[r]) for _, r, _, item in page]


#: A statement's own date: a time stamp typed by its precision, or a week's bounds.
_TIME_STAMPS = {
    "date": "sem:hasTimeStamp",
    "begin": "sem:hasEarliestBeginTimeStamp",
    "finish": "sem:hasLatestEndTimeStamp",
}
#: The words that date a statement (`kg:dateEvidence`), read as a `_text_span` with "d_".
_DATE_EVIDENCE = {
    "d_start": "kg:dateEvidence/oa:hasSelector/oa:start",
    "d_end": "kg:dateEvidence/oa:hasSelector/oa:end",
    "d_text": "kg:dateEvidence/oa:hasSelector/oa:exact",
}


def _statement_date(stated: StatedDate, basis: str, words: TextSpan | None) -> StatementDate:
    return StatementDate(
        value=iso(stated),
        precision=stated.precision.value,
        start=stated.first.isoformat(),
        end=last_day(stated).isoformat(),
        basis=basis,
        text=words,
    )


def _own_date(values: Values) -> StatementDate | None:
    """The date a statement's values (`_TIME_STAMPS`, `_DATE_EVIDENCE`) give it, if any."""
    stamp, begin = _one(values, "date"), _one(values, "begin")
    stated = parse_iso(stamp) if stamp is not None else None
    if stated is None and begin is not None:
        first = _iso_date(begin)
        stated = StatedDate(first, DatePrecision.WEEK) if first is not None else None
    if stated is None:
        return None
    return _statement_date(stated, "text", _text_span(values, "d_"))


_SPAN_PATHS = {"pe_start": "oa:start", "pe_end": "oa:end", "pe_text": "oa:exact"}


def _published_dates(store: GraphStore, docs: list[_Doc]) -> dict[str, StatementDate]:
    """Each article graph's published date as a statement date (`basis` published), with the
    words it was read from when the text stated it (one query)."""
    props = {
        "p": "schema:datePublished",
        **{k: "kg:datePublishedEvidence/oa:hasSelector/" + v for k, v in _SPAN_PATHS.items()},
    }
    found = _props_in(store, [(d.graph, d.iri) for d in docs], props)
    out: dict[str, StatementDate] = {}
    for d in docs:
        values = found[(d.graph, d.iri)]
        day = _iso_date(_one(values, "p"))
        if day is not None:
            stated = StatedDate(day, DatePrecision.DAY)
            out[d.graph] = _statement_date(stated, "published", _text_span(values, "pe_"))
    return out


_EVENT_PROPS = {
    "cls": "a",
    "place": "sem:hasPlace",
    "time": "kg:timeExpression",
    "status": "kg:status",
    **_TIME_STAMPS,
    **_DATE_EVIDENCE,
}
_PARTICIPANT_PATH = "(sem:hasActor|(kg:hasParticipation/kg:participant))"
_EVIDENCE_TEXT = _EVIDENCE_PROPS["exact"]


def _actor_filter(store: GraphStore, path: str, actor: str | None, parameter: str = "actor") -> str:
    """A pattern restricting `?item` to those whose `path` reaches actor `actor`; "" without
    an actor filter.

    Raises:
        InvalidParameterError: no article names an actor with this id (`parameter` is named,
            and the closest ids by id, name or alias are suggested).
    """
    if actor is None:
        return ""
    iris = _actor_iris(store, actor)
    if not iris:
        suggestions = closest(actor, {a.id: [a.name, *a.aliases] for a in _actors(store)})
        raise InvalidParameterError(
            parameter,
            _unknown("actor", actor, suggestions, "/actors?q="),
            suggestions=suggestions,
        )
    return f"?item {path} ?actorF . VALUES ?actorF {{ {_iris(iris)} }}"


def sparql_events(
    store: GraphStore,
    *,
    document: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    q: str | None = None,
    dates: DateRange = ALL_DATES,
    limit: int = ALL,
    offset: int = 0,
) -> Page[Event]:
    """Events, filtered; `actor` is a participant's id, `q` matches a participant's id, name or
    alias or the evidence sentence; `dates` bound the event's `sem:hasTimeStamp`, else the
    article's date."""
    docs = _filter_documents(store, document)
    classes = (
        values_clause("cls", [sparql_iri(EVENT_CLASS_BY_TYPE[event_type])])
        if event_type
        else _event_classes()
    )
    by_actor = _actor_filter(store, _PARTICIPANT_PATH, actor)
    total, items = _paged(
        store,
        docs,
        item_pattern=f"?item a ?cls . {classes} {by_actor}",
        props=_EVENT_PROPS,
        limit=limit,
        offset=offset,
        search=_Search(_needle(q), _PARTICIPANT_PATH, (_EVIDENCE_TEXT,), dates),
    )
    participants: dict[str, dict[str, str]] = {item.iri: {} for item in items}
    if items:
        rows = select(
            store,
            f"""SELECT ?item ?actor ?role WHERE {{
  VALUES ?item {{ {_iris(participants)} }}
  {{ ?item sem:hasActor ?actor }}
  UNION {{ ?item kg:hasParticipation/kg:participant ?actor }}
  UNION {{ ?item kg:hasParticipation ?p . ?p kg:participant ?actor ; kg:participantRole ?role }}
}}""",
        )
        for row in rows:
            roles = participants[row["item"]]
            if "role" in row or row["actor"] not in roles:
                roles[row["actor"]] = local_name(row.get("role", "participant"))
    pairs = {(i.doc.graph, a) for i in items for a in participants[i.iri]}
    pairs |= {(i.doc.graph, p) for i in items for p in i.values.get("place", [])}
    infos = _actor_infos(store, pairs)
    events = []
    for item in items:
        g, v = item.doc.graph, item.values
        types = [EVENT_TYPES[local_name(c)] for c in v.get("cls", []) if c in _EVENT_CLASSES]
        place = _one(v, "place")
        status = _one(v, "status")
        events.append(
            Event(
                id=item_id(item.iri),
                type=types[0] if types else "other",
                participants=[
                    ParticipantRef(**_ref(infos, g, actor).model_dump(), role=role)
                    for actor, role in sorted(participants[item.iri].items())
                ],
                place=_ref(infos, g, place) if place else None,
                time=_one(v, "time"),
                date=_own_date(v),
                status=local_name(status) if status else None,
                evidence=item.evidence,
                sentence=item.sentence,
                holder_mention=item.holder_mention,
                confidence=item.confidence,
                document=item.doc.id,
                iri=item.iri,
            )
        )
    return Page[Event](items=events, total=total, limit=limit, offset=offset)


def _topic_iris(store: GraphStore, topic: str) -> list[str]:
    """The topic concepts whose REST id is `topic`: `skos:notation`, or the IRI's local name.

    Raises:
        InvalidParameterError: no concept of the topic scheme, and no position, has this topic
            (the closest topic ids by id or label are suggested).
    """
    rows = select(store, f"SELECT DISTINCT ?t WHERE {{ ?t skos:notation {sparql_literal(topic)} }}")
    iris = {r["t"] for r in rows}
    with contextlib.suppress(ValueError):  # not IRI-safe: only the notation can match
        iris.add(ox.NamedNode(TOPIC + topic).value)
    known = _topic_names(store)
    if not iris & set(known) and not _ask(
        store, f"ASK {{ ?p kg:topic ?t . VALUES ?t {{ {_iris(iris)} }} }}"
    ):
        suggestions = closest(topic, dict(known.values()))
        raise InvalidParameterError(
            "topic", _unknown("topic", topic, suggestions, "/topics"), suggestions=suggestions
        )
    return sorted(iris)


def _topic_names(store: GraphStore) -> dict[str, tuple[str, list[str]]]:
    """The topic scheme's concepts: IRI -> (REST id, labels)."""
    rows = select(
        store,
        f"""SELECT ?t ?n ?label WHERE {{
  {{ ?t skos:inScheme {sparql_iri(TOPIC + "scheme")} }}
  UNION {{ ?t skos:topConceptOf {sparql_iri(TOPIC + "scheme")} }}
  OPTIONAL {{ ?t skos:notation ?n }}
  OPTIONAL {{ ?t skos:prefLabel|skos:altLabel ?label }}
}}""",
    )
    found: dict[str, tuple[str, list[str]]] = {}
    for row in rows:
        topic_id, labels = found.get(row["t"], (row.get("n") or local_name(row["t"]), []))
        if "label" in row:
            labels.append(row["label"])
        found[row["t"]] = (topic_id, labels)
    return found


def _ask(store: GraphStore, sparql: str) -> bool:
    """Run an ASK over the union of all graphs."""
    answer: QueryResult | None = store.query(PREFIXES + sparql)
    if not isinstance(answer, ox.QueryBoolean):
        raise StoreError("internal ASK query did not return a boolean")
    return bool(answer)


_POSITION_PROPS = {
    "holder": "kg:holder",
    "stance": "kg:stance",
    "topic": "kg:topic",
    "dir": "kg:direction",
    "target": "kg:target",
    "rep": "kg:reportedBy",
    "hedged": "kg:hedged",
    **_TIME_STAMPS,
    **_DATE_EVIDENCE,
}
#: REST direction -> the `kg:direction` individual's local name.
DIRECTIONS = {d.value: d.term.name for d in vocab.Direction}


def sparql_positions(
    store: GraphStore,
    *,
    document: str | None = None,
    actor: str | None = None,
    topic: str | None = None,
    stance: str | None = None,
    direction: str | None = None,
    q: str | None = None,
    dates: DateRange = ALL_DATES,
    by_date: bool = False,
    limit: int = ALL,
    offset: int = 0,
) -> Page[Position]:
    """Positions, filtered; `actor` is the holder's id, `q` matches the holder's id, name or
    alias or the evidence sentence; `dates` bound the position's date (its own `sem:hasTimeStamp`
    or week, else the article's published date); `by_date` orders them by that date (the
    undated last) instead of by document."""
    docs = _filter_documents(store, document)
    pattern = ["?item a kg:Position ."]
    pattern.append(_actor_filter(store, "kg:holder", actor))
    if stance is not None:
        pattern.append(f"?item kg:stance {sparql_iri(STANCE + stance)} .")
    if direction is not None:
        pattern.append(f"?item kg:direction {sparql_iri(DIRECTION + DIRECTIONS[direction])} .")
    if topic is not None:
        topics = _topic_iris(store, topic)
        pattern.append(f"?item kg:topic ?topicF . VALUES ?topicF {{ {_iris(topics)} }}")
    total, items = _paged(
        store,
        docs,
        item_pattern="\n    ".join(pattern),
        props=_POSITION_PROPS,
        limit=limit,
        offset=offset,
        search=_Search(_needle(q), "kg:holder", (_EVIDENCE_TEXT,), dates, by_date),
    )
    published = _published_dates(store, list({i.doc.graph: i.doc for i in items}.values()))
    topic_iris = {t for i in items for t in i.values.get("topic", [])}
    topics_of = _topic_labels(store, topic_iris)
    phrasings = topic_phrasings(store, topics_of)
    pairs = {
        (i.doc.graph, a)
        for i in items
        for k in ("holder", "target", "rep")
        for a in i.values.get(k, [])
    }
    infos = _actor_infos(store, pairs)
    positions = []
    for item in items:
        g, v = item.doc.graph, item.values
        topic_iri = _one(v, "topic") or ""
        target, reported_by = _one(v, "target"), _one(v, "rep")
        stance, direction = local_name(_one(v, "stance") or ""), _direction(_one(v, "dir") or "")
        about = topics_of.get(topic_iri, Topic(id=local_name(topic_iri), label=""))
        phrasing = phrasings.get(topic_iri) or TopicPhrasing.from_label(about.label or about.id)
        positions.append(
            Position(
                id=item_id(item.iri),
                actor=_ref(infos, g, _one(v, "holder") or ""),
                stance=stance,
                topic=about,
                direction=direction,
                summary=summarize(stance, direction, phrasing),
                target=_ref(infos, g, target) if target else None,
                reported_by=_ref(infos, g, reported_by) if reported_by else None,
                hedged=_one(v, "hedged") in ("true", "1"),
                evidence=item.evidence,
                sentence=item.sentence,
                holder_mention=item.holder_mention,
                date=_own_date(v) or published.get(g),
                confidence=item.confidence,
                document=item.doc.id,
                iri=item.iri,
            )
        )
    return Page[Position](items=positions, total=total, limit=limit, offset=offset)


def _topic_labels(store: GraphStore, iris: set[str]) -> dict[str, Topic]:
    """REST id (`skos:notation`, else the local name) and label of each topic, in one query."""
    out: dict[str, Topic] = {}
    for iri, values in _props(
        store, iris, {"n": "skos:notation", "label": "skos:prefLabel"}
    ).items():
        topic_id = _one(values, "n") or local_name(iri)
        out[iri] = Topic(id=topic_id, label=_one(values, "label") or topic_id)
    return out


_PHRASES = {"for": "kg:forPhrase", "against": "kg:againstPhrase", "about": "kg:topicPhrase"}


def topic_phrasings(store: GraphStore, topics: dict[str, Topic]) -> dict[str, TopicPhrasing]:
    """The phrases (`kg:forPhrase`, ...) of each topic IRI, in English, in one query.

    A topic the store describes without phrases (a store built before topics carried them)
    takes those of ontology/topics.ttl, else phrases made from its label.
    """
    if not topics:
        return {}
    pairs = " ".join(f"({sparql_literal(k)} {p})" for k, p in _PHRASES.items())
    rows = select(
        store,
        f"""SELECT DISTINCT ?s ?k ?v WHERE {{
  VALUES ?s {{ {_iris(sorted(topics))} }} VALUES (?k ?p) {{ {pairs} }}
  ?s ?p ?v FILTER(langMatches(lang(?v), "en") || lang(?v) = "")
}}""",
    )
    found: dict[str, dict[str, str]] = {}
    for row in sorted(rows, key=lambda r: (r["s"], r["k"], r["v"])):
        found.setdefault(row["s"], {}).setdefault(row["k"], row["v"])
    repository = repository_phrasings()
    out: dict[str, TopicPhrasing] = {}
    for iri, topic in topics.items():
        phrases = found.get(iri, {})
        if len(phrases) == len(_PHRASES):
            out[iri] = TopicPhrasing(phrases["for"], phrases["against"], phrases["about"])
        else:
            out[iri] = repository.get(iri) or TopicPhrasing.from_label(topic.label or topic.id)
    return out


def sparql_quotes(
    store: GraphStore,
    *,
    document: str | None = None,
    speaker: str | None = None,
    actor: str | None = None,
    q: str | None = None,
    dates: DateRange = ALL_DATES,
    limit: int = ALL,
    offset: int = 0,
) -> Page[Quote]:
    """Quotes, filtered; `actor` (or its older name `speaker`; both given must agree) is the
    speaker's id, `q` matches the quoted text or the speaker's id, name or alias; `dates`
    bound the article's date."""
    if speaker is not None and actor is not None and speaker != actor:
        return Page[Quote](items=[], total=0, limit=limit, offset=offset)
    docs = _filter_documents(store, document)
    by_actor = _actor_filter(
        store,
        "kg:speaker",
        actor if actor is not None else speaker,
        "actor" if actor is not None else "speaker",
    )
    total, items = _paged(
        store,
        docs,
        item_pattern=f"?item a kg:Quote . {by_actor}",
        props={"speaker": "kg:speaker", "text": "kg:quotedText"},
        limit=limit,
        offset=offset,
        search=_Search(_needle(q), "kg:speaker", ("kg:quotedText", _EVIDENCE_TEXT), dates),
    )
    infos = _actor_infos(
        store, {(i.doc.graph, a) for i in items for a in i.values.get("speaker", [])}
    )
    quotes = [
        Quote(
            id=item_id(item.iri),
            speaker=_ref(infos, item.doc.graph, _one(item.values, "speaker") or ""),
            text=_one(item.values, "text") or item.evidence.text,
            evidence=item.evidence,
            sentence=item.sentence,
            holder_mention=item.holder_mention,
            confidence=item.confidence,
            document=item.doc.id,
            iri=item.iri,
        )
        for item in items
    ]
    return Page[Quote](items=quotes, total=total, limit=limit, offset=offset)


# --- documents ----------------------------------------------------------------------------------

_DOCUMENT_PROPS = {
    "file": "kg:fileName",
    "title": "schema:headline",
    "display": "kg:displayTitle",
    "url": "schema:url",
    "published": "schema:datePublished",
    "hash": "kg:contentHash",
    "author": "schema:author/^kg:namingOf/kg:name",
    "outlet": "schema:publisher/^kg:namingOf/kg:name",
    **{k: "kg:datePublishedEvidence/oa:hasSelector/" + v for k, v in _SPAN_PATHS.items()},
}


def _document_rows(store: GraphStore, docs: list[_Doc]) -> list[Document]:
    """The metadata of `docs`, in their order, each read in its own graph (one query; one more
    for the texts of untitled documents stored without a `kg:displayTitle`)."""
    values = _props_in(store, [(d.graph, d.iri) for d in docs], _DOCUMENT_PROPS)
    untitled = [d for d in docs if not {"display", "title"} & values[(d.graph, d.iri)].keys()]
    if untitled:
        texts = _props_in(store, [(d.graph, d.iri) for d in untitled], {"text": "kg:text"})
        for d in untitled:
            text = _one(texts[(d.graph, d.iri)], "text") or ""
            shown = display_title(Article(doc_id=d.id, text=text, content_hash=""))
            values[(d.graph, d.iri)]["display"] = [shown]
    return [
        Document(
            id=d.id,
            file=_one(v, "file"),
            title=_one(v, "title"),
            display_title=_one(v, "display") or _one(v, "title") or d.id,
            url=_one(v, "url"),
            outlet=_one(v, "outlet"),
            author=_one(v, "author"),
            published=_one(v, "published"),
            published_evidence=_text_span(v, "pe_"),
            iri=d.iri,
            content_hash=_one(v, "hash"),
        )
        for d in docs
        for v in [values[(d.graph, d.iri)]]
    ]


def document_exists(store: GraphStore, document: str) -> bool:
    return bool(_documents(store, document))


def list_documents(
    store: GraphStore,
    *,
    q: str | None = None,
    dates: DateRange = ALL_DATES,
    limit: int,
    offset: int,
) -> Page[Document]:
    """The articles by id; `q` matches display title, outlet or author (folded), `dates` bound the
    published date (an article without one is left out when a bound is given)."""
    docs = _documents(store)
    needle = _needle(q)
    if needle is None and not dates.bounded:
        items = _document_rows(store, docs[offset : offset + limit])
        return Page[Document](items=items, total=len(docs), limit=limit, offset=offset)
    matching = [
        d
        for d in _document_rows(store, docs)
        if (not dates.bounded or dates.holds(d.published))
        and (
            needle is None
            or any(needle in fold(t or "") for t in (d.display_title, d.outlet, d.author))
        )
    ]
    return Page[Document](
        items=matching[offset : offset + limit], total=len(matching), limit=limit, offset=offset
    )


def get_document(store: GraphStore, document: str) -> DocumentDetail:
    docs = _require_documents(store, document)
    (detail,) = _document_rows(store, docs[:1])
    actor_rows = select(
        store,
        f"""SELECT ?actor ?key ?name ?atype ?alias WHERE {{
  GRAPH {sparql_iri(docs[0].graph)} {{
    ?naming kg:namingOf ?actor OPTIONAL {{ ?naming kg:alias ?alias }}
  }}
  ?actor a ?cls . {_actor_classes()}
  OPTIONAL {{ ?actor kg:actorKey ?key }}
  OPTIONAL {{ ?actor skos:prefLabel ?name }}
}}""",
    )
    actors: dict[str, TypedActorRef] = {}
    aliases: dict[str, set[str]] = {}
    for row in actor_rows:
        aliases.setdefault(row["actor"], set()).update([row["alias"]] if "alias" in row else [])
        if row["actor"] not in actors:
            key = row.get("key") or local_name(row["actor"])
            actors[row["actor"]] = TypedActorRef(
                id=key,
                name=row.get("name") or key,
                aliases=[],
                type=row.get("atype"),
                iri=row["actor"],
            )
    refs = [ref.model_copy(update={"aliases": sorted(aliases[iri])}) for iri, ref in actors.items()]
    refs.sort(key=lambda a: (fold(a.name), a.id))
    return DocumentDetail(**detail.model_dump(), actors=refs)


def get_document_text(store: GraphStore, document: str) -> str:
    docs = _require_documents(store, document)
    rows = select(
        store,
        f"""SELECT ?text WHERE {{
  GRAPH {sparql_iri(docs[0].graph)} {{ {sparql_iri(docs[0].iri)} kg:text ?text }}
}} LIMIT 1""",
    )
    if not rows:
        raise NotFoundError(f"the document {document!r} has no stored text")
    return rows[0]["text"]


# --- actors -------------------------------------------------------------------------------------


def _actors(store: GraphStore, iris: list[str] | None = None) -> list[Actor]:
    """Actors named in article graphs (all, or the given IRIs), as the registry describes
    them, with the articles that name them.

    One grouped query for the descriptions and the naming graphs, one for aliases and Wikidata
    entities (no OPTIONAL under `GRAPH ?g`, which oxigraph evaluates slowly).
    """
    docs = _documents(store)
    doc_of_graph = {d.graph: d.id for d in docs}
    only = values_clause("actor", [sparql_iri(i) for i in iris]) if iris is not None else ""
    rows = select(
        store,
        f"""
SELECT ?actor (MIN(?key0) AS ?key) (MIN(?name0) AS ?name) (MIN(?atype) AS ?type)
       (GROUP_CONCAT(DISTINCT STR(?g); separator="\u001f") AS ?graphs)
WHERE {{
  {only}
  GRAPH ?g {{ ?naming kg:namingOf ?actor }}
  ?actor kg:actorKey ?key0 ; skos:prefLabel ?name0 ; a ?cls . {_actor_classes()}
}} GROUP BY ?actor""",
    )
    actors = [row for row in rows if "key" in row and "type" in row]
    if not actors:
        return []
    extra = _props(
        store, (r["actor"] for r in actors), {"alias": "skos:altLabel", "wd": "owl:sameAs"}
    )
    return [
        Actor(
            id=row["key"],
            name=row.get("name") or row["key"],
            aliases=sorted(set(extra[row["actor"]].get("alias", []))),
            type=row.get("type"),
            iri=row["actor"],
            wikidata=next(
                (wd for wd in extra[row["actor"]].get("wd", []) if wd.startswith(WIKIDATA)), None
            ),
            roles=[],
            documents=sorted({doc_of_graph[g] for g in _split(row["graphs"]) if g in doc_of_graph}),
        )
        for row in actors
    ]


def list_actors(
    store: GraphStore,
    *,
    q: str | None = None,
    actor_type: str | None = None,
    document: str | None = None,
    limit: int,
    offset: int,
) -> Page[Actor]:
    """Actors named in the articles, by folded name then id; `q` matches name, aliases or id,
    ignoring case and accents (done in Python: SPARQL has no accent folding); `document`
    keeps the actors that article describes."""
    actors = _actors(store)
    if actor_type:
        actors = [a for a in actors if a.type == actor_type]
    if document is not None:
        actors = [a for a in actors if document in a.documents]
    needle = _needle(q)
    if needle:
        actors = [a for a in actors if any(needle in fold(t) for t in (a.name, a.id, *a.aliases))]
    actors.sort(key=lambda a: (fold(a.name), a.id))
    page = actors[offset : offset + limit]
    return Page[Actor](items=page, total=len(actors), limit=limit, offset=offset)


def get_actor(store: GraphStore, key: str) -> Actor:
    iris = _actor_iris(store, key)
    actors = _actors(store, iris) if iris else []
    if not actors:
        raise NotFoundError(f"no actor with id {key!r}; search them at /actors?q=")
    actor = actors[0]
    role_rows = select(
        store,
        f"""SELECT DISTINCT ?label WHERE {{
  VALUES ?actor {{ {sparql_iri(actor.iri)} }}
  ?role kg:roleOf ?actor ; rdfs:label ?label .
}} ORDER BY ?label""",
    )
    return actor.model_copy(update={"roles": [r["label"] for r in role_rows]})


def actor_exists(store: GraphStore, key: str) -> bool:
    """Whether a stored article names an actor with this key."""
    index = index_of(store)
    return bool(index.actor_iris(key) if index is not None else _actor_iris(store, key))


# --- figures ------------------------------------------------------------------------------------


def stats(store: GraphStore) -> Stats:
    docs = _documents(store)
    articles = {d.graph for d in docs}
    per_graph = select(
        store,
        f"""
SELECT ?g ?what (COUNT(DISTINCT ?x) AS ?n) WHERE {{
  GRAPH ?g {{
    {{ ?x a ?cls . {_event_classes()} BIND("events" AS ?what) }}
    UNION {{ ?x a kg:Position . BIND("positions" AS ?what) }}
    UNION {{ ?x a kg:Quote . BIND("quotes" AS ?what) }}
  }}
}} GROUP BY ?g ?what""",
    )
    counts = {"events": 0, "positions": 0, "quotes": 0}
    for row in per_graph:
        if row["g"] in articles and row["what"] in counts:
            counts[row["what"]] += int(row["n"])
    actor_rows = select(store, "SELECT DISTINCT ?g ?x WHERE { GRAPH ?g { ?n kg:namingOf ?x } }")
    figures = store.stats()
    return Stats(
        documents=len(docs),
        actors=len({r["x"] for r in actor_rows if r["g"] in articles}),
        events=counts["events"],
        positions=counts["positions"],
        quotes=counts["quotes"],
        graphs=figures.graphs,
        triples=figures.triples,
    )


# --- the lists: from the read index when the store has one (`kg.read.index`) --------------------


def published_date(store: GraphStore, document: str) -> StatementDate | None:
    """The published date of one stored article, as a statement date (None if undated)."""
    docs = _documents(store, document)
    return _published_dates(store, docs).get(docs[0].graph) if docs else None


def own_date(values: Values) -> StatementDate | None:
    """The date a statement's own time stamps give it (`_TIME_STAMPS` keys), if any."""
    return _own_date(values)


def _indexed_document(store: GraphStore, index: ReadIndex, document: str | None) -> str | None:
    if document is not None and document not in index.documents():
        _filter_documents(store, document)  # raises with the closest ids
    return document


def _indexed_actors(
    store: GraphStore, index: ReadIndex, actor: str | None, path: str, parameter: str = "actor"
) -> tuple[str, ...] | None:
    if actor is None:
        return None
    iris = index.actor_iris(actor)
    if not iris:
        _actor_filter(store, path, actor, parameter)  # raises with the closest ids
    return tuple(iris)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _page(
    store: GraphStore,
    kind: str,
    sparql: Callable[..., Page[Any]],
    *,
    indexed_actor: tuple[str | None, str, str],
    facets: Callable[[ReadIndex], dict[str, Any]] = lambda _index: {},
    indexable: bool = True,
    document: str | None,
    q: str | None,
    dates: DateRange,
    limit: int,
    offset: int,
    **only: Any,
) -> RawPage:
    """One page of a list (`kind`), serialised: `sparql(store, …)` with every filter when the
    store has no ready read index (or `indexable` is False), else the index's rows.

    Args:
        indexed_actor: the actor id the index filters on, its path from the item and the
            parameter an unknown id is reported under.
        facets: the `FacetFilter` fields of the kind's own filters; called once the document
            and actor ids are known, so an unknown id fails first, as it does in SPARQL.
        only: the kind's own filters, passed to `sparql` as they are.
    """
    index = index_of(store)
    if index is None or not indexable:
        return RawPage.of(
            sparql(store, document=document, q=q, dates=dates, limit=limit, offset=offset, **only)
        )
    wanted = FacetFilter(
        kind=kind,
        document=_indexed_document(store, index, document),
        actors=_indexed_actors(store, index, *indexed_actor),
        needle=_needle(q),
        date_from=_iso(dates.start),
        date_to=_iso(dates.end),
        **facets(index),
    )
    total, rows = index.page(wanted, limit=limit, offset=offset)
    return RawPage(rows, total, limit, offset)


def positions_page(
    store: GraphStore,
    *,
    document: str | None = None,
    actor: str | None = None,
    topic: str | None = None,
    stance: str | None = None,
    direction: str | None = None,
    q: str | None = None,
    dates: DateRange = ALL_DATES,
    by_date: bool = False,
    limit: int,
    offset: int,
) -> RawPage:
    """Positions, filtered and paged, serialised, as `sparql_positions` gives them: from the
    read index when the store has one, else with SPARQL."""

    def facets(index: ReadIndex) -> dict[str, Any]:
        topics = None
        if topic is not None:
            topics = tuple(index.topic_iris(topic, lambda: _topic_iris(store, topic)))
        return {
            "topics": topics,
            "stance": stance,
            "direction": direction,
            "by_date": by_date,
        }

    return _page(
        store,
        "position",
        sparql_positions,
        indexed_actor=(actor, "kg:holder", "actor"),
        facets=facets,
        document=document,
        actor=actor,
        topic=topic,
        stance=stance,
        direction=direction,
        q=q,
        dates=dates,
        by_date=by_date,
        limit=limit,
        offset=offset,
    )


def events_page(
    store: GraphStore,
    *,
    document: str | None = None,
    event_type: str | None = None,
    actor: str | None = None,
    q: str | None = None,
    dates: DateRange = ALL_DATES,
    limit: int,
    offset: int,
) -> RawPage:
    """Events, filtered and paged, as `sparql_events` gives them: from the read index when
    the store has one, else with SPARQL."""
    return _page(
        store,
        "event",
        sparql_events,
        indexed_actor=(actor, _PARTICIPANT_PATH, "actor"),
        facets=lambda _index: {
            "classes": (EVENT_CLASS_BY_TYPE[event_type],) if event_type else None
        },
        document=document,
        event_type=event_type,
        actor=actor,
        q=q,
        dates=dates,
        limit=limit,
        offset=offset,
    )


def quotes_page(
    store: GraphStore,
    *,
    document: str | None = None,
    speaker: str | None = None,
    actor: str | None = None,
    q: str | None = None,
    dates: DateRange = ALL_DATES,
    limit: int,
    offset: int,
) -> RawPage:
    """Quotes, filtered and paged, as `sparql_quotes` gives them: from the read index when
    the store has one, else with SPARQL (which also answers a `speaker` and an `actor` that
    disagree: an empty page)."""
    return _page(
        store,
        "quote",
        sparql_quotes,
        indexed_actor=(actor, "kg:speaker", "actor")
        if actor is not None
        else (speaker, "kg:speaker", "speaker"),
        indexable=speaker is None or actor is None or speaker == actor,
        document=document,
        speaker=speaker,
        actor=actor,
        q=q,
        dates=dates,
        limit=limit,
        offset=offset,
    )


def list_positions(store: GraphStore, **filters: Any) -> Page[Position]:
    """`positions_page` as models (same filters)."""
    return positions_page(store, **filters).parse(Position)


def list_events(store: GraphStore, **filters: Any) -> Page[Event]:
    """`events_page` as models (same filters)."""
    return events_page(store, **filters).parse(Event)


def list_quotes(store: GraphStore, **filters: Any) -> Page[Quote]:
    """`quotes_page` as models (same filters)."""
    return quotes_page(store, **filters).parse(Quote)
