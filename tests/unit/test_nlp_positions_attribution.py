"""Attribution (source, cue, content) and the stance rules of attributed statements, on hand-built
Docs: each finder and each stance rule, and the vetoes that keep a wrong position out."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.lexicon import load_lexicon
from kg.nlp.positions.attribution import (
    according_to,
    block_attributions,
    lead_in_attributions,
    positions_from,
    quote_attributions,
    verb_attributions,
)
from kg.nlp.positions.context import Attribution, DocContext
from kg.nlp.positions.stance import StanceWords, classify
from kg.nlp.positions.topics import TopicMatcher
from kg.records import ActorType, Direction, Position, Quote, Span, Stance
from tests.unit.nlp_docs import Tok, make_doc

LAVROV = ("Sergey Lavrov", ActorType.PERSON)
RUSSIA = ("Russia", ActorType.COUNTRY)


@pytest.fixture(scope="module")
def words() -> StanceWords:
    return StanceWords.from_lexicon(load_lexicon())


@pytest.fixture(scope="module")
def cues() -> frozenset[str]:
    lexicon = load_lexicon()
    return lexicon.word_list("reporting") | lexicon.word_list("attribution")


def topic_matcher(doc: Doc) -> TopicMatcher:
    """The topics of ontology/topics.ttl, matched with the Doc's own vocabulary."""
    return TopicMatcher(
        doc.vocab, spacy.blank("en", vocab=doc.vocab).tokenizer, load_lexicon().topics
    )


def _ctx(doc: Doc) -> DocContext:
    doc._.kg_quotes = []
    doc._.kg_quote_ranges = []
    return DocContext.of(doc, topic_matcher(doc))


def _said_that(blank_nlp: Language, verb: str, lemma: str, tag: str = "VBZ") -> Doc:
    """ "Lavrov said that Russia <verb> a lasting ceasefire ." """
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say"),
        Tok("that", 4, "mark", "SCONJ", "IN"),
        Tok("Russia", 4, "nsubj", "PROPN", "NNP"),
        Tok(verb, 1, "ccomp", "VERB", tag, lemma),
        Tok("a", 7, "det", "DET", "DT"),
        Tok("lasting", 7, "amod", "ADJ", "JJ"),
        Tok("ceasefire", 4, "dobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    return make_doc(
        blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0]), "russia": (*RUSSIA, [3])}
    )


def _position(holder: str, start: int, end: int, stance: Stance) -> Position:
    return Position(
        holder=holder,
        stance=stance,
        topic="ceasefire",
        direction=Direction.FOR,
        evidence=Span(start, end, "x" * (end - start)),
        method="cue:test",
        confidence=0.6,
    )


def test_attribution_reporting_verb_with_that_clause(
    blank_nlp: Language, cues: frozenset[str]
) -> None:
    ctx = _ctx(_said_that(blank_nlp, "needs", "need"))
    [att] = verb_attributions(ctx, cues)
    assert (att.source, att.cue, att.first, att.last, att.kind) == (
        "sergey-lavrov",
        1,
        2,
        7,
        "verb",
    )


def test_attribution_negated_or_future_statement_is_no_attribution(
    blank_nlp: Language, cues: frozenset[str]
) -> None:
    for word, dep in (("not", "neg"), ("would", "aux")):
        toks = [
            Tok("Lavrov", 2, "nsubj", "PROPN", "NNP"),
            Tok(word, 2, dep, "PART", "RB"),
            Tok("say", 2, "ROOT", "VERB", "VB", "say"),
            Tok("that", 5, "mark", "SCONJ", "IN"),
            Tok("Russia", 5, "nsubj", "PROPN", "NNP"),
            Tok("wants", 2, "ccomp", "VERB", "VBZ", "want"),
            Tok("a", 7, "det", "DET", "DT"),
            Tok("lasting", 8, "amod", "ADJ", "JJ"),
            Tok("ceasefire", 5, "dobj", "NOUN", "NN", space=False),
            Tok(".", 2, "punct", "PUNCT", "."),
        ]
        doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
        assert verb_attributions(_ctx(doc), cues) == []


def test_attribution_impersonal_source_is_not_an_actor(
    blank_nlp: Language, cues: frozenset[str]
) -> None:
    """ "Russia ... . It confirmed that ...": "it" is more often a report than the country."""
    toks = [
        Tok("It", 1, "nsubj", "PRON", "PRP"),
        Tok("confirmed", 1, "ROOT", "VERB", "VBD", "confirm"),
        Tok("that", 4, "mark", "SCONJ", "IN"),
        Tok("Russia", 4, "nsubj", "PROPN", "NNP"),
        Tok("rejected", 1, "ccomp", "VERB", "VBD", "reject"),
        Tok("the", 6, "det", "DET", "DT"),
        Tok("truce", 4, "dobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"russia": (*RUSSIA, [3])})
    assert verb_attributions(_ctx(doc), cues) == []


def test_attribution_title_of_an_organisation_names_the_person(
    blank_nlp: Language, cues: frozenset[str]
) -> None:
    """ "The High Representative of the EU Kaja Kallas states that ...": Kallas, not the EU."""
    toks = [
        Tok("The", 2, "det", "DET", "DT"),
        Tok("High", 2, "compound", "PROPN", "NNP"),
        Tok("Representative", 7, "nsubj", "PROPN", "NNP"),
        Tok("of", 2, "prep", "ADP", "IN"),
        Tok("the", 5, "det", "DET", "DT"),
        Tok("EU", 3, "pobj", "PROPN", "NNP"),
        Tok("Kallas", 2, "appos", "PROPN", "NNP"),
        Tok("states", 7, "ROOT", "VERB", "VBZ", "state"),
        Tok("that", 10, "mark", "SCONJ", "IN"),
        Tok("Europe", 10, "nsubj", "PROPN", "NNP"),
        Tok("backs", 7, "ccomp", "VERB", "VBZ", "back"),
        Tok("a", 13, "det", "DET", "DT"),
        Tok("lasting", 13, "amod", "ADJ", "JJ"),
        Tok("peace", 10, "dobj", "NOUN", "NN", space=False),
        Tok(".", 7, "punct", "PUNCT", "."),
    ]
    actors = {
        "european-union": ("European Union", ActorType.ORGANIZATION, [5]),
        "kaja-kallas": ("Kaja Kallas", ActorType.PERSON, [6]),
    }
    doc = make_doc(blank_nlp.vocab, toks, actors)
    [att] = verb_attributions(_ctx(doc), cues)
    assert att.source == "kaja-kallas"


def test_attribution_parenthetical_reporting_verb(
    blank_nlp: Language, cues: frozenset[str]
) -> None:
    """ "Russia is ready for new talks, Lavrov said.": the head clause is the content."""
    toks = [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("is", 1, "ROOT", "AUX", "VBZ", "be"),
        Tok("ready", 1, "acomp", "ADJ", "JJ"),
        Tok("for", 2, "prep", "ADP", "IN"),
        Tok("new", 5, "amod", "ADJ", "JJ"),
        Tok("talks", 3, "pobj", "NOUN", "NNS", "talk", space=False),
        Tok(",", 1, "punct", "PUNCT", ","),
        Tok("Lavrov", 8, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "parataxis", "VERB", "VBD", "say", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    doc = make_doc(
        blank_nlp.vocab, toks, {"russia": (*RUSSIA, [0]), "sergey-lavrov": (*LAVROV, [7])}
    )
    [att] = verb_attributions(_ctx(doc), cues)
    assert (att.source, att.kind, att.first, att.last) == ("sergey-lavrov", "parenthetical", 0, 9)


def test_attribution_according_to(blank_nlp: Language) -> None:
    toks = [
        Tok("According", 5, "prep", "VERB", "VBG", "accord"),
        Tok("to", 0, "prep", "ADP", "IN"),
        Tok("Lavrov", 1, "pobj", "PROPN", "NNP", space=False),
        Tok(",", 5, "punct", "PUNCT", ","),
        Tok("Moscow", 5, "nsubj", "PROPN", "NNP"),
        Tok("wants", 5, "ROOT", "VERB", "VBZ", "want"),
        Tok("guarantees", 5, "dobj", "NOUN", "NNS", "guarantee"),
        Tok("against", 6, "prep", "ADP", "IN"),
        Tok("NATO", 9, "compound", "PROPN", "NNP"),
        Tok("expansion", 7, "pobj", "NOUN", "NN", space=False),
        Tok(".", 5, "punct", "PUNCT", "."),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [2])})
    [att] = according_to(_ctx(doc))
    assert (att.source, att.kind, att.first, att.last) == ("sergey-lavrov", "according-to", 4, 9)


def test_stance_content_cue_of_the_source(blank_nlp: Language, words: StanceWords) -> None:
    """ "Lavrov said that we want ...": the source's own stance word decides."""
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say"),
        Tok("we", 3, "nsubj", "PRON", "PRP"),
        Tok("reject", 1, "ccomp", "VERB", "VBP", "reject"),
        Tok("the", 5, "det", "DET", "DT"),
        Tok("plan", 3, "dobj", "NOUN", "NN"),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
    att = Attribution("sergey-lavrov", 1, 2, 5, "verb")
    assert classify(_ctx(doc), att, words) == (Stance.REJECTS, "content-cue")


def test_stance_content_cue_of_another_party_is_not_the_source_s(
    blank_nlp: Language, words: StanceWords
) -> None:
    """ "Lavrov said that Russia rejects a ceasefire": Russia's stance; Lavrov only claims."""
    doc = _said_that(blank_nlp, "rejects", "reject")
    att = Attribution("sergey-lavrov", 1, 2, 7, "verb")
    assert classify(_ctx(doc), att, words) == (Stance.CLAIMS, "default")


def test_stance_negated_content_cue_flips(blank_nlp: Language, words: StanceWords) -> None:
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say"),
        Tok("we", 5, "nsubj", "PRON", "PRP"),
        Tok("do", 5, "aux", "AUX", "VBP"),
        Tok("not", 5, "neg", "PART", "RB"),
        Tok("support", 1, "ccomp", "VERB", "VB", "support"),
        Tok("the", 7, "det", "DET", "DT"),
        Tok("plan", 5, "dobj", "NOUN", "NN"),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
    att = Attribution("sergey-lavrov", 1, 2, 7, "verb")
    assert classify(_ctx(doc), att, words) == (Stance.OPPOSES, "content-cue")


def test_stance_cue_verb_warning_is_a_threat_only_on_a_condition(
    blank_nlp: Language, words: StanceWords
) -> None:
    def warned(condition: bool) -> Doc:
        toks = [
            Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
            Tok("warned", 1, "ROOT", "VERB", "VBD", "warn"),
            Tok("that", 4, "mark", "SCONJ", "IN"),
            Tok("talks", 4, "nsubj", "NOUN", "NNS", "talk"),
            Tok("end", 1, "ccomp", "VERB", "VBP", "end"),
            Tok("if" if condition else "soon", 4, "mark" if condition else "advmod", "SCONJ"),
        ]
        return make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})

    att = Attribution("sergey-lavrov", 1, 2, 5, "verb")
    assert classify(_ctx(warned(True)), att, words) == (Stance.THREATENS, "cue-verb")
    assert classify(_ctx(warned(False)), att, words) == (Stance.CLAIMS, "default")


def _verb_object(blank_nlp: Language, verb: str, lemma: str, obj: str, extra: list[Tok]) -> Doc:
    """ "Lavrov <verb> the <obj> <extra...>" with the object as the verb's dobj."""
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok(verb, 1, "ROOT", "VERB", "VBD", lemma),
        Tok("the", 3, "det", "DET", "DT"),
        Tok(obj, 1, "dobj", "NOUN", "NN"),
        *extra,
    ]
    return make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})


OF_TALKS = [
    Tok("of", 3, "prep", "ADP", "IN"),
    Tok("new", 6, "amod", "ADJ", "JJ"),
    Tok("talks", 4, "pobj", "NOUN", "NNS", "talk"),
]


def test_stance_emphasis_of_importance_supports_and_of_need_demands(
    blank_nlp: Language, words: StanceWords
) -> None:
    att = Attribution("sergey-lavrov", 1, 2, 6, "verb")
    doc = _verb_object(blank_nlp, "stressed", "stress", "importance", OF_TALKS)
    assert classify(_ctx(doc), att, words) == (Stance.SUPPORTS, "emphasis")
    doc = _verb_object(blank_nlp, "stressed", "stress", "need", OF_TALKS)
    assert classify(_ctx(doc), att, words) == (Stance.DEMANDS, "emphasis")
    doc = _verb_object(blank_nlp, "recalled", "recall", "importance", OF_TALKS)
    assert classify(_ctx(doc), att, words) == (Stance.CLAIMS, "default")


def test_stance_object_cue_readiness_and_commitment(
    blank_nlp: Language, words: StanceWords
) -> None:
    att = Attribution("sergey-lavrov", 1, 2, 6, "verb")
    for verb, lemma, obj in (
        ("expressed", "express", "readiness"),
        ("reaffirmed", "reaffirm", "commitment"),
    ):
        doc = _verb_object(blank_nlp, verb, lemma, obj, OF_TALKS)
        assert classify(_ctx(doc), att, words) == (Stance.SUPPORTS, "object-cue")


def test_stance_evaluation_positive_and_negative(blank_nlp: Language, words: StanceWords) -> None:
    """ "called the talks useful" supports; "described the plan as unacceptable" opposes."""
    att = Attribution("sergey-lavrov", 1, 2, 4, "evaluation")
    useful = [Tok("useful", 1, "oprd", "ADJ", "JJ")]
    doc = _verb_object(blank_nlp, "called", "call", "talks", useful)
    assert classify(_ctx(doc), att, words) == (Stance.SUPPORTS, "evaluation")
    unacceptable = [Tok("as", 1, "prep", "ADP", "IN"), Tok("unacceptable", 4, "pobj", "ADJ")]
    doc = _verb_object(blank_nlp, "described", "describe", "plan", unacceptable)
    att = Attribution("sergey-lavrov", 1, 2, 5, "evaluation")
    assert classify(_ctx(doc), att, words) == (Stance.OPPOSES, "evaluation")


def test_stance_obligation_in_the_content_is_a_demand(
    blank_nlp: Language, words: StanceWords
) -> None:
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say"),
        Tok("Kyiv", 4, "nsubj", "PROPN", "NNP"),
        Tok("must", 4, "aux", "AUX", "MD"),
        Tok("withdraw", 1, "ccomp", "VERB", "VB"),
        Tok("its", 6, "poss", "PRON", "PRP$"),
        Tok("troops", 4, "dobj", "NOUN", "NNS", "troop"),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
    att = Attribution("sergey-lavrov", 1, 2, 6, "verb")
    assert classify(_ctx(doc), att, words) == (Stance.DEMANDS, "obligation")


def test_positions_from_attribution_gives_a_claim_with_its_rules(
    blank_nlp: Language, cues: frozenset[str], words: StanceWords
) -> None:
    doc = _said_that(blank_nlp, "needs", "need")
    ctx = _ctx(doc)
    [pos] = positions_from(ctx, verb_attributions(ctx, cues), [], words, 35)
    assert (pos.holder, pos.stance, pos.topic, pos.direction) == (
        "sergey-lavrov",
        Stance.CLAIMS,
        "ceasefire",
        Direction.NOT_APPLICABLE,
    )
    assert pos.method == "attribution:verb:say|stance:default"
    assert doc.text[pos.evidence.start : pos.evidence.end] == pos.evidence.text
    assert pos.evidence.text.startswith("Lavrov said")


def test_positions_from_covered_or_nested_statement_adds_nothing(
    blank_nlp: Language, cues: frozenset[str], words: StanceWords
) -> None:
    doc = _said_that(blank_nlp, "rejects", "reject")
    ctx = _ctx(doc)
    found = verb_attributions(ctx, cues)
    inner = doc[3:8]
    start, end = inner.start_char, inner.end_char
    for existing in (
        _position("sergey-lavrov", start, end, Stance.SUPPORTS),  # covered by a cue
        _position("russia", start, end, Stance.REJECTS),  # Russia's, reported by Lavrov
    ):
        assert positions_from(ctx, found, [existing], words, 35) == []
    # a claim of another holder inside the content does not make it theirs
    other = _position("russia", start, end, Stance.CLAIMS)
    assert len(positions_from(ctx, found, [other], words, 35)) == 1


def test_positions_from_a_belief_with_no_topic_is_dropped(
    blank_nlp: Language, cues: frozenset[str], words: StanceWords
) -> None:
    """ "Lavrov believes that Russia has the upper hand": a mind read by the writer, no issue."""
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok("believes", 1, "ROOT", "VERB", "VBZ", "believe"),
        Tok("that", 4, "mark", "SCONJ", "IN"),
        Tok("Russia", 4, "nsubj", "PROPN", "NNP"),
        Tok("has", 1, "ccomp", "VERB", "VBZ", "have"),
        Tok("the", 8, "det", "DET", "DT"),
        Tok("military", 8, "amod", "ADJ", "JJ"),
        Tok("upper", 8, "amod", "ADJ", "JJ"),
        Tok("hand", 4, "dobj", "NOUN", "NN"),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
    ctx = _ctx(doc)
    found = verb_attributions(ctx, cues)
    assert len(found) == 1
    assert positions_from(ctx, found, [], words, 35) == []


def test_quote_attribution_one_statement_per_quoted_sentence(blank_nlp: Language) -> None:
    toks = [
        Tok("\u201c", 3, "punct", "PUNCT", "``", space=False),
        Tok("We", 3, "nsubj", "PRON", "PRP"),
        Tok("truly", 3, "advmod", "ADV", "RB"),
        Tok("want", 3, "ROOT", "VERB", "VBP", "want"),
        Tok("lasting", 5, "amod", "ADJ", "JJ"),
        Tok("peace", 3, "dobj", "NOUN", "NN"),
        Tok("in", 5, "prep", "ADP", "IN"),
        Tok("Europe", 6, "pobj", "PROPN", "NNP", space=False),
        Tok("\u201d", 3, "punct", "PUNCT", "''"),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [])})
    doc._.kg_quote_ranges = []
    quote_span = Span(doc[1].idx, doc[7].idx + len(doc[7]), doc[1:8].text)
    doc._.kg_quotes = [
        Quote(speaker="sergey-lavrov", evidence=quote_span, method="test", confidence=0.9)
    ]
    ctx = DocContext.of(doc, topic_matcher(doc))
    [att] = quote_attributions(ctx)
    assert (att.source, att.kind, att.first, att.last) == ("sergey-lavrov", "quote", 1, 7)
    assert classify(ctx, att, StanceWords.from_lexicon(load_lexicon())) == (
        Stance.DEMANDS,
        "content-cue",
    )


def test_block_attribution_after_said_colon(blank_nlp: Language, cues: frozenset[str]) -> None:
    """ "Lavrov said:" ending a paragraph, then the speaker's words without quote marks."""
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok("said", 1, "ROOT", "VERB", "VBD", "say", space=False),
        Tok(":", 1, "punct", "PUNCT", ":", space=False),
        Tok("\n\n", 2, "dep", "SPACE", "_SP", space=False),
        Tok("We", 5, "nsubj", "PRON", "PRP"),
        Tok("demand", 5, "ROOT", "VERB", "VBP", "demand"),
        Tok("a", 8, "det", "DET", "DT"),
        Tok("lasting", 8, "amod", "ADJ", "JJ"),
        Tok("ceasefire", 5, "dobj", "NOUN", "NN"),
        Tok("today", 5, "npadvmod", "NOUN", "NN", space=False),
        Tok(".", 5, "punct", "PUNCT", "."),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
    ctx = _ctx(doc)
    [att] = block_attributions(ctx, cues)
    assert (att.source, att.kind, att.first, att.last) == ("sergey-lavrov", "block", 4, 10)
    [pos] = positions_from(ctx, [att], [], StanceWords.from_lexicon(load_lexicon()), 35)
    assert (pos.holder, pos.stance) == ("sergey-lavrov", Stance.DEMANDS)
    assert pos.evidence.text == "We demand a lasting ceasefire today"
    # the colon inside a paragraph introduces no block
    toks[3] = Tok(" ", 2, "dep", "SPACE", "_SP", space=False)
    assert block_attributions(_ctx(make_doc(blank_nlp.vocab, toks, {})), cues) == []


def test_attribution_passive_cue_has_no_source(blank_nlp: Language, cues: frozenset[str]) -> None:
    """ "Russia is expected to join the talks": Russia expects nothing."""
    toks = [
        Tok("Russia", 2, "nsubjpass", "PROPN", "NNP"),
        Tok("is", 2, "auxpass", "AUX", "VBZ", "be"),
        Tok("expected", 2, "ROOT", "VERB", "VBN", "expect"),
        Tok("to", 4, "aux", "PART", "TO"),
        Tok("join", 2, "xcomp", "VERB", "VB"),
        Tok("the", 7, "det", "DET", "DT"),
        Tok("new", 7, "amod", "ADJ", "JJ"),
        Tok("talks", 4, "dobj", "NOUN", "NNS", "talk"),
        Tok("tomorrow", 4, "npadvmod", "NOUN", "NN"),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"russia": (*RUSSIA, [0])})
    assert verb_attributions(_ctx(doc), cues) == []


def test_attribution_announced_speech_counts(blank_nlp: Language, cues: frozenset[str]) -> None:
    """ "Lavrov will say that ..." (a readout released before the speech) is a statement;
    "Lavrov would say that ..." is not."""
    for aux, found in (("will", 1), ("would", 0)):
        toks = [
            Tok("Lavrov", 2, "nsubj", "PROPN", "NNP"),
            Tok(aux, 2, "aux", "AUX", "MD"),
            Tok("say", 2, "ROOT", "VERB", "VB", "say"),
            Tok("that", 5, "mark", "SCONJ", "IN"),
            Tok("Russia", 5, "nsubj", "PROPN", "NNP"),
            Tok("wants", 2, "ccomp", "VERB", "VBZ", "want"),
            Tok("a", 8, "det", "DET", "DT"),
            Tok("lasting", 8, "amod", "ADJ", "JJ"),
            Tok("ceasefire", 5, "dobj", "NOUN", "NN"),
        ]
        doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
        assert len(verb_attributions(_ctx(doc), cues)) == found


def _quoted(blank_nlp: Language, toks: list[Tok], actors: dict[str, Any]) -> DocContext:
    """A Doc whose tokens 1..n-2 are one quote of Lavrov (tokens 0 and n-1 are the marks)."""
    doc = make_doc(blank_nlp.vocab, toks, actors)
    doc._.kg_quote_ranges = []
    inner = doc[1 : len(doc) - 1]
    span = Span(inner.start_char, inner.end_char, inner.text)
    doc._.kg_quotes = [Quote(speaker="sergey-lavrov", evidence=span, method="test", confidence=1)]
    return DocContext.of(doc, topic_matcher(doc))


def test_stance_accusation_of_another_party(blank_nlp: Language, words: StanceWords) -> None:
    """ "They are playing games with the peace plan" in Lavrov's words: an accusation; "we are
    playing ..." is not one."""
    for subject, expected in (("They", Stance.ACCUSES), ("We", Stance.CLAIMS)):
        toks = [
            Tok("\u201c", 3, "punct", "PUNCT", "``", space=False),
            Tok(subject, 3, "nsubj", "PRON", "PRP"),
            Tok("are", 3, "aux", "AUX", "VBP", "be"),
            Tok("playing", 3, "ROOT", "VERB", "VBG", "play"),
            Tok("games", 3, "dobj", "NOUN", "NNS", "game"),
            Tok("with", 3, "prep", "ADP", "IN"),
            Tok("the", 8, "det", "DET", "DT"),
            Tok("peace", 8, "compound", "NOUN", "NN"),
            Tok("plan", 5, "pobj", "NOUN", "NN", space=False),
            Tok("\u201d", 3, "punct", "PUNCT", "''"),
        ]
        ctx = _quoted(blank_nlp, toks, {"sergey-lavrov": (*LAVROV, [])})
        [att] = quote_attributions(ctx)
        assert classify(ctx, att, words)[0] == expected


def test_stance_intention_and_own_evaluation_in_a_quote(
    blank_nlp: Language, words: StanceWords
) -> None:
    """ "We will hold new talks in Istanbul" supports; so does "New talks are crucial in
    Istanbul"."""
    will = [
        Tok("\u201c", 3, "punct", "PUNCT", "``", space=False),
        Tok("We", 3, "nsubj", "PRON", "PRP"),
        Tok("will", 3, "aux", "AUX", "MD"),
        Tok("hold", 3, "ROOT", "VERB", "VB"),
        Tok("new", 5, "amod", "ADJ", "JJ"),
        Tok("talks", 3, "dobj", "NOUN", "NNS", "talk"),
        Tok("in", 3, "prep", "ADP", "IN"),
        Tok("Istanbul", 6, "pobj", "PROPN", "NNP", space=False),
        Tok("\u201d", 3, "punct", "PUNCT", "''"),
    ]
    ctx = _quoted(blank_nlp, will, {"sergey-lavrov": (*LAVROV, [])})
    [att] = quote_attributions(ctx)
    assert classify(ctx, att, words) == (Stance.SUPPORTS, "intention")
    crucial = [
        Tok("\u201c", 3, "punct", "PUNCT", "``", space=False),
        Tok("New", 2, "amod", "ADJ", "JJ"),
        Tok("talks", 3, "nsubj", "NOUN", "NNS", "talk"),
        Tok("are", 3, "ROOT", "AUX", "VBP", "be"),
        Tok("crucial", 3, "acomp", "ADJ", "JJ"),
        Tok("in", 3, "prep", "ADP", "IN"),
        Tok("Istanbul", 5, "pobj", "PROPN", "NNP", space=False),
        Tok("\u201d", 3, "punct", "PUNCT", "''"),
    ]
    ctx = _quoted(blank_nlp, crucial, {"sergey-lavrov": (*LAVROV, [])})
    [att] = quote_attributions(ctx)
    assert classify(ctx, att, words) == (Stance.SUPPORTS, "own-evaluation")


def test_stance_words_reported_inside_the_content_are_not_the_source_s(
    blank_nlp: Language, words: StanceWords
) -> None:
    """ "Lavrov noted that officials claimed we reject the plan": the rejection is reported
    from the officials, not Lavrov's own."""
    toks = [
        Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
        Tok("noted", 1, "ROOT", "VERB", "VBD", "note"),
        Tok("that", 4, "mark", "SCONJ", "IN"),
        Tok("officials", 4, "nsubj", "NOUN", "NNS", "official"),
        Tok("claimed", 1, "ccomp", "VERB", "VBD", "claim"),
        Tok("we", 6, "nsubj", "PRON", "PRP"),
        Tok("reject", 4, "ccomp", "VERB", "VBP", "reject"),
        Tok("the", 8, "det", "DET", "DT"),
        Tok("plan", 6, "dobj", "NOUN", "NN"),
    ]
    doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
    att = Attribution("sergey-lavrov", 1, 2, 8, "verb")
    assert classify(_ctx(doc), att, words) == (Stance.CLAIMS, "default")


def test_positions_from_refines_a_plain_claim_of_its_cue(
    blank_nlp: Language, cues: frozenset[str], words: StanceWords
) -> None:
    """A 'said' claim of the stance cues is refined when the content says more ("said we
    reject the plan"); a claim marked as such ("claimed we reject") stays a claim."""
    for verb, lemma, refined in (("said", "say", True), ("claimed", "claim", False)):
        toks = [
            Tok("Lavrov", 1, "nsubj", "PROPN", "NNP"),
            Tok(verb, 1, "ROOT", "VERB", "VBD", lemma),
            Tok("we", 3, "nsubj", "PRON", "PRP"),
            Tok("reject", 1, "ccomp", "VERB", "VBP", "reject"),
            Tok("the", 6, "det", "DET", "DT"),
            Tok("new", 6, "amod", "ADJ", "JJ"),
            Tok("plan", 3, "dobj", "NOUN", "NN"),
            Tok("today", 3, "npadvmod", "NOUN", "NN"),
        ]
        doc = make_doc(blank_nlp.vocab, toks, {"sergey-lavrov": (*LAVROV, [0])})
        ctx = _ctx(doc)
        claim = dataclasses.replace(
            _position("sergey-lavrov", 0, len(doc.text), Stance.CLAIMS), method="cue:said"
        )
        found = positions_from(ctx, verb_attributions(ctx, cues), [claim], words, 35)
        assert [p.stance for p in found] == ([Stance.REJECTS] if refined else [])


def test_lead_in_list_items_are_positions_of_the_owner(blank_nlp: Language) -> None:
    """ "Putin's conditions are clear:" + two bulleted lines: two demands of Putin, each with
    its line as evidence."""
    toks = [
        Tok("Putin", 2, "poss", "PROPN", "NNP", space=False),
        Tok("'s", 0, "case", "PART", "POS"),
        Tok("conditions", 3, "nsubj", "NOUN", "NNS", "condition"),
        Tok("are", 3, "ROOT", "AUX", "VBP", "be"),
        Tok("clear", 3, "acomp", "ADJ", "JJ", space=False),
        Tok(":", 3, "punct", "PUNCT", ":", space=False),
        Tok("\n\n", 5, "dep", "SPACE", "_SP", space=False),
        Tok("-", 10, "punct", "PUNCT", ":"),
        Tok("Kyiv", 10, "nsubj", "PROPN", "NNP"),
        Tok("must", 10, "aux", "AUX", "MD"),
        Tok("withdraw", 10, "ROOT", "VERB", "VB"),
        Tok("its", 12, "poss", "PRON", "PRP$"),
        Tok("troops", 10, "dobj", "NOUN", "NNS", "troop", space=False),
        Tok("\n\n", 12, "dep", "SPACE", "_SP", space=False),
        Tok("-", 16, "punct", "PUNCT", ":"),
        Tok("NATO", 16, "nsubj", "PROPN", "NNP"),
        Tok("halts", 16, "ROOT", "VERB", "VBZ", "halt"),
        Tok("its", 18, "poss", "PRON", "PRP$"),
        Tok("expansion", 16, "dobj", "NOUN", "NN"),
    ]
    actors = {"vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [0])}
    doc = make_doc(blank_nlp.vocab, toks, actors)
    ctx = _ctx(doc)
    found = lead_in_attributions(ctx, {"condition": Stance.DEMANDS})
    assert [(a.source, a.kind, a.first, a.last, s) for a, s in found] == [
        ("vladimir-putin", "list", 8, 12, Stance.DEMANDS),
        ("vladimir-putin", "list", 15, 18, Stance.DEMANDS),
    ]
    fixed = {att: (stance, "lead-in") for att, stance in found}
    words = StanceWords.from_lexicon(load_lexicon())
    made = positions_from(ctx, [a for a, _ in found], [], words, 35, fixed)
    assert [(p.stance, p.evidence.text) for p in made] == [
        (Stance.DEMANDS, "Kyiv must withdraw its troops"),
        (Stance.DEMANDS, "NATO halts its expansion"),
    ]
    # without the bullets, the lines are no list
    plain = [t if t.text != "-" else Tok("So", t.head, "advmod", "ADV", "RB") for t in toks]
    plain_ctx = _ctx(make_doc(blank_nlp.vocab, plain, actors))
    assert lead_in_attributions(plain_ctx, {"condition": Stance.DEMANDS}) == []


def test_attribution_a_thing_that_suggests_is_no_speaker(
    blank_nlp: Language, cues: frozenset[str]
) -> None:
    """ "The Kremlin's position suggests that ...": a position says nothing; "Kremlin officials
    said that ..." is the Kremlin speaking."""
    for noun, lemma, expected in (("position", "position", 0), ("officials", "official", 1)):
        toks = [
            Tok("Kremlin", 1, "compound", "PROPN", "NNP"),
            Tok(noun, 2, "nsubj", "NOUN", "NNS", lemma),
            Tok("suggests", 2, "ROOT", "VERB", "VBZ", "suggest"),
            Tok("that", 5, "mark", "SCONJ", "IN"),
            Tok("talks", 5, "nsubj", "NOUN", "NNS", "talk"),
            Tok("failed", 2, "ccomp", "VERB", "VBD", "fail"),
            Tok("in", 5, "prep", "ADP", "IN"),
            Tok("Istanbul", 6, "pobj", "PROPN", "NNP"),
            Tok("yesterday", 5, "npadvmod", "NOUN", "NN"),
        ]
        kremlin = {"kremlin": ("Kremlin", ActorType.ORGANIZATION, [0])}
        doc = make_doc(blank_nlp.vocab, toks, kremlin)
        assert len(verb_attributions(_ctx(doc), cues)) == expected
