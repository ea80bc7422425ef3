"""Topic terms matched on tokens: a base-form term finds its inflections (LEMMA), a term as
written finds that form (LOWER), the longest wins, and no term straddles a clause's gap."""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.lexicon import Topic
from kg.nlp.positions.dedupe import FALLBACK_TOPIC
from kg.nlp.positions.topics import TopicMatcher, anaphor_in, antecedent_topic, best_topic
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


def test_topics_antecedent_of_an_object_pronoun(blank_nlp: Language) -> None:
    """ "Kyiv proposed a truce . We support it": "it" is the truce named before."""
    toks = [
        Tok("Kyiv", 1, "nsubj", "PROPN", "NNP"),
        Tok("proposed", 1, "ROOT", "VERB", "VBD", "propose"),
        Tok("a", 3, "det", "DET", "DT"),
        Tok("truce", 1, "dobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
        Tok("We", 6, "nsubj", "PRON", "PRP"),
        Tok("support", 6, "ROOT", "VERB", "VBP"),
        Tok("it", 6, "dobj", "PRON", "PRP", space=False),
        Tok(".", 6, "punct", "PUNCT", "."),
    ]
    doc = make_doc(blank_nlp.vocab, toks)
    topics = (Topic(id="ceasefire", label="Ceasefire", terms=("truce",)),)
    spans = TopicMatcher(blank_nlp.vocab, blank_nlp.tokenizer, topics).spans(doc)
    issues = frozenset({"proposal", "plan"})
    anaphor = anaphor_in(doc, 6, {7}, issues)
    assert anaphor == 7
    assert antecedent_topic(doc, spans, anaphor) == "ceasefire"
    # "it" as the object of another verb than the cue refers to no issue of the cue
    assert anaphor_in(doc, 1, {7}, issues) is None
