"""kg_paragraphs: a paragraph break always starts a new sentence; so does the text after a dateline.

Runs before the parser, which keeps sentence starts that are already set. Headlines, bylines and
paragraphs then never merge into one "sentence", so evidence spans stay inside one paragraph.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.nlp.common import doc_text, is_paragraph_break

# A wire dateline opening a paragraph: "KYIV, Nov 20 (Reuters) - ", "WASHINGTON (AP) — ". The
# parser would otherwise make the city the subject of the first sentence.
DATELINE = re.compile(
    r"[A-Z][A-Z.'\-]{2,}(?: [A-Z][A-Z.'\-]+)*(?:, [A-Z][A-Za-z.]*(?: \d{1,2})?)?"
    r"(?: \([^()\n]{1,40}\))? ?[-\u2013\u2014]+ +"
)


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
        for first in [0, *starts] if len(doc) else []:
            match = DATELINE.match(text, doc[first].idx)
            if match is None:
                continue
            after = next((t.i for t in doc[first:] if t.idx >= match.end()), None)
            if after is not None and after > first + 1:
                starts.append(after)
        return starts

    def set_annotations(self, doc: Doc, starts: list[int]) -> None:
        for i in starts:
            doc[i].is_sent_start = True


@Language.factory("kg_paragraphs", assigns=["token.is_sent_start"], requires=[])
def make_paragraph_breaker(nlp: Language, name: str) -> ParagraphBreaker:  # noqa: ARG001
    """Factory of the kg_paragraphs component."""
    return ParagraphBreaker(name)
