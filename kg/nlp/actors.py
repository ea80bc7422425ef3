"""kg_actors: find actor mentions (gazetteer + NER + descriptions) and resolve them to actors.

Rules, in order of precedence (each mention records the rule that resolved it):

* ``gazetteer``: a name or alias of `ontology/actors.ttl` (case-sensitive for names,
  case-insensitive for descriptions such as "the Russian leader").
* ``capital-metonymy`` / ``capital-literal``: a capital after a locative preposition ("talks in
  Moscow") is the city (a Place); otherwise ("Moscow has said") it stands for its country.
* ``white-house-metonymy`` / ``white-house-venue``: likewise for "the White House".
* ``anonymous-source`` / ``anaphor-description``: "a senior Kremlin source" becomes a Person
  named by its description; a later "the source" refers back to it.
* ``group``: a modifier plus a collective head ("European leaders") is a Group; with an
  organisation as modifier ("Kremlin officials") it is that organisation.
* ``ner-person`` / ``ner-org`` / ``ner-place``: statistical NER for actors the gazetteer lacks.
* ``surname``: a bare surname resolves to the one full-name person of the article with that surname;
  two different people sharing a surname block the merge.
* ``demonym``: "Russian" is an alias of Russia only when Russia is also named in the article.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import defaultdict
from dataclasses import dataclass

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from kg.iris import slugify
from kg.nlp.common import doc_text, make_span, register_extensions, token_span
from kg.nlp.lexicon import KnownActor, Lexicon, load_lexicon
from kg.records import Actor, ActorType, Mention, Merge, Role, Span

logger = logging.getLogger(__name__)

MAX_ROLE_WORDS = 4
"""The longest title that refers back to a role ("the US secretary of state")."""

WHITE_HOUSE_ORG = "trump-administration"
WHITE_HOUSE_PLACE = "white-house"
TITLE_MODIFIERS = frozenset(
    {"former", "acting", "then", "special", "senior", "deputy", "foreign", "press", "presidential",
     "policy", "business", "chief", "top", "defence", "defense", "national", "security", "vice",
     "prime", "us", "u.s.", "eu", "un", "nato", "general", "state", "of"}
)  # fmt: skip
NAME_TAGS = frozenset({"NNP", "NNPS"})
BAD_NAME_CHARS = frozenset('|,;:\n\t()[]{}“”"')
RSQUO = "\u2019"
POSSESSIVE_MARKS = frozenset({RSQUO + "s", "'s"})
CALENDAR_WORDS = frozenset(
    {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
     "february", "march", "april", "june", "july", "august", "september", "october",
     "november", "december", "christmas", "easter"}
)  # fmt: skip
QUANTIFIERS = frozenset({"other", "some", "many", "several", "senior", "top", "most", "all"})
GEO_HEADS = frozenset({"basin", "region", "peninsula", "coast", "port", "oblast", "province"})
TITLE_HEADS = frozenset({"secretary", "minister", "ministry", "department", "chancellor"})


def _proper_modifier(tok: Token, demonyms: frozenset[str]) -> bool:
    """A modifier that names who the collective is: a name ("Kremlin officials"), a
    nationality ("Russian state media"), or a capitalised adjective ("Western officials") that
    is not capitalised only because it opens the sentence ("Social media", "Senior officials"),
    or a common noun ("security experts", "Kremlin officials")."""
    if tok.pos_ in {"PROPN", "NOUN"} or tok.ent_type_ in {"NORP", "GPE", "ORG"}:
        return True
    if tok.lower_ in demonyms:
        return True
    return tok.pos_ == "ADJ" and tok.text[:1].isupper() and tok.i != tok.sent.start


@dataclass(frozen=True, slots=True)
class Candidate:
    """A mention before it becomes a record: token range, actor key, rule, confidence."""

    start: int
    end: int
    key: str
    rule: str
    confidence: float
    alias: str | None = None  # a longer surface form to record as alias


class ActorResolver:
    """The kg_actors component: `match()` computes candidates, `set_annotations()` assigns."""

    def __init__(self, nlp: Language, name: str, *, ontology_dir: str | None = None) -> None:
        """Args:
        nlp (Language): the pipeline (its vocab builds the phrase matchers).
        name (str): the component name.
        ontology_dir (str | None): folder of actors.ttl/lexicon.ttl; None = the repo's ontology/.
        """
        register_extensions()
        self.name = name
        self.lexicon: Lexicon = load_lexicon(ontology_dir)
        self.known: dict[str, KnownActor] = self.lexicon.actors
        self.names = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.descriptions = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.demonyms = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.demonym_words = frozenset(
            d.lower() for actor in self.known.values() for d in actor.demonyms
        ) | self.lexicon.word_list("bloc_adjective")
        self.alias_keys: dict[str, str] = {}
        self.capital_of: dict[str, str] = {}
        self.surname_keys: dict[str, set[str]] = defaultdict(set)
        for key, actor in sorted(self.known.items()):
            forms = [actor.name, *actor.aliases]
            for form in forms:
                self.alias_keys.setdefault(form, key)
                self.alias_keys.setdefault(form.lower(), key)
                target = self.descriptions if form[:1].islower() else self.names
                target.add(key, [nlp.make_doc(form)])
                if form.startswith("the ") and target is self.names:
                    self.names.add(key, [nlp.make_doc(form[4:])])
            if actor.demonyms:
                self.demonyms.add(key, [nlp.make_doc(d) for d in actor.demonyms])
            if actor.capital:
                self.capital_of[actor.capital] = key
            if actor.type == ActorType.PERSON:
                parts = actor.name.split()
                if len(parts) > 1:
                    self.surname_keys[parts[-1]].add(key)
        self.titles = self.lexicon.word_list("title")
        self.title_words = frozenset(w for t in self.titles for w in t.split())
        self.locative = self.lexicon.word_list("locative_preposition")
        self.source_heads = self.lexicon.word_list("anonymous_source_head")
        self.group_heads = self.lexicon.word_list("group_head")
        self.reporting = self.lexicon.word_list("reporting")

    # ------------------------------------------------------------------ compute
    def __call__(self, doc: Doc) -> Doc:
        actors, mentions, roles, merges = self.match(doc)
        self.set_annotations(doc, actors, mentions, roles, merges)
        return doc

    def match(self, doc: Doc) -> tuple[list[Actor], list[Mention], list[Role], list[Merge]]:
        cands: list[Candidate] = []
        new_actors: dict[str, tuple[str, ActorType]] = {}
        cands += self._gazetteer(doc)
        cands += self._descriptions(doc, new_actors)
        cands += self._ner(doc, new_actors, cands)
        cands = self._resolve_overlaps(doc, cands)
        cands = self._surnames(doc, cands, new_actors)
        named = {c.key for c in cands}
        cands += self._demonyms(doc, cands, named)
        cands = sorted(set(cands), key=lambda c: (c.start, c.end, c.key))
        actors, mentions, roles, merges = self._records(doc, cands, new_actors)
        by_role = self._role_mentions(doc, mentions, roles)
        if by_role:
            mentions = sorted([*mentions, *by_role], key=lambda m: (m.span.start, m.actor))
            extra = {m.actor: m.span.text for m in by_role}
            actors = [
                dataclasses.replace(a, aliases=tuple(sorted({*a.aliases, extra[a.key]})))
                if a.key in extra
                else a
                for a in actors
            ]
        return actors, mentions, roles, merges

    def _role_mentions(self, doc: Doc, mentions: list[Mention], roles: list[Role]) -> list[Mention]:
        """ "Prime Minister Keir Starmer ... The Prime Minister will tell leaders": a definite
        title that ends a role the article stated for exactly one actor refers to that actor
        after the role was stated (a title shared by two actors refers to neither)."""
        titled: dict[tuple[str, ...], set[str]] = defaultdict(set)
        stated: dict[str, int] = {}
        for role in roles:
            words = tuple(role.label.lower().split())
            for k in range(len(words)):
                suffix = words[k:]
                if suffix[-1] in self.title_words:
                    titled[suffix].add(role.actor)
            stated[role.actor] = min(stated.get(role.actor, role.span.start), role.span.start)
        if not titled:
            return []
        taken = {i for m in mentions for i in _token_ids(doc, m.span)}
        out: list[Mention] = []
        for tok in doc:
            if tok.lower_ != "the":
                continue
            for length in range(MAX_ROLE_WORDS, 0, -1):
                end = tok.i + 1 + length
                if end > len(doc):
                    continue
                words = tuple(t.lower_ for t in doc[tok.i + 1 : end])
                owners = titled.get(words, set())
                if len(owners) != 1:
                    continue
                actor = next(iter(owners))
                if doc[end - 1].idx < stated[actor] or any(i in taken for i in range(tok.i, end)):
                    break
                if end < len(doc) and doc[end].pos_ == "PROPN":
                    break  # "the Prime Minister Keir Starmer": a title of a name
                span = token_span(doc, tok.i + 1, end - 1)
                out.append(Mention(actor=actor, span=span, rule="role", confidence=0.7))
                break
        return out

    def _gazetteer(self, doc: Doc) -> list[Candidate]:
        spans: list[SpacySpan] = []
        for matcher in (self.names, self.descriptions):
            for match_id, start, end in matcher(doc):
                spans.append(SpacySpan(doc, start, end, label=match_id))
        out: list[Candidate] = []
        for span in filter_spans(spans):
            key = doc.vocab.strings[span.label]
            if not _clean_boundaries(span):
                continue
            rule, conf = "gazetteer", 0.95
            if key in self.capital_of:
                if self._literal(span):
                    rule = "capital-literal"
                else:
                    key, rule = self.capital_of[key], "capital-metonymy"
                conf = 0.8
            elif key == WHITE_HOUSE_PLACE:
                if self._literal(span):
                    rule = "white-house-venue"
                else:
                    key, rule = WHITE_HOUSE_ORG, "white-house-metonymy"
                conf = 0.8
            elif span.text[:1].islower() or span[0].lower_ == "the":
                rule = "gazetteer-description"
            alias = self._geo_extension(doc, span)
            out.append(Candidate(span.start, span.end, key, rule, conf, alias))
        return out

    def _literal(self, span: SpacySpan) -> bool:
        """A place name governed by a locative preposition ("in Moscow") is meant literally."""
        head = span.root
        prev = span.doc[span.start - 1] if span.start > 0 else None
        if head.dep_ == "pobj" and head.head.lower_ in self.locative:
            return True
        return prev is not None and prev.lower_ in self.locative

    def _geo_extension(self, doc: Doc, span: SpacySpan) -> str | None:
        """'the Black Sea basin': record the longer surface form as an alias."""
        if span.end < len(doc) and doc[span.end].lower_ in GEO_HEADS:
            start = span.start
            if start > 0 and doc[start - 1].lower_ == "the":
                start -= 1
            return doc[start : span.end + 1].text
        return None

    def _descriptions(self, doc: Doc, new: dict[str, tuple[str, ActorType]]) -> list[Candidate]:
        """Unnamed sources and collectives, from dependency patterns over lexicon heads."""
        out: list[Candidate] = []
        last_source: dict[str, str] = {}
        last_group: dict[str, str] = {}
        for tok in doc:
            lemma = tok.lemma_.lower()
            if tok.pos_ not in {"NOUN", "PROPN"}:
                continue
            mods = [
                c for c in tok.lefts if c.dep_ in {"amod", "compound", "nmod", "poss", "npadvmod"}
            ]
            det = [c for c in tok.lefts if c.dep_ == "det"]
            if tok.tag_ == "NN" and lemma in self.source_heads and tok.dep_ != "appos":
                if any(c.dep_ == "appos" for c in tok.children) or _has_name_appos(tok):
                    continue
                if mods and det and det[0].lower_ in {"a", "an"}:
                    first = min([tok.i, *(m.left_edge.i for m in mods)])
                    if any(doc[i].ent_type_ == "PERSON" for i in range(first, tok.i)):
                        continue
                    name = doc[first : tok.i + 1].text
                    if not _speaks(tok, self.reporting):
                        continue
                    key = slugify(name)
                    new.setdefault(key, (name, ActorType.PERSON))
                    last_source[lemma] = key
                    out.append(Candidate(det[0].i, tok.i + 1, key, "anonymous-source", 0.7))
                elif not mods and det and det[0].lower_ == "the" and lemma in last_source:
                    out.append(
                        Candidate(
                            det[0].i, tok.i + 1, last_source[lemma], "anaphor-description", 0.6
                        )
                    )
            elif lemma in self.group_heads or tok.lower_ in self.group_heads:
                if not mods or tok.tag_ not in {"NNS", "NN", "NNPS"}:
                    continue
                first = tok.i
                while first > 0:
                    prev = doc[first - 1]
                    if prev.pos_ in {"ADJ", "PROPN", "NOUN", "PART"} and prev.i >= min(
                        m.left_edge.i for m in mods
                    ):
                        first -= 1
                        continue
                    break
                if first == tok.i:
                    owner = doc[tok.i - 1] if tok.i > 0 else None
                    if (
                        owner is not None
                        and owner.lower_ in {"its", "their"}
                        and lemma in last_group
                    ):
                        # "Ukraine's European allies ... its allies": the group named before
                        out.append(
                            Candidate(owner.i, tok.i + 1, last_group[lemma], "anaphor-group", 0.5)
                        )
                    continue
                words = doc[first : tok.i + 1]
                modifier = doc[first : tok.i]
                org = self._org_modifier(modifier)
                if org is not None:
                    out.append(Candidate(first, tok.i + 1, org, "group-organisation", 0.6))
                    continue
                if not any(_proper_modifier(t, self.demonym_words) for t in modifier):
                    continue  # "Social media users", "Senior officials": no one named
                if any(
                    t.lower_ in {"his", "her", "its", "their", "our", "my", "your"}
                    for t in modifier
                ):
                    continue
                name = words.text
                key = slugify(name.replace(RSQUO, "'").replace(" main ", " "))
                canonical = name.replace(" main ", " ")
                new.setdefault(key, (canonical, ActorType.GROUP))
                start = first - 1 if first > 0 and doc[first - 1].lower_ == "the" else first
                out.append(Candidate(start, tok.i + 1, key, "group", 0.6))
                last_group[lemma] = key
        return out

    def _org_modifier(self, modifier: SpacySpan) -> str | None:
        words = [t.text for t in modifier if t.lower_ not in QUANTIFIERS]
        text = " ".join(words)
        key = self.alias_keys.get(text)
        if key and self.known[key].type == ActorType.ORGANIZATION:
            return key
        return None

    def _ner(
        self, doc: Doc, new: dict[str, tuple[str, ActorType]], taken: list[Candidate]
    ) -> list[Candidate]:
        covered = {i for c in taken for i in range(c.start, c.end)}
        out: list[Candidate] = []
        for ent in doc.ents:
            if ent.label_ not in {"PERSON", "ORG", "GPE", "LOC", "FAC"}:
                continue
            span = _trim_name(ent)
            if span is None or any(i in covered for i in range(span.start, span.end)):
                continue
            text = span.text
            if any(ch in BAD_NAME_CHARS for ch in text) or not text[:1].isupper():
                continue
            if any(t.lower_ in CALENDAR_WORDS for t in span):
                continue  # "Palm Sunday", "May Day": dates, not actors
            if (
                len(span) == 1
                and span.start >= 2
                and doc[span.start - 1].lower_ == "of"
                and doc[span.start - 2].lower_ in TITLE_HEADS
            ):
                continue  # "Secretary of State", "Minister of Defence": part of a title
            geographic = span.end < len(doc) and doc[span.end].lower_ in GEO_HEADS
            if (
                not geographic
                and len(span) == 1
                and span.root.dep_ in {"compound", "amod", "nmod"}
                and span.root.head.pos_ == "NOUN"
                and (ent.label_ != "PERSON" or span.root.head.tag_ == "NNS")
            ):
                # a one-word name used as a modifier ("these Potemkin negotiations", "the Akkuyu
                # plant"), also one the NER takes for a person ("more Patriot systems")
                continue
            line = _line_of(doc, span)
            if "|" in line:
                continue
            known = self.alias_keys.get(text)
            if known:
                out.append(Candidate(span.start, span.end, known, "gazetteer", 0.9))
                continue
            if geographic:
                atype, rule = ActorType.PLACE, "ner-place"  # "Russia's Rostov region"
            elif ent.label_ == "PERSON":
                if text.isupper() or any(t.tag_ not in NAME_TAGS for t in span):
                    continue
                atype, rule = ActorType.PERSON, "ner-person"
            elif ent.label_ == "ORG":
                if len(span) == 1 and (text.isupper() and len(text) <= 3):
                    continue
                if all(t.tag_ not in NAME_TAGS for t in span):
                    continue
                atype, rule = ActorType.ORGANIZATION, "ner-org"
            else:
                if all(t.tag_ not in NAME_TAGS for t in span):
                    continue
                atype, rule = ActorType.PLACE, "ner-place"
            key = slugify(text)
            new.setdefault(key, (text, atype))
            out.append(Candidate(span.start, span.end, key, rule, 0.6))
        return out

    def _resolve_overlaps(self, doc: Doc, cands: list[Candidate]) -> list[Candidate]:
        spans = [SpacySpan(doc, c.start, c.end) for c in cands]
        keep = {(s.start, s.end) for s in filter_spans(spans)}
        out, seen = [], set()
        for c in cands:
            if (c.start, c.end) in keep and (c.start, c.end) not in seen:
                seen.add((c.start, c.end))
                out.append(c)
        return out

    def _surnames(
        self, doc: Doc, cands: list[Candidate], new: dict[str, tuple[str, ActorType]]
    ) -> list[Candidate]:
        """Merge a one-word person name into the one full name of the article that ends with it."""
        full: dict[str, set[str]] = defaultdict(set)
        for c in cands:
            name = new[c.key][0] if c.key in new else self.known[c.key].name
            atype = new[c.key][1] if c.key in new else self.known[c.key].type
            parts = name.split()
            if atype == ActorType.PERSON and len(parts) > 1 and c.end - c.start > 1:
                full[parts[-1]].add(c.key)
        out: list[Candidate] = []
        for c in cands:
            if c.rule == "ner-person" and c.end - c.start == 1:
                surname = doc[c.start].text
                owners = full.get(surname, set())
                if len(owners) == 1:
                    out.append(Candidate(c.start, c.end, next(iter(owners)), "surname", 0.8))
                    continue
                if len(owners) > 1:
                    logger.debug("ambiguous surname %s: no merge", surname)
                    continue
            elif c.rule == "gazetteer" and c.end - c.start == 1:
                surname = doc[c.start].text
                owners = full.get(surname, set())
                if owners and c.key not in owners:
                    # another person with this surname is named here: do not guess
                    continue
            out.append(c)
        return out

    def _demonyms(self, doc: Doc, cands: list[Candidate], named: set[str]) -> list[Candidate]:
        covered = {i for c in cands for i in range(c.start, c.end)}
        out: list[Candidate] = []
        for match_id, start, end in self.demonyms(doc):
            key = doc.vocab.strings[match_id]
            if key not in named or any(i in covered for i in range(start, end)):
                continue
            if start > 0 and doc[start - 1].lower_ == "the" and doc[end - 1].tag_ == "NNPS":
                start -= 1
            out.append(Candidate(start, end, key, "demonym", 0.6))
        return out

    # ------------------------------------------------------------------ records
    def _records(
        self, doc: Doc, cands: list[Candidate], new: dict[str, tuple[str, ActorType]]
    ) -> tuple[list[Actor], list[Mention], list[Role], list[Merge]]:
        aliases: dict[str, set[str]] = defaultdict(set)
        rules: dict[tuple[str, str], set[str]] = defaultdict(set)
        mentions: list[Mention] = []
        roles: list[Role] = []
        for c in cands:
            span = token_span(doc, c.start, c.end - 1)
            if not span.text:
                continue
            mentions.append(Mention(actor=c.key, span=span, rule=c.rule, confidence=c.confidence))
            aliases[c.key].add(span.text)
            rules[(c.key, c.rule)].add(span.text)
            if c.alias:
                aliases[c.key].add(c.alias)
            atype = new[c.key][1] if c.key in new else self.known[c.key].type
            if atype == ActorType.PERSON and c.rule in {"gazetteer", "ner-person", "surname"}:
                for role_span, surface in self._roles(doc, c):
                    if role_span.end <= role_span.start:
                        continue  # an empty role phrase (e.g. a bare title token) states no role
                    roles.append(Role(actor=c.key, label=role_span.text, span=role_span))
                    aliases[c.key].add(surface)
        actors: list[Actor] = []
        for key in sorted(aliases):
            if key in self.known:
                k = self.known[key]
                actors.append(Actor(key, k.name, k.type, tuple(sorted(aliases[key])), k.wikidata))
            else:
                name, atype = new[key]
                actors.append(Actor(key, name, atype, tuple(sorted(aliases[key]))))
        merges = [
            Merge(actor=key, rule=rule, surface_forms=tuple(sorted(forms)))
            for (key, rule), forms in sorted(rules.items())
            if len({f.lower() for f in aliases[key]}) > 1
        ]
        return actors, mentions, roles, merges

    def _roles(self, doc: Doc, c: Candidate) -> list[tuple[Span, str]]:
        """Titles before a name ("Kremlin press secretary Dmitry Peskov") and appositions."""
        out: list[tuple[Span, str]] = []
        i = c.start - 1
        while i >= 0 and doc[i].sent.start == doc[c.start].sent.start:
            tok = doc[i]
            low = tok.lower_
            if (
                low in self.title_words
                or low in TITLE_MODIFIERS
                or (tok.tag_ in NAME_TAGS and tok.dep_ in {"compound", "amod", "poss"})
            ):
                i -= 1
                continue
            if low in POSSESSIVE_MARKS and i > 0:
                i -= 1
                continue
            if tok.tag_ == "JJ" and tok.text[:1].isupper():
                i -= 1
                continue
            break
        first = i + 1
        if first < c.start and any(
            doc[j].lower_ in self.title_words for j in range(first, c.start)
        ):
            while first < c.start and doc[first].lower_ in {*POSSESSIVE_MARKS, "of"}:
                first += 1
            role = token_span(doc, first, c.start - 1)
            out.append((role, token_span(doc, first, c.end - 1).text))
        # apposition: "the US secretary of state, Marco Rubio" / "Keith Kellogg, Trump's envoy"
        root = doc[c.end - 1]
        heads: list[Token] = []
        if root.dep_ == "appos" and root.head.lemma_.lower() in self.title_words:
            heads.append(root.head)
        heads += [
            ch
            for ch in root.children
            if ch.dep_ == "appos" and ch.lemma_.lower() in self.title_words
        ]
        for head in heads:
            left = head.left_edge.i
            right = head.i
            for ch in head.rights:
                if ch.dep_ == "prep" and ch.right_edge.i < len(doc):
                    right = max(right, ch.right_edge.i)
                    break
            if right - left > 12:
                continue
            role = token_span(doc, left, right)
            if head.i < c.start:
                surface = make_span(
                    doc, doc[left].idx, doc[c.end - 1].idx + len(doc[c.end - 1])
                ).text
            else:
                surface = make_span(doc, doc[c.start].idx, doc[right].idx + len(doc[right])).text
            out.append((role, surface))
        return out

    def set_annotations(
        self,
        doc: Doc,
        actors: list[Actor],
        mentions: list[Mention],
        roles: list[Role],
        merges: list[Merge],
    ) -> None:
        doc._.kg_actors = actors
        doc._.kg_mentions = mentions
        doc._.kg_roles = roles
        doc._.kg_merges = merges


def _token_ids(doc: Doc, span: Span) -> range:
    """The tokens a character span covers."""
    found = doc.char_span(span.start, span.end, alignment_mode="expand")
    return range(found.start, found.end) if found is not None else range(0)


def _clean_boundaries(span: SpacySpan) -> bool:
    """Reject matches glued to a larger word ("US" inside "US-Ukraine" is fine, "Kursk-" too)."""
    return bool(span.text.strip())


def _has_name_appos(tok: Token) -> bool:
    return tok.dep_ == "appos" or any(
        ch.dep_ == "appos" and ch.ent_type_ == "PERSON" for ch in tok.children
    )


def _speaks(tok: Token, reporting: frozenset[str]) -> bool:
    """An unnamed source counts as an actor when it speaks (subject of a reporting verb)."""
    if tok.dep_ in {"nsubj", "nsubjpass"} and tok.head.lemma_.lower() in reporting:
        return True
    if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.lower_ == "according":
        return True
    return tok.dep_ in {"nsubj"} and any(
        t.lemma_.lower() in reporting for t in tok.head.subtree if t.pos_ == "VERB"
    )


def _trim_name(ent: SpacySpan) -> SpacySpan | None:
    """Strip determiners, possessives and non-name words at the edges of an NER span."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].tag_ not in NAME_TAGS or doc[start].lower_ == "the"):
        start += 1
    while end > start and (doc[end - 1].tag_ not in NAME_TAGS or doc[end - 1].is_space):
        end -= 1
    if start >= end:
        return None
    return doc[start:end]


def _line_of(doc: Doc, span: SpacySpan) -> str:
    text = doc_text(doc)
    begin = text.rfind("\n", 0, span.start_char) + 1
    finish = text.find("\n", span.end_char)
    return text[begin : finish if finish >= 0 else len(text)]


@Language.factory(
    "kg_actors",
    assigns=["doc._.kg_actors", "doc._.kg_mentions", "doc._.kg_roles", "doc._.kg_merges"],
    requires=["doc.ents", "token.dep", "token.lemma"],
    default_config={"ontology_dir": None},
)
def make_actor_resolver(nlp: Language, name: str, ontology_dir: str | None) -> ActorResolver:
    """Factory of the kg_actors component."""
    return ActorResolver(nlp, name, ontology_dir=ontology_dir)
