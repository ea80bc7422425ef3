"""The one source of newskg's vocabulary: namespaces, and every closed set of terms.

Each event type, actor type, stance, direction, event status and participant role is written
here once, as an enum member that carries its `Term`: the ontology IRI, the REST id and the label.
The member's value is the REST id (the `skos:notation` of the class or concept in
`ontology/newskg.ttl`), so the members are the strings the extractor, the records and the REST API
exchange, and the IRI is one attribute away:

>>> EventType.PHONE_CALL.value, EventType.PHONE_CALL.iri
('phone_call', 'https://w3id.org/newskg/ns#PhoneCall')
>>> Direction.from_iri("https://w3id.org/newskg/direction/not-applicable")
<Direction.NOT_APPLICABLE: 'n/a'>
>>> Stance("rejects").label
'rejects'

The mapping (`kg.mapping`), the lexicon loader (`kg.nlp.lexicon`), the read model (`kg.read`),
the rdflib namespaces (`kg.namespaces`) and the REST schemas derive from this module.
`tests/unit/test_vocab.py` checks it against the ontology file, and
`tests/integration/test_openapi_vocab.py` checks the OpenAPI enums against it.

The REST schemas need `Literal` types (pydantic writes an inline `enum` for them, which an `Enum`
class would turn into a `$ref` component and change the OpenAPI document). A `Literal` cannot be
computed and still be checked by mypy, so `ActorTypeId`, `EventTypeId`, `StanceId` and
`DirectionId` are written out below and compared with the enums when this module is imported
(`_check_literal`): a term added to one and not the other fails at import, not in production.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Literal, Self, cast, get_args

__all__ = [
    "DIRECTION_NS",
    "GAZETTEER_NS",
    "KG_NS",
    "LEXICON_NS",
    "PLOVER_NS",
    "PREFIXES",
    "REST_TYPES",
    "ROLE_NS",
    "SHAPES_NS",
    "STANCE_NS",
    "STATUS_NS",
    "TOPIC_NS",
    "WIKIDATA_NS",
    "ActorType",
    "ActorTypeId",
    "Direction",
    "DirectionId",
    "EventStatus",
    "EventType",
    "EventTypeId",
    "ParticipantRole",
    "Stance",
    "StanceId",
    "Term",
    "TermEnum",
    "sparql_prefixes",
]

# ---------------------------------------------------------------------------------------------
# Namespaces
# ---------------------------------------------------------------------------------------------

#: Classes and properties of `ontology/newskg.ttl`.
KG_NS = "https://w3id.org/newskg/ns#"
#: The closed stance scheme.
STANCE_NS = "https://w3id.org/newskg/stance/"
#: The closed direction scheme.
DIRECTION_NS = "https://w3id.org/newskg/direction/"
#: The closed event status scheme.
STATUS_NS = "https://w3id.org/newskg/status/"
#: The closed scheme of participant roles.
ROLE_NS = "https://w3id.org/newskg/role/"
#: Topic concepts (`ontology/topics.ttl`), an open scheme.
TOPIC_NS = "https://w3id.org/newskg/topic/"
#: The PLOVER categories and modes the event classes map to.
PLOVER_NS = "https://w3id.org/newskg/plover/"
#: The SHACL shapes of `ontology/shapes.ttl`.
SHAPES_NS = "https://w3id.org/newskg/shapes#"
#: Word lists of `ontology/lexicon.ttl`.
LEXICON_NS = "https://w3id.org/newskg/lexicon/"
#: The gazetteer's own actor IRIs (`ontology/actors.ttl`).
GAZETTEER_NS = "https://w3id.org/newskg/actor/"
#: Wikidata entities, the target of verified `owl:sameAs` links.
WIKIDATA_NS = "http://www.wikidata.org/entity/"

#: Every prefix newskg binds or writes in SPARQL, in the order serializations list them.
PREFIXES: Mapping[str, str] = {
    "kg": KG_NS,
    "stance": STANCE_NS,
    "dir": DIRECTION_NS,
    "status": STATUS_NS,
    "prole": ROLE_NS,
    "topic": TOPIC_NS,
    "plover": PLOVER_NS,
    "schema": "https://schema.org/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "oa": "http://www.w3.org/ns/oa#",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dcterms": "http://purl.org/dc/terms/",
    "sh": "http://www.w3.org/ns/shacl#",
    "kgsh": SHAPES_NS,
    "wd": WIKIDATA_NS,
}


def sparql_prefixes(*names: str) -> str:
    """SPARQL `PREFIX` lines for `names`, in that order, one per line.

    >>> print(sparql_prefixes("kg", "skos"), end="")
    PREFIX kg: <https://w3id.org/newskg/ns#>
    PREFIX skos: <http://www.w3.org/2004/02/skos/core#>

    Raises:
        KeyError: a name that is not in `PREFIXES`.
    """
    return "".join(f"PREFIX {name}: <{PREFIXES[name]}>\n" for name in names)


# ---------------------------------------------------------------------------------------------
# Terms
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One class or concept of the ontology, as the REST API and the records name it."""

    name: str
    """The IRI's local name: `PhoneCall`, `not-applicable`."""
    iri: str
    rest_id: str
    """The REST value, the `skos:notation` in the ontology: `phone_call`, `n/a`."""
    label: str
    """The English `rdfs:label`: `Phone call`, `not applicable`."""


def _term(
    namespace: str, name: str, rest_id: str | None = None, label: str | None = None
) -> tuple[str, str, str]:
    """The value tuple of one member: REST id (default: the local name), IRI, label (default:
    the local name). Writing members through this keeps each fact on one line, once."""
    return (rest_id or name, namespace + name, label or name)


@cache
def _iri_index(cls: type[TermEnum]) -> dict[str, TermEnum]:
    return {member.term.iri: member for member in cls}


class TermEnum(StrEnum):
    """A closed set of terms; a member's value is its REST id and `.term` holds the rest.

    Members are declared as `_term(...)` tuples; Python's enum machinery passes a tuple to
    `__new__`. After the class is built, `cls(rest_id)` is a look-up by value, as for any enum
    (the defaults of `__new__` only let mypy type that look-up).
    """

    _value_: str
    term: Term

    def __new__(cls, rest_id: str, iri: str = "", label: str = "") -> Self:
        member = str.__new__(cls, rest_id)
        member._value_ = rest_id
        member.term = Term(name=_local_name(iri), iri=iri, rest_id=rest_id, label=label)
        return member

    @property
    def iri(self) -> str:
        """The ontology IRI of the class or concept."""
        return self.term.iri

    @property
    def label(self) -> str:
        """The English label of the class or concept."""
        return self.term.label

    @classmethod
    def from_rest_id(cls, rest_id: str) -> Self:
        """The member whose REST id is `rest_id`.

        Raises:
            ValueError: no member has that REST id.
        """
        return cls(rest_id)

    @classmethod
    def from_iri(cls, iri: str) -> Self:
        """The member whose IRI is `iri`.

        Raises:
            ValueError: no member has that IRI.
        """
        member = cls.find_iri(iri)
        if member is None:
            raise ValueError(f"{iri!r} is not the IRI of any {cls.__name__}")
        return member

    @classmethod
    def find_iri(cls, iri: str) -> Self | None:
        """The member whose IRI is `iri`, or None (for IRIs read back from a store, which may
        hold terms of other vocabularies)."""
        return cast("Self | None", _iri_index(cls).get(iri))

    @classmethod
    def rest_ids(cls) -> tuple[str, ...]:
        """Every REST id, in declaration order (the order of the OpenAPI enums)."""
        return tuple(member.value for member in cls)


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class ActorType(TermEnum):
    """The five actor classes; the REST id is the class's local name."""

    PERSON = _term(KG_NS, "Person")
    ORGANIZATION = _term(KG_NS, "Organization")
    COUNTRY = _term(KG_NS, "Country")
    PLACE = _term(KG_NS, "Place")
    GROUP = _term(KG_NS, "Group")


class EventType(TermEnum):
    """The eleven event classes (subclasses of `kg:Event`)."""

    MEETING = _term(KG_NS, "Meeting", "meeting")
    PHONE_CALL = _term(KG_NS, "PhoneCall", "phone_call", "Phone call")
    TALKS = _term(KG_NS, "Talks", "talks")
    CEASEFIRE_PROPOSAL = _term(
        KG_NS, "CeasefireProposal", "ceasefire_proposal", "Ceasefire proposal"
    )
    SANCTIONS = _term(KG_NS, "Sanctions", "sanctions")
    SANCTIONS_THREAT = _term(KG_NS, "SanctionsThreat", "sanctions_threat", "Sanctions threat")
    ATTACK = _term(KG_NS, "Attack", "attack")
    RESIGNATION = _term(KG_NS, "Resignation", "resignation")
    INVASION = _term(KG_NS, "Invasion", "invasion")
    ANNEXATION = _term(KG_NS, "Annexation", "annexation")
    OTHER = _term(KG_NS, "OtherEvent", "other", "Other event")


class Stance(TermEnum):
    """The closed stance scheme (`stance:scheme`): what kind of position an actor takes."""

    DEMANDS = _term(STANCE_NS, "demands")
    PROPOSES = _term(STANCE_NS, "proposes")
    SUPPORTS = _term(STANCE_NS, "supports")
    OPPOSES = _term(STANCE_NS, "opposes")
    REJECTS = _term(STANCE_NS, "rejects")
    THREATENS = _term(STANCE_NS, "threatens")
    CLAIMS = _term(STANCE_NS, "claims")
    ACCUSES = _term(STANCE_NS, "accuses")


class Direction(TermEnum):
    """The closed direction scheme (`dir:scheme`); `not-applicable` is `n/a` in REST."""

    FOR = _term(DIRECTION_NS, "for")
    AGAINST = _term(DIRECTION_NS, "against")
    NOT_APPLICABLE = _term(DIRECTION_NS, "not-applicable", "n/a", "not applicable")


class EventStatus(TermEnum):
    """The closed event status scheme (`status:scheme`)."""

    HAPPENED = _term(STATUS_NS, "happened")
    PLANNED = _term(STATUS_NS, "planned")
    CANCELLED = _term(STATUS_NS, "cancelled")


class ParticipantRole(TermEnum):
    """The closed scheme of participant roles in an event (`prole:scheme`)."""

    AGENT = _term(ROLE_NS, "agent")
    RECIPIENT = _term(ROLE_NS, "recipient")
    PARTICIPANT = _term(ROLE_NS, "participant")


# ---------------------------------------------------------------------------------------------
# REST types (pydantic); checked against the enums below
# ---------------------------------------------------------------------------------------------

ActorTypeId = Literal["Person", "Organization", "Country", "Place", "Group"]
EventTypeId = Literal[
    "meeting",
    "phone_call",
    "talks",
    "ceasefire_proposal",
    "sanctions",
    "sanctions_threat",
    "attack",
    "resignation",
    "invasion",
    "annexation",
    "other",
]
StanceId = Literal[
    "demands", "proposes", "supports", "opposes", "rejects", "threatens", "claims", "accuses"
]
DirectionId = Literal["for", "against", "n/a"]

#: Each REST `Literal` with the enum whose REST ids it must list, in the same order.
REST_TYPES: tuple[tuple[object, type[TermEnum]], ...] = (
    (ActorTypeId, ActorType),
    (EventTypeId, EventType),
    (StanceId, Stance),
    (DirectionId, Direction),
)


def _check_literal(literal: object, enum: type[TermEnum]) -> None:
    """Refuse a REST `Literal` whose values are not the enum's REST ids, in order.

    Raises:
        TypeError: the two differ (someone edited one and not the other).
    """
    if get_args(literal) != enum.rest_ids():
        raise TypeError(
            f"kg/vocab.py: the REST Literal for {enum.__name__} lists {get_args(literal)}, "
            f"the enum {enum.rest_ids()}; make them equal"
        )


def _check_rest_types() -> None:
    """Run at import: a drifted REST `Literal` stops the package from loading at all."""
    for literal, enum in REST_TYPES:
        _check_literal(literal, enum)


_check_rest_types()
