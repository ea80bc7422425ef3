"""Map one article's `Extraction` to RDF in the shape of docs/rdf-model.md.

`to_graph` returns a plain `rdflib.Graph` whose identifier is the article's named graph IRI
(`iris.graph(doc_id)`); the store puts its triples under that name. The mapping is a pure
function of the records: no blank nodes, no clock, IRIs minted by `kg.iris` from record fields,
so rebuilding an unchanged article gives an isomorphic (in fact identical) graph.

The mapping refuses records it cannot represent faithfully (`MappingError`): a reference to an
actor that is not described, a span whose text is not the article text at its offsets, a value
that cannot go into an IRI. Refusing here gives a precise message; SHACL (`kg.validation`) then
checks the finished graph as a whole.

Actors are not described in the article graph: the graph holds one `kg:Naming` per actor (the
name, type, aliases and Wikidata entity this article gives it), and `kg.registry` derives the
one description of each actor, in the registry graph, from the namings of every stored article.

The module also locates and reads the ontology files (`ontology_dir`, `ontology_graph`,
`gazetteer_graph`), because the mapping is what those files describe.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.dates import iso, last_day
from kg.errors import MappingError
from kg.iris import Iris, short_hash, slugify
from kg.namespaces import (
    KG,
    OA,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    TOPIC,
    WIKIDATA,
    XSD,
    bind_prefixes,
)
from kg.records import (
    Actor,
    ActorType,
    DatePrecision,
    Direction,
    Event,
    EventStatus,
    EventType,
    Extraction,
    Mention,
    Merge,
    ParticipantRole,
    Position,
    Quote,
    Role,
    Span,
    Stance,
    StatedDate,
)
from kg.titles import display_title

__all__ = [
    "ACTOR_CLASSES",
    "EVENT_CLASSES",
    "gazetteer_graph",
    "ontology_dir",
    "ontology_files",
    "ontology_graph",
    "read_ontology_file",
    "to_graph",
]

logger = logging.getLogger(__name__)

#: The class of each actor type, event type and the concept of each status, role, stance and
#: direction: all from `kg.vocab`, which carries each term's IRI.
ACTOR_CLASSES: dict[ActorType, URIRef] = {t: URIRef(t.iri) for t in ActorType}
EVENT_CLASSES: dict[EventType, URIRef] = {t: URIRef(t.iri) for t in EventType}
_STATUSES: dict[EventStatus, URIRef] = {s: URIRef(s.iri) for s in EventStatus}
_ROLES: dict[ParticipantRole, URIRef] = {r: URIRef(r.iri) for r in ParticipantRole}
_STANCES: dict[Stance, URIRef] = {s: URIRef(s.iri) for s in Stance}
_DIRECTIONS: dict[Direction, URIRef] = {d: URIRef(d.iri) for d in Direction}

# Characters that may stand unescaped in one IRI path segment (RFC 3987 iunreserved, ASCII part).
_IRI_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")
_TOPIC_ID = re.compile(r"^[A-Za-z0-9_-]+$")
_WIKIDATA_ID = re.compile(r"(?:^|/)(Q[0-9]+)$")

# Files of ontology/ that are not vocabulary: the shapes (validation input) and the gazetteer
# (its own named graph, `gazetteer_graph`).
SHAPES_FILE = "shapes.ttl"
GAZETTEER_FILE = "actors.ttl"

SOFTWARE_LABEL = "newskg extractor"


# ---------------------------------------------------------------------------------------------
# Ontology files
# ---------------------------------------------------------------------------------------------


def ontology_dir() -> Path:
    """The repository's `ontology/` folder, which sits next to the `kg` package."""
    return Path(__file__).resolve().parent.parent / "ontology"


def read_ontology_file(name: str) -> Graph:
    """Parse one Turtle file of `ontology/`.

    Args:
        name: the file name, e.g. "topics.ttl".

    Raises:
        FileNotFoundError: the file does not exist.
    """
    graph = bind_prefixes(Graph())
    graph.parse(ontology_dir() / name, format="turtle")
    return graph


def ontology_files() -> list[Path]:
    """The vocabulary files: every `ontology/*.ttl` except the shapes and the gazetteer, sorted."""
    excluded = {SHAPES_FILE, GAZETTEER_FILE}
    return sorted(path for path in ontology_dir().glob("*.ttl") if path.name not in excluded)


def ontology_graph() -> Graph:
    """The content of the `<{base}graph/ontology>` named graph: newskg.ttl, topics, lexicon.

    Raises:
        FileNotFoundError: ontology/newskg.ttl is missing (the other files are optional).
    """
    graph = read_ontology_file("newskg.ttl")
    for path in ontology_files():
        if path.name != "newskg.ttl":
            graph.parse(path, format="turtle")
    return graph


def gazetteer_graph() -> Graph:
    """The content of the `<{base}graph/gazetteer>` named graph: the gazetteer, or empty if
    absent."""
    if not (ontology_dir() / GAZETTEER_FILE).exists():
        return bind_prefixes(Graph())
    return read_ontology_file(GAZETTEER_FILE)


# ---------------------------------------------------------------------------------------------
# Article graphs
# ---------------------------------------------------------------------------------------------


def to_graph(extraction: Extraction, iris: Iris) -> Graph:
    """The RDF graph of one article: document, activity, namings of its actors and every
    extracted statement.

    Author and outlet become actors (kg:Person / kg:Organization, key `slugify(name)`) linked by
    schema:author / schema:publisher, unless an actor with that key is already extracted, in
    which case that actor is linked. Records that repeat an IRI already mapped (same span, same
    defining fields) are duplicates and are skipped; the first one wins.

    Args:
        extraction: the records extracted from one article.
        iris: the IRI minter for the configured base IRI.

    Returns:
        A graph whose identifier is `iris.graph(doc_id)`, with newskg prefixes bound.

    Raises:
        MappingError: a record refers to an undescribed actor, an evidence span does not match
            the article text, an event place is not a kg:Place, or an id cannot go into an IRI.
    """
    return _ArticleMapper(extraction, iris).run()


@dataclass(frozen=True, slots=True)
class _Context:
    """Where a record came from, for error messages."""

    what: str
    index: int

    def __str__(self) -> str:
        return f"{self.what} #{self.index}"


class _ArticleMapper:
    """One mapping run: holds the graph being built and the actors it may refer to."""

    def __init__(self, extraction: Extraction, iris: Iris) -> None:
        self.extraction = extraction
        self.article = extraction.article
        self.iris = iris
        _check_segment(self.article.doc_id, "article doc_id")
        self.doc_id = self.article.doc_id
        self.doc = iris.document(self.doc_id)
        self.activity = iris.activity(self.doc_id)
        self.graph = bind_prefixes(Graph(identifier=iris.graph(self.doc_id)))
        self.actors = _actor_table(extraction)
        self.author_key = _add_byline_actor(self.actors, self.article.author, ActorType.PERSON)
        self.outlet_key = _add_byline_actor(
            self.actors, self.article.outlet, ActorType.ORGANIZATION
        )
        self.mapped: set[URIRef] = set()

    def add(self, subject: URIRef, predicate: URIRef, obj: Node) -> None:
        self.graph.add((subject, predicate, obj))

    def run(self) -> Graph:
        self.map_document()
        self.map_activity()
        self.map_actors()
        for index, mention in enumerate(self.extraction.mentions):
            self.map_mention(mention, _Context("mention", index))
        for index, role in enumerate(self.extraction.roles):
            self.map_role(role, _Context("role", index))
        for index, merge in enumerate(self.extraction.merges):
            self.map_merge(merge, _Context("merge", index))
        for index, event in enumerate(self.extraction.events):
            self.map_event(event, _Context("event", index))
        for index, position in enumerate(self.extraction.positions):
            self.map_position(position, _Context("position", index))
        for index, quote in enumerate(self.extraction.quotes):
            self.map_quote(quote, _Context("quote", index))
        return self.graph

    # --- document, activity, actors ------------------------------------------------------------

    def map_document(self) -> None:
        article, doc = self.article, self.doc
        self.add(doc, RDF.type, KG.Document)
        self.add(doc, RDF.type, SCHEMA.NewsArticle)
        self.add(doc, KG.documentId, Literal(article.doc_id))
        self.add(doc, KG.contentHash, Literal(article.content_hash))
        self.add(doc, KG.text, Literal(article.text))
        self.add(doc, PROV.wasGeneratedBy, self.activity)
        if article.file:
            self.add(doc, KG.fileName, Literal(article.file))
        if article.title:
            self.add(doc, SCHEMA.headline, Literal(article.title))
        self.add(doc, KG.displayTitle, Literal(display_title(article)))
        if article.url:
            self.add(doc, SCHEMA.url, Literal(article.url, datatype=XSD.anyURI))
        if article.published:
            self.add(doc, SCHEMA.datePublished, _date(article.published.isoformat()))
            if article.published_evidence is not None:  # read from the text, not the metadata
                resource = self.iris.date_published_evidence(doc)
                self.add(doc, KG.datePublishedEvidence, resource)
                self.span_resource(
                    resource,
                    *self.iris.selectors(resource),
                    article.published_evidence,
                    _Context("published date", 0),
                )
        if self.author_key:
            self.add(doc, SCHEMA.author, self.iris.actor(self.author_key))
        if self.outlet_key:
            self.add(doc, SCHEMA.publisher, self.iris.actor(self.outlet_key))

    def map_activity(self) -> None:
        activity, software = self.activity, self.iris.software()
        self.add(activity, RDF.type, PROV.Activity)
        self.add(activity, PROV.used, self.doc)
        self.add(activity, PROV.wasAssociatedWith, software)
        self.add(activity, KG.extractorVersion, Literal(self.extraction.extractor_version))
        if self.extraction.pipeline:
            self.add(activity, KG.pipelineName, Literal(self.extraction.pipeline))
        if self.extraction.pipeline_version:
            self.add(activity, KG.pipelineVersion, Literal(self.extraction.pipeline_version))
        self.add(software, RDF.type, PROV.SoftwareAgent)
        self.add(software, RDFS.label, Literal(SOFTWARE_LABEL))

    def map_actors(self) -> None:
        # One kg:Naming per actor, not a description of the actor: the actor is described once,
        # in the registry graph, from the namings of all stored articles (kg.registry).
        # Aliases are those the extractor chose, not every mention's surface form: a capital
        # standing for its country ("Moscow has said") is a mention of the country, but
        # "Moscow" must not become a name of Russia when Moscow the place is an actor too.
        for actor in self.actors.values():
            naming = self.iris.naming(self.doc_id, actor.key)
            self.add(naming, RDF.type, KG.Naming)
            self.add(naming, KG.namingOf, self.iris.actor(actor.key))
            self.add(naming, KG.name, Literal(actor.name))
            self.add(naming, KG.actorClass, ACTOR_CLASSES[actor.type])
            for label in set(actor.aliases) - {actor.name, ""}:
                self.add(naming, KG.alias, Literal(label))
            if actor.wikidata:
                self.add(naming, KG.identifiedAs, _wikidata(actor))
            self.add(naming, PROV.wasDerivedFrom, self.doc)

    def actor(self, key: str, context: _Context) -> URIRef:
        """The IRI of an actor a record refers to, which must be named in this graph."""
        if key not in self.actors:
            raise MappingError(
                f"{context} of article {self.doc_id!r} refers to actor {key!r}, which is not in "
                "extraction.actors nor the author or outlet; add the Actor record or drop the "
                "reference."
            )
        return self.iris.actor(key)

    # --- statements ------------------------------------------------------------------------------

    def first_time(self, node: URIRef, context: _Context) -> bool:
        """Whether `node` is new; a repeated IRI means a duplicate record, which is skipped."""
        if node in self.mapped:
            logger.debug(
                "skipping duplicate %s (%s)", context, node, extra={"article_id": self.doc_id}
            )
            return False
        self.mapped.add(node)
        return True

    def provenance(self, node: URIRef, method: str, confidence: float, context: _Context) -> None:
        self.add(node, KG.method, Literal(method))
        self.add(node, KG.confidence, _decimal(confidence, context))
        self.add(node, PROV.wasDerivedFrom, self.doc)
        self.add(node, PROV.wasGeneratedBy, self.activity)

    def evidence(self, node: URIRef, span: Span, context: _Context) -> None:
        """Attach the oa:SpecificResource that locates `span` in the document text."""
        resource = self.iris.evidence(node)
        self.add(node, KG.evidence, resource)
        self.span_resource(
            resource,
            self.iris.position_selector(node),
            self.iris.quote_selector(node),
            span,
            context,
        )

    def reading_context(
        self, node: URIRef, record: Event | Position | Quote, context: _Context
    ) -> None:
        """Attach the sentence of the evidence (`kg:sentence`) and the span naming the holder
        (`kg:holderMention`), each an oa:SpecificResource like the evidence."""
        for prop, resource, span in (
            (KG.sentence, self.iris.sentence(node), record.sentence),
            (KG.holderMention, self.iris.holder_mention(node), record.holder_mention),
        ):
            if span is not None:
                self.add(node, prop, resource)
                self.span_resource(resource, *self.iris.selectors(resource), span, context)

    def span_resource(
        self, resource: URIRef, position: URIRef, quote: URIRef, span: Span, context: _Context
    ) -> None:
        self.check_span(span, context)
        self.add(resource, RDF.type, OA.SpecificResource)
        self.add(resource, OA.hasSource, self.doc)
        self.add(resource, OA.hasSelector, position)
        self.add(resource, OA.hasSelector, quote)
        self.add(position, RDF.type, OA.TextPositionSelector)
        self.add(position, OA.start, Literal(span.start, datatype=XSD.integer))
        self.add(position, OA.end, Literal(span.end, datatype=XSD.integer))
        self.add(quote, RDF.type, OA.TextQuoteSelector)
        self.add(quote, OA.exact, Literal(span.text))

    def check_span(self, span: Span, context: _Context) -> None:
        text = self.article.text
        if span.end < span.start:
            raise MappingError(
                f"{context} of article {self.doc_id!r} has span {span.start}-{span.end}, whose "
                "end is before its start; spans are 0-based, end-exclusive offsets."
            )
        if not 0 <= span.start <= span.end <= len(text):
            raise MappingError(
                f"{context} of article {self.doc_id!r} has span {span.start}-{span.end} outside "
                f"the text (length {len(text)}); spans are 0-based, end-exclusive offsets."
            )
        if text[span.start : span.end] != span.text:
            raise MappingError(
                f"{context} of article {self.doc_id!r}: span text {span.text!r} is not the "
                f"article text at {span.start}-{span.end} "
                f"({text[span.start : span.end]!r}); the extractor must copy the text exactly."
            )

    def map_mention(self, mention: Mention, context: _Context) -> None:
        node = self.iris.mention(self.doc_id, mention.span.start, mention.span.end)
        if not self.first_time(node, context):
            return
        self.add(node, RDF.type, KG.Mention)
        self.add(node, KG.refersTo, self.actor(mention.actor, context))
        self.add(node, KG.surfaceForm, Literal(mention.span.text))
        self.provenance(node, mention.rule, mention.confidence, context)
        self.evidence(node, mention.span, context)

    def map_role(self, role: Role, context: _Context) -> None:
        actor = self.actor(role.actor, context)
        node = self.iris.role(self.doc_id, role.actor, role.span.start, role.span.end)
        if not self.first_time(node, context):
            return
        self.add(node, RDF.type, KG.Role)
        self.add(node, RDFS.label, Literal(role.label))
        self.add(node, KG.roleOf, actor)
        self.add(actor, KG.hasRole, node)
        self.add(node, PROV.wasDerivedFrom, self.doc)
        self.evidence(node, role.span, context)

    def map_merge(self, merge: Merge, context: _Context) -> None:
        actor = self.actor(merge.actor, context)
        if not merge.surface_forms:
            raise MappingError(
                f"{context} of article {self.doc_id!r} merges no surface forms into "
                f"{merge.actor!r}; a merge record needs at least one."
            )
        node = self.iris.merge(self.doc_id, merge.actor, merge.rule)
        self.add(node, RDF.type, KG.Merge)
        self.add(node, KG.mergedInto, actor)
        self.add(node, KG.method, Literal(merge.rule))
        for form in merge.surface_forms:
            self.add(node, KG.surfaceForm, Literal(form))
        self.add(node, PROV.wasDerivedFrom, self.doc)

    def map_event(self, event: Event, context: _Context) -> None:
        node = self.iris.event(self.doc_id, _event_digest(event))
        if not self.first_time(node, context):
            return
        self.add(node, RDF.type, EVENT_CLASSES[event.type])
        seen: set[str] = set()
        for participant in event.participants:
            actor = self.actor(participant.actor, context)
            if participant.actor in seen:
                continue  # one participation per actor: the first role stated wins
            seen.add(participant.actor)
            participation = self.iris.participation(node, participant.actor)
            self.add(node, KG.hasParticipation, participation)
            self.add(node, SEM.hasActor, actor)
            self.add(participation, RDF.type, KG.Participation)
            self.add(participation, KG.participant, actor)
            self.add(participation, KG.participantRole, _ROLES[participant.role])
        if event.place is not None:
            self.add(node, SEM.hasPlace, self.place(event.place, context))
        if event.time_expression:
            self.add(node, KG.timeExpression, Literal(event.time_expression))
        self.timestamp(node, event.date, context)
        self.add(node, KG.status, _STATUSES[event.status])
        self.provenance(node, event.method, event.confidence, context)
        self.evidence(node, event.evidence, context)
        self.reading_context(node, event, context)

    def place(self, key: str, context: _Context) -> URIRef:
        node = self.actor(key, context)
        actor_type = self.actors[key].type
        if actor_type is not ActorType.PLACE:
            raise MappingError(
                f"{context} of article {self.doc_id!r} has place {key!r}, which is a "
                f"{actor_type.value}; sem:hasPlace must be an actor of type Place."
            )
        return node

    def map_position(self, position: Position, context: _Context) -> None:
        node = self.iris.position(self.doc_id, _position_digest(position))
        if not self.first_time(node, context):
            return
        self.add(node, RDF.type, KG.Position)
        self.add(node, KG.holder, self.actor(position.holder, context))
        self.add(node, KG.stance, _STANCES[position.stance])
        self.add(node, KG.topic, self.topic(position.topic, context))
        self.add(node, KG.direction, _DIRECTIONS[position.direction])
        if position.target is not None:
            self.add(node, KG.target, self.actor(position.target, context))
        if position.reported_by is not None:
            self.add(node, KG.reportedBy, self.actor(position.reported_by, context))
        self.add(node, KG.hedged, Literal(position.hedged))
        self.add(node, KG.authorOpinion, Literal(position.author_opinion))
        self.provenance(node, position.method, position.confidence, context)
        self.evidence(node, position.evidence, context)
        self.reading_context(node, position, context)
        self.timestamp(node, position.date, context)

    def timestamp(self, node: URIRef, date: StatedDate | None, context: _Context) -> None:
        """A stated date as SEM says it: `sem:hasTimeStamp` typed by its precision (xsd:date,
        xsd:gYearMonth, xsd:gYear), a week as `sem:hasEarliestBeginTimeStamp` and
        `sem:hasLatestEndTimeStamp`; with the words that state it (`kg:dateEvidence`)."""
        if date is None:
            return
        if date.precision is DatePrecision.WEEK:
            self.add(node, SEM.hasEarliestBeginTimeStamp, _date(date.first.isoformat()))
            self.add(node, SEM.hasLatestEndTimeStamp, _date(last_day(date).isoformat()))
        else:
            self.add(
                node, SEM.hasTimeStamp, Literal(iso(date), datatype=_DATE_TYPES[date.precision])
            )
        if date.span is not None:
            resource = self.iris.date_evidence(node)
            self.add(node, KG.dateEvidence, resource)
            self.span_resource(resource, *self.iris.selectors(resource), date.span, context)

    def topic(self, topic_id: str, context: _Context) -> URIRef:
        if not _TOPIC_ID.match(topic_id):
            raise MappingError(
                f"{context} of article {self.doc_id!r} has topic {topic_id!r}; a topic id is the "
                "local name of a concept in ontology/topics.ttl (letters, digits, '_', '-')."
            )
        return TOPIC[topic_id]

    def map_quote(self, quote: Quote, context: _Context) -> None:
        node = self.iris.quote(self.doc_id, quote.evidence.start, quote.evidence.end)
        if not self.first_time(node, context):
            return
        self.add(node, RDF.type, KG.Quote)
        self.add(node, KG.speaker, self.actor(quote.speaker, context))
        self.add(node, KG.quotedText, Literal(quote.evidence.text))
        self.provenance(node, quote.method, quote.confidence, context)
        self.evidence(node, quote.evidence, context)
        self.reading_context(node, quote, context)


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _actor_table(extraction: Extraction) -> dict[str, Actor]:
    """Actors by key; the same key twice with different descriptions is a contradiction."""
    table: dict[str, Actor] = {}
    for actor in extraction.actors:
        _check_segment(actor.key, f"actor key of {actor.name!r}")
        known = table.get(actor.key)
        if known is not None and (known.name, known.type) != (actor.name, actor.type):
            raise MappingError(
                f"article {extraction.article.doc_id!r} has two actors with key {actor.key!r}: "
                f"{known.name!r} ({known.type.value}) and {actor.name!r} ({actor.type.value})."
            )
        if known is None:
            table[actor.key] = actor
    return table


def _add_byline_actor(
    actors: dict[str, Actor], name: str | None, actor_type: ActorType
) -> str | None:
    """Make the author or outlet an actor unless one with its key is extracted; return the key."""
    if not name or not name.strip():
        return None
    key = slugify(name.strip())
    if key not in actors:
        actors[key] = Actor(key=key, name=name.strip(), type=actor_type)
    return key


def _check_segment(value: str, what: str) -> None:
    if not _IRI_SEGMENT.match(value):
        raise MappingError(
            f"{what} {value!r} cannot be used in an IRI path segment; use ASCII letters, digits "
            "and '-', '_', '.', '~' only."
        )


def _event_digest(event: Event) -> str:
    """The defining fields of an event: what, who in which role, where, when, which span."""
    participants = ",".join(f"{p.actor}:{p.role.value}" for p in event.participants)
    return short_hash(
        "event",
        event.type.value,
        participants,
        event.place or "",
        event.time_expression or "",
        iso(event.date) if event.date else "",
        event.status.value,
        event.evidence.start,
        event.evidence.end,
    )


def _position_digest(position: Position) -> str:
    """The defining fields of a position: everything but the rule and its confidence."""
    return short_hash(
        "position",
        position.holder,
        position.stance.value,
        position.topic,
        position.direction.value,
        position.target or "",
        position.reported_by or "",
        position.hedged,
        position.author_opinion,
        position.evidence.start,
        position.evidence.end,
    )


def _decimal(value: float, context: _Context) -> Literal:
    """An xsd:decimal literal with a fixed lexical form (at most 6 decimals, no exponent)."""
    if not math.isfinite(value):
        raise MappingError(f"{context} has confidence {value!r}; it must be a number in [0, 1].")
    lexical = f"{value:.6f}".rstrip("0").rstrip(".")
    return Literal("0" if lexical in {"", "-0"} else lexical, datatype=XSD.decimal)


def _date(value: str) -> Literal:
    return Literal(value, datatype=XSD.date)


_DATE_TYPES = {
    DatePrecision.DAY: XSD.date,
    DatePrecision.MONTH: XSD.gYearMonth,
    DatePrecision.YEAR: XSD.gYear,
}


def _wikidata(actor: Actor) -> URIRef:
    match = _WIKIDATA_ID.search(actor.wikidata or "")
    if match is None:
        raise MappingError(
            f"actor {actor.key!r} has Wikidata id {actor.wikidata!r}; expected 'Q<digits>' or a "
            "Wikidata entity IRI."
        )
    return WIKIDATA[match.group(1)]
