"""kg.namespaces mirrors ontology/newskg.ttl term for term, and typos fail loudly."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DefinedNamespace

from kg.mapping import ACTOR_CLASSES, EVENT_CLASSES, read_ontology_file
from kg.namespaces import (
    DIRECTION,
    KG,
    OWL,
    PLOVER,
    PROLE,
    RDF,
    RDFS,
    SKOS,
    STANCE,
    STATUS,
    bind_prefixes,
)
from kg.records import Direction, EventStatus, EventType, ParticipantRole, Stance

ONTOLOGY_IRI = URIRef("https://w3id.org/newskg/ns")
DECLARATION_TYPES = {
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    OWL.AnnotationProperty,
    SKOS.Concept,
    SKOS.ConceptScheme,
}
CLOSED_SCHEMES = [STANCE, DIRECTION, STATUS, PROLE]


@pytest.fixture(scope="module")
def newskg() -> Graph:
    return read_ontology_file("newskg.ttl")


def python_terms(namespace: type[DefinedNamespace]) -> set[URIRef]:
    names = [*namespace.__annotations__, *namespace._extras]
    return {namespace[name] for name in names}


def declared_terms(graph: Graph, namespace: type[DefinedNamespace]) -> set[URIRef]:
    """Subjects in `namespace` that newskg.ttl declares as a class, property, concept or scheme."""
    prefix = str(namespace)
    return {
        subject
        for subject, kind in graph.subject_objects(RDF.type)
        if isinstance(subject, URIRef) and subject.startswith(prefix) and kind in DECLARATION_TYPES
    }


@pytest.mark.parametrize("namespace", [KG, *CLOSED_SCHEMES, PLOVER])
def test_namespaces_match_ontology_term_for_term(
    newskg: Graph, namespace: type[DefinedNamespace]
) -> None:
    in_python = python_terms(namespace)
    in_turtle = declared_terms(newskg, namespace)
    assert in_python - in_turtle == set(), "declared in kg/namespaces.py only"
    assert in_turtle - in_python == set(), "declared in ontology/newskg.ttl only"


@pytest.mark.parametrize("namespace", [KG, *CLOSED_SCHEMES, PLOVER])
def test_namespaces_every_term_has_label_and_comment(
    newskg: Graph, namespace: type[DefinedNamespace]
) -> None:
    for term in python_terms(namespace):
        assert newskg.value(term, RDFS.label) is not None, f"{term} has no rdfs:label"
        assert newskg.value(term, RDFS.comment) is not None, f"{term} has no rdfs:comment"


@pytest.mark.parametrize(
    ("namespace", "values"),
    [
        (STANCE, {s.value for s in Stance}),
        (DIRECTION, {d.value for d in Direction}),
        (STATUS, {s.value for s in EventStatus}),
        (PROLE, {r.value for r in ParticipantRole}),
    ],
)
def test_namespaces_closed_schemes_notations_are_the_rest_values(
    newskg: Graph, namespace: type[DefinedNamespace], values: set[str]
) -> None:
    scheme = namespace["scheme"]
    concepts = set(newskg.subjects(SKOS.inScheme, scheme))
    assert concepts == python_terms(namespace) - {scheme}
    notations = {str(newskg.value(concept, SKOS.notation)) for concept in concepts}
    assert notations == values
    for concept in concepts:
        assert newskg.value(concept, SKOS.prefLabel) is not None
        assert (concept, RDF.type, SKOS.Concept) in newskg


def test_namespaces_direction_not_applicable_has_rest_value_na(newskg: Graph) -> None:
    assert newskg.value(DIRECTION["not-applicable"], SKOS.notation) == Literal("n/a")


def test_namespaces_stances_have_definitions(newskg: Graph) -> None:
    for stance in Stance:
        definition = newskg.value(STANCE[stance.value], SKOS.definition)
        assert definition is not None
        assert len(str(definition)) > 20


def test_namespaces_event_classes_carry_rest_notation_and_plover_match(newskg: Graph) -> None:
    assert set(EVENT_CLASSES) == set(EventType)
    for event_type, event_class in EVENT_CLASSES.items():
        assert newskg.value(event_class, SKOS.notation) == Literal(event_type.value)
        assert (event_class, RDFS.subClassOf, KG.Event) in newskg
    for event_class in set(EVENT_CLASSES.values()) - {KG.OtherEvent}:
        matches = set(newskg.objects(event_class, SKOS.closeMatch)) | set(
            newskg.objects(event_class, SKOS.broadMatch)
        )
        assert matches, f"{event_class} has no PLOVER mapping"
        assert all(str(match).startswith(str(PLOVER)) for match in matches)


def test_namespaces_actor_classes_are_actors(newskg: Graph) -> None:
    for actor_class in ACTOR_CLASSES.values():
        assert (actor_class, RDFS.subClassOf, KG.Actor) in newskg


def test_namespaces_ontology_version(newskg: Graph) -> None:
    assert (ONTOLOGY_IRI, RDF.type, OWL.Ontology) in newskg
    assert newskg.value(ONTOLOGY_IRI, OWL.versionInfo) == Literal("1.0.0")


@pytest.mark.parametrize(
    ("namespace", "typo"),
    [(KG, "holdr"), (KG, "Persn"), (STANCE, "demand"), (DIRECTION, "n/a"), (PROLE, "agents")],
)
def test_namespaces_typo_raises(namespace: type[DefinedNamespace], typo: str) -> None:
    with pytest.raises(AttributeError, match="not in namespace"):
        namespace[typo]


def test_namespaces_typo_as_attribute_raises() -> None:
    with pytest.raises(AttributeError):
        _ = KG.holdr


def test_namespaces_bind_prefixes_binds_the_spec_prefixes() -> None:
    graph = bind_prefixes(Graph())
    bound = dict(graph.namespaces())
    assert str(bound["kg"]) == "https://w3id.org/newskg/ns#"
    assert str(bound["schema"]) == "https://schema.org/"
    assert str(bound["dir"]) == "https://w3id.org/newskg/direction/"
    assert str(bound["oa"]) == "http://www.w3.org/ns/oa#"
