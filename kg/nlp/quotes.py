"""kg_quotes: quoted speech and its speaker.

* Quote marks: curly “…” and straight "…" (mixed pairs too); a quote still open at the end of a
  paragraph runs to the end of that paragraph (the "continued quote" convention), and the next
  paragraph that opens a mark, or ends with a closing one, resumes it (a one-line interjection such
  as "Advertisement:" may stand between, and one paragraph that lost its opening mark).
* Attribution, tried in order, inside the quote's sentence(s): a reporting verb ("X said",
  "said X", "X said: …", "As X noted, …", ", he said," as a parenthesis; participles such as
  "adding:" inherit the subject); "according to X"; a reporting noun with a possessor or a "by" /
  "from" agent ("a statement from X: …"). A quote left open by a comma takes its speaker from the
  clause after the closing mark even when the parser cut the sentence there.
* Then from the context: continuation of the previous quote; a "Quote:" paragraph under a
  "Source: X" line; a quote standing alone right after an attributed quote (the text between names
  nobody else); a colon after a clause whose subject is a person ("X gave a similar view: …"); a
  quote standing alone after a sentence reporting a person's words; a quoted predicate adjective of
  an actor ("X is “ready to talk”", the subject describing itself).
* Pronoun speakers ("he said") are the last person named outside quotation marks, within three
  sentences: quoted sentences neither count nor supply the person.
* Scare quotes: one-word quotes, and short quotes (five words or fewer) that are not in the clause
  of a reporting verb or noun, or that modify a noun ("its “root causes”"), are not quotes.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan

from kg.nlp.common import (
    PERSON_PRONOUNS,
    SUBJECT_DEPS,
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
LSQUO, RSQUO = "\u2018", "\u2019"
SHORT_QUOTE_WORDS = 5
REPORTING_NOUNS = frozenset(
    {"claim", "assertion", "statement", "remark", "word", "warning", "message", "comment", "post"}
)
NOUN_AGENT_PREPS = frozenset({"by", "from"})
NP_MODIFIER_TAGS = frozenset({"PRP$", "POS", "JJ"})
# methods whose link to the quote is close enough for a short phrase to be speech, not a scare quote
CLOSE_METHODS = frozenset({"reporting-verb-complement", "reporting-noun", "self-description"})
INTERJECTION_WORDS = 3  # "Advertisement:" may stand between the paragraphs of one quote
UNMARKED_PARAGRAPHS = 1  # a resumed quote may run over one paragraph that lost its opening mark
PRONOUN_WINDOW_SENTENCES = 3
ATTRIBUTION_GAP_CHARS = 250
SENTENCE_END = (".", "!", "?", "\u2026")
SOURCE_LINE = re.compile(r"^[ \t]*Source[ \t]*:[ \t]*(\S.*)$", re.MULTILINE)
QUOTE_LABEL = re.compile(r"^Quote[ \t]*:$", re.IGNORECASE)
SOURCE_LOOKBACK_CHARS = 3000
LINE_LOOKAROUND_CHARS = 5000
QUOTING_VERBS = frozenset({"quote", "cite"})  # "X quotes a statement: …": the words are not X's


@dataclass(frozen=True, slots=True)
class QuoteRange:
    """Character offsets of the quoted words (marks excluded).

    `continues` marks a range that resumes a quote left open at an earlier paragraph's end.
    """

    start: int
    end: int
    closed: bool
    continues: bool = False


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


def _looks_closing(text: str, i: int) -> bool:
    """A mark at text[i] placed as a closer: after a word or punctuation, before no word."""
    if text[i] == "\u201d":
        return True
    before, after = text[i - 1 : i], text[i + 1 : i + 2]
    return bool(before) and not before.isspace() and before not in "([{" and not after.isalnum()


@dataclass
class _Scan:
    """State of the double-mark scan: the open quote and a quote left open by a paragraph."""

    open_at: int | None = None
    open_continues: bool = False
    pending: bool = False  # the last quote ran open to a paragraph's end
    paragraph_start: int = 0
    resume_at: int | None = None  # the first paragraph of words since the quote ran open
    unmarked: int = 0  # paragraphs of words without any mark since the quote ran open


def _double_quote_ranges(text: str) -> list[QuoteRange]:
    out: list[QuoteRange] = []
    scan = _Scan()
    for i, ch in enumerate(text):
        if ch == "\n" and is_paragraph_break(text, i):
            _end_paragraph(text, i, scan, out)
            continue
        if scan.open_at is None:
            if ch in CLOSERS and _looks_closing(text, i):
                if scan.pending and text[scan.paragraph_start : i].strip():
                    # the closing mark of a quote resumed without an opening mark
                    start = scan.paragraph_start if scan.resume_at is None else scan.resume_at
                    _resume(text, out, QuoteRange(start, i, closed=True, continues=True))
                scan.pending = False
            elif ch in OPENERS and ch != "\u201d":
                scan.open_at = i + 1
                scan.open_continues = scan.pending and not text[scan.paragraph_start : i].strip()
                scan.pending = False
        elif ch in CLOSERS and ch != "\u201c":
            out.append(QuoteRange(scan.open_at, i, closed=True, continues=scan.open_continues))
            scan.open_at = None
        elif ch == "\u201c":  # a new opener before a close: restart
            scan.open_at = i + 1
            scan.open_continues = False
    if scan.open_at is not None:
        out.append(QuoteRange(scan.open_at, len(text), closed=False, continues=scan.open_continues))
    return [q for q in out if text[q.start : q.end].strip()]


def _resume(text: str, out: list[QuoteRange], resumed: QuoteRange) -> None:
    """Add a quote resumed without an opening mark: one quote with the open one it directly
    follows; a quote of its own past an interjection ("Advertisement:")."""
    last = out[-1] if out else None
    if last is not None and not last.closed and not text[last.end : resumed.start].strip():
        out[-1] = QuoteRange(last.start, resumed.end, closed=True, continues=last.continues)
    else:
        out.append(resumed)


def _end_paragraph(text: str, i: int, scan: _Scan, out: list[QuoteRange]) -> None:
    """A paragraph ends at text[i]: close an open quote as continued, or age a pending one."""
    if scan.open_at is not None:
        out.append(QuoteRange(scan.open_at, i, closed=False, continues=scan.open_continues))
        scan.open_at = None
        scan.pending, scan.resume_at, scan.unmarked = True, None, 0
    elif scan.pending and len(text[scan.paragraph_start : i].split()) > INTERJECTION_WORDS:
        # a paragraph of words whose opening mark may have been left out; more than
        # UNMARKED_PARAGRAPHS of them is narrative, and the open quote is not resumed
        scan.unmarked += 1
        scan.resume_at = scan.paragraph_start if scan.resume_at is None else scan.resume_at
        scan.pending = scan.unmarked <= UNMARKED_PARAGRAPHS
    scan.paragraph_start = i + 1


@dataclass(frozen=True, slots=True)
class _Context:
    """What attribution reads beside the quote: mentions, actor types, quoted tokens."""

    amap: dict[int, Mention]
    types: dict[str, ActorType]
    quoted: frozenset[int]


@dataclass(frozen=True, slots=True)
class _Previous:
    """The last accepted quote: its speaker and the character after its closing mark."""

    speaker: str
    end: int


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
        quoted = frozenset(t.i for qr in ranges for t in tokens_between(doc, qr.start, qr.end))
        ctx = _Context(token_actor_map(doc), actor_types(doc), quoted)
        quotes: list[Quote] = []
        previous: _Previous | None = None
        for qr in ranges:
            span = make_span(doc, qr.start, qr.end)
            inside = tokens_between(doc, span.start, span.end) if span.text else []
            if not inside:
                continue
            speaker, method, blocked = self._attribute(inside, span.start, ctx)
            if speaker is None:
                speaker, method = self._from_context(qr, inside, previous, blocked, ctx)
            if speaker is None or _is_scare_quote(inside, span.text, method):
                continue
            quotes.append(Quote(speaker=speaker, evidence=span, method=method, confidence=0.8))
            previous = _Previous(speaker, qr.end + 1)
        return ranges, quotes

    def _from_context(
        self,
        qr: QuoteRange,
        inside: list[Token],
        previous: _Previous | None,
        blocked: bool,
        ctx: _Context,
    ) -> tuple[str | None, str]:
        """The speaker of a quote whose own sentence names none, from the text around it.

        `blocked`: the sentence has a reporting verb whose speaker could not be resolved (say
        "the official said"); the quote is then somebody's, not the previous speaker's, so
        only the marks' own continuation applies.
        """
        text = doc_text(inside[0].doc)
        if previous is not None and _continues_previous(text, qr, previous):
            return previous.speaker, "continuation"
        if blocked:
            return None, ""
        found = _source_label_speaker(inside, qr, ctx)
        if found is not None:
            return found, "source-label"
        if (
            previous is not None
            and _stands_alone(text, qr)
            and self._follows_attributed_quote(qr, inside, previous, ctx)
        ):
            return previous.speaker, "continuation"
        found = _colon_speaker(inside, ctx)
        if found is not None:
            return found, "colon"
        if _stands_alone(text, qr):
            found = self._previous_sentence_speaker(inside, ctx)
            if found is not None:
                return found, "previous-sentence"
        found = _self_description(inside, ctx)
        if found is not None:
            return found, "self-description"
        return None, ""

    def _attribute(
        self, inside: list[Token], start: int, ctx: _Context
    ) -> tuple[str | None, str, bool]:
        """The speaker of the quote made of tokens `inside`, the rule that found it, and whether
        a reporting word governing the quote had a speaker that could not be resolved."""
        end = inside[-1].idx + len(inside[-1].text)
        inside_ids = {t.i for t in inside}
        candidates: list[_Candidate] = []
        for tok in _attribution_tokens(inside):
            if tok.i in inside_ids or tok.i in ctx.quoted or tok.is_punct:
                continue
            kind = self._candidate_kind(tok)
            if kind is None:
                continue
            dist = start - tok.idx if tok.idx < start else tok.idx - end
            governs = _governs(tok, inside_ids)
            candidates.append(_Candidate(tok, kind, dist + (kind == "noun"), governs))
        candidates.sort(key=lambda c: (not c.governs, c.tok.dep_ == "relcl", c.dist, c.tok.i))
        short = len([t for t in inside if t.is_alpha or t.like_num]) <= SHORT_QUOTE_WORDS
        clause_like = any(t.pos_ in {"VERB", "AUX"} for t in inside)
        blocked = False
        for cand in candidates:
            if _defers_to_outer(cand, candidates):
                continue
            speaker = self._speaker_of(cand.tok, inside[0].i, ctx)
            if speaker is None:
                blocked = blocked or (cand.governs and cand.kind == "verb")
                continue
            if cand.kind == "noun":
                return speaker, "reporting-noun", False
            if cand.governs:
                return speaker, "reporting-verb-complement", False
            if short and not clause_like:
                continue  # a short phrase needs a closer link than a nearby verb
            return speaker, "reporting-verb", False
        return None, "", blocked

    def _candidate_kind(self, tok: Token) -> str | None:
        """ "verb", "according" or "noun" when `tok` may introduce reported words, else None."""
        if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in self.reporting:
            return "verb"
        if _is_according_to(tok):
            return "according"
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in REPORTING_NOUNS:
            return "noun"
        return None

    def _speaker_of(self, tok: Token, anchor: int, ctx: _Context) -> str | None:
        """The actor who speaks through reporting word `tok`; `anchor` is the token before
        which a pronoun looks for its person (the quote's first word or the pronoun)."""
        if _is_according_to(tok):
            for child in tok.doc[tok.i + 1].children:
                if child.dep_ == "pobj":
                    return _resolve(child, anchor, ctx)
            return None
        if tok.pos_ == "NOUN":
            return _noun_speaker(tok, anchor, ctx)
        subj = subject_of(tok)
        if subj is None:
            return None
        found = _resolve(subj, anchor, ctx)
        if found is None and subj.pos_ == "PROPN":
            # a name the mentions cover only in part; not "the US treasury chief", a person
            # whose country names the role
            for sub in subj.subtree:
                if sub.i in ctx.amap and sub.dep_ != "poss":
                    return ctx.amap[sub.i].actor
        return found

    def _follows_attributed_quote(
        self, qr: QuoteRange, inside: list[Token], previous: _Previous, ctx: _Context
    ) -> bool:
        """The quote stands alone right after the attribution of the previous quote, and the
        text between attributes words to nobody else: the same speaker goes on."""
        doc = inside[0].doc
        text = doc_text(doc)
        gap_end = qr.start - 1
        gap = text[previous.end : gap_end]
        if previous.end > gap_end or len(gap) > ATTRIBUTION_GAP_CHARS or gap.count("\n") > 2:
            return False
        if any(ch in OPENERS or ch in CLOSERS for ch in gap):
            return False
        attributed = False
        for tok in tokens_between(doc, previous.end, gap_end):
            mention = ctx.amap.get(tok.i)
            if (
                mention is not None
                and mention.actor != previous.speaker
                and ctx.types.get(mention.actor) == ActorType.PERSON
            ):
                return False
            if self._candidate_kind(tok) == "verb":
                if self._speaker_of(tok, tok.i, ctx) != previous.speaker:
                    return False
                attributed = True
        return attributed

    def _previous_sentence_speaker(self, inside: list[Token], ctx: _Context) -> str | None:
        """A quote that opens its sentence, right after a sentence of the same paragraph whose
        main verb reports a person's words ("X argues, …. “…”"): that person's."""
        doc = inside[0].doc
        sent = inside[0].sent
        if sent.start == 0 or any(
            not (t.is_punct or t.is_space) for t in doc[sent.start : inside[0].i]
        ):
            return None
        prev = doc[sent.start - 1].sent
        if "\n" in doc_text(doc)[prev.start_char : inside[0].idx]:
            return None
        if any(t.i in ctx.quoted for t in prev):
            return None
        for tok in prev:
            if tok.dep_ in {"ROOT", "parataxis"} and self._candidate_kind(tok) == "verb":
                speaker = self._speaker_of(tok, tok.i, ctx)
                if speaker is not None and ctx.types.get(speaker) == ActorType.PERSON:
                    return speaker
        return None

    def set_annotations(self, doc: Doc, ranges: list[QuoteRange], quotes: list[Quote]) -> None:
        doc._.kg_quote_ranges = ranges
        doc._.kg_quotes = quotes


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A word that may introduce the quote: its kind, distance in characters, and whether the
    quote lies in its clause."""

    tok: Token
    kind: str
    dist: int
    governs: bool


def _is_according_to(tok: Token) -> bool:
    doc = tok.doc
    return tok.lower_ == "according" and tok.i + 1 < len(doc) and doc[tok.i + 1].lower_ == "to"


def _opens_sentence(tok: Token) -> bool:
    """Only punctuation or a conjunction stands before `tok` in its sentence."""
    doc = tok.doc
    return all(t.is_punct or t.is_space or t.pos_ == "CCONJ" for t in doc[tok.sent.start : tok.i])


def _governs(tok: Token, inside_ids: set[int]) -> bool:
    """The quote lies in the clause of reporting word `tok`: in its subtree; in the clause a
    parenthetical ", he said," interrupts; anywhere in the sentence "According to X," opens."""
    if any(t.i in inside_ids for t in tok.subtree):
        return True
    if tok.dep_ == "parataxis" and any(t.i in inside_ids for t in tok.head.subtree):
        return True
    return _is_according_to(tok) and _opens_sentence(tok)


def _defers_to_outer(cand: _Candidate, candidates: list[_Candidate]) -> bool:
    """A participle ("after concluding that …", "suggesting …") under another governing
    reporting verb reports a thought; the words are the outer speaker's."""
    tok = cand.tok
    if cand.kind != "verb" or tok.tag_ != "VBG" or not cand.governs or tok.dep_ == "acl":
        return False  # "with X cautioning …": an absolute clause has its own subject
    if any(child.dep_ in SUBJECT_DEPS for child in tok.children):
        return False
    return any(
        other.governs and other.kind == "verb" and other.tok.is_ancestor(tok)
        for other in candidates
    )


def _attribution_tokens(inside: list[Token]) -> list[Token]:
    """Tokens of the quote's sentences, and of the next sentence when a quote left open by a
    comma ("…,” the ambassador told …) ends a sentence the parser cut short."""
    doc = inside[0].doc
    first, last = inside[0].sent, inside[-1].sent
    sents = [first] if first.start == last.start else [first, last]
    tail = sents[-1]
    if inside[-1].text == "," and tail.end < len(doc):
        following = doc[tail.end].sent
        between = doc_text(doc)[inside[-1].idx : following.start_char]
        if "\n" not in between and not tail.text.rstrip().endswith(SENTENCE_END):
            sents.append(following)
    return [t for sent in sents for t in sent]


def _resolve(token: Token, anchor: int, ctx: _Context) -> str | None:
    """The actor `token` names; a personal pronoun is the last person named outside quotes."""
    if token.i not in ctx.amap and token.lower_ in PERSON_PRONOUNS:
        return _person_before(token.doc, min(anchor, token.i), ctx)
    return resolve_token(token, ctx.amap, ctx.types)


def _person_before(doc: Doc, before: int, ctx: _Context) -> str | None:
    """Most recent person named outside quotation marks before token `before`, subjects first,
    within a few sentences; sentences wholly inside quotes are not counted."""
    sent_start = doc[before].sent.start if before < len(doc) else len(doc)
    sentences = 0
    fallback: str | None = None
    for i in range(before - 1, -1, -1):
        if i < sent_start:
            sent = doc[i].sent
            sent_start = sent.start
            if any(t.is_alpha and t.i not in ctx.quoted for t in sent):
                sentences += 1
                if sentences > PRONOUN_WINDOW_SENTENCES:
                    break
        mention = ctx.amap.get(i)
        if i in ctx.quoted or mention is None or mention.rule.startswith("anaphor"):
            continue
        if ctx.types.get(mention.actor) != ActorType.PERSON:
            continue
        tok = doc[i]
        if tok.dep_ in SUBJECT_DEPS or tok.head.dep_ in SUBJECT_DEPS:
            return mention.actor
        fallback = fallback or mention.actor
    return fallback


def _noun_speaker(tok: Token, anchor: int, ctx: _Context) -> str | None:
    """The possessor or the "by"/"from" agent of a reporting noun ("claims by X", "X's words")."""
    for child in tok.children:
        if child.dep_ == "poss":
            return _resolve(child, anchor, ctx)
        if child.dep_ == "prep" and child.lower_ in NOUN_AGENT_PREPS:
            for pobj in child.children:
                if pobj.dep_ != "pobj":
                    continue
                found = _resolve(pobj, anchor, ctx)
                if found is None:
                    for sub in pobj.subtree:
                        if sub.i in ctx.amap:
                            return ctx.amap[sub.i].actor
                return found
    return None


def _continues_previous(text: str, qr: QuoteRange, previous: _Previous) -> bool:
    """The marks themselves continue the previous quote: the next paragraph reopens it, or only
    a closing-opening pair (or a one-line interjection) stands between."""
    gap = text[previous.end : qr.start]
    if qr.continues and len(gap.split()) <= INTERJECTION_WORDS + 1:
        return True
    return gap.count("\n") <= 2 and len(gap.strip(' \n\u201c\u201d"')) <= 2


def _line_start(text: str, at: int) -> int:
    """Start of the line holding text[at], looking back at most LINE_LOOKAROUND_CHARS (so that
    a text without line breaks costs no quadratic scan)."""
    floor = max(0, at - LINE_LOOKAROUND_CHARS)
    found = text.rfind("\n", floor, at)
    return found + 1 if found >= 0 else floor


def _stands_alone(text: str, qr: QuoteRange) -> bool:
    """The quote is a sentence of its own: it opens its paragraph or follows a sentence end,
    and ends a sentence."""
    para_start = _line_start(text, qr.start)
    before = text[para_start : qr.start - 1].rstrip()
    if before and not before.endswith(SENTENCE_END):
        return False
    limit = min(len(text), qr.end + LINE_LOOKAROUND_CHARS)
    line_end = text.find("\n", qr.end, limit)
    after = text[qr.end + 1 : limit if line_end < 0 else line_end].strip()
    if after[:1] in {".", "!", "?"}:
        return True
    body = text[qr.start : qr.end].rstrip()
    return body.endswith(SENTENCE_END) and (not after or after[0].isupper() or after[0] in OPENERS)


def _source_label_speaker(inside: list[Token], qr: QuoteRange, ctx: _Context) -> str | None:
    """A paragraph "Quote: “…”" under a "Source: X …" line (a wire convention): X."""
    doc = inside[0].doc
    text = doc_text(doc)
    para_start = _line_start(text, qr.start)
    if not QUOTE_LABEL.match(text[para_start : max(para_start, qr.start - 1)].strip()):
        return None
    lines = list(SOURCE_LINE.finditer(text, max(0, para_start - SOURCE_LOOKBACK_CHARS), para_start))
    if not lines:
        return None
    start, end = lines[-1].span(1)
    for tok in tokens_between(doc, start, end):
        if tok.i in ctx.amap:
            return ctx.amap[tok.i].actor
    return None


def _colon_speaker(inside: list[Token], ctx: _Context) -> str | None:
    """A quote after a colon that ends a clause whose subject is a person or an organisation
    ("X expressed a similar view: “…”"); not when the clause quotes a statement of another."""
    doc = inside[0].doc
    i = inside[0].i - 1
    while i >= 0 and (doc[i].is_space or doc[i].text in OPENERS):
        i -= 1
    if i < 0 or doc[i].text != ":":
        return None
    verb = _lead_verb(doc[doc[i].sent.start : i])
    if verb is None or verb.lemma_.lower() in QUOTING_VERBS:
        return None
    if any(t.lemma_.lower() in REPORTING_NOUNS for t in verb.subtree if t.i < i):
        return None
    subj = subject_of(verb)
    if subj is None:
        return None
    speaker = _resolve(subj, subj.i, ctx)
    if speaker is None or ctx.types.get(speaker) not in {ActorType.PERSON, ActorType.ORGANIZATION}:
        return None
    return speaker


def _lead_verb(lead: SpacySpan) -> Token | None:
    """The main verb of the words before a colon, however the parser hung them on the quote
    (it often makes the lead clause a complement of the quoted one)."""
    ids = range(lead.start, lead.end)
    tops = [t for t in lead if t.head.i == t.i or t.head.i not in ids]
    verbs = [t for t in tops if t.pos_ in {"VERB", "AUX"}]
    return verbs[0] if len(verbs) == 1 else None


def _self_description(inside: list[Token], ctx: _Context) -> str | None:
    """A quoted predicate adjective of an actor ("X is “ready to talk”"): the actor's own words
    about itself."""
    inside_ids = {t.i for t in inside}
    roots = [t for t in inside if t.head.i not in inside_ids and not t.is_punct]
    if len(roots) != 1:
        return None
    root = roots[0]
    if root.dep_ != "acomp" or root.head.lemma_ != "be":
        return None
    subj = subject_of(root.head)
    if subj is None or subj.i in inside_ids:
        return None
    return _resolve(subj, subj.i, ctx)


def _is_scare_quote(inside: list[Token], text: str, method: str) -> bool:
    """One word; or a short phrase (not a question or exclamation) without a close reporting
    link, or that modifies a noun ("its “root causes”"), or that is the subject of a clause
    outside the quote."""
    words = [t for t in inside if t.is_alpha or t.like_num]
    if len(words) <= 1:
        return True
    if len(words) > SHORT_QUOTE_WORDS or text.rstrip().endswith(("?", "!")):
        return False
    clause_like = any(t.pos_ in {"VERB", "AUX"} for t in inside)
    if method not in CLOSE_METHODS and not (clause_like and method == "reporting-verb"):
        return True
    doc = inside[0].doc
    before = doc[inside[0].i - 2] if inside[0].i >= 2 else None
    if before is not None and before.tag_ in NP_MODIFIER_TAGS:
        return True
    inside_ids = {t.i for t in inside}
    return any(t.dep_ in {"nsubj", "nsubjpass"} and t.head.i not in inside_ids for t in inside)


@Language.factory(
    "kg_quotes",
    assigns=["doc._.kg_quotes", "doc._.kg_quote_ranges"],
    requires=["doc._.kg_mentions", "token.dep"],
    default_config={"ontology_dir": None},
)
def make_quote_extractor(nlp: Language, name: str, ontology_dir: str | None) -> QuoteExtractor:
    """Factory of the kg_quotes component."""
    return QuoteExtractor(nlp, name, ontology_dir=ontology_dir)
