"""Build parsed Docs by hand for the kg.nlp unit tests (no model needed)."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.nlp.common import register_extensions
from kg.records import Actor, ActorType, Mention, Span


@dataclass(frozen=True)
class Tok:
    """One token: text, head index, dependency, coarse POS, fine tag, lemma, space after."""

    text: str
    head: int
    dep: str
    pos: str = "X"
    tag: str = ""
    lemma: str = ""
    space: bool = True


def make_doc(
    vocab: Vocab,
    toks: list[Tok],
    actors: dict[str, tuple[str, ActorType, list[int]]] | None = None,
    ents: list[str] | None = None,
) -> Doc:
    """A Doc with a parse; `actors` maps key -> (name, type, token indices of its mentions)."""
    register_extensions()
    doc = Doc(
        vocab,
        words=[t.text for t in toks],
        spaces=[t.space for t in toks],
        heads=[t.head for t in toks],
        deps=[t.dep for t in toks],
        pos=[t.pos for t in toks],
        tags=[t.tag or t.pos for t in toks],
        lemmas=[t.lemma or t.text.lower() for t in toks],
        ents=ents,
    )
    if actors is not None:
        mentions = []
        records = []
        for key, (name, atype, indices) in actors.items():
            records.append(Actor(key=key, name=name, type=atype, aliases=(name,)))
            for i in indices:
                tok = doc[i]
                span = Span(tok.idx, tok.idx + len(tok.text), tok.text)
                mentions.append(Mention(actor=key, span=span, rule="test", confidence=1.0))
        doc._.kg_actors = records
        doc._.kg_mentions = mentions
    return doc
