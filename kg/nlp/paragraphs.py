"""kg_paragraphs: a paragraph break always starts a new sentence.

Runs before the parser, which keeps sentence starts that are already set. Headlines, bylines and
paragraphs then never merge into one "sentence", so evidence spans stay inside one paragraph.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.common import doc_text, is_paragraph_break


class ParagraphBreaker:
    """The kg_paragraphs component."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    def match(self, doc: Doc) -> list[int]:
        """Indices of the first token after each paragraph break."""
        text = doc_text(doc)
        starts: list[int] = []
        for tok in doc[:-1]:
            if "\n" not in tok.text and "\n" not in tok.whitespace_:
                continue
            chunk = tok.text if "\n" in tok.text else tok.whitespace_
            base = tok.idx if "\n" in tok.text else tok.idx + len(tok.text)
            if is_paragraph_break(text, base + chunk.index("\n")):
                nxt = tok.i + 1
                while nxt < len(doc) and doc[nxt].is_space:
                    nxt += 1
                if nxt < len(doc):
                    starts.append(nxt)
        return starts

    def set_annotations(self, doc: Doc, starts: list[int]) -> None:
        for i in starts:
            doc[i].is_sent_start = True


@Language.factory("kg_paragraphs", assigns=["token.is_sent_start"], requires=[])
def make_paragraph_breaker(nlp: Language, name: str) -> ParagraphBreaker:  # noqa: ARG001
    """Factory of the kg_paragraphs component."""
    return ParagraphBreaker(name)
