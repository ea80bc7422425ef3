"""What every position rule reads about one Doc, built once per Doc and never changed."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from kg.nlp.common import actor_types, get_list, quoted_token_ids, token_actor_map
from kg.records import ActorType, Mention, Quote

FIRST_PERSON = frozenset({"i", "we", "me", "us"})


@dataclass(frozen=True, slots=True)
class Attribution:
    """One attributed statement: the source's actor key, the cue token and the content range."""

    source: str
    cue: int
    first: int
    last: int
    kind: str
    """The construction that found it: "verb", "parenthetical", "according-to", "evaluation"."""


@dataclass(frozen=True, slots=True)
class DocContext:
    """The Doc with its actor mentions by token, actor types, quoted tokens and quotes."""

    doc: Doc
    amap: dict[int, Mention]
    types: dict[str, ActorType]
    quoted: frozenset[int]
    quotes: tuple[Quote, ...]

    @classmethod
    def of(cls, doc: Doc) -> DocContext:
        """Read the annotations of the earlier components (`kg_mentions`, `kg_quotes`)."""
        return cls(
            doc=doc,
            amap=token_actor_map(doc),
            types=actor_types(doc),
            quoted=frozenset(quoted_token_ids(doc)),
            quotes=tuple(get_list(doc, "kg_quotes")),
        )

    def speaker_at(self, tok: Token) -> str | None:
        """The speaker of the quote a token stands in, if any."""
        for quote in self.quotes:
            if quote.evidence.start <= tok.idx < quote.evidence.end:
                return quote.speaker
        return None
