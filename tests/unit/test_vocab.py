"""kg.vocab is the one source of the vocabulary: its terms are unique, round-trip by IRI and by
REST id, agree with ontology/newskg.ttl both ways, and the copies that must stay spelt out (the
REST `Literal`s, the typed rdflib namespaces, the web page's lists) equal it."""

from __future__ import annotations

import doctest
import json
import pickle
import re
from pathlib import Path
from typing import Literal, get_args

import pytest
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SDO, SH, SKOS, XSD

from kg import namespaces, vocab
from kg.mapping import read_ontology_file
from kg.vocab import (
    ActorType,
    Direction,
    EventStatus,
    EventType,
    ParticipantRole,
    Stance,
    TermEnum,
)

ENUMS: list[type[TermEnum]] = [
    ActorType,
    EventType,
    Stance,
    Direction,
    EventStatus,
    ParticipantRole,
]
MEMBERS: list[TermEnum] = [member for enum in ENUMS for member in enum]
#: The namespace of each enum's terms, and the closed scheme its concepts belong to (if any).
NAMESPACES: dict[type[TermEnum], tuple[str, str | None]] = {
    ActorType: (vocab.KG_NS, None),
    EventType: (vocab.KG_NS, None),
    Stance: (vocab.STANCE_NS, vocab.STANCE_NS + "scheme"),
    Direction: (vocab.DIRECTION_NS, vocab.DIRECTION_NS + "scheme"),
    EventStatus: (vocab.STATUS_NS, vocab.STATUS_NS + "scheme"),
    ParticipantRole: (vocab.ROLE_NS, vocab.ROLE_NS + "scheme"),
}
WEB_VIEWS = Path(__file__).resolve().parents[2] / "web" / "static" / "js" / "views"


def member_id(member: object) -> str:
    return repr(member)


@pytest.fixture(scope="module")
def newskg() -> Graph:
    return read_ontology_file("newskg.ttl")


# --- the module itself ------------------------------------------------------------------------


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_vocab_ids_iris_and_names_are_unique(enum: type[TermEnum]) -> None:
    terms = [member.term for member in enum]
    assert len({t.rest_id for t in terms}) == len(terms)
    assert len({t.iri for t in terms}) == len(terms)
    assert len({t.name for t in terms}) == len(terms)
    assert len({t.label for t in terms}) == len(terms)


def test_vocab_iris_are_unique_across_enums() -> None:
    iris = [member.iri for member in MEMBERS]
    assert len(set(iris)) == len(iris)


@pytest.mark.parametrize("member", MEMBERS, ids=member_id)
def test_vocab_round_trips_by_iri_and_rest_id(member: TermEnum) -> None:
    enum = type(member)
    assert enum.from_iri(member.iri) is member
    assert enum.find_iri(member.iri) is member
    assert enum.from_rest_id(member.value) is member
    assert enum(member.term.rest_id) is member
    assert member.term.rest_id == member.value == str(member)
    assert member.iri == member.term.iri
    assert member.label == member.term.label


@pytest.mark.parametrize("member", MEMBERS, ids=member_id)
def test_vocab_iri_is_namespace_plus_name(member: TermEnum) -> None:
    namespace, _ = NAMESPACES[type(member)]
    assert member.iri == namespace + member.term.name
    assert re.fullmatch(r"[A-Za-z][A-Za-z-]*", member.term.name)


def test_vocab_ids_and_iris_of_the_irregular_terms() -> None:
    assert Direction.NOT_APPLICABLE.value == "n/a"
    assert Direction.NOT_APPLICABLE.iri == "https://w3id.org/newskg/direction/not-applicable"
    assert EventType.OTHER.iri == "https://w3id.org/newskg/ns#OtherEvent"
    assert EventType.PHONE_CALL.value == "phone_call"
    assert EventType.PHONE_CALL.label == "Phone call"
    assert ActorType.PERSON.iri == "https://w3id.org/newskg/ns#Person"


def test_vocab_lookups_refuse_unknown_values() -> None:
    with pytest.raises(ValueError, match="not the IRI of any Stance"):
        Stance.from_iri(Direction.FOR.iri)
    with pytest.raises(ValueError, match="is not a valid Direction"):
        Direction.from_rest_id("not-applicable")
    assert EventType.find_iri(ActorType.PERSON.iri) is None
    assert Stance.find_iri(vocab.STANCE_NS + "scheme") is None


def test_vocab_members_are_plain_strings_for_json_and_pickle() -> None:
    """Records cross process boundaries (kg build --cluster) and become JSON."""
    assert json.dumps([EventType.PHONE_CALL, Direction.NOT_APPLICABLE]) == '["phone_call", "n/a"]'
    assert f"{Stance.REJECTS}" == "rejects"
    for member in MEMBERS:
        assert pickle.loads(pickle.dumps(member)) is member  # noqa: S301 (bytes made here)
        assert type(member.value) is str


def test_vocab_rest_ids_keep_declaration_order() -> None:
    assert ActorType.rest_ids() == ("Person", "Organization", "Country", "Place", "Group")
    assert Direction.rest_ids() == ("for", "against", "n/a")


@pytest.mark.parametrize(
    ("literal", "enum"), vocab.REST_TYPES, ids=lambda x: getattr(x, "__name__", "")
)
def test_vocab_rest_literals_equal_the_enums(literal: object, enum: type[TermEnum]) -> None:
    assert get_args(literal) == enum.rest_ids()


def test_vocab_rest_literals_cover_the_rest_enums() -> None:
    assert {enum for _, enum in vocab.REST_TYPES} == {ActorType, EventType, Stance, Direction}


def test_vocab_check_literal_refuses_a_drifted_literal() -> None:
    drifted = Literal["for", "against"]
    with pytest.raises(TypeError, match="REST Literal for Direction"):
        vocab._check_literal(drifted, Direction)
    reordered = Literal["against", "for", "n/a"]
    with pytest.raises(TypeError):
        vocab._check_literal(reordered, Direction)


def test_vocab_sparql_prefixes() -> None:
    assert vocab.sparql_prefixes("kg", "dir") == (
        "PREFIX kg: <https://w3id.org/newskg/ns#>\n"
        "PREFIX dir: <https://w3id.org/newskg/direction/>\n"
    )
    assert vocab.sparql_prefixes() == ""
    with pytest.raises(KeyError):
        vocab.sparql_prefixes("nope")


def test_vocab_prefixes_equal_rdflib_namespaces() -> None:
    """The W3C and schema.org namespaces are written out in kg.vocab; rdflib agrees."""
    expected = {
        "schema": SDO,
        "foaf": FOAF,
        "prov": PROV,
        "skos": SKOS,
        "owl": OWL,
        "rdf": RDF,
        "rdfs": RDFS,
        "xsd": XSD,
        "dcterms": DCTERMS,
        "sh": SH,
    }
    for prefix, namespace in expected.items():
        assert vocab.PREFIXES[prefix] == str(namespace), prefix


def test_vocab_prefixes_are_the_namespaces_bound() -> None:
    assert dict(vocab.PREFIXES) == namespaces.PREFIXES
    bound = dict(namespaces.bind_prefixes(Graph()).namespaces())
    for prefix, iri in vocab.PREFIXES.items():
        assert str(bound[prefix]) == iri


def test_vocab_doctests() -> None:
    result = doctest.testmod(vocab)
    assert result.attempted > 0
    assert result.failed == 0


# --- against the ontology ---------------------------------------------------------------------


@pytest.mark.parametrize("member", list(EventType), ids=member_id)
def test_vocab_event_type_is_an_ontology_event_class(newskg: Graph, member: EventType) -> None:
    cls = URIRef(member.iri)
    assert (cls, RDF.type, OWL.Class) in newskg
    assert (cls, RDFS.subClassOf, namespaces.KG.Event) in newskg
    assert newskg.value(cls, SKOS.notation) == RdfLiteral(member.value)
    assert newskg.value(cls, RDFS.label) == RdfLiteral(member.label)


@pytest.mark.parametrize("member", list(ActorType), ids=member_id)
def test_vocab_actor_type_is_an_ontology_actor_class(newskg: Graph, member: ActorType) -> None:
    cls = URIRef(member.iri)
    assert (cls, RDF.type, OWL.Class) in newskg
    assert (cls, RDFS.subClassOf, namespaces.KG.Actor) in newskg
    assert newskg.value(cls, RDFS.label) == RdfLiteral(member.label)
    assert member.value == member.term.name  # actor types have no notation: REST uses the name


@pytest.mark.parametrize(
    "member", [*Stance, *Direction, *EventStatus, *ParticipantRole], ids=member_id
)
def test_vocab_concept_is_in_its_ontology_scheme(newskg: Graph, member: TermEnum) -> None:
    _, scheme = NAMESPACES[type(member)]
    concept = URIRef(member.iri)
    assert (concept, RDF.type, SKOS.Concept) in newskg
    assert (concept, SKOS.inScheme, URIRef(str(scheme))) in newskg
    assert newskg.value(concept, SKOS.notation) == RdfLiteral(member.value)
    assert newskg.value(concept, RDFS.label) == RdfLiteral(member.label)


@pytest.mark.parametrize(
    ("enum", "parent"),
    [(EventType, namespaces.KG.Event), (ActorType, namespaces.KG.Actor)],
    ids=["EventType", "ActorType"],
)
def test_vocab_has_every_ontology_subclass(
    newskg: Graph, enum: type[TermEnum], parent: URIRef
) -> None:
    in_ontology = {str(c) for c in newskg.subjects(RDFS.subClassOf, parent)}
    assert in_ontology == {member.iri for member in enum}


@pytest.mark.parametrize("enum", [Stance, Direction, EventStatus, ParticipantRole], ids=str)
def test_vocab_has_every_concept_of_the_scheme(newskg: Graph, enum: type[TermEnum]) -> None:
    _, scheme = NAMESPACES[enum]
    in_ontology = {str(c) for c in newskg.subjects(SKOS.inScheme, URIRef(str(scheme)))}
    assert in_ontology == {member.iri for member in enum}


# --- the copies that stay spelt out -----------------------------------------------------------


@pytest.mark.parametrize("member", MEMBERS, ids=member_id)
def test_vocab_term_is_in_the_typed_rdflib_namespace(member: TermEnum) -> None:
    """kg.namespaces keeps typed attributes (`STANCE.demands`); each names a vocab term."""
    typed = {
        vocab.KG_NS: namespaces.KG,
        vocab.STANCE_NS: namespaces.STANCE,
        vocab.DIRECTION_NS: namespaces.DIRECTION,
        vocab.STATUS_NS: namespaces.STATUS,
        vocab.ROLE_NS: namespaces.PROLE,
    }[NAMESPACES[type(member)][0]]
    assert str(typed[member.term.name]) == member.iri


@pytest.mark.parametrize("view", ["search.js", "matrix.js"])
def test_vocab_web_page_actor_types_equal_the_vocab(view: str) -> None:
    source = (WEB_VIEWS / view).read_text(encoding="utf-8")
    found = re.search(r"const TYPES = \[(.*?)\];", source)
    assert found is not None
    listed = tuple(json.loads(f"[{found.group(1)}]"))
    assert listed == ("", *ActorType.rest_ids())


def test_vocab_web_page_direction_signs_equal_the_vocab() -> None:
    source = (WEB_VIEWS / "matrix.js").read_text(encoding="utf-8")
    found = re.search(r"DIRECTION_SIGNS = \{(.*?)\}", source)
    assert found is not None
    keys = re.findall(r'"?([\w/]+)"?\s*:', found.group(1))
    assert tuple(keys) == Direction.rest_ids()
