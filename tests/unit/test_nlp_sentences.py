"""kg.nlp.sentences: the sentence of an evidence span and the mention that shows its holder."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.sentences import SentenceIndex, holder_context
from kg.records import ActorType, Mention, Span

TYPES = {
    "putin": ActorType.PERSON,
    "trump": ActorType.PERSON,
    "zelensky": ActorType.PERSON,
    "russia": ActorType.COUNTRY,
}


def _doc(blank_nlp: Language, sentences: list[str], subjects: frozenset[str] = frozenset()) -> Doc:
    """A Doc of whitespace-split sentences; tokens in `subjects` are parsed as nsubj."""
    words: list[str] = []
    heads: list[int] = []
    for sentence in sentences:
        tokens = sentence.split()
        heads += [len(words)] * len(tokens)  # each sentence a flat tree under its first token
        words += tokens
    deps = [
        "ROOT" if heads[i] == i else "nsubj" if w in subjects else "dep"
        for i, w in enumerate(words)
    ]
    return Doc(blank_nlp.vocab, words=words, heads=heads, deps=deps)


def _span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(start, start + len(needle), needle)


def _mentions(text: str, names: dict[str, str]) -> list[Mention]:
    """Every occurrence of each name (surface form -> actor key) as a mention, by offset."""
    out = []
    for surface, key in names.items():
        start = text.find(surface)
        while start >= 0:
            out.append(Mention(key, Span(start, start + len(surface), surface), "test", 1.0))
            start = text.find(surface, start + 1)
    return sorted(out, key=lambda m: m.span.start)


def _context(
    doc: Doc, evidence: str, holder: str | None, names: dict[str, str]
) -> tuple[Span, Span | None]:
    index = SentenceIndex.from_docs(doc.text, [(0, doc)])
    return holder_context(
        index, _span(doc.text, evidence), holder, _mentions(doc.text, names), TYPES
    )


def test_sentences_holder_named_in_the_sentence(blank_nlp: Language) -> None:
    doc = _doc(blank_nlp, ["Talks stalled .", "Instead Putin wants the promise of relief ."])
    sentence, mention = _context(doc, "the promise of relief", "putin", {"Putin": "putin"})
    assert sentence.text == "Instead Putin wants the promise of relief ."
    assert mention == _span(doc.text, "Putin")


def test_sentences_nearest_mention_before_the_evidence_wins(blank_nlp: Language) -> None:
    doc = _doc(blank_nlp, ["Putin met Trump and Putin wants relief ."])
    _, mention = _context(doc, "relief", "putin", {"Putin": "putin", "Trump": "trump"})
    assert mention == _span(doc.text, "Putin", nth=1)


def test_sentences_pronoun_whose_antecedent_is_the_holder(blank_nlp: Language) -> None:
    doc = _doc(blank_nlp, ["Putin spoke .", "He wants relief ."])
    sentence, mention = _context(doc, "relief", "putin", {"Putin": "putin"})
    assert sentence.text == "He wants relief ."
    assert mention == _span(doc.text, "He")


def test_sentences_pronoun_of_another_actor_is_not_the_holder(blank_nlp: Language) -> None:
    # "he" follows Trump, the nearest person: Zelensky is shown from the previous sentence
    doc = _doc(blank_nlp, ["Zelensky said Trump spoke .", "And he wants relief ."])
    names = {"Zelensky": "zelensky", "Trump": "trump"}
    sentence, mention = _context(doc, "relief", "zelensky", names)
    assert mention == _span(doc.text, "Zelensky")
    assert sentence.text == "Zelensky said Trump spoke . And he wants relief ."


def test_sentences_subject_pronoun_of_a_salient_holder(blank_nlp: Language) -> None:
    doc = _doc(
        blank_nlp,
        ["Putin spoke .", "Trump called .", "So he ignored the proposal ."],
        subjects=frozenset({"he"}),
    )
    names = {"Putin": "putin", "Trump": "trump"}
    sentence, mention = _context(doc, "ignored the proposal", "putin", names)
    assert (sentence.text, mention) == ("So he ignored the proposal .", _span(doc.text, "he"))


def test_sentences_pronoun_type_must_fit_the_holder(blank_nlp: Language) -> None:
    # "it" cannot stand for a person, and Russia is the holder named nowhere near
    doc = _doc(blank_nlp, ["Putin spoke .", "It wants relief ."], subjects=frozenset({"It"}))
    sentence, mention = _context(doc, "relief", "putin", {"Putin": "putin"})
    assert mention == _span(doc.text, "Putin")  # from the previous sentence
    assert sentence.start == 0


@pytest.mark.parametrize("holder", [None, "russia"])
def test_sentences_no_holder_mention(blank_nlp: Language, holder: str | None) -> None:
    doc = _doc(blank_nlp, ["Putin spoke .", "Talks stalled .", "Relief is vital ."])
    sentence, mention = _context(doc, "Relief is vital", holder, {"Putin": "putin"})
    assert (sentence.text, mention) == ("Relief is vital .", None)


def test_sentences_evidence_across_sentences_is_inside_its_sentence(blank_nlp: Language) -> None:
    doc = _doc(blank_nlp, ["Putin wants relief .", "And guarantees now ."])
    sentence, _ = _context(doc, "relief . And guarantees", "putin", {"Putin": "putin"})
    assert sentence.text == doc.text.strip()


def test_sentences_offsets_of_later_chunks(blank_nlp: Language) -> None:
    first = _doc(blank_nlp, ["Talks stalled ."])
    second = _doc(blank_nlp, ["Putin wants relief ."])
    text = first.text + second.text
    index = SentenceIndex.from_docs(text, [(0, first), (len(first.text), second)])
    sentence, mention = holder_context(
        index, _span(text, "relief"), "putin", _mentions(text, {"Putin": "putin"}), TYPES
    )
    assert sentence.text == "Putin wants relief ."
    assert text[sentence.start : sentence.end] == sentence.text
    assert mention == _span(text, "Putin")
