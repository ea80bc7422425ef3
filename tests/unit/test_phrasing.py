"""Positions read as sentences without double negatives: every topic of ontology/topics.ttl has
its phrases, and every stance x direction x topic summary says what the holder wants."""

from __future__ import annotations

import doctest
import itertools

import pytest
from rdflib import Literal, URIRef

import kg.phrasing
from kg.mapping import read_ontology_file
from kg.namespaces import KG, SKOS, STANCE, TOPIC
from kg.phrasing import (
    FAMILIES,
    STANCES,
    TopicPhrasing,
    family,
    negations_in,
    phrasings_from_graph,
    repository_phrasings,
    summarize,
)

TOPICS = read_ontology_file("topics.ttl")
CONCEPTS = sorted(
    {s for s in TOPICS.subjects(SKOS.inScheme, TOPIC.scheme) if isinstance(s, URIRef)}
)
PHRASES = (KG.forPhrase, KG.againstPhrase, KG.topicPhrase)
DIRECTIONS = ("for", "against", "n/a")
# Written out here rather than read from kg.phrasing: the verbs that negate what follows them.
NEGATIVE_VERBS = {"opposes", "rejects"}
PHRASINGS = repository_phrasings()
COMBINATIONS = list(itertools.product(sorted(STANCES), DIRECTIONS, [str(c) for c in CONCEPTS]))


def test_phrasing_covers_every_topic_of_the_scheme() -> None:
    assert len(CONCEPTS) > 20
    assert set(PHRASINGS) == {str(c) for c in CONCEPTS}


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: str(c).rsplit("/", 1)[-1])
def test_phrasing_each_topic_has_one_english_phrase_of_each_kind(concept: URIRef) -> None:
    for prop in PHRASES:
        values = list(TOPICS.objects(concept, prop))
        assert len(values) == 1, f"{concept} has {len(values)} {prop}"
        value = values[0]
        assert isinstance(value, Literal)
        assert value.language == "en"
        assert str(value).strip() == str(value)
        assert str(value)
    for_phrase, against_phrase = (str(next(TOPICS.objects(concept, p))) for p in PHRASES[:2])
    assert for_phrase.lower() != against_phrase.lower()


@pytest.mark.parametrize("concept", CONCEPTS, ids=lambda c: str(c).rsplit("/", 1)[-1])
def test_phrasing_no_phrase_carries_a_negation(concept: URIRef) -> None:
    for prop in PHRASES:
        phrase = str(next(TOPICS.objects(concept, prop)))
        assert negations_in(phrase) == [], f"{prop} of {concept}: {phrase!r}"


def test_phrasing_stances_are_those_of_the_stance_scheme() -> None:
    ontology = read_ontology_file("newskg.ttl")
    scheme = {
        str(n) for s in ontology.subjects(SKOS.inScheme, STANCE.scheme)
        for n in ontology.objects(s, SKOS.notation)
    }  # fmt: skip
    assert set(STANCES) == scheme


def test_phrasing_negations_are_found() -> None:
    assert negations_in("Ukraine will not join NATO") == ["not"]
    assert negations_in("sanctions are lifted") == ["lifted"]
    assert negations_in("Kyiv won't cede land") == ["won't"]
    assert negations_in("Ukraine stays out of NATO") == []


@pytest.mark.parametrize(("stance", "direction", "topic"), COMBINATIONS)
def test_phrasing_summary_has_no_double_negative(stance: str, direction: str, topic: str) -> None:
    phrasing = PHRASINGS[topic]
    summary = summarize(stance, direction, phrasing)
    verb, _, phrase = summary.partition(": ")
    assert verb.split()[0] == stance
    assert phrase in (phrasing.for_phrase, phrasing.against_phrase, phrasing.topic_phrase)
    # the direction is never printed beside the verb ("rejects, against", "threatens, for")
    assert "against" not in summary.split()
    assert "," not in verb
    assert " for" not in verb
    assert negations_in(phrase) == []
    if stance in NEGATIVE_VERBS:
        assert phrase != phrasing.against_phrase or direction == "for"
        assert "not" not in phrase.split()


@pytest.mark.parametrize(("stance", "direction", "topic"), COMBINATIONS)
def test_phrasing_summary_says_what_the_holder_wants(
    stance: str, direction: str, topic: str
) -> None:
    """`direction` is the net polarity: the phrase the verb acts on, read through the verb's
    negation, is the topic happening exactly when the holder is for it."""
    phrasing = PHRASINGS[topic]
    phrase = summarize(stance, direction, phrasing).partition(": ")[2]
    if direction == "n/a" or stance == "accuses":
        assert phrase == phrasing.topic_phrase
        return
    wants_topic = direction == "for"
    verb_negates = stance in NEGATIVE_VERBS
    expected = phrasing.for_phrase if wants_topic != verb_negates else phrasing.against_phrase
    assert phrase == expected


def test_phrasing_reads_the_issue_examples() -> None:
    nato = PHRASINGS[str(TOPIC.nato_membership_ukraine)]
    assert summarize("demands", "against", nato) == "demands: Ukraine stays out of NATO"
    assert summarize("rejects", "against", PHRASINGS[str(TOPIC.ceasefire)]) == (
        "rejects: a ceasefire"
    )
    assert summarize("threatens", "for", PHRASINGS[str(TOPIC.sanctions)]) == "threatens: sanctions"
    assert summarize("claims", "n/a", PHRASINGS[str(TOPIC.peace_talks)]) == (
        "claims about: the peace talks"
    )


def test_phrasing_topic_outside_the_scheme_reads_from_its_label() -> None:
    phrasing = TopicPhrasing.from_label("Grain exports")
    for stance, direction in itertools.product(STANCES, DIRECTIONS):
        summary = summarize(stance, direction, phrasing)
        assert "Grain exports" in summary
        assert negations_in(summary.partition(": ")[2]) == []


def test_phrasing_families_partition_the_stances_but_accusations() -> None:
    grouped = [s for stances in FAMILIES.values() for s in stances]
    assert sorted(grouped) == sorted(set(STANCES) - {"accuses"})
    assert family("demands") == family("rejects") == "wants"
    assert family("accuses") is None
    assert family("claims") != family("threatens")


def test_phrasing_from_graph_needs_all_three_phrases() -> None:
    graph = read_ontology_file("topics.ttl")
    graph.remove((TOPIC.ceasefire, KG.topicPhrase, None))
    found = phrasings_from_graph(graph)
    assert str(TOPIC.ceasefire) not in found
    assert str(TOPIC.sanctions) in found


def test_phrasing_doctests() -> None:
    result = doctest.testmod(kg.phrasing)
    assert result.attempted > 0
    assert result.failed == 0
