"""kg.validation and ontology/shapes.ttl: the demo graph conforms, and each shape rejects a
focused invalid variant of it with its own sh:message."""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.errors import NonConformingGraphError
from kg.iris import Iris
from kg.mapping import ontology_dir, read_ontology_file, to_graph
from kg.namespaces import (
    KG,
    KGSH,
    OA,
    OWL,
    PROLE,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    SH,
    SKOS,
    STANCE,
    TOPIC,
    XSD,
)
from kg.records import Actor, ActorType, Extraction, Mention, Span
from kg.validation import (
    ValidationReport,
    Validator,
    targeted_property_shapes,
    topic_concepts,
    validate,
)
from tests.utils.extraction import TOPIC_ID, demo_article, span

DOC = "demo"


@dataclass(frozen=True)
class Nodes:
    """The IRIs of the demo graph that the mutations touch."""

    doc: URIRef
    activity: URIRef
    software: URIRef
    putin: URIRef
    naming: URIRef
    kremlin: URIRef
    moscow: URIRef
    mention: URIRef
    role: URIRef
    merge: URIRef
    event: URIRef
    participation: URIRef
    position: URIRef
    quote: URIRef

    @classmethod
    def of(cls, graph: Graph, iris: Iris) -> Nodes:
        mention, role, quote = span("Vladimir Putin"), span("Russian President"), span("No.")
        event = graph.value(None, RDF.type, KG.Meeting)
        position = graph.value(None, RDF.type, KG.Position)
        assert isinstance(event, URIRef)
        assert isinstance(position, URIRef)
        return cls(
            doc=iris.document(DOC),
            activity=iris.activity(DOC),
            software=iris.software(),
            putin=iris.actor("vladimir-putin"),
            naming=iris.naming(DOC, "vladimir-putin"),
            kremlin=iris.actor("kremlin"),
            moscow=iris.actor("moscow"),
            mention=iris.mention(DOC, mention.start, mention.end),
            role=iris.role(DOC, "vladimir-putin", role.start, role.end),
            merge=iris.merge(DOC, "vladimir-putin", "surname"),
            event=event,
            participation=iris.participation(event, "steve-witkoff"),
            position=position,
            quote=iris.quote(DOC, quote.start, quote.end),
        )


Mutation = Callable[[Graph, Nodes], object]  # lambdas return what Graph.remove returns


def drop(predicate: URIRef, node: str) -> Mutation:
    def mutate(graph: Graph, nodes: Nodes) -> None:
        graph.remove((getattr(nodes, node), predicate, None))

    return mutate


def put(predicate: URIRef, node: str, value: object) -> Mutation:
    """Replace every value of `predicate` on the node with `value`."""

    def mutate(graph: Graph, nodes: Nodes) -> None:
        graph.set((getattr(nodes, node), predicate, _term(value, nodes)))

    return mutate


def add(predicate: URIRef, node: str, value: object) -> Mutation:
    def mutate(graph: Graph, nodes: Nodes) -> None:
        graph.add((getattr(nodes, node), predicate, _term(value, nodes)))

    return mutate


def _term(value: object, nodes: Nodes) -> URIRef | Literal:
    if isinstance(value, str) and value.startswith("@"):
        term = getattr(nodes, value[1:])
        assert isinstance(term, URIRef)
        return term
    if isinstance(value, URIRef | Literal):
        return value
    return Literal(value)


def on_evidence(node: str, selector: str, predicate: URIRef, value: Literal) -> Mutation:
    """Set `predicate` on the evidence's "position" or "quote" selector of a statement node."""

    def mutate(graph: Graph, nodes: Nodes) -> None:
        graph.set((URIRef(f"{getattr(nodes, node)}/evidence/{selector}"), predicate, value))

    return mutate


def undescribed_holder(graph: Graph, nodes: Nodes) -> None:
    graph.set((nodes.position, KG.holder, URIRef("http://127.0.0.1:8000/id/actor/nobody")))


def shift_event_offsets(graph: Graph, nodes: Nodes) -> None:
    selector = URIRef(f"{nodes.event}/evidence/position")
    for predicate in (OA.start, OA.end):
        value = graph.value(selector, predicate)
        assert isinstance(value, Literal)
        shifted = Literal(value.toPython() + 1, datatype=XSD.integer)
        graph.set((selector, predicate, shifted))


def drop_quote_selector(graph: Graph, nodes: Nodes) -> None:
    evidence = URIRef(f"{nodes.mention}/evidence")
    graph.remove((evidence, OA.hasSelector, URIRef(f"{evidence}/quote")))


def add_foreign_topic(graph: Graph, nodes: Nodes) -> None:
    """A topic IRI in the topic namespace that the topic scheme does not define."""
    graph.set((nodes.position, KG.topic, TOPIC.no_such_topic))


NOT_A_DATE = Literal("12 March 2025")

# (shape, mutation, expected message fragment): one focused invalid example per constraint.
CASES: dict[str, tuple[URIRef, Mutation, str]] = {
    # Document
    "document text missing": (
        KGSH.DocumentShape,
        drop(KG.text, "doc"),
        "A document needs exactly one kg:text string",
    ),
    "document hash malformed": (
        KGSH.DocumentShape,
        put(KG.contentHash, "doc", "abc"),
        "exactly one kg:contentHash: 64 lower-case hex digits",
    ),
    "document id missing": (
        KGSH.DocumentShape,
        drop(KG.documentId, "doc"),
        "A document needs exactly one kg:documentId string.",
    ),
    "document two headlines": (
        KGSH.DocumentShape,
        add(SCHEMA.headline, "doc", "Another"),
        "at most one schema:headline string",
    ),
    "document two file names": (
        KGSH.DocumentShape,
        add(KG.fileName, "doc", "other.txt"),
        "at most one kg:fileName string",
    ),
    "document url untyped": (
        KGSH.DocumentShape,
        put(SCHEMA.url, "doc", "https://example.org/a"),
        "schema:url, typed xsd:anyURI",
    ),
    "document date untyped": (
        KGSH.DocumentShape,
        put(SCHEMA.datePublished, "doc", NOT_A_DATE),
        "schema:datePublished, typed xsd:date",
    ),
    "document not a news article": (
        KGSH.DocumentShape,
        lambda g, n: g.remove((n.doc, RDF.type, SCHEMA.NewsArticle)),
        "must also be typed schema:NewsArticle",
    ),
    "document two authors": (
        KGSH.DocumentShape,
        add(SCHEMA.author, "doc", "@putin"),
        "at most one schema:author",
    ),
    "document two publishers": (
        KGSH.DocumentShape,
        add(SCHEMA.publisher, "doc", "@kremlin"),
        "at most one schema:publisher",
    ),
    "document activity missing": (
        KGSH.DocumentShape,
        drop(PROV.wasGeneratedBy, "doc"),
        "the prov:Activity that extracted it",
    ),
    # Activity and software agent
    "activity extractor version missing": (
        KGSH.ActivityShape,
        drop(KG.extractorVersion, "activity"),
        "exactly one kg:extractorVersion string",
    ),
    "activity agent missing": (
        KGSH.ActivityShape,
        drop(PROV.wasAssociatedWith, "activity"),
        "exactly one prov:wasAssociatedWith",
    ),
    "activity used missing": (
        KGSH.ActivityShape,
        drop(PROV.used, "activity"),
        "exactly one prov:used",
    ),
    "activity two pipeline names": (
        KGSH.ActivityShape,
        add(KG.pipelineName, "activity", "other"),
        "at most one kg:pipelineName string",
    ),
    "activity two pipeline versions": (
        KGSH.ActivityShape,
        add(KG.pipelineVersion, "activity", "9"),
        "at most one kg:pipelineVersion string",
    ),
    "software label missing": (
        KGSH.SoftwareAgentShape,
        drop(RDFS.label, "software"),
        "A software agent needs exactly one rdfs:label",
    ),
    # Actors
    "actor two types": (
        KGSH.ActorShape,
        add(RDF.type, "putin", KG.Country),
        "An actor needs exactly one rdf:type",
    ),
    "actor type outside the closed set": (
        KGSH.ActorShape,
        put(RDF.type, "putin", KG.Actor),
        "An actor needs exactly one rdf:type",
    ),
    # Actor descriptions come from the namings (kg.registry.describe_actors): an added
    # description triple in the article graph joins them, a naming without a name describes none.
    "actor named without a name": (
        KGSH.ActorShape,
        drop(KG.name, "naming"),
        "An actor needs exactly one rdf:type",
    ),
    "actor two labels": (
        KGSH.ActorShape,
        add(SKOS.prefLabel, "putin", "Putin"),
        "exactly one skos:prefLabel string",
    ),
    "actor label with language tag": (
        KGSH.ActorShape,
        put(SKOS.prefLabel, "putin", Literal("Vladimir Putin", lang="en")),
        "exactly one skos:prefLabel string",
    ),
    "actor key not a slug": (
        KGSH.ActorShape,
        put(KG.actorKey, "putin", "Vladimir Putin"),
        "exactly one kg:actorKey, a lower-case slug",
    ),
    "actor same-as not wikidata": (
        KGSH.ActorShape,
        put(OWL.sameAs, "putin", URIRef("https://en.wikipedia.org/wiki/Vladimir_Putin")),
        "must be a Wikidata entity IRI",
    ),
    "actor alt label not a string": (
        KGSH.ActorShape,
        add(SKOS.altLabel, "putin", Literal(3)),
        "skos:altLabel values must be plain strings",
    ),
    "actor role not a role": (
        KGSH.ActorShape,
        add(KG.hasRole, "putin", "@kremlin"),
        "kg:hasRole must point to a kg:Role",
    ),
    "referenced actor not described": (
        KGSH.ActorShape,
        undescribed_holder,
        "An actor needs exactly one rdf:type",
    ),
    # Namings
    "naming name missing": (
        KGSH.NamingShape,
        drop(KG.name, "naming"),
        "A naming needs exactly one kg:name string",
    ),
    "naming two names": (
        KGSH.NamingShape,
        add(KG.name, "naming", "Putin"),
        "A naming needs exactly one kg:name string",
    ),
    "naming class outside the closed set": (
        KGSH.NamingShape,
        put(KG.actorClass, "naming", KG.Actor),
        "exactly one kg:actorClass",
    ),
    "naming actor missing": (
        KGSH.NamingShape,
        drop(KG.namingOf, "naming"),
        "A naming needs exactly one kg:namingOf",
    ),
    "naming alias not a string": (
        KGSH.NamingShape,
        add(KG.alias, "naming", Literal(3)),
        "kg:alias values must be plain strings",
    ),
    "naming wikidata not wikidata": (
        KGSH.NamingShape,
        put(KG.identifiedAs, "naming", URIRef("https://en.wikipedia.org/wiki/Vladimir_Putin")),
        "kg:identifiedAs must be a Wikidata entity IRI",
    ),
    "naming not derived from the document": (
        KGSH.NamingShape,
        drop(PROV.wasDerivedFrom, "naming"),
        "prov:wasDerivedFrom",
    ),
    # Roles
    "role label missing": (
        KGSH.RoleShape,
        drop(RDFS.label, "role"),
        "A role needs exactly one rdfs:label string",
    ),
    "role holder missing": (
        KGSH.RoleShape,
        drop(KG.roleOf, "role"),
        "A role needs exactly one kg:roleOf",
    ),
    "role back-link missing": (
        KGSH.RoleShape,
        lambda g, n: g.remove((n.putin, KG.hasRole, n.role)),
        "must link back to it with kg:hasRole",
    ),
    "role evidence missing": (
        KGSH.RoleShape,
        drop(KG.evidence, "role"),
        "exactly one kg:evidence",
    ),
    # Mentions
    "mention actor missing": (
        KGSH.MentionShape,
        drop(KG.refersTo, "mention"),
        "A mention needs exactly one kg:refersTo",
    ),
    "mention surface form differs from evidence": (
        KGSH.MentionShape,
        put(KG.surfaceForm, "mention", "Vlad"),
        "must equal the oa:exact text of its evidence",
    ),
    "mention confidence above one": (
        KGSH.MentionShape,
        put(KG.confidence, "mention", Literal("1.5", datatype=XSD.decimal)),
        "exactly one kg:confidence, an xsd:decimal between 0 and 1",
    ),
    "mention confidence not decimal": (
        KGSH.MentionShape,
        put(KG.confidence, "mention", "high"),
        "exactly one kg:confidence, an xsd:decimal between 0 and 1",
    ),
    "mention method missing": (
        KGSH.MentionShape,
        drop(KG.method, "mention"),
        "exactly one kg:method",
    ),
    "mention two evidences": (
        KGSH.MentionShape,
        add(KG.evidence, "mention", URIRef("http://127.0.0.1:8000/id/document/demo/other")),
        "exactly one kg:evidence",
    ),
    "mention source document missing": (
        KGSH.MentionShape,
        drop(PROV.wasDerivedFrom, "mention"),
        "exactly one prov:wasDerivedFrom",
    ),
    "mention activity missing": (
        KGSH.MentionShape,
        drop(PROV.wasGeneratedBy, "mention"),
        "A statement needs exactly one prov:wasGeneratedBy",
    ),
    # Merges
    "merge forms missing": (
        KGSH.MergeShape,
        drop(KG.surfaceForm, "merge"),
        "at least one kg:surfaceForm string",
    ),
    "merge actor missing": (
        KGSH.MergeShape,
        drop(KG.mergedInto, "merge"),
        "A merge needs exactly one kg:mergedInto",
    ),
    # Events
    "event two types": (
        KGSH.EventShape,
        add(RDF.type, "event", KG.Talks),
        "An event needs exactly one rdf:type",
    ),
    "event generic type": (
        KGSH.EventShape,
        put(RDF.type, "event", KG.Event),
        "An event needs exactly one rdf:type",
    ),
    "event status outside the scheme": (
        KGSH.EventShape,
        put(KG.status, "event", STANCE.demands),
        "exactly one kg:status: status:happened",
    ),
    "event status missing": (
        KGSH.EventShape,
        drop(KG.status, "event"),
        "exactly one kg:status: status:happened",
    ),
    "event place not a place": (
        KGSH.EventShape,
        put(SEM.hasPlace, "event", "@kremlin"),
        "at most one sem:hasPlace, an actor typed kg:Place",
    ),
    "event date untyped": (
        KGSH.timeStampProperty,
        put(SEM.hasTimeStamp, "event", NOT_A_DATE),
        "at most one sem:hasTimeStamp, typed xsd:date, xsd:gYearMonth or xsd:gYear",
    ),
    "position date a dateTime": (
        KGSH.timeStampProperty,
        put(SEM.hasTimeStamp, "position", Literal("2025-03-12T10:00:00", datatype=XSD.dateTime)),
        "at most one sem:hasTimeStamp, typed xsd:date, xsd:gYearMonth or xsd:gYear",
    ),
    "event week end untyped": (
        KGSH.endTimeStampProperty,
        put(SEM.hasLatestEndTimeStamp, "event", Literal("2025-03-16")),
        "at most one sem:hasLatestEndTimeStamp, typed xsd:date",
    ),
    "event two time expressions": (
        KGSH.EventShape,
        add(KG.timeExpression, "event", "today"),
        "at most one kg:timeExpression string",
    ),
    "event actor without participation": (
        KGSH.EventShape,
        add(SEM.hasActor, "event", "@kremlin"),
        "must be exactly the participants of its kg:hasParticipation records",
    ),
    "event participation untyped": (
        KGSH.EventShape,
        lambda g, n: g.remove((n.participation, RDF.type, KG.Participation)),
        "kg:hasParticipation must point to a kg:Participation",
    ),
    "event evidence missing": (
        KGSH.EventShape,
        drop(KG.evidence, "event"),
        "exactly one kg:evidence",
    ),
    # Participations
    "participation role outside the scheme": (
        KGSH.ParticipationShape,
        put(KG.participantRole, "participation", STANCE.claims),
        "exactly one kg:participantRole: prole:agent",
    ),
    "participation two roles": (
        KGSH.ParticipationShape,
        add(KG.participantRole, "participation", PROLE.recipient),
        "exactly one kg:participantRole: prole:agent",
    ),
    "participation actor missing": (
        KGSH.ParticipationShape,
        drop(KG.participant, "participation"),
        "A participation needs exactly one kg:participant",
    ),
    # Positions
    "position holder missing": (
        KGSH.PositionShape,
        drop(KG.holder, "position"),
        "A position needs exactly one kg:holder",
    ),
    "position two holders": (
        KGSH.PositionShape,
        add(KG.holder, "position", "@putin"),
        "A position needs exactly one kg:holder",
    ),
    "position stance outside the scheme": (
        KGSH.PositionShape,
        put(KG.stance, "position", URIRef("https://w3id.org/newskg/stance/wants")),
        "exactly one kg:stance from stance:scheme",
    ),
    "position topic outside the namespace": (
        KGSH.PositionShape,
        put(KG.topic, "position", URIRef("https://example.org/topic/nato")),
        "an IRI in the topic: namespace",
    ),
    "position topic not in the scheme": (
        KGSH.PositionShape,
        add_foreign_topic,
        "must be a skos:Concept of topic:scheme",
    ),
    "position direction outside the scheme": (
        KGSH.PositionShape,
        put(KG.direction, "position", URIRef("https://w3id.org/newskg/direction/n/a")),
        "exactly one kg:direction: dir:for",
    ),
    "position hedged not boolean": (
        KGSH.PositionShape,
        put(KG.hedged, "position", "no"),
        "exactly one kg:hedged, an xsd:boolean",
    ),
    "position author opinion missing": (
        KGSH.PositionShape,
        drop(KG.authorOpinion, "position"),
        "exactly one kg:authorOpinion, an xsd:boolean",
    ),
    "position two targets": (
        KGSH.PositionShape,
        add(KG.target, "position", "@putin"),
        "at most one kg:target",
    ),
    "position two reporters": (
        KGSH.PositionShape,
        lambda g, n: [g.add((n.position, KG.reportedBy, a)) for a in (n.putin, n.kremlin)],
        "at most one kg:reportedBy",
    ),
    "position evidence missing": (
        KGSH.PositionShape,
        drop(KG.evidence, "position"),
        "exactly one kg:evidence",
    ),
    # Quotes
    "quote speaker missing": (
        KGSH.QuoteShape,
        drop(KG.speaker, "quote"),
        "A quote needs exactly one kg:speaker",
    ),
    "quote text differs from evidence": (
        KGSH.QuoteShape,
        put(KG.quotedText, "quote", "Yes."),
        "must equal the oa:exact text of its evidence",
    ),
    "quote evidence missing": (
        KGSH.QuoteShape,
        drop(KG.evidence, "quote"),
        "exactly one kg:evidence",
    ),
    # Evidence and selectors
    "evidence source missing": (
        KGSH.EvidenceShape,
        lambda g, n: g.remove((URIRef(f"{n.quote}/evidence"), OA.hasSource, None)),
        "Evidence needs exactly one oa:hasSource",
    ),
    "evidence quote selector missing": (
        KGSH.EvidenceShape,
        drop_quote_selector,
        "one oa:TextPositionSelector and one oa:TextQuoteSelector",
    ),
    "evidence offsets do not match the text": (
        KGSH.EvidenceIntegrityShape,
        shift_event_offsets,
        "does not match the document text",
    ),
    "selector start after end": (
        KGSH.TextPositionSelectorShape,
        on_evidence("quote", "position", OA.start, Literal(999, datatype=XSD.integer)),
        "not greater than its oa:end",
    ),
    "selector start negative": (
        KGSH.TextPositionSelectorShape,
        on_evidence("quote", "position", OA.start, Literal(-1, datatype=XSD.integer)),
        "exactly one oa:start, a non-negative xsd:integer",
    ),
    "selector end untyped": (
        KGSH.TextPositionSelectorShape,
        on_evidence("quote", "position", OA.end, Literal("17")),
        "exactly one oa:end, a non-negative xsd:integer",
    ),
    "selector exact not a string": (
        KGSH.TextQuoteSelectorShape,
        on_evidence("quote", "quote", OA.exact, Literal(3)),
        "A text quote selector needs exactly one oa:exact string",
    ),
}


def mutated(graph: Graph, iris: Iris, mutation: Mutation) -> Graph:
    copy = Graph(identifier=graph.identifier)
    copy += graph
    mutation(copy, Nodes.of(copy, iris))
    return copy


def test_validation_demo_graph_conforms(shapes_validator: Validator, demo_graph: Graph) -> None:
    report = shapes_validator.validate(demo_graph)
    assert report.violations == ()
    assert report.conforms


@pytest.mark.parametrize("case", sorted(CASES))
def test_validation_shape_rejects_focused_example(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris, case: str
) -> None:
    shape, mutation, message = CASES[case]
    report = shapes_validator.validate(mutated(demo_graph, iris, mutation))
    assert not report.conforms
    matching = [v for v in report.violations if message in v.message]
    assert matching, f"no violation says {message!r}; got {report.messages}"
    assert any(v.source_shape in {str(shape)} | SHARED_SHAPES for v in matching)


SHARED_SHAPES = {
    str(KGSH.methodProperty),
    str(KGSH.confidenceProperty),
    str(KGSH.evidenceProperty),
    str(KGSH.derivedFromProperty),
    str(KGSH.generatedByProperty),
}


def test_validation_every_node_shape_has_a_focused_case() -> None:
    shapes = read_ontology_file("shapes.ttl")
    targeted = {
        shape
        for shape in shapes.subjects(RDF.type, SH.NodeShape)
        if any(shapes.predicate_objects(shape)) and shape != KGSH.TopicConceptShape
    }
    covered = {shape for shape, _, _ in CASES.values()}
    assert targeted - covered == set()


def test_validation_every_constraint_carries_a_message() -> None:
    shapes = read_ontology_file("shapes.ttl")
    constrained = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    constrained |= set(shapes.subjects(RDF.type, SH.PropertyShape))
    missing = [shape for shape in constrained if shapes.value(shape, SH.message) is None]
    assert missing == []


def test_validation_violation_fields(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris
) -> None:
    report = shapes_validator.validate(mutated(demo_graph, iris, put(KG.hedged, "position", "no")))
    (violation,) = report.violations
    position = demo_graph.value(None, RDF.type, KG.Position)
    assert violation.focus_node == str(position)
    assert violation.path == f"<{KG.hedged}>"
    assert violation.severity == "Violation"
    assert violation.source_shape == str(KGSH.PositionShape)
    assert violation.value == "no"
    assert "sh:ValidationReport" in report.text or "Validation Report" in report.text


def test_validation_sequence_path_is_rendered(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris
) -> None:
    report = shapes_validator.validate(
        mutated(demo_graph, iris, put(KG.quotedText, "quote", "Yes."))
    )
    paths = {v.path for v in report.violations}
    assert f"<{KG.evidence}>/<{OA.hasSelector}>/<{OA.exact}>" in paths


def test_validation_does_not_modify_the_graph(
    shapes_validator: Validator, demo_graph: Graph
) -> None:
    before = set(demo_graph)
    shapes_validator.validate(demo_graph)
    assert set(demo_graph) == before


def test_validation_ensure_conforms_raises_with_report(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris
) -> None:
    bad = mutated(demo_graph, iris, drop(KG.text, "doc"))
    with pytest.raises(NonConformingGraphError) as caught:
        shapes_validator.ensure_conforms(bad)
    report = caught.value.report
    assert isinstance(report, ValidationReport)
    assert not report.conforms
    assert str(iris.graph(DOC)) in caught.value.message
    assert "kg:text" in caught.value.message


def test_validation_ensure_conforms_returns_report(
    shapes_validator: Validator, demo_graph: Graph
) -> None:
    assert shapes_validator.ensure_conforms(demo_graph).conforms


def test_validation_is_thread_safe(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris
) -> None:
    """pySHACL writes into its shapes graph (issue #314); each call must get its own."""
    invalid = mutated(demo_graph, iris, drop(KG.text, "doc"))
    graphs = [demo_graph, invalid] * 3
    results: dict[int, bool] = {}

    def run(index: int) -> None:
        results[index] = shapes_validator.validate(graphs[index]).conforms

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(graphs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [results[index] for index in range(len(graphs))] == [True, False] * 3


def test_validation_topic_concepts_keep_only_the_topic_scheme() -> None:
    topics = Graph()
    topics.add((TOPIC.a, SKOS.inScheme, TOPIC.scheme))
    topics.add((TOPIC.b, SKOS.inScheme, URIRef("https://example.org/other")))
    concepts = topic_concepts(topics)
    assert set(concepts.subjects()) == {TOPIC.a}
    assert (TOPIC.a, RDF.type, SKOS.Concept) in concepts


def test_validation_default_validator_uses_the_repository_topics(demo_graph: Graph) -> None:
    """The module-level `validate` reads ontology/shapes.ttl and ontology/topics.ttl."""
    if not (ontology_dir() / "topics.ttl").exists():
        pytest.skip("ontology/topics.ttl not written yet")
    topics = read_ontology_file("topics.ttl")
    if (TOPIC[TOPIC_ID], SKOS.inScheme, TOPIC.scheme) not in topics:
        pytest.skip(f"topic {TOPIC_ID} not in ontology/topics.ttl")
    assert validate(demo_graph).conforms


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prefix=st.text(st.characters(codec="utf-8"), max_size=12),
    word=st.text(st.characters(codec="utf-8"), min_size=1, max_size=8),
)
def test_validation_evidence_integrity_counts_code_points(
    shapes_validator: Validator, prefix: str, word: str
) -> None:
    """rdflib's SUBSTR agrees with Python slicing for any text, astral characters included."""
    text = prefix + word + " end"
    where = Span(len(prefix), len(prefix) + len(word), word)
    article = dataclasses.replace(demo_article(), text=text, author=None, outlet=None)
    extraction = Extraction(
        article=article,
        actors=(Actor("x", "X", ActorType.PERSON),),
        mentions=(Mention("x", where, "test", 0.5),),
    )
    graph = to_graph(extraction, Iris("http://127.0.0.1:8000/"))
    report = shapes_validator.validate(graph)
    assert report.conforms, report.messages


def test_validation_graph_read_back_from_pyoxigraph_conforms(
    shapes_validator: Validator, demo_graph: Graph
) -> None:
    """A graph read back from Oxigraph is the graph written (offsets are plain xsd:integer)."""
    store = ox.Store()
    store.load(demo_graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    dumped = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    read_back = Graph().parse(data=dumped, format="nt")
    assert set(read_back) == set(demo_graph)
    report = shapes_validator.validate(read_back)
    assert report.conforms, report.messages


@pytest.mark.parametrize(
    "value",
    [Literal("1.5", datatype=XSD.decimal), Literal("7"), Literal("-2", datatype=XSD.integer)],
    ids=["decimal", "string", "negative"],
)
def test_validation_offsets_must_be_non_negative_integers(
    shapes_validator: Validator, demo_graph: Graph, iris: Iris, value: Literal
) -> None:
    graph = mutated(demo_graph, iris, on_evidence("quote", "position", OA.end, value))
    messages = shapes_validator.validate(graph).messages
    assert (
        "A text position selector needs exactly one oa:end, a non-negative xsd:integer." in messages
    )


@pytest.fixture(scope="module")
def as_written_validator() -> Validator:
    shapes = (ontology_dir() / "shapes.ttl").read_text(encoding="utf-8")
    topics = topic_concepts(read_ontology_file("topics.ttl"))
    return Validator(shapes, topics, targeted=False)


@pytest.mark.parametrize("case", sorted(CASES))
def test_validation_targeted_shapes_report_the_same_violations(
    shapes_validator: Validator,
    as_written_validator: Validator,
    demo_graph: Graph,
    iris: Iris,
    case: str,
) -> None:
    _, mutation, _ = CASES[case]
    graph = mutated(demo_graph, iris, mutation)
    targeted, written = shapes_validator.validate(graph), as_written_validator.validate(graph)
    assert targeted.conforms is written.conforms is False
    assert targeted.violations == written.violations


def test_validation_targeted_shapes_move_targets_onto_property_shapes() -> None:
    shapes = read_ontology_file("shapes.ttl")
    flat = targeted_property_shapes(shapes)
    assert not list(flat.objects(KGSH.DocumentShape, SH.property))
    for prop in shapes.objects(KGSH.DocumentShape, SH.property):
        assert (prop, SH.targetClass, KG.Document) in flat
    # a node shape used through sh:node keeps its property shapes
    kept = list(flat.objects(KGSH.TopicConceptShape, SH.property))
    assert len(kept) == 1
    assert kept == list(shapes.objects(KGSH.TopicConceptShape, SH.property))
    assert len(set(shapes.subjects())) == len(set(flat.subjects()))
