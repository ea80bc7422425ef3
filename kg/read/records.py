"""Response models of the REST API; field names follow the contract in shared/eval/README.md."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from kg.vocab import ActorTypeId, DirectionId, EventTypeId, StanceId

T = TypeVar("T")

#: The REST values of the vocabulary, as `Literal`s so the OpenAPI enums stay inline (`kg.vocab`).
ActorType = ActorTypeId
EventType = EventTypeId
Stance = StanceId
Direction = DirectionId


class Schema(BaseModel):
    model_config = ConfigDict(frozen=True)


class ActorRef(Schema):
    """An actor as one document (or the whole store) names it."""

    id: str = Field(description="The actor key (`kg:actorKey`).")
    name: str = Field(description="The canonical name (`skos:prefLabel`).")
    aliases: list[str] = Field(description="Surface forms seen for this actor (`skos:altLabel`).")
    iri: str | None = Field(
        None, description="The actor's IRI; it dereferences to its RDF description."
    )


class TypedActorRef(ActorRef):
    type: str | None = Field(description="Person, Organization, Country, Place or Group.")


class ParticipantRef(ActorRef):
    role: str = Field(description="agent, recipient or participant.")


class Actor(TypedActorRef):
    iri: str
    wikidata: str | None = Field(None, description="Verified Wikidata entity IRI (`owl:sameAs`).")
    roles: list[str] = Field(default_factory=list, description="Roles/offices the articles state.")
    documents: list[str] = Field(
        default_factory=list, description="Ids of the documents naming it."
    )


class Evidence(Schema):
    """A span of the stored article text; `text == stored_text[start:end]`."""

    document: str
    start: int
    end: int
    text: str


class TextSpan(Schema):
    """A span of the text of the item's document; `text == stored_text[start:end]`."""

    start: int
    end: int
    text: str


SENTENCE_DOC = (
    "The sentence the evidence stands in (it contains the evidence; it starts at the previous "
    "sentence when only that one names the holder); null for data built without it."
)
HOLDER_MENTION_DOC = (
    "The words naming the {who} (a name, a description or a resolved pronoun), inside "
    "`sentence`; null when the text does not name it (the writer's own opinion)."
)


class StatementDate(Schema):
    """When a statement was made or an event took place, as precise as the text says it."""

    value: str = Field(
        description="ISO 8601 at the stated precision: 2025-03-18 (day), 2025-W12 (week), "
        "2025-03 (month) or 2014 (year).",
        examples=["2014"],
    )
    precision: Literal["day", "week", "month", "year"]
    start: str = Field(description="The period's first day (ISO date).", examples=["2014-01-01"])
    end: str = Field(description="The period's last day (ISO date).", examples=["2014-12-31"])
    basis: Literal["text", "published"] = Field(
        description="`text`: the words of the text in `text` date the statement (`kg:dateEvidence`"
        ", resolved against the published date when they are relative); `published`: the text "
        "gives no date of its own and this is the article's published date."
    )
    text: TextSpan | None = Field(
        None,
        description="The words the date was read from: the statement's own date words, or for "
        "`published` the dateline the published date was detected in (null when it came from "
        "the article's metadata).",
    )


DATE_DOC = (
    "The date the text gives for it (`sem:hasTimeStamp`, typed by its precision, or a week's "
    "`sem:hasEarliestBeginTimeStamp`/`sem:hasLatestEndTimeStamp`), with the words that state it; "
    "null when the text gives none."
)


class Event(Schema):
    id: str
    type: str = Field(description="meeting, phone_call, talks, … or other.")
    participants: list[ParticipantRef]
    place: ActorRef | None
    time: str | None = Field(description="The time expression as stated (`kg:timeExpression`).")
    date: StatementDate | None = Field(description=DATE_DOC)
    status: str | None = Field(description="happened, planned or cancelled.")
    evidence: Evidence
    sentence: TextSpan | None = Field(None, description=SENTENCE_DOC)
    holder_mention: TextSpan | None = Field(
        None, description=HOLDER_MENTION_DOC.format(who="agent (else the first participant)")
    )
    confidence: float | None
    document: str
    iri: str


class Topic(Schema):
    id: str
    label: str


SUMMARY_DOC = (
    "The position as a sentence after the holder's name: the stance verb, then the topic's "
    "phrase for what the holder wants (`kg:forPhrase` or `kg:againstPhrase`, chosen so that "
    "no verb and phrase make a double negative), or the verb, a preposition and the topic "
    '(`kg:topicPhrase`) when the position has no for or against reading: "demands: Ukraine '
    'stays out of NATO", "rejects: a ceasefire", "claims about: the peace talks" '
    "(docs/positions.md)."
)


class Position(Schema):
    id: str
    actor: ActorRef
    stance: str
    topic: Topic
    direction: str = Field(
        description="The holder's net polarity towards the topic, whatever the stance verb: "
        "`for` (wants it, or holds it true), `against` or `n/a`."
    )
    summary: str = Field(description=SUMMARY_DOC)
    target: ActorRef | None
    reported_by: ActorRef | None
    hedged: bool
    evidence: Evidence
    sentence: TextSpan | None = Field(None, description=SENTENCE_DOC)
    holder_mention: TextSpan | None = Field(
        None, description=HOLDER_MENTION_DOC.format(who="holder")
    )
    date: StatementDate | None = Field(
        None,
        description="When the holder took it: the date the text gives for the statement "
        "(`basis` text), else the article's published date (`basis` published); null when "
        "neither is known.",
    )
    confidence: float | None
    document: str
    iri: str


class Contradiction(Schema):
    """One holder for and against one topic within one stance family: a fact of the articles
    (the holder changed its mind, or articles report it differently), shown, never hidden."""

    actor: ActorRef = Field(description="The holder (as its first position names it).")
    topic: Topic
    family: Literal["wants", "threatens", "claims"] = Field(
        description="The stance family: `wants` (demands, proposes, supports, opposes, "
        "rejects), `threatens` or `claims`; accusations have no for or against reading."
    )
    positions_for: list[Position] = Field(
        description="The holder's positions of this family for the topic, in evidence order."
    )
    positions_against: list[Position] = Field(
        description="The holder's positions of this family against the topic, in evidence order."
    )


class ActorContradictions(Schema):
    """Every contradiction of one actor, by topic label then family."""

    actor: ActorRef
    items: list[Contradiction]
    total: int


class Quote(Schema):
    id: str
    speaker: ActorRef
    text: str
    evidence: Evidence
    sentence: TextSpan | None = Field(None, description=SENTENCE_DOC)
    holder_mention: TextSpan | None = Field(
        None, description=HOLDER_MENTION_DOC.format(who="speaker")
    )
    confidence: float | None
    document: str
    iri: str


class Document(Schema):
    id: str
    file: str | None = Field(description="Base name of the file it was read from; null if posted.")
    title: str | None
    display_title: str = Field(
        description="What a citation calls it: the title, else the first line when it reads as "
        "a headline, else its first words (`kg:displayTitle`); never the bare id."
    )
    url: str | None
    outlet: str | None
    author: str | None
    published: str | None
    published_evidence: TextSpan | None = Field(
        None,
        description="The words of the text `published` was read from (a dateline, a "
        "'Published:' line; `kg:datePublishedEvidence`) when the metadata gave no date; null "
        "when it came from the metadata.",
    )
    iri: str
    content_hash: str | None


class DocumentDetail(Document):
    actors: list[TypedActorRef]


class Mention(Schema):
    """One place the article names an actor (`kg:Mention`): the span and the actor it refers to."""

    id: str = Field(description="The mention's id within its document (`<document>/mention/…`).")
    actor: TypedActorRef = Field(
        description="The actor it refers to, with the aliases this article gives it."
    )
    evidence: Evidence
    iri: str


class Page(Schema, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class Health(Schema):
    status: Literal["ok"]
    graphs: int


class Stats(Schema):
    documents: int
    actors: int
    events: int
    positions: int
    quotes: int
    graphs: int
    triples: int


class Problem(Schema):
    """An RFC 9457 problem detail (application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str


# --- aggregates: topics, who stands where, networks, stance matrix (api/aggregates.py) ----------


class ActorSummary(TypedActorRef):
    """An actor merged over the articles (same `kg:actorKey`), with its IRI."""

    iri: str


class TopicSummary(Schema):
    """A concept of the topic scheme (`ontology/topics.ttl`) with its use in the articles."""

    id: str = Field(description="The topic id (`skos:notation`).")
    label: str = Field(description="The topic's name (`skos:prefLabel`).")
    iri: str
    broader: str | None = Field(
        None, description="Id of the broader topic (`skos:broader`), if any."
    )
    definition: str | None = Field(
        None, description="What the topic covers (`skos:definition`, else `rdfs:comment`)."
    )
    positions: int = Field(description="Positions on this topic in all articles.")
    actors: int = Field(description="Distinct actors holding a position on it.")


class TopicDetail(TopicSummary):
    narrower: list[str] = Field(description="Ids of the narrower topics.")
    alt_labels: list[str] = Field(description="Other names; the extractor's topic lexicon.")


class ActorPositions(Schema):
    """One holder's positions in a stance group; `positions` holds at most `per_actor` items."""

    actor: ActorSummary
    count: int = Field(description="All positions of this holder in the group.")
    positions: list[Position]


class StanceGroup(Schema):
    stance: str
    direction: str
    count: int = Field(description="Positions in this group.")
    actors: list[ActorPositions]


class TopicPositions(Schema):
    """Who stands where on one topic: positions grouped by stance and direction, then holder."""

    topic: TopicSummary
    total: int = Field(description="Positions matching the filters (the sum of group counts).")
    groups: list[StanceGroup]


class NetworkLink(Schema):
    """Another actor linked to this one, and through how many shared events and positions."""

    actor: ActorSummary
    events: int = Field(description="Distinct events both took part in.")
    positions: int = Field(description="Distinct positions linking them (holder-target/source).")
    weight: int = Field(description="events + positions.")
    documents: list[str] = Field(description="Ids of the documents where they are linked.")


class ActorNetwork(Schema):
    actor: ActorSummary
    links: list[NetworkLink]
    total: int = Field(description="All links of this actor (before paging).")
    limit: int
    offset: int


class NetworkNode(Schema):
    id: str = Field(description="The actor id (`kg:actorKey`).")
    name: str
    type: str | None
    iri: str
    degree: int = Field(description="Edges of this node in the filtered network.")
    weight: int = Field(description="Sum of the weights of those edges.")


class NetworkEdge(Schema):
    """An undirected link between two actors; `source` < `target`."""

    source: str
    target: str
    events: int
    positions: int
    weight: int


class Network(Schema):
    nodes: list[NetworkNode]
    edges: list[NetworkEdge]


class MatrixActor(Schema):
    id: str
    name: str
    type: str | None
    iri: str
    positions: int = Field(description="Positions this actor holds (within the filters).")


class MatrixTopic(Schema):
    id: str
    label: str
    iri: str
    positions: int = Field(description="Positions on this topic held by the matrix's actors.")


class MatrixCell(Schema):
    actor: str = Field(description="Actor id (a row).")
    topic: str = Field(description="Topic id (a column).")
    stance: str
    direction: str
    count: int
    positions: list[str] = Field(description="Ids of the positions (see /positions).")


class StanceMatrix(Schema):
    actors: list[MatrixActor]
    topics: list[MatrixTopic]
    cells: list[MatrixCell]


M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page whose items are already JSON: the read index keeps each record serialised, so a
    REST answer is written without building and re-validating a model per item."""

    items: list[str]
    total: int
    limit: int
    offset: int

    @classmethod
    def of(cls, page: Page[Any]) -> RawPage:
        """The page of models `page`, serialised."""
        items = [item.model_dump_json() for item in page.items]
        return cls(items, page.total, page.limit, page.offset)

    def parse(self, model: type[M]) -> Page[M]:
        """The page as models of `model` (what the Python callers of `kg.read` get)."""
        items = [model.model_validate_json(item) for item in self.items]
        return Page[model](  # type: ignore[valid-type]
            items=items, total=self.total, limit=self.limit, offset=self.offset
        )

    def json(self) -> bytes:
        """The page as `Page` serialises it: items, total, limit, offset."""
        tail = f'],"total":{self.total},"limit":{self.limit},"offset":{self.offset}}}'
        return ('{"items":[' + ",".join(self.items) + tail).encode()
