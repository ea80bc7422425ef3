"""Helpers shared by the kg_ components: Doc extensions, spans, syntax walks, coreference."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

import numpy
from spacy.attrs import IDX
from spacy.tokens import Doc, Token

from kg.records import ActorType, Mention, Span

EXTENSIONS = (
    "kg_actors",
    "kg_mentions",
    "kg_roles",
    "kg_merges",
    "kg_events",
    "kg_positions",
    "kg_quotes",
    "kg_quote_ranges",
)

SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
CLAUSE_LINKS = frozenset({"conj", "xcomp", "advcl"})
PERSON_PRONOUNS = frozenset({"he", "she", "him", "her", "his", "hers"})
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom", "whose"})


def register_extensions() -> None:
    """Register the kg_ Doc extensions once (guarded); components assign, never append."""
    for name in EXTENSIONS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


def get_list(doc: Doc, name: str) -> list[Any]:
    value = getattr(doc._, name)
    return list(value) if value else []


def doc_text(doc: Doc) -> str:
    """`doc.text`, computed once per Doc (spaCy rebuilds it on every access)."""
    cached = doc.user_data.get("kg_text")
    if not isinstance(cached, str):
        cached = doc.text
        doc.user_data["kg_text"] = cached
    return cached


def make_span(doc: Doc, start_char: int, end_char: int) -> Span:
    """A record Span over the doc text, trimmed of surrounding whitespace."""
    text = doc_text(doc)
    while start_char < end_char and text[start_char].isspace():
        start_char += 1
    while end_char > start_char and text[end_char - 1].isspace():
        end_char -= 1
    return Span(start=start_char, end=end_char, text=text[start_char:end_char])


def token_span(doc: Doc, first: int, last: int) -> Span:
    """The record Span of tokens first..last inclusive."""
    return make_span(doc, doc[first].idx, doc[last].idx + len(doc[last].text))


def token_ids_starting_in(doc: Doc, start: int, end: int) -> set[int]:
    """Indices of the tokens whose first character lies in [start, end): a binary search over
    the token offsets instead of a scan of the Doc."""
    offsets = doc.to_array(IDX)
    first, last = numpy.searchsorted(offsets, [start, end], side="left")
    return set(range(int(first), int(last)))


def token_actor_map(doc: Doc) -> dict[int, Mention]:
    """Token index -> the mention that covers it."""
    out: dict[int, Mention] = {}
    mentions: list[Mention] = get_list(doc, "kg_mentions")
    if not mentions:
        return out
    starts = {tok.idx: tok.i for tok in doc}
    for mention in mentions:
        first = starts.get(mention.span.start)
        if first is None:
            continue
        i = first
        while i < len(doc) and doc[i].idx < mention.span.end:
            out[i] = mention
            i += 1
    return out


def actor_types(doc: Doc) -> dict[str, ActorType]:
    return {a.key: a.type for a in get_list(doc, "kg_actors")}


def clause_chain(token: Token) -> Iterator[Token]:
    """The token, then its heads while they link clauses (conj, xcomp, advcl...)."""
    current = token
    seen = 0
    yield current
    while current.head.i != current.i and seen < 8:
        if current.dep_ not in CLAUSE_LINKS:
            break
        if current.dep_ == "conj" and current.tag_ == "VBG" and current.head.tag_ != "VBG":
            break
        if any(c.dep_ == "mark" and c.lower_ == "for" for c in current.head.children):
            break  # "for Ukraine to relinquish ...": that subject belongs to the infinitive only
        current = current.head
        seen += 1
        yield current


def subject_of(token: Token) -> Token | None:
    """The grammatical subject of the clause of `token`, inherited over conj/xcomp/advcl."""
    for head in clause_chain(token):
        if head.dep_ == "acl" and head.tag_ == "VBG" and head.head.pos_ in {"NOUN", "PROPN"}:
            return head.head  # "with the press secretary, Dmitry Peskov, cautioning ..."
        for child in head.children:
            if child.dep_ in SUBJECT_DEPS:
                return child
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj
            if child.dep_ in {"aux", "auxpass"}:
                # a parse that hangs the subject on the auxiliary ("Russia is opposed to")
                for sub in child.children:
                    if sub.dep_ in SUBJECT_DEPS:
                        return sub
    if token.dep_ == "acomp" and token.tag_ == "VBN" and token.head.i != token.i:
        return subject_of(token.head)  # "Moscow is strongly opposed to": the copula's subject
    return None


def expand_conj(token: Token) -> list[Token]:
    """The token and the tokens conjoined with it ("Putin and other Kremlin officials")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj":
            out.extend(expand_conj(child))
    return out


def resolve_token(
    token: Token, amap: dict[int, Mention], types: dict[str, ActorType]
) -> str | None:
    """The actor a token refers to: direct mention, relative pronoun, or pronoun coreference."""
    if token.i in amap:
        return amap[token.i].actor
    if token.dep_ == "appos" and token.head.i in amap:
        return amap[token.head.i].actor  # "Yuri Ushakov, the presidential adviser"
    # a named apposition ("the US secretary of state, Marco Rubio") names the head noun; a
    # compound modifier only when the head is itself a name
    for child in token.children:
        if child.dep_ == "appos" and child.i in amap:
            return amap[child.i].actor
    if token.pos_ == "PROPN":
        for child in token.children:
            if child.dep_ == "compound" and child.i in amap:
                return amap[child.i].actor
    low = token.lower_
    if low in RELATIVE_PRONOUNS:
        for anc in token.ancestors:
            if anc.dep_ == "relcl":
                return resolve_token(anc.head, amap, types)
    if low in PERSON_PRONOUNS:
        return previous_person(token, amap, types)
    if (
        low in {"it", "its"}
        and token.dep_ in {"nsubj", "poss"}
        and not (token.dep_ == "nsubj" and _copula(token.head))  # "it is vital to ..."
    ):
        return previous_actor(token, amap, types, {ActorType.COUNTRY, ActorType.ORGANIZATION})
    return None


def _copula(token: Token) -> bool:
    """A form of "be" ("is", a contracted "s"), whatever the tagger made of it."""
    return token.pos_ == "AUX" or token.lemma_ == "be" or token.lower_ in {"'s", "\u2019s"}


def previous_actor(
    token: Token, amap: dict[int, Mention], types: dict[str, ActorType], wanted: set[ActorType]
) -> str | None:
    """Most recent actor of a wanted type in this or the previous sentence."""
    doc = token.doc
    sent = token.sent
    start = doc[sent.start - 1].sent.start if sent.start > 0 else sent.start
    for i in range(token.i - 1, start - 1, -1):
        mention = amap.get(i)
        if mention is not None and types.get(mention.actor) in wanted:
            return mention.actor
    return None


def previous_person(
    token: Token, amap: dict[int, Mention], types: dict[str, ActorType]
) -> str | None:
    """Most recent Person before `token`, preferring subjects, within ~3 sentences."""
    doc = token.doc
    window_start = token.sent.start
    for _ in range(3):
        if window_start == 0:
            break
        window_start = doc[window_start - 1].sent.start
    fallback: str | None = None
    for i in range(token.i - 1, window_start - 1, -1):
        mention = amap.get(i)
        if mention is None or types.get(mention.actor) != ActorType.PERSON:
            continue
        if mention.rule.startswith("anaphor"):
            continue
        if doc[i].dep_ in SUBJECT_DEPS or doc[i].head.dep_ in SUBJECT_DEPS:
            return mention.actor
        if fallback is None:
            fallback = mention.actor
    return fallback


SUBHEADING_WORDS = 5
LINE_CONTINUING_WORDS = frozenset(
    {"the", "a", "an", "of", "to", "and", "or", "but", "in", "on", "for", "with", "by", "that"}
)
PARAGRAPH_END_CHARS = frozenset('.!?:\u201d"\u2026')


def is_paragraph_break(text: str, i: int) -> bool:
    """A newline at text[i] ends a paragraph: a blank line follows, or the line ended a sentence."""
    if text[i] != "\n":
        return False
    if text[i + 1 : i + 2] == "\n" or (i > 0 and text[i - 1] == "\n"):
        return True
    j = i - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    if j < 0 or text[j] in PARAGRAPH_END_CHARS:
        return True
    return _headline_break(text, i, j)


def _headline_break(text: str, i: int, j: int) -> bool:
    """A short line ending in a capitalised word or a number, followed by a capitalised line, is
    a headline or a byline ("7 Key Points ... -- Editorial"), not a sentence cut by a line break."""
    k = i + 1
    while k < len(text) and text[k] in " \t":
        k += 1
    if k >= len(text) or not text[k].isupper():
        return False
    line_start = text.rfind("\n", 0, i) + 1
    words = text[line_start : j + 1].split()
    if not words or len(words) > 15:
        return False
    last = words[-1]
    if last[:1].isupper() or last[:1].isdigit():
        return True
    # a short capitalised line of its own between paragraphs ("The accountant"): a subheading
    before = text[:line_start].rstrip()
    return (
        len(words) <= SUBHEADING_WORDS
        and words[0][:1].isupper()
        and (not before or before[-1] in PARAGRAPH_END_CHARS)
        and last.lower() not in LINE_CONTINUING_WORDS
    )


def _breaks(doc: Doc, tok: Token) -> bool:
    if "\n" not in tok.text and "\n" not in tok.whitespace_:
        return False
    base = tok.idx if "\n" in tok.text else tok.idx + len(tok.text)
    offset = (tok.text if "\n" in tok.text else tok.whitespace_).index("\n")
    return is_paragraph_break(doc_text(doc), base + offset)


def paragraph_bounds(doc: Doc, anchor: Token, first: int, last: int) -> tuple[int, int]:
    """Tokens first..last clipped to the paragraph of `anchor`, whitespace trimmed."""
    left, right = first, last
    for i in range(anchor.i - 1, first - 1, -1):
        if _breaks(doc, doc[i]):
            left = i + 1
            break
    for i in range(anchor.i, last + 1):
        if _breaks(doc, doc[i]):
            right = i if "\n" not in doc[i].text else i - 1
            break
    while left < right and doc[left].is_space:
        left += 1
    while right > left and doc[right].is_space:
        right -= 1
    return left, max(left, right)


def sorted_unique(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(set(items), key=repr))


def build_cue_matcher(vocab: Any, cues: dict[str, Any]) -> Any:
    """A Matcher over lower-case forms and lemmas of each cue (multi-word cues split on spaces).

    The match id of every pattern is the cue text itself; look its label up in `cues`.
    """
    from spacy.matcher import Matcher

    matcher = Matcher(vocab)
    for cue in sorted(cues):
        words = cue.split()
        if not words:
            continue
        matcher.add(
            cue,
            [[{"LOWER": w} for w in words], [{"LEMMA": w} for w in words]],
        )
    return matcher


def quoted_token_ids(doc: Doc) -> set[int]:
    """Indices of tokens inside any quotation (needs kg_quote_ranges)."""
    ranges = get_list(doc, "kg_quote_ranges")
    out: set[int] = set()
    for qr in ranges:
        out.update(t.i for t in tokens_between(doc, qr.start, qr.end))
    return out


def tokens_between(doc: Doc, start: int, end: int) -> list[Token]:
    """Non-space tokens that lie wholly inside the character range [start, end)."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None:
        return []
    return [t for t in span if not t.is_space]
