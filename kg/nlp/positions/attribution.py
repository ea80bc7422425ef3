"""Attributed statements: who (source) says, by which cue, what (content).

The source-cue-content model of attribution research (PARC, the Penn Attribution Relations
Corpus): a news sentence attributes a proposition to a source through a cue, a reporting verb
("Lavrov said that ..."), "according to X", an evaluation ("described the talks as
constructive"), a cognition verb ("Kyiv believes ..."). Each finder below is one construction; it
returns `Attribution` records with token ranges, and `claims_from` turns the attributions that no
stance cue covered into `claims` positions of their source, so that a statement an analyst would
cite is not lost because its words are not in the stance lexicon.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from spacy.symbols import VERB
from spacy.tokens import Doc, Token

from kg.nlp.common import (
    expand_conj,
    paragraph_bounds,
    resolve_token,
    subject_of,
    token_span,
)
from kg.nlp.positions.context import FIRST_PERSON, Attribution, DocContext
from kg.nlp.positions.dedupe import FALLBACK_TOPIC
from kg.nlp.positions.stance import BASE_DIRECTION, StanceWords, classify
from kg.records import ActorType, Position, Stance

logger = logging.getLogger(__name__)

MIN_CONTENT_WORDS = 4
"""A content of fewer content words ("he said so", "as noted") states nothing citable."""
MAX_EVIDENCE_TOKENS = 60
PERSON_NOUNS = frozenset(
    {
        "official",
        "officials",
        "leader",
        "leaders",
        "minister",
        "president",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "adviser",
        "advisor",
        "envoy",
        "diplomat",
        "source",
        "sources",
        "representative",
        "secretary",
        "chancellor",
        "ambassador",
        "aide",
        "head",
        "chief",
        "negotiator",
        "delegation",
        "side",
        "government",
        "administration",
        "ministry",
    }
)
"""Common nouns of a speaking party ("Kremlin officials", "the Ukrainian side"): a name in
their phrase is the speaker; other nouns (a position, a report) say nothing themselves."""
IMPERSONAL_SOURCES = frozenset({"it", "its", "this", "that"})
ANNOUNCED = frozenset({"will", "'ll", "\u2019ll"})
SPEECH_VERBS = frozenset({"say", "tell", "announce", "urge", "call", "stress", "set", "make"})
"""Verbs of a speech that an official readout announces in the future tense."""
REPORTED = frozenset({"verb", "parenthetical", "according-to", "evaluation"})
"""Kinds of attribution that report someone's words: a stance of another holder inside them
is that holder's (the innermost holds it); a quote or a block is the speaker's own text."""
CONTENT_DEPS = frozenset({"ccomp", "xcomp"})
IRREALIS = frozenset({"will", "would", "could", "might", "may", "should", "can", "'ll", "\u2019ll"})
ADVERSATIVE_FRAMES = frozenset({"if", "whether", "unless"})


def _content_words(doc: Doc, first: int, last: int) -> int:
    return sum(1 for t in doc[first : last + 1] if t.is_alpha and not t.is_stop)


def _source(ctx: DocContext, tok: Token, cue: Token) -> list[str]:
    """The actors a subject token names, with first person inside a quote read as its speaker."""
    out: list[str] = []
    for t in expand_conj(tok):
        if t.lower_ in FIRST_PERSON and cue.i in ctx.quoted:
            speaker = ctx.speaker_at(cue)
            if speaker is not None:
                out.append(speaker)
            continue
        if t.lower_ in IMPERSONAL_SOURCES:
            continue  # "It confirmed that ...": a report or a document, rarely an actor
        key = resolve_token(t, ctx.amap, ctx.types)
        if key is None and t.pos_ == "NOUN" and t.lemma_.lower() not in PERSON_NOUNS:
            continue  # "the Kremlin's hardline position suggests": a thing, not a speaker
        if key is None:
            # "Putin and other Kremlin officials", "Russian Foreign Minister Sergey Lavrov":
            # a name early in the subject phrase
            # a name early in the subject phrase, not one inside its "of"/"for" modifiers
            # ("the High Representative of the EU Kaja Kallas" is Kallas)
            names = [
                s
                for s in t.subtree
                if s.i in ctx.amap
                and s.i - t.left_edge.i < 6
                and s.dep_ != "poss"
                and ctx.amap[s.i].rule != "demonym"
            ]
            direct = [s for s in names if not any(a.dep_ == "prep" for a in _path(s, t))]
            pick = (direct or names)[0] if names else None
            key = ctx.amap[pick.i].actor if pick is not None else None
        if key is not None and ctx.types.get(key) != ActorType.PLACE and key not in out:
            out.append(key)
    return out


def _path(tok: Token, top: Token) -> list[Token]:
    """The heads from `tok` up to `top` (excluded)."""
    out: list[Token] = []
    while tok.i != top.i and tok.head.i != tok.i:
        tok = tok.head
        out.append(tok)
    return out


def _negated_or_irrealis(cue: Token) -> bool:
    """ "did not say", "would argue", "if he says": no statement made. A speech announced in
    the future ("The Prime Minister will tell leaders that ...") is the house style of official
    readouts released before the speech: the statement is made."""
    for child in cue.children:
        if child.dep_ == "neg":
            return True
        if child.dep_ == "aux" and child.lower_ in IRREALIS:
            if child.lower_ in ANNOUNCED and cue.lemma_.lower() in SPEECH_VERBS:
                continue
            return True
        if child.dep_ == "mark" and child.lower_ in ADVERSATIVE_FRAMES:
            return True
    return False


def _range(tokens: Iterable[Token]) -> tuple[int, int]:
    ids = [t.i for t in tokens]
    return min(ids), max(ids)


def verb_attributions(ctx: DocContext, cues: frozenset[str]) -> list[Attribution]:
    """ "X said (that) ...", "X told reporters ...", "X described Y as Z", "X stressed the need
    for ...": a cue verb with an actor subject and a content (clausal complement or object)."""
    out: list[Attribution] = []
    for cue in ctx.doc:
        # the integer part-of-speech first: reading pos_ and lemma_ of every token is the cost
        if cue.pos != VERB or cue.lemma_.lower() not in cues or _negated_or_irrealis(cue):
            continue
        if any(c.dep_ == "auxpass" for c in cue.children):
            continue  # "countries are expected to join": its subject expects nothing
        subj = subject_of(cue)
        if subj is None or (subj.i > cue.i + 3 and cue.dep_ != "parataxis"):
            continue
        sources = _source(ctx, subj, cue)
        if not sources:
            continue
        content = [c for c in cue.children if c.dep_ in CONTENT_DEPS]
        kind = "verb"
        if not content:
            objects = [c for c in cue.children if c.dep_ in {"dobj", "oprd"}]
            as_phrase = [c for c in cue.children if c.dep_ == "prep" and c.lower_ == "as"]
            if objects:
                content = objects + as_phrase
                kind = "evaluation" if as_phrase or len(objects) > 1 else "verb"
        if not content:
            colon = cue.i + 1 < len(ctx.doc) and ctx.doc[cue.i + 1].text == ":"
            if colon:
                sent = cue.sent
                content = list(ctx.doc[cue.i + 2 : sent.end])
        if not content and cue.dep_ == "parataxis" and cue.head.i != cue.i:
            # "Russia is ready to talk, Lavrov said": the head clause is the content
            head = cue.head
            inner = {t.i for t in cue.subtree}
            content = [t for t in head.subtree if t.i not in inner]
            kind = "parenthetical"
        if not content:
            continue
        first, last = _range(t for c in content for t in c.subtree)
        if _content_words(ctx.doc, first, last) < MIN_CONTENT_WORDS:
            continue
        out += [Attribution(s, cue.i, first, last, kind) for s in sources]
    return out


def _paragraph_after(doc: Doc, colon: int) -> tuple[int, int] | None:
    """The paragraph that starts after a colon ending its own paragraph ("X said:" + a block
    of the speaker's words without quote marks, the layout of official readouts)."""
    nxt = colon + 1
    if nxt >= len(doc) or "\n" not in doc[nxt].text or not doc[nxt].is_space:
        return None
    first = nxt
    while first < len(doc) and doc[first].is_space:
        first += 1
    last = first
    while last + 1 < len(doc) and not (doc[last + 1].is_space and "\n" in doc[last + 1].text):
        last += 1
    return (first, last) if first < len(doc) and last >= first else None


BULLETS = frozenset({"-", "\u2022", "*", "\u2013", "\u2014", "\u25cf", "\u25aa"})
MAX_ITEMS = 12


def _bullet(doc: Doc, first: int) -> bool:
    """A paragraph that starts as a list item: a bullet mark, or "1." / "2)"."""
    tok = doc[first]
    if tok.text in BULLETS:
        return True
    return tok.like_num and first + 1 < len(doc) and doc[first + 1].text in {".", ")"}


def _items_after(doc: Doc, colon: int) -> list[tuple[int, int]]:
    """The list items that follow a colon ending its paragraph: consecutive paragraphs that
    start with a bullet or a number, their marks left out."""
    items: list[tuple[int, int]] = []
    end = colon
    while len(items) < MAX_ITEMS:
        para = _paragraph_after(doc, end)
        if para is None or not _bullet(doc, para[0]):
            break
        first = para[0] + 1
        if doc[para[0]].like_num:
            first += 1  # "1." / "2)"
        if first <= para[1]:
            items.append((first, para[1]))
        end = para[1]
        if end + 1 < len(doc) and doc[end + 1].text in BULLETS | {":"}:
            end += 1
    return items


def lead_in_attributions(
    ctx: DocContext, nouns: Mapping[str, Stance]
) -> list[tuple[Attribution, Stance]]:
    """ "Putin's conditions reveal his true intentions:" + bulleted lines ("- Western countries
    must halt weapons deliveries"): each item is a position of the noun's owner (its
    possessor, or the subject of the sentence), with the stance the noun names."""
    out: list[tuple[Attribution, Stance]] = []
    doc = ctx.doc
    for colon in doc:
        if colon.text != ":":
            continue
        items = _items_after(doc, colon.i)
        if not items:
            continue
        sent = colon.sent
        for noun in sent:
            stance = nouns.get(noun.lemma_.lower())
            if stance is None or noun.pos_ != "NOUN":
                continue
            owner = next((c for c in noun.children if c.dep_ == "poss"), None)
            if owner is None and noun.dep_ in {"dobj", "attr"}:
                owner = subject_of(noun.head)
            sources = _source(ctx, owner, noun) if owner is not None else []
            for source in sources[:1]:
                out += [
                    (Attribution(source, noun.i, first, last, "list"), stance)
                    for first, last in items
                    if _content_words(doc, first, last) >= 2
                ]
            if sources:
                break
    return out


LIST_VERBS = frozenset({"include", "comprise", "contain", "be", "involve", "cover"})


def _conjoined_items(head: Token) -> list[tuple[int, int]]:
    """The token ranges of an object and the objects conjoined with it ("A, B and C"), where
    the parser hangs a conjunct: each conjunct heads its own item."""
    heads = [head, *(t for t in head.subtree if t.dep_ == "conj")]
    items: list[tuple[int, int]] = []
    for item in heads:
        others = {
            t.i
            for other in heads
            if other.i != item.i and other.i in {s.i for s in item.subtree}
            for t in other.subtree
        }
        ids = sorted(t.i for t in item.subtree if t.i not in others)
        doc = head.doc
        while ids and (doc[ids[-1]].is_punct or doc[ids[-1]].dep_ == "cc"):
            ids.pop()
        while ids and (doc[ids[0]].is_punct or doc[ids[0]].dep_ == "cc"):
            ids.pop(0)
        if ids:
            items.append((ids[0], ids[-1]))
    return sorted(set(items))


def listed_attributions(
    ctx: DocContext, nouns: Mapping[str, Stance]
) -> list[tuple[Attribution, Stance]]:
    """ "His list of demands includes A, B and C", "Putin's conditions are A and B": each
    listed object is a position of the owner, with the stance the noun names."""
    out: list[tuple[Attribution, Stance]] = []
    for verb in ctx.doc:
        if verb.lemma_.lower() not in LIST_VERBS or _negated_or_irrealis(verb):
            continue
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        obj = next((c for c in verb.children if c.dep_ in {"dobj", "attr"}), None)
        if subj is None or obj is None:
            continue
        noun = subj
        stance = nouns.get(noun.lemma_.lower())
        if noun.lemma_.lower() in {"list", "set", "series"}:
            # "his list of demands": the noun of the list names the stance, its owner owns it
            of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
            inner = next((c for c in of.children if c.dep_ == "pobj"), None) if of else None
            stance = nouns.get(inner.lemma_.lower()) if inner is not None else None
        owner = next((c for c in noun.children if c.dep_ == "poss"), None)
        if stance is None or owner is None:
            continue
        sources = _source(ctx, owner, noun)
        items = [(f, last) for f, last in _conjoined_items(obj) if last - f >= 1]
        for source in sources[:1]:
            out += [(Attribution(source, noun.i, f, last, "list"), stance) for f, last in items]
    return out


def block_attributions(ctx: DocContext, cues: frozenset[str]) -> list[Attribution]:
    """ "Prime Minister X said:" ending a paragraph: each sentence of the next paragraph is a
    statement of X (unless it is in quote marks: then the quotes already carry it)."""
    out: list[Attribution] = []
    doc = ctx.doc
    for cue in doc:
        if cue.pos_ != "VERB" or cue.lemma_.lower() not in cues or _negated_or_irrealis(cue):
            continue
        if cue.i + 1 >= len(doc) or doc[cue.i + 1].text != ":":
            continue
        block = _paragraph_after(doc, cue.i + 1)
        subj = subject_of(cue)
        if block is None or subj is None:
            continue
        sources = _source(ctx, subj, cue)
        first, last = block
        if not sources or any(i in ctx.quoted for i in range(first, last + 1)):
            continue
        for start, end in _sentences(doc, first, last):
            if _content_words(doc, start, end) < MIN_CONTENT_WORDS:
                continue
            out += [Attribution(s, cue.i, start, end, "block") for s in sources]
    return out


def according_to(ctx: DocContext) -> list[Attribution]:
    """ "According to X, ...": the rest of the sentence is X's."""
    out: list[Attribution] = []
    for tok in ctx.doc:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        pobj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if pobj is None:
            continue
        sources = _source(ctx, pobj, tok)
        phrase = {t.i for t in tok.subtree}
        sent = tok.sent
        rest = [t for t in sent if t.i not in phrase and not t.is_punct]
        if not sources or not rest:
            continue
        first, last = _range(rest)
        if _content_words(ctx.doc, first, last) < MIN_CONTENT_WORDS:
            continue
        out += [Attribution(s, tok.i, first, last, "according-to") for s in sources]
    return out


def _needs_topic(ctx: DocContext, att: Attribution, words: StanceWords) -> bool:
    """A plain claim names an issue of the scheme unless it is said outright in the text's own
    words: beliefs ("believes he has the upper hand") and quoted remarks on people or figures
    ("said: 'exports fell by 80%'") are kept only when they touch a topic."""
    cue = ctx.doc[att.cue]
    if cue.lemma_.lower() in words.beliefs:
        return True
    content = range(att.first, att.last + 1)
    return sum(1 for i in content if i in ctx.quoted) > len(content) // 2


def _sentences(doc: Doc, first: int, last: int) -> list[tuple[int, int]]:
    """The parts of the token range [first, last] that fall in each sentence, in order."""
    parts: dict[int, list[int]] = {}
    for tok in doc[first : last + 1]:
        parts.setdefault(tok.sent.start, []).append(tok.i)
    return [(ids[0], ids[-1]) for ids in parts.values()]


def quote_attributions(ctx: DocContext) -> list[Attribution]:
    """Each sentence of an attributed quote is a statement of its speaker; the quote marks are
    the cue (the cue token recorded is the first quoted word)."""
    out: list[Attribution] = []
    for quote in ctx.quotes:
        inside = ctx.doc.char_span(
            quote.evidence.start, quote.evidence.end, alignment_mode="contract"
        )
        if inside is None or len(inside) == 0:
            continue
        for first, last in _sentences(ctx.doc, inside.start, inside.end - 1):
            if _content_words(ctx.doc, first, last) < MIN_CONTENT_WORDS:
                continue
            out.append(Attribution(quote.speaker, first, first, last, "quote"))
    return out


def evidence_of(ctx: DocContext, att: Attribution, sentence_tokens: int) -> tuple[int, int]:
    """The evidence of an attribution: its sentence when short, else source, cue and content."""
    doc = ctx.doc
    if att.kind == "list":
        return att.first, att.last  # a list item is its own line
    cue = doc[att.first] if att.kind == "block" else doc[att.cue]
    sent = cue.sent
    left, right = paragraph_bounds(doc, cue, sent.start, sent.end - 1)
    if right - left + 1 > sentence_tokens:
        left = max(left, min(att.first, att.cue))
        right = min(right, max(att.last, att.cue))
    while right > left and doc[right].is_punct:
        right -= 1
    if right - left + 1 > MAX_EVIDENCE_TOKENS:
        left, right = att.first, min(att.last, att.first + MAX_EVIDENCE_TOKENS - 1)
    return left, right


def positions_from(
    ctx: DocContext,
    attributions: list[Attribution],
    existing: list[Position],
    words: StanceWords,
    sentence_tokens: int,
    fixed: Mapping[Attribution, tuple[Stance, str]] | None = None,
) -> list[Position]:
    """A position for each attributed statement, its stance read by `stance.classify`.

    The stance cues run first and own the statements they read (the merge keeps their more
    specific stance); an attribution adds what they did not cover. A content that carries another
    holder's stance ("Lavrov said Moscow rejects X") is that holder's position, reported by the
    source, not a second position of the source.
    """
    fixed = fixed or {}
    out: list[Position] = []
    seen: set[tuple[str, int, int]] = set()
    for att in attributions:
        left, right = evidence_of(ctx, att, sentence_tokens)
        key = (att.source, left, right)
        if key in seen:
            continue
        seen.add(key)
        first_char = ctx.doc[att.first].idx
        last_char = ctx.doc[att.last].idx + len(ctx.doc[att.last])
        inside = [
            p for p in existing if p.evidence.start < last_char and first_char < p.evidence.end
        ]
        own = [p for p in inside if p.holder == att.source]
        refines = False
        if own:
            # a plain claim read by a reporting cue ("said ...") is refined when the content
            # states a stance ("said we will sanction ..."); any other reading stands
            stance, rule = classify(ctx, att, words)
            refines = (
                rule != "default"
                and all(p.stance == Stance.CLAIMS for p in own)
                and ctx.doc[att.cue].lemma_.lower() not in words.distancing
            )
            if not refines:
                logger.debug("attribution %s dropped by rule covered: a stance cue read it", att)
                continue
        if (
            not refines
            and att.kind in REPORTED
            and any(p.holder != att.source and p.stance != Stance.CLAIMS for p in inside)
        ):
            logger.debug("attribution %s dropped by rule nested-holder: another holds it", att)
            continue
        topic = ctx.topic(range(att.first, att.last + 1))
        stance, rule = classify(ctx, att, words)
        if att.kind == "list":
            stance, rule = fixed.get(att, (stance, rule))
        if stance == Stance.CLAIMS and ctx.doc[att.cue].lemma_.lower() in words.beliefs:
            logger.debug("attribution %s dropped by rule belief-is-no-statement", att)
            continue
        if stance == Stance.CLAIMS and topic == FALLBACK_TOPIC and _needs_topic(ctx, att, words):
            logger.debug("attribution %s dropped by rule claim-needs-topic", att)
            continue
        cue = ctx.doc[att.cue].lemma_.lower()
        out.append(
            Position(
                holder=att.source,
                stance=stance,
                topic=topic,
                direction=BASE_DIRECTION[stance],
                evidence=token_span(ctx.doc, left, right),
                method=f"attribution:{att.kind}:{cue}|stance:{rule}",
                confidence=0.5 if topic != FALLBACK_TOPIC else 0.4,
            )
        )
    return out
