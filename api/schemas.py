"""Response models of the REST API; field names follow the contract in shared/eval/README.md."""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")

ActorType = Literal["Person", "Organization", "Country", "Place", "Group"]
Stance = Literal[
    "demands", "proposes", "supports", "opposes", "rejects", "threatens", "claims", "accuses"
]
Direction = Literal["for", "against", "n/a"]


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


class Event(Schema):
    id: str
    type: str = Field(description="meeting, phone_call, talks, … or other.")
    participants: list[ParticipantRef]
    place: ActorRef | None
    time: str | None = Field(description="The time expression as stated (`kg:timeExpression`).")
    date: str | None = Field(description="The resolved date (`sem:hasTimeStamp`).")
    status: str | None = Field(description="happened, planned or cancelled.")
    evidence: Evidence
    confidence: float | None
    document: str
    iri: str


class Topic(Schema):
    id: str
    label: str


class Position(Schema):
    id: str
    actor: ActorRef
    stance: str
    topic: Topic
    direction: str
    target: ActorRef | None
    reported_by: ActorRef | None
    hedged: bool
    evidence: Evidence
    confidence: float | None
    document: str
    iri: str


class Quote(Schema):
    id: str
    speaker: ActorRef
    text: str
    evidence: Evidence
    confidence: float | None
    document: str
    iri: str


class Document(Schema):
    id: str
    file: str | None = Field(description="Base name of the file it was read from; null if posted.")
    title: str | None
    url: str | None
    outlet: str | None
    author: str | None
    published: str | None
    iri: str
    content_hash: str | None


class DocumentDetail(Document):
    actors: list[TypedActorRef]


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
