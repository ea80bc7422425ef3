"""kg_quotes: quoted speech and its speaker.

* Quote marks: curly “…” and straight "…" (mixed pairs too); a quote still open at the end of a
  paragraph runs to the end of that paragraph (the "continued quote" convention).
* Attribution, tried in order: a reporting verb outside the quote in the same sentence ("X said",
  "said X", "X said: …", "As X noted, …", participles such as "adding:" inherit the subject);
  "according to X"; a reporting noun with a possessor or a "by" agent ("claims by X that …");
  continuation of the previous paragraph's quote.
* Scare quotes: one-word quotes, and short quotes (five words or fewer) that are not inside the
  complement of a reporting verb or that modify a noun ("its “root causes”"), are not quotes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token

from kg.nlp.common import (
    actor_types,
    doc_text,
    is_paragraph_break,
    make_span,
    register_extensions,
    resolve_token,
    subject_of,
    token_actor_map,
    tokens_between,
)
from kg.nlp.lexicon import load_lexicon
from kg.records import ActorType, Mention, Quote

logger = logging.getLogger(__name__)

OPENERS = frozenset({"\u201c", '"', "\u00ab", "\u201e"})
CLOSERS = frozenset({"\u201d", '"', "\u00bb", "\u201c"})
SHORT_QUOTE_WORDS = 5
REPORTING_NOUNS = frozenset(
    {"claim", "assertion", "statement", "remark", "word", "warning", "message", "comment", "post"}
)
NP_MODIFIER_TAGS = frozenset({"PRP$", "POS", "JJ"})


@dataclass(frozen=True, slots=True)
class QuoteRange:
    """Character offsets of the quoted words (marks excluded)."""

    start: int
    end: int
    closed: bool


def find_quote_ranges(text: str) -> list[QuoteRange]:
    """Quoted stretches of `text`, paragraph by paragraph.

    Double marks are the quote marks. A text that has none but uses single curly marks for
    speech (house style of some British papers) is read with the left single mark as opener and
    a right single mark that does not stand between two letters (an apostrophe does) as closer.
    """
    ranges = _double_quote_ranges(text)
    if ranges or LSQUO not in text:
        return ranges
    return _single_quote_ranges(text)


LSQUO, RSQUO = "\u2018", "\u2019"


def _single_quote_ranges(text: str) -> list[QuoteRange]:
    out: list[QuoteRange] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and is_paragraph_break(text, i):
            if open_at is not None:
                out.append(QuoteRange(open_at, i, closed=False))
                open_at = None
            continue
        if ch == LSQUO and open_at is None:
            open_at = i + 1
        elif ch == RSQUO and open_at is not None:
            after = text[i + 1 : i + 2]
            before = text[i - 1 : i]
            if after.isalpha() and before.isalpha():
                continue  # an apostrophe, as in "don't" or "Russia's"
            out.append(QuoteRange(open_at, i, closed=True))
            open_at = None
    return [q for q in out if text[q.start : q.end].strip()]


def _double_quote_ranges(text: str) -> list[QuoteRange]:
    out: list[QuoteRange] = []
    open_at: int | None = None
    for i, ch in enumerate(text):
        if ch == "\n" and is_paragraph_break(text, i):
            if open_at is not None:
                out.append(QuoteRange(open_at, i, closed=False))
                open_at = None
            continue
        if open_at is None:
            if ch in OPENERS and ch != "\u201d":
                open_at = i + 1
        elif ch in CLOSERS and ch != "\u201c":
            out.append(QuoteRange(open_at, i, closed=True))
            open_at = None
        elif ch == "\u201c":  # a new opener before a close: restart
            open_at = i + 1
    if open_at is not None:
        out.append(QuoteRange(open_at, len(text), closed=False))
    return [q for q in out if text[q.start : q.end].strip()]


class QuoteExtractor:
    """The kg_quotes component."""

    def __init__(
        self,
        nlp: Language,  # noqa: ARG002 - the factory contract passes it
        name: str,
        *,
        ontology_dir: str | None = None,
    ) -> None:
        """Args:
        nlp (Language): the pipeline.
        name (str): the component name.
        ontology_dir (str | None): folder of lexicon.ttl; None = the repo's ontology/.
        """
        register_extensions()
        self.name = name
        lexicon = load_lexicon(ontology_dir)
        self.reporting = lexicon.word_list("reporting")

    def __call__(self, doc: Doc) -> Doc:
        ranges, quotes = self.match(doc)
        self.set_annotations(doc, ranges, quotes)
        return doc

    def match(self, doc: Doc) -> tuple[list[QuoteRange], list[Quote]]:
        text = doc_text(doc)
        ranges = find_quote_ranges(text)
        amap = token_actor_map(doc)
        types = actor_types(doc)
        quotes: list[Quote] = []
        previous: tuple[str, int] | None = None  # speaker, end char of the last quote
        quoted = {t.i for qr in ranges for t in tokens_between(doc, qr.start, qr.end)}
        for qr in ranges:
            span = make_span(doc, qr.start, qr.end)
            if not span.text:
                continue
            inside = tokens_between(doc, span.start, span.end)
            if not inside:
                continue
            words = [t for t in inside if t.is_alpha or t.like_num]
            speaker, method = self._attribute(inside, quoted, span.start, amap, types)
            if speaker is None and previous is not None:
                gap = text[previous[1] : span.start]
                if gap.count("\n") <= 2 and len(gap.strip(' \n\u201c\u201d"')) <= 2:
                    speaker, method = previous[0], "continuation"
            if speaker is None:
                continue
            if len(words) <= 1:
                continue
            if len(words) <= SHORT_QUOTE_WORDS and not span.text.rstrip().endswith(("?", "!")):
                clause_like = any(t.pos_ in {"VERB", "AUX"} for t in inside)
                if method not in {"reporting-verb-complement", "reporting-noun"} and not (
                    clause_like and method == "reporting-verb"
                ):
                    continue
                before = doc[inside[0].i - 2] if inside[0].i >= 2 else None
                if before is not None and before.tag_ in NP_MODIFIER_TAGS:
                    continue
                if any(
                    t.dep_ in {"nsubj", "nsubjpass"} and t.head.i not in {x.i for x in inside}
                    for t in inside
                ):
                    continue
            quotes.append(Quote(speaker=speaker, evidence=span, method=method, confidence=0.8))
            previous = (speaker, qr.end + 1)
        return ranges, quotes

    def _attribute(
        self,
        inside: list[Token],
        quoted: set[int],
        start: int,
        amap: dict[int, Mention],
        types: dict[str, ActorType],
    ) -> tuple[str | None, str]:
        """The speaker of the quote made of tokens `inside`, and the rule that found it."""
        doc = inside[0].doc
        end = inside[-1].idx + len(inside[-1].text)
        inside_ids = {t.i for t in inside}
        sents = {inside[0].sent.start: inside[0].sent, inside[-1].sent.start: inside[-1].sent}
        candidates: list[tuple[int, Token]] = []
        for sent in sents.values():
            for tok in sent:
                if tok.i in inside_ids or tok.i in quoted or tok.is_punct:
                    continue
                lemma = tok.lemma_.lower()
                if tok.pos_ in {"VERB", "AUX"} and lemma in self.reporting:
                    dist = abs(tok.idx - start) if tok.idx < start else abs(tok.idx - end)
                    candidates.append((dist, tok))
                elif (
                    lemma == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"
                ):
                    candidates.append((abs(tok.idx - start), tok))
                elif tok.pos_ == "NOUN" and lemma in REPORTING_NOUNS:
                    candidates.append((abs(tok.idx - start) + 1, tok))

        def rank(item: tuple[int, Token]) -> tuple[int, int, int]:
            dist, tok = item
            governs = any(t.i in inside_ids for t in tok.subtree)
            return (0 if governs else 1, dist, tok.i)

        short = len([t for t in inside if t.is_alpha or t.like_num]) <= SHORT_QUOTE_WORDS
        clause_like = any(t.pos_ in {"VERB", "AUX"} for t in inside)
        for _, tok in sorted(candidates, key=rank):
            speaker = self._speaker_of(tok, amap, types)
            if speaker is None:
                continue
            complement = any(t.i in inside_ids for t in tok.subtree)
            if tok.pos_ == "NOUN":
                return speaker, "reporting-noun"
            if complement and inside[0].i > tok.i:
                return speaker, "reporting-verb-complement"
            if short and not clause_like:
                continue  # a short phrase needs a closer link than a nearby verb
            return speaker, "reporting-verb"
        return None, ""

    def _speaker_of(
        self, tok: Token, amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> str | None:
        typed = types
        if tok.lemma_.lower() == "according":
            to = tok.doc[tok.i + 1]
            for child in to.children:
                if child.dep_ == "pobj":
                    return resolve_token(child, amap, typed)
            return None
        if tok.pos_ == "NOUN":
            for child in tok.children:
                if child.dep_ == "poss":
                    return resolve_token(child, amap, typed)
                if child.dep_ == "prep" and child.lower_ == "by":
                    for pobj in child.children:
                        if pobj.dep_ == "pobj":
                            found = resolve_token(pobj, amap, typed)
                            if found is None:
                                for sub in pobj.subtree:
                                    if sub.i in amap:
                                        return amap[sub.i].actor
                            return found
            return None
        subj = subject_of(tok)
        if subj is None:
            return None
        found = resolve_token(subj, amap, typed)
        if found is None:
            for sub in subj.subtree:
                if sub.i in amap and sub.dep_ != "poss":
                    return amap[sub.i].actor
        return found

    def set_annotations(self, doc: Doc, ranges: list[QuoteRange], quotes: list[Quote]) -> None:
        doc._.kg_quote_ranges = ranges
        doc._.kg_quotes = quotes


@Language.factory(
    "kg_quotes",
    assigns=["doc._.kg_quotes", "doc._.kg_quote_ranges"],
    requires=["doc._.kg_mentions", "token.dep"],
    default_config={"ontology_dir": None},
)
def make_quote_extractor(nlp: Language, name: str, ontology_dir: str | None) -> QuoteExtractor:
    """Factory of the kg_quotes component."""
    return QuoteExtractor(nlp, name, ontology_dir=ontology_dir)
