"""extract / extract_many: run the pipeline on articles and turn the Doc into an `Extraction`.

Long texts are cut at paragraph boundaries into chunks of at most `MAX_CHUNK_CHARS` characters;
every span is shifted back to article offsets, and each one is checked against the article text.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from spacy.language import Language
from spacy.tokens import Doc

from kg.errors import ExtractionError
from kg.iris import slugify
from kg.nlp.common import get_list
from kg.nlp.dating import statement_date
from kg.nlp.pipeline import MAX_CHUNK_CHARS
from kg.nlp.positions import AUTHOR
from kg.nlp.sentences import SentenceIndex, holder_context
from kg.records import (
    Actor,
    ActorType,
    Article,
    Event,
    Extraction,
    Mention,
    Merge,
    ParticipantRole,
    Position,
    Quote,
    Role,
    Span,
    StatedDate,
)
from kg.titles import first_line_headline

logger = logging.getLogger(__name__)

EXTRACTOR_VERSION = "0.8.0"

T = TypeVar("T")
# Actors are listed people first and places last, so a consumer that matches names greedily meets
# a country ("Russia", alias "Moscow") before the city of the same name.
TYPE_ORDER = {
    ActorType.PERSON: 0,
    ActorType.COUNTRY: 1,
    ActorType.ORGANIZATION: 2,
    ActorType.GROUP: 3,
    ActorType.PLACE: 4,
}


def chunk_text(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, str]]:
    """Split `text` into (offset, chunk) pieces of at most `limit` chars, at paragraph breaks."""
    if len(text) <= limit:
        return [(0, text)]
    out: list[tuple[int, str]] = []
    start = 0
    while start < len(text):
        end = min(len(text), start + limit)
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut <= start:
                cut = text.rfind(" ", start, end)
            end = cut + 1 if cut > start else end
        out.append((start, text[start:end]))
        start = end
    return out


def _headline_ranges(article: Article) -> list[tuple[int, int]]:
    """Where the article's title stands alone on a line, and a first line that reads as a
    headline (short, no closing punctuation, a blank line after): headlines are not evidence."""
    title = (article.title or "").strip()
    out: list[tuple[int, int]] = []
    first = first_line_headline(article.text)
    if first is not None:
        out.append(first)
    if not title:
        return out
    start = article.text.find(title)
    while start >= 0:
        end = start + len(title)
        before = article.text[start - 1 : start] if start else "\n"
        after = article.text[end : end + 1] or "\n"
        if before == "\n" and after == "\n":
            out.append((start, end))
        start = article.text.find(title, end)
    return out


def _inside(span: Span, ranges: list[tuple[int, int]]) -> bool:
    """The span starts in a headline: a headline run into its first line by the sentence
    splitter is still a headline's evidence."""
    return any(start <= span.start < end for start, end in ranges)


def _unambiguous_aliases(actors: dict[str, Actor]) -> dict[str, Actor]:
    """Drop an alias from an actor when it is the name of another actor of the same article.

    "Moscow" stands for Russia in "Moscow has said" and is a Place in "talks in Moscow"; the
    surface form stays an alias of the city only, so a name lookup never finds both actors.
    """
    names = {_norm(a.name): key for key, a in actors.items()}
    out: dict[str, Actor] = {}
    for key, actor in actors.items():
        aliases = tuple(a for a in actor.aliases if names.get(_norm(a), key) == key)
        out[key] = dataclasses.replace(actor, aliases=aliases or actor.aliases)
    return out


def _norm(name: str) -> str:
    name = name.strip().lower()
    return name[4:] if name.startswith("the ") else name


def _author_actor(article: Article) -> Actor | None:
    if article.author and article.author.strip():
        name = article.author.strip()
        return Actor(key=slugify(name), name=name, type=ActorType.PERSON, aliases=(name,))
    if article.outlet and article.outlet.strip():
        name = article.outlet.strip()
        return Actor(key=slugify(name), name=name, type=ActorType.ORGANIZATION, aliases=(name,))
    return None


def _make_docs(nlp: Language, article: Article) -> list[tuple[int, Doc]]:
    docs: list[tuple[int, Doc]] = []
    headlines = _headline_ranges(article)
    for offset, chunk in chunk_text(article.text):
        doc = nlp.make_doc(chunk)
        # chunk-relative: the event component skips triggers there, so a headline's event
        # never absorbs the body's report of it as a repetition
        doc.user_data["kg_headlines"] = [
            (s - offset, e - offset) for s, e in headlines if offset <= s < offset + len(chunk)
        ]
        doc.user_data["kg_published"] = article.published
        doc.user_data["kg_has_author"] = bool(article.author or article.outlet)
        docs.append((offset, doc))
    return docs


def _shift(span: Span, offset: int) -> Span:
    return Span(span.start + offset, span.end + offset, span.text) if offset else span


def _shift_record(record: T, offset: int) -> T:
    if not offset:
        return record
    changes: dict[str, Any] = {}
    for name in ("span", "evidence"):
        value = getattr(record, name, None)
        if isinstance(value, Span):
            changes[name] = _shift(value, offset)
    date = getattr(record, "date", None)
    if isinstance(date, StatedDate) and date.span is not None:
        changes["date"] = dataclasses.replace(date, span=_shift(date.span, offset))
    return dataclasses.replace(record, **changes)  # type: ignore[type-var]


def _check(article: Article, span: Span, what: str) -> None:
    if article.text[span.start : span.end] != span.text:
        raise ExtractionError(
            f"{what} span [{span.start}:{span.end}] of article {article.doc_id} is not the slice "
            "of the article text; this is an extractor bug, please report it"
        )


def _agent(event: Event) -> str | None:
    """Who an event's sentence should show: its agent, else its first participant."""
    for participant in event.participants:
        if participant.role is ParticipantRole.AGENT:
            return participant.actor
    return event.participants[0].actor if event.participants else None


def _with_context(
    article: Article,
    docs: list[tuple[int, Doc]],
    actors: dict[str, Actor],
    mentions: list[Mention],
    events: list[Event],
    positions: list[Position],
    quotes: list[Quote],
) -> tuple[list[Event], list[Position], list[Quote]]:
    """Each record with its sentence and holder mention (`kg.nlp.sentences`)."""
    index = SentenceIndex.from_docs(article.text, docs)
    ordered = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
    types = {key: actor.type for key, actor in actors.items()}

    def located(record: T, evidence: Span, holder: str | None) -> T:
        sentence, mention = holder_context(index, evidence, holder, ordered, types)
        return dataclasses.replace(record, sentence=sentence, holder_mention=mention)  # type: ignore[type-var]

    return (
        [located(e, e.evidence, _agent(e)) for e in events],
        [located(p, p.evidence, p.holder) for p in positions],
        [located(q, q.evidence, q.speaker) for q in quotes],
    )


def _dated(
    article: Article, docs: list[tuple[int, Doc]], positions: list[Position]
) -> list[Position]:
    """Each position with the date the text gives for its statement (`kg.nlp.dating`)."""
    out = []
    for position in positions:
        offset, doc = next(
            ((o, d) for o, d in reversed(docs) if o <= position.evidence.start), docs[0]
        )
        date = statement_date(doc, offset, position.evidence, article.published)
        out.append(dataclasses.replace(position, date=date) if date is not None else position)
    return out


def _check_context(article: Article, record: Event | Position | Quote, what: str) -> None:
    for span in (record.sentence, record.holder_mention):
        if span is not None:
            _check(article, span, f"{what} context")


def doc_to_records(nlp: Language, article: Article, docs: list[tuple[int, Doc]]) -> Extraction:
    """Turn processed chunk Docs of one article into one `Extraction` (pure, deterministic)."""
    actors: dict[str, Actor] = {}
    mentions: list[Mention] = []
    roles: list[Role] = []
    merges: dict[tuple[str, str], set[str]] = {}
    events: list[Event] = []
    positions: list[Position] = []
    quotes: list[Quote] = []
    for offset, doc in docs:
        for actor in get_list(doc, "kg_actors"):
            prev = actors.get(actor.key)
            aliases = set(actor.aliases) | (set(prev.aliases) if prev else set())
            actors[actor.key] = dataclasses.replace(actor, aliases=tuple(sorted(aliases)))
        mentions += [_shift_record(m, offset) for m in get_list(doc, "kg_mentions")]
        roles += [_shift_record(r, offset) for r in get_list(doc, "kg_roles")]
        for merge in get_list(doc, "kg_merges"):
            merges.setdefault((merge.actor, merge.rule), set()).update(merge.surface_forms)
        events += [_shift_record(e, offset) for e in get_list(doc, "kg_events")]
        positions += [_shift_record(p, offset) for p in get_list(doc, "kg_positions")]
        quotes += [_shift_record(q, offset) for q in get_list(doc, "kg_quotes")]

    author = _author_actor(article)
    if author is not None:
        actors.setdefault(author.key, author)
        positions = [
            dataclasses.replace(p, holder=author.key, author_opinion=True)
            if p.holder == AUTHOR
            else p
            for p in positions
        ]
    else:
        positions = [p for p in positions if p.holder != AUTHOR]
    if article.outlet and article.outlet.strip():
        outlet = article.outlet.strip()
        found = article.text.find(outlet)
        if found >= 0:
            key = slugify(outlet)
            actors.setdefault(key, Actor(key, outlet, ActorType.ORGANIZATION, (outlet,)))
            mentions.append(
                Mention(key, Span(found, found + len(outlet), outlet), "byline", confidence=0.9)
            )

    actors = _unambiguous_aliases(actors)
    headlines = _headline_ranges(article)
    events = [e for e in events if not _inside(e.evidence, headlines)]
    positions = [p for p in positions if not _inside(p.evidence, headlines)]
    events, positions, quotes = _with_context(
        article, docs, actors, mentions, events, positions, quotes
    )
    positions = _dated(article, docs, positions)
    for m in mentions:
        _check(article, m.span, "mention")
    for r in roles:
        _check(article, r.span, "role")
    for e in events:
        _check(article, e.evidence, "event")
    for p in positions:
        _check(article, p.evidence, "position")
    for q in quotes:
        _check(article, q.evidence, "quote")
    for what, record in [("event", e) for e in events] + [("position", p) for p in positions]:
        _check_context(article, record, what)
    for q in quotes:
        _check_context(article, q, "quote")
    for what, record in [("event", e) for e in events] + [("position", p) for p in positions]:
        if record.date is not None and record.date.span is not None:
            _check(article, record.date.span, f"{what} date")

    referenced = {m.actor for m in mentions} | {r.actor for r in roles}
    referenced |= {p.actor for e in events for p in e.participants}
    referenced |= {p.holder for p in positions} | {p.target for p in positions if p.target}
    referenced |= {p.reported_by for p in positions if p.reported_by}
    referenced |= {q.speaker for q in quotes}
    missing = referenced - set(actors)
    if missing:
        raise ExtractionError(
            f"article {article.doc_id}: records refer to unknown actors {sorted(missing)}; "
            "this is an extractor bug, please report it"
        )
    return Extraction(
        article=article,
        actors=tuple(sorted(actors.values(), key=lambda a: (TYPE_ORDER[a.type], a.key))),
        mentions=tuple(sorted(set(mentions), key=lambda m: (m.span.start, m.span.end, repr(m)))),
        roles=tuple(sorted(set(roles), key=lambda r: (r.span.start, r.span.end, repr(r)))),
        merges=tuple(
            Merge(actor=a, rule=rule, surface_forms=tuple(sorted(forms)))
            for (a, rule), forms in sorted(merges.items())
        ),
        events=tuple(sorted(set(events), key=lambda e: (e.evidence.start, repr(e)))),
        positions=tuple(
            sorted(
                set(positions),
                key=lambda p: (p.evidence.start, p.evidence.end, p.holder, repr(p)),
            )
        ),
        quotes=tuple(sorted(set(quotes), key=lambda q: (q.evidence.start, repr(q)))),
        extractor_version=EXTRACTOR_VERSION,
        pipeline=str(nlp.meta.get("name", "")),
        pipeline_version=str(nlp.meta.get("version", "")),
    )


def extract(nlp: Language, article: Article) -> Extraction:
    """Extract actors, events, positions and quotes from one article.

    Raises:
        ExtractionError: the pipeline failed on this article.
    """
    return next(extract_many(nlp, [article], batch_size=1))


def extract_many(
    nlp: Language, articles: Iterable[Article], *, batch_size: int = 8
) -> Iterator[Extraction]:
    """Extract many articles through `nlp.pipe`, yielding one `Extraction` per article in order.

    Raises:
        ExtractionError: the pipeline failed on an article.
    """
    pending: list[tuple[Article, list[tuple[int, Doc]]]] = []
    for article in articles:
        pending.append((article, _make_docs(nlp, article)))
        if len(pending) >= batch_size:
            yield from _run(nlp, pending, batch_size)
            pending = []
    if pending:
        yield from _run(nlp, pending, batch_size)


def _run(
    nlp: Language, pending: list[tuple[Article, list[tuple[int, Doc]]]], batch_size: int
) -> Iterator[Extraction]:
    flat = [doc for _, docs in pending for _, doc in docs]
    try:
        processed = list(nlp.pipe(flat, batch_size=batch_size))
    except (ValueError, KeyError, IndexError, AttributeError, TypeError) as exc:
        ids = ", ".join(a.doc_id for a, _ in pending)
        raise ExtractionError(f"the spaCy pipeline failed on article(s) {ids}: {exc}") from exc
    i = 0
    for article, docs in pending:
        chunk_docs = [(offset, processed[i + j]) for j, (offset, _) in enumerate(docs)]
        i += len(docs)
        yield doc_to_records(nlp, article, chunk_docs)
