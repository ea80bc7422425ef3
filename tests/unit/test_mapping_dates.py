"""kg.mapping of dates: a stated date typed by its precision (SEM time stamps), the words that
state it, and the provenance of a published date read from the text."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from rdflib import Graph, Literal, URIRef

from kg.iris import Iris
from kg.mapping import to_graph
from kg.namespaces import KG, OA, SCHEMA, SEM, XSD
from kg.records import DatePrecision, Span, StatedDate
from kg.validation import Validator
from tests.utils.extraction import demo_extraction, span

WEEK = span("this week")


def _graph(
    iris: Iris,
    date: StatedDate | None,
    published: dt.date | None = dt.date(2025, 3, 12),
    published_evidence: Span | None = None,
) -> Graph:
    extraction = demo_extraction()
    position = dataclasses.replace(extraction.positions[0], date=date)
    event = dataclasses.replace(extraction.events[0], date=date)
    return to_graph(
        dataclasses.replace(
            extraction,
            article=dataclasses.replace(
                extraction.article, published=published, published_evidence=published_evidence
            ),
            positions=(position,),
            events=(event,),
        ),
        iris,
    )


def _subject(graph: Graph, kind: URIRef) -> URIRef:
    (node,) = graph.subjects(predicate=None, object=kind)
    assert isinstance(node, URIRef)
    return node


@pytest.mark.parametrize(
    ("date", "literal"),
    [
        (
            StatedDate(dt.date(2025, 3, 12), DatePrecision.DAY, WEEK),
            Literal("2025-03-12", datatype=XSD.date),
        ),
        (
            StatedDate(dt.date(2025, 3, 1), DatePrecision.MONTH, WEEK),
            Literal("2025-03", datatype=XSD.gYearMonth),
        ),
        (
            StatedDate(dt.date(2014, 1, 1), DatePrecision.YEAR, WEEK),
            Literal("2014", datatype=XSD.gYear),
        ),
    ],
)
def test_mapping_dates_time_stamp_is_typed_by_precision(
    iris: Iris, shapes_validator: Validator, date: StatedDate, literal: Literal
) -> None:
    graph = _graph(iris, date)
    for kind in (KG.Position, KG.Meeting):
        node = _subject(graph, kind)
        assert graph.value(node, SEM.hasTimeStamp) == literal
        assert graph.value(node, SEM.hasEarliestBeginTimeStamp) is None
        words = graph.value(node, KG.dateEvidence)
        assert words == iris.date_evidence(node)
        exact = {graph.value(s, OA.exact) for s in graph.objects(words, OA.hasSelector)}
        assert Literal("this week") in exact
    assert shapes_validator.validate(graph).conforms


def test_mapping_dates_week_is_a_begin_and_end(iris: Iris, shapes_validator: Validator) -> None:
    graph = _graph(iris, StatedDate(dt.date(2025, 3, 10), DatePrecision.WEEK, WEEK))
    node = _subject(graph, KG.Position)
    assert graph.value(node, SEM.hasTimeStamp) is None
    assert graph.value(node, SEM.hasEarliestBeginTimeStamp) == Literal(
        "2025-03-10", datatype=XSD.date
    )
    assert graph.value(node, SEM.hasLatestEndTimeStamp) == Literal("2025-03-16", datatype=XSD.date)
    assert shapes_validator.validate(graph).conforms


def test_mapping_dates_undated_position_has_no_time_stamp(iris: Iris) -> None:
    graph = _graph(iris, None)
    node = _subject(graph, KG.Position)
    assert graph.value(node, SEM.hasTimeStamp) is None
    assert graph.value(node, KG.dateEvidence) is None


def test_mapping_dates_detected_published_date_keeps_its_words(
    iris: Iris, shapes_validator: Validator
) -> None:
    graph = _graph(iris, None, published=dt.date(2025, 3, 12), published_evidence=WEEK)
    doc = iris.document("demo")
    assert graph.value(doc, SCHEMA.datePublished) == Literal("2025-03-12", datatype=XSD.date)
    resource = graph.value(doc, KG.datePublishedEvidence)
    assert resource == iris.date_published_evidence(doc)
    assert graph.value(resource, OA.hasSource) == doc
    assert shapes_validator.validate(graph).conforms
    from_metadata = _graph(iris, None)
    assert from_metadata.value(doc, KG.datePublishedEvidence) is None
