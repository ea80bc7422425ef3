"""Topic terms matched on tokens: a base-form term finds its inflections (LEMMA), a term as
written finds that form (LOWER), the longest wins, and no term straddles a clause's gap."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.lexicon import Topic
from kg.nlp.positions.dedupe import FALLBACK_TOPIC
from kg.nlp.positions.topics import TopicMatcher, best_topic
from tests.unit.nlp_docs import Tok, make_doc

TOPICS = (
    Topic(id="peace_deal", label="Peace deal", terms=("end the war", "peace")),
    Topic(id="peace_talks", label="Peace talks", terms=("talks", "peace talks")),
)


def _doc(blank_nlp: Language, words: list[tuple[str, str]]) -> Doc:
    return make_doc(blank_nlp.vocab, [Tok(w, 0, "dep", "X", "", lemma) for w, lemma in words])


def test_topics_base_form_term_finds_inflections(blank_nlp: Language) -> None:
    matcher = TopicMatcher(blank_nlp.vocab, blank_nlp.tokenizer, TOPICS)
    doc = _doc(blank_nlp, [("ending", "end"), ("the", "the"), ("war", "war"), ("now", "now")])
    spans = matcher.spans(doc)
    assert best_topic(spans, range(len(doc))) == "peace_deal"
    # the words of a term must all be in the clause: a gap breaks it
    assert best_topic(spans, {0, 2, 3}) == FALLBACK_TOPIC


def test_topics_written_form_and_longest_term(blank_nlp: Language) -> None:
    matcher = TopicMatcher(blank_nlp.vocab, blank_nlp.tokenizer, TOPICS)
    doc = _doc(blank_nlp, [("peace", "peace"), ("talks", "talk"), ("resumed", "resume")])
    spans = matcher.spans(doc)
    # "talks" (as written) and "peace talks" both match; the longer term decides
    assert best_topic(spans, range(3)) == "peace_talks"
    assert best_topic(spans, {0}) == "peace_deal"
    assert best_topic(spans, range(3), frozenset({"peace_deal"})) == "peace_deal"
    assert best_topic(spans, {2}, frozenset({"peace_deal"})) is None
