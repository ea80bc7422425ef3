"""kg_positions: who takes which stance on which topic, with the clause as evidence.

* A stance cue (verb, adjective or noun of `ontology/lexicon.ttl`) gives the stance; negation of the
  cue itself turns support into opposition, while negation inside its object clause only changes
  the direction ("demands that Ukraine never join NATO" -> against NATO membership).
* The holder is the subject of the cue (inherited over conj/xcomp/advcl), the possessor of a cue
  noun, a "by" agent, or "for X" after an evaluative adjective ("unacceptable for Kyiv").
  Conjoined subjects give one position each.
* Inside an attributed quote the speaker holds the position, unless the cue has its own
  third-person subject: then that subject holds it and the speaker is `reported_by`. Outside quotes
  a governing reporting verb with another subject ("ISW noted that Putin claimed") is `reported_by`.
* The author (or outlet) of an opinion piece holds its recommendations ("should", "vital").
* The topic is the longest topic term (`ontology/topics.ttl`) in the evidence clause.
"""

from __future__ import annotations

import dataclasses
import logging

from spacy.language import Language
from spacy.tokens import Doc, Token
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans

from kg.nlp.common import (
    actor_types,
    build_cue_matcher,
    doc_text,
    expand_conj,
    paragraph_bounds,
    register_extensions,
    resolve_token,
    subject_of,
    token_ids_starting_in,
    token_span,
)
from kg.nlp.lexicon import Lexicon, load_lexicon
from kg.nlp.positions.actions import act_positions, acts_from_lexicon
from kg.nlp.positions.attribution import (
    according_to,
    block_attributions,
    lead_in_attributions,
    listed_attributions,
    positions_from,
    quote_attributions,
    verb_attributions,
)
from kg.nlp.positions.candidate import Candidate, CueWords, Item, content_word
from kg.nlp.positions.context import AUTHOR, CueContext, DocContext
from kg.nlp.positions.dedupe import FALLBACK_TOPIC, dedupe
from kg.nlp.positions.rewrites import (
    OBLIGATION_REWRITES,
    STANCE_REWRITES,
    cognitive,
    renounced,
    rewrite_conditional_penalty_is_threat,
    rewritten,
)
from kg.nlp.positions.stance import BASE_DIRECTION, StanceWords
from kg.nlp.positions.syntax import (
    SUBJECT_LIKE,
    THIRD_PERSON,
    colon_items,
    conditional_resolve,
    imperative,
    ranges,
)
from kg.nlp.positions.topics import anaphor_in, antecedent_topic
from kg.nlp.positions.vetoes import CUE_VETOES, HOLDER_VETOES, item_vetoed, vetoed
from kg.records import ActorType, Direction, Mention, Position, Span, Stance

logger = logging.getLogger(__name__)

Carried = dict[int, tuple[tuple[str, ...], str | None]]
"""Sentence start -> (holders, reported_by) of a participle list's first item."""

MAX_CLAUSE_TOKENS = 50
MIN_QUOTE_WORDS = 5
FIRST_PERSON = frozenset({"i", "we", "me", "us", "our", "my"})
IMPERSONAL = frozenset({"it", "its"})
EVALUATIVE_FOR = frozenset({"unacceptable", "difficult", "acceptable", "important"})


class PositionExtractor:
    """The kg_positions component."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        *,
        ontology_dir: str | None = None,
        topicless_stances: tuple[str, ...] = ("accuses", "rejects", "threatens"),
        sentence_tokens: int = 35,
        author_hedges: bool = True,
    ) -> None:
        """Args:
        nlp (Language): the pipeline.
        name (str): the component name.
        ontology_dir (str | None): folder of lexicon.ttl/topics.ttl; None = the repo's ontology/.
        topicless_stances (tuple[str, ...]): stances kept even when no topic term is found.
        sentence_tokens (int): sentences up to this many tokens are the evidence whole; default 35.
        author_hedges (bool): a hedged cue with no holder is the author's view; default True.
        """
        register_extensions()
        self.name = name
        self.sentence_tokens = sentence_tokens
        lexicon: Lexicon = load_lexicon(ontology_dir)
        self.stances = dict(lexicon.stances)
        self.words = CueWords.from_lexicon(
            lexicon,
            topicless=frozenset(Stance(s) for s in topicless_stances),
            vocab=nlp.vocab,
            tokenize=nlp.tokenizer,
        )
        self.matcher = build_cue_matcher(nlp.vocab, self.stances)
        self.hedges = lexicon.word_list("hedge")
        self.negations = lexicon.word_list("negation")
        self.reporting = lexicon.word_list("reporting")
        self.attribution_cues = self.reporting | lexicon.word_list("attribution")
        self.stance_words = StanceWords.from_lexicon(lexicon)
        self.acts = acts_from_lexicon(lexicon)
        self.lead_in_nouns = {
            **dict.fromkeys(lexicon.word_list("lead_in_proposal"), Stance.PROPOSES),
            **dict.fromkeys(lexicon.word_list("lead_in_demand"), Stance.DEMANDS),
        }
        self.strong_claims = lexicon.word_list("strong_claim")
        self.author_hedges = author_hedges
        self.wrongdoing = lexicon.word_list("wrongdoing")
        self.construal = lexicon.word_list("construal")
        self.relief = lexicon.word_list("relief")
        self.cession = lexicon.word_list("cession")
        self.locatives = lexicon.word_list("locative_preposition")
        self.cue_stances = {cue: stance for cue, stance in self.stances.items() if " " not in cue}
        recommendation = lexicon.word_list("recommendation")
        self.recommend = build_cue_matcher(nlp.vocab, dict.fromkeys(recommendation, True))

    def __call__(self, doc: Doc) -> Doc:
        self.set_annotations(doc, self.match(doc))
        return doc

    # ------------------------------------------------------------------ compute
    def match(self, doc: Doc) -> list[Position]:
        ctx = DocContext.of(doc, self.words.topics)
        spans = [SpacySpan(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        positions: list[Position] = []
        cues = CueContext.of(ctx, spans, self.stances)
        carried: Carried = {}  # the holders of a participle list's first item, by sentence
        for span in filter_spans(spans):
            cue = doc.vocab.strings[span.label]
            positions += self._from_cue(cues, span, self.stances[cue], carried)
        positions += self._from_quotes(cues, positions)
        positions += act_positions(ctx, self.acts)
        found = verb_attributions(ctx, self.attribution_cues) + according_to(ctx)
        found += quote_attributions(ctx) + block_attributions(ctx, self.attribution_cues)
        listed = lead_in_attributions(ctx, self.lead_in_nouns)
        listed += listed_attributions(ctx, self.lead_in_nouns)
        found += [att for att, _ in listed]
        fixed = {att: (stance, "lead-in") for att, stance in listed}
        positions += positions_from(
            ctx, found, positions, self.stance_words, self.sentence_tokens, fixed
        )
        if doc.user_data.get("kg_has_author"):
            positions += self._author(ctx, positions)
        return dedupe(positions)

    def _from_cue(
        self, ctx: CueContext, span: SpacySpan, stance: Stance, carried: Carried
    ) -> list[Position]:
        """The positions of one cue match; `carried` passes a participle list's holders on."""
        doc, amap, types = ctx.doc, ctx.amap, ctx.types
        cue = content_word(span)
        cand = Candidate(ctx, self.words, span, cue, doc.vocab.strings[span.label], stance)
        if vetoed(cand, CUE_VETOES):
            return []
        if cand.key in self.words.obligations or cand.key in self.wrongdoing:
            holders, reported_by, target = self._obliger(ctx, cue)
        else:
            holders, reported_by, target = self._holders(ctx, cue)
        cand = dataclasses.replace(
            cand, holders=tuple(holders), reported_by=reported_by, target=target
        )
        cand = rewritten(cand, OBLIGATION_REWRITES)
        if cue.tag_ == "VBG":
            # items of a participle list share the holder of the first item
            if cand.holders:
                carried[cue.sent.start] = (cand.holders, cand.reported_by)
            elif cue.sent.start in carried:
                first_holders, first_reporter = carried[cue.sent.start]
                cand = dataclasses.replace(cand, holders=first_holders, reported_by=first_reporter)
        if vetoed(cand, HOLDER_VETOES):
            return []
        cand = rewritten(cand, STANCE_REWRITES)
        stance, reported_by = cand.stance, cand.reported_by
        evidence = self._clause(doc, cue)
        scope = self._scope(ctx, cue, evidence) - {t.i for t in span}
        hedged = self._hedged(cue)
        explicit = stance == Stance.CLAIMS and cue.lemma_.lower() in self.strong_claims
        explicit = explicit and (
            (cue.pos_ == "VERB" and any(c.dep_ == "ccomp" for c in cue.children))
            or (cue.pos_ == "NOUN" and _that_clause(cue))  # "claims by X that ..."
        )
        out: list[Position] = []
        items = colon_items(cue) or _list_items(cue, scope) or _clause_items(cue, scope)
        for k, (first, last) in enumerate(items or [(evidence_first(doc, evidence), -1)]):
            part = scope if last < 0 else {i for i in scope if first <= i <= last}
            main = part - _purpose_clauses(cue, part)
            content = _content_clause(cue, main)
            topic = ctx.base.topic(content) if content else FALLBACK_TOPIC
            polar = part  # where a negation turns the direction
            if topic == FALLBACK_TOPIC:
                topic = ctx.base.topic(main) if main else FALLBACK_TOPIC
                polar = part - content  # "a guarantee that Russia will not attack": for it
            if topic == FALLBACK_TOPIC and main != part:
                topic = ctx.base.topic(part)
            if topic == FALLBACK_TOPIC and (
                self._cedes_place(doc, part, amap, types)
                or (stance == Stance.DEMANDS and self._wants_place(doc, part, amap, types))
            ):
                topic = "territorial_concessions"  # "to give up the Donbas", "wants Donetsk"
            if stance == Stance.THREATENS and topic not in self.words.penalties:
                # a threat is about its penalty: "sanctions ... to persuade Moscow to negotiate"
                topic = (
                    ctx.base.topic_among(part, self.words.penalties)
                    # "a legitimate target"
                    or ctx.base.topic_among(range(span.start, span.end), self.words.penalties)
                    or topic
                )
            if topic == "sanctions" and self._relief(doc, part):
                topic = "sanctions_relief"  # "the lifting of Western sanctions"
            topic_rules: tuple[str, ...] = ()
            anaphor = (
                anaphor_in(doc, cue.i, part, self.words.issue_nouns)
                if topic == FALLBACK_TOPIC
                else None
            )
            if anaphor is not None:
                # "we definitely support it": the issue named just before
                found = antecedent_topic(doc, ctx.base.topic_spans, anaphor)
                if found is not None:
                    topic, topic_rules = found, ("topic-antecedent",)
            item = Item(frozenset(part), topic, listed=bool(items), explicit=explicit)
            if item_vetoed(cand, item):
                continue
            ev = evidence
            if last >= 0:
                left = evidence_first(doc, evidence) if k == 0 else first
                ev = token_span(doc, left, last)
            rules = (*cand.rules, *topic_rules)
            kind = rewrite_conditional_penalty_is_threat(cand, item)
            if kind is None:
                kind = stance
            else:
                rules = (*rules, "conditional-penalty-is-threat")
            direction = self._direction(cue, kind, polar)
            if direction == Direction.FOR and renounced(cand, item):
                direction = Direction.AGAINST
                rules = (*rules, "renounced-is-against")
            out += [
                Position(
                    holder=holder,
                    stance=kind,
                    topic=topic,
                    direction=direction,
                    evidence=ev,
                    method=cand.method(rules),
                    confidence=0.55 if hedged else 0.65,
                    reported_by=reported_by if reported_by != holder else None,
                    target=cand.target if cand.target != holder else None,
                    hedged=hedged,
                )
                for holder in cand.holders
            ]
        return out

    def _scope(self, ctx: CueContext, cue: Token, evidence: Span) -> set[int]:
        """Token ids where the cue's topic may be named: the cue's own complement.

        Left out: the subject of a verb cue, conjoined clauses after the cue, another actor's
        stance noun with its complement ("manipulate the desire of the president to achieve
        peace"), an embedded cue of opposite force ("wants to undermine sanctions"), and a
        contrasted negated phrase ("seeks victory, not peace")."""
        doc = cue.doc
        if cue.pos_ == "AUX":
            base = cue.head
        elif cue.pos_ == "ADJ" and (
            cue.lower_ in EVALUATIVE_FOR
            or not any(c.dep_ in {"xcomp", "prep", "ccomp"} for c in cue.children)
        ):
            base = cue.head if cue.dep_ in {"acomp", "oprd"} else cue  # "X is unacceptable"
        else:
            base = cue
        keep_subject = base.i != cue.i and cue.pos_ == "ADJ"
        out: set[int] = set()
        stack = [base]
        while stack:
            tok = stack.pop()
            if tok.i not in {cue.i, base.i}:
                if _contrasted(tok, self.negations):
                    # "not a ceasefire but a capitulation": only the positive conjunct stays
                    stack += [c for c in tok.children if c.dep_ in LIST_DEPS]
                    continue
                if self._closed(ctx, tok, cue):
                    continue
            out.add(tok.i)
            for child in tok.children:
                if tok.i == base.i and not keep_subject and child.dep_ in SUBJECT_LIKE:
                    continue
                if tok.i == base.i and child.i < cue.i and child.dep_ in {"ccomp", "parataxis"}:
                    continue  # a clause before the verb is no complement: "X said ..., it wants Y"
                if (
                    tok.i == base.i
                    and child.i < cue.i
                    and child.dep_ == "prep"
                    and child.lower_ in {"with", "as"}
                ):
                    continue  # "With the White House pushing for a deal, Europe must ...": a frame
                if (
                    child.dep_ in {"conj", "advcl"}
                    and child.pos_ in {"VERB", "AUX"}
                    and child.i > cue.i
                    and (tok.i == base.i or child.tag_ == "VBG")
                    and not any(m.dep_ == "mark" and m.lower_ == "for" for m in child.children)
                    and not (
                        child.lemma_.lower() in self.reporting and child.i not in ctx.cue_stance
                    )
                ):
                    continue  # a clause of its own; "calling for X to cede", "adding that" are not
                stack.append(child)
        if base.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ == "as" for c in base.children
        ):
            # "sanctions, as proposed by Trump": what is proposed precedes the as-clause
            out |= {t.i for t in base.head.subtree if t.i < base.left_edge.i}
        clause = base
        while clause.dep_ in {"ccomp", "xcomp", "conj"} and clause.head is not clause:
            clause = clause.head
        if clause.dep_ == "relcl" and clause.head.pos_ in {"NOUN", "PROPN"}:
            # "sanctions, which Trump said he was considering": the antecedent is the object
            inner = {t.i for t in clause.subtree}
            out |= {t.i for t in clause.head.subtree if t.i not in inner}
        start, end = evidence.start, evidence.end
        out = {i for i in out if start <= doc[i].idx < end}
        if cue.pos_ == "NOUN" and cue.dep_ in SUBJECT_LIKE:
            # "Putin's demands have not shifted: the demilitarisation of Ukraine, ...": what
            # follows the colon spells out the noun
            colon = next((c for c in cue.head.children if c.text == ":" and c.i > cue.i), None)
            if colon is not None:
                out |= set(range(colon.i + 1, cue.sent.end))  # beyond the evidence
        return out

    def _closed(self, ctx: CueContext, tok: Token, cue: Token) -> bool:
        """The phrase of `tok` is not part of the cue's topic."""
        amap = ctx.amap
        nested = ctx.cue_stance.get(tok.i)
        if (
            nested in NEGATIVE_STANCES
            and tok.pos_ == "VERB"
            and tok.dep_ in {"xcomp", "ccomp"}
            and nested != ctx.cue_stance.get(cue.i)
        ):
            return True  # "willing to walk away from any deal": the inner cue has the topic
        stance = self.cue_stances.get(tok.lemma_.lower())
        if stance is None:
            return False
        if tok.pos_ == "NOUN":
            owner = [c for c in tok.children if c.dep_ in {"poss", "amod"}]
            owner += [
                p
                for c in tok.children
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in c.subtree
                if p.i in amap
            ]
            return any(o.i in amap or o.lower_ in THIRD_PERSON | FIRST_PERSON for o in owner)
        return False

    def _obliger(self, ctx: CueContext, cue: Token) -> tuple[list[str], str | None, str | None]:
        """ "Russia has to get moving": an obligation is demanded by whoever states it (the
        speaker of the quote, the reporter, or the author of an opinion piece); its grammatical
        subject is the target. Returns (holders, reported_by, target)."""
        amap, types, quoted = ctx.amap, ctx.types, ctx.quoted
        if cue.dep_ == "pcomp" and cue.head.head.lemma_.lower() in self.stances:
            return [], None, None  # "accused the Europeans of sabotaging": the accusation holds it
        verb = cue.head if cue.pos_ == "AUX" else cue
        subj = subject_of(verb)
        target = resolve_token(subj, amap, types) if subj is not None else None
        speaker = ctx.base.speaker_at(cue) if cue.i in quoted else None
        holder = speaker or self._reporter(cue, amap, types, [])
        if holder is None and cue.doc.user_data.get("kg_has_author"):
            holder = AUTHOR
        if holder is None or holder == target:
            return [], None, None
        return [holder], None, target

    def _holders(self, ctx: CueContext, cue: Token) -> tuple[list[str], str | None, str | None]:
        """Who holds the cue's stance. Returns (holders, reported_by, target)."""
        amap, types, quoted = ctx.amap, ctx.types, ctx.quoted
        holder_toks: list[Token] = []
        cue_lemma = cue.lemma_.lower()
        if cue.pos_ == "NOUN":
            if cue.dep_ == "dobj" and self.stances.get(cue.head.lemma_.lower()) == Stance.ACCUSES:
                return [], None, None  # "manipulate the desire of X": the accuser's framing of X
            for child in cue.children:
                if child.dep_ == "poss" or (child.dep_ == "compound" and child.i in amap):
                    holder_toks.append(child)
                if child.dep_ == "prep" and child.lower_ == "by":
                    holder_toks += [p for p in child.children if p.dep_ == "pobj"]
                if child.dep_ == "prep" and child.lower_ == "of":
                    # "the desire of the president": an actor after "of" owns the noun; as the
                    # object of someone else's verb ("exploit the desire of X") it is that
                    # subject's framing, not X's stated position
                    owners = [p for p in child.children if p.dep_ == "pobj" and p.i in amap]
                    if owners and cue.dep_ in {"dobj", "pobj"}:
                        return [], None, None
                    holder_toks += owners
            if (
                not holder_toks
                and cue.dep_ == "dobj"
                and self.stances.get(cue.head.lemma_.lower())
                not in {None, self.stances.get(cue_lemma)}
            ):
                # "rejects the proposal": an ownerless object of another stance verb is that
                # verb's business, not a stance of the verb's subject or of the speaker
                return [], None, None
            if not holder_toks and cue.dep_ in {"dobj", "pobj"}:
                verb = cue.head.head if cue.dep_ == "pobj" else cue.head
                if verb.pos_ in {"VERB", "AUX"}:
                    subj = subject_of(verb)
                    if subj is not None:
                        holder_toks.append(subj)
        elif cue.pos_ == "ADJ":
            for child in [*cue.children, *cue.head.children]:
                if child.dep_ == "prep" and child.lower_ == "for" and cue.lower_ in EVALUATIVE_FOR:
                    holder_toks += [p for p in child.children if p.dep_ == "pobj"]
            if not holder_toks and cue.lower_ not in EVALUATIVE_FOR:
                # "X is important": X is what is evaluated, not who evaluates
                subj = subject_of(cue) or (subject_of(cue.head) if cue.dep_ == "acomp" else None)
                if subj is not None and subj.lower_ not in {"it", "this", "that"}:
                    holder_toks.append(subj)
        else:
            subj = subject_of(cue)
            if subj is None and cue.dep_ == "xcomp" and cue.head.pos_ == "ADJ":
                # "Putin is willing to walk away": the subject of the adjective's clause
                subj = subject_of(cue.head) or subject_of(cue.head.head)
            if subj is None and imperative(cue):
                # "... sent a message to the Kremlin: accept a ceasefire or face sanctions"
                subj = subject_of(cue.sent.root)
            if subj is not None and _patient_subject(cue, subj):
                subj = _passive_agent(cue)  # "Ukraine was not invited": Ukraine invites nothing
            if subj is not None:
                holder_toks.append(subj)
            else:
                for child in cue.children:
                    if child.dep_ == "agent":
                        holder_toks += [p for p in child.children if p.dep_ == "pobj"]
        holder_toks = [
            _previous_subject(t) if t.lower_ in DEMONSTRATIVES else t for t in holder_toks
        ]
        speaker = ctx.base.speaker_at(cue) if cue.i in quoted else None
        holders: list[str] = []
        for tok in holder_toks:
            for t in expand_conj(tok):
                if speaker is not None and t.lower_ in FIRST_PERSON:
                    holders.append(speaker)
                    continue
                key = resolve_token(t, amap, types)
                if key is None:
                    # "Putin and other Kremlin officials": a name early in the subject phrase;
                    # an adjective ("the Russian economy") does not make its noun an actor
                    for sub in t.subtree:
                        if (
                            sub.i in amap
                            and sub.i - t.left_edge.i < 4
                            and sub.dep_ != "poss"
                            and amap[sub.i].rule != "demonym"
                        ):
                            key = amap[sub.i].actor
                            break
                if key is not None and types.get(key) != ActorType.PLACE:
                    holders.append(key)
        if speaker is not None:
            if not holders and any(
                t.lower_ in THIRD_PERSON for tok in holder_toks for t in expand_conj(tok)
            ):
                return [], None, None
            if not holders or self._hedged(cue):
                return [speaker], None, None
            return sorted(set(holders)), speaker, None
        reporter = self._reporter(cue, amap, types, holders)
        if reporter is not None and cue.lemma_.lower() not in self.reporting and not holders:
            # "Zelensky responded that it was a trap": with no actor inside, the reporter holds
            # the stance; "Lavrov said that Russia rejects X" keeps the innermost holder. No
            # actor inside means no target either.
            return [reporter], None, None
        if (
            self.author_hedges
            and cue.doc.user_data.get("kg_has_author")
            and _author_hedged(cue, self.hedges)
        ):
            # "Putin likely sees X as Y": the writer's inference about an actor's mind
            return [AUTHOR], None, None
        return sorted(set(holders)), reporter, None

    def _reporter(
        self,
        cue: Token,
        amap: dict[int, Mention],
        types: dict[str, ActorType],
        holders: list[str],
    ) -> str | None:
        tok = cue
        for _ in range(6):
            if tok.head.i == tok.i:
                return None
            head = tok.head
            lemma = head.lemma_.lower()
            if tok.dep_ in {"ccomp", "acl"} and (
                lemma in self.reporting or lemma in self.strong_claims
            ):
                subj: Token | None = None
                if head.pos_ == "NOUN":
                    subj = next((c for c in head.children if c.dep_ == "poss"), None)
                    by = next(
                        (c for c in head.children if c.dep_ == "prep" and c.lower_ == "by"), None
                    )
                    if subj is None and by is not None:
                        subj = next((c for c in by.children if c.dep_ == "pobj"), None)
                else:
                    subj = subject_of(head)
                if subj is not None:
                    key = resolve_token(subj, amap, types)
                    if key is not None and key not in holders:
                        return key
                return None
            tok = head
        return None

    def _clause(self, doc: Doc, cue: Token) -> Span:
        """The clause of the cue: its verb's subtree, minus conjoined clauses after it."""
        head = cue
        if cue.pos_ == "ADJ" and cue.dep_ == "acomp":
            head = cue.head
        elif cue.pos_ == "NOUN" and len(list(cue.subtree)) < 5:
            head = cue.head if cue.head.pos_ in {"VERB", "AUX"} else cue
        elif cue.pos_ == "AUX":
            head = cue.head
        sent = cue.sent
        para_left, para_right = paragraph_bounds(doc, cue, sent.start, sent.end - 1)
        if para_right - para_left + 1 <= self.sentence_tokens:
            return token_span(doc, para_left, para_right)
        left, right = head.left_edge.i, head.right_edge.i
        for child in head.rights:
            if (
                child.dep_ in {"conj", "advcl"}
                and child.pos_ in {"VERB", "AUX"}
                and child.i > cue.i
            ):
                right = min(right, child.left_edge.i - 1)
                break
        for tok in head.subtree:
            # a participle list ("accepting X, calling for Y, undermining Z"): one item each
            if tok.i > cue.i and tok.dep_ in {"conj", "advcl"} and tok.tag_ == "VBG":
                right = min(right, tok.left_edge.i - 1)
                break
        for child in head.lefts:
            if child.dep_ in {"advcl"} and child.right_edge.i < cue.i and child.i < head.i:
                left = max(left, child.right_edge.i + 1)
        left, right = max(left, para_left), min(right, para_right)
        while right > left and (doc[right].is_punct or doc[right].lower_ in {"and", "but", "or"}):
            right -= 1
        while left < right and (doc[left].is_punct or doc[left].lower_ in {"and", "but", "or"}):
            left += 1
        if right - left + 1 < 4:
            left, right = para_left, para_right
        if right - left + 1 > MAX_CLAUSE_TOKENS:
            left, right = max(left, cue.i - 25), min(right, cue.i + 25)
        return token_span(doc, left, right)

    def _direction(self, cue: Token, stance: Stance, scope: set[int]) -> Direction:
        base = BASE_DIRECTION[stance]
        if base != Direction.FOR or stance == Stance.THREATENS:
            return base
        # Only a negation inside the object clause ("that Ukraine never join NATO") changes the
        # direction; "yes, but not now" or a negated cue do not.
        doc = cue.doc
        for i in sorted(scope):
            tok = doc[i]
            if (
                tok.i > cue.i
                and tok.lower_ in self.negations
                and tok.dep_ in {"neg", "det"}
                and tok.head.i != cue.i
                and tok.head.pos_ in {"VERB", "AUX"}
                and tok.head.dep_ != "relcl"  # "the land that has not yet been occupied"
            ):
                return Direction.AGAINST
        return base

    def _cedes_place(
        self, doc: Doc, part: set[int], amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> bool:
        """A verb of giving up ("give up", "hand over", "surrender", "abandon") whose object
        is a place the articles name: a territorial concession with no territory word."""
        for i in sorted(part):
            verb = doc[i]
            if verb.pos_ != "VERB":
                continue
            particle = [c.lower_ for c in verb.children if c.dep_ == "prt"]
            phrase = " ".join([verb.lemma_.lower(), *particle])
            if phrase not in self.cession and verb.lemma_.lower() not in self.cession:
                continue
            for obj in verb.children:
                if obj.dep_ != "dobj" or obj.i not in part:
                    continue
                mention = next((amap[t.i] for t in obj.subtree if t.i in amap), None)
                if mention is not None and types.get(mention.actor) == ActorType.PLACE:
                    return True
        return False

    def _wants_place(
        self, doc: Doc, part: set[int], amap: dict[int, Mention], types: dict[str, ActorType]
    ) -> bool:
        """A demand whose object is land: "wants ... the remaining fifth of the Donetsk
        region". A place after a locative preposition ("talks in Istanbul") is where, not what."""
        for i in sorted(part):
            mention = amap.get(i)
            if mention is None or types.get(mention.actor) != ActorType.PLACE:
                continue
            tok = doc[i]
            while tok.dep_ in {"compound", "amod", "det"} and tok.head.i != tok.i:
                tok = tok.head
            if tok.dep_ == "pobj" and tok.head.lower_ in self.locatives:
                continue
            if tok.dep_ in {"dobj", "conj", "appos", "pobj", "attr"}:
                return True
        return False

    def _hedged(self, cue: Token) -> bool:
        sent = cue.sent
        return any(
            t.lemma_.lower() in self.hedges or t.lower_ in self.hedges
            for t in sent
            if abs(t.i - cue.i) <= 6
        )

    def _from_quotes(self, ctx: CueContext, existing: list[Position]) -> list[Position]:
        """Sentences of attributed quotes that hold no cue: a claim by the speaker."""
        doc, quotes = ctx.doc, ctx.quotes
        out: list[Position] = []
        for quote in quotes:
            inside = doc.char_span(
                quote.evidence.start, quote.evidence.end, alignment_mode="expand"
            )
            if inside is None:
                continue
            sents = {t.sent.start: t.sent for t in inside}
            for _, sent in sorted(sents.items()):
                start = max(sent.start_char, quote.evidence.start)
                end = min(sent.end_char, quote.evidence.end)
                if end - start <= 0:
                    continue
                text = doc_text(doc)[start:end]
                words = [w for w in text.split() if any(ch.isalpha() for ch in w)]
                if len(words) < MIN_QUOTE_WORDS:
                    continue
                # a sentence with a stance cue is the cue's to interpret ("he wants to
                # manipulate the desire of X to achieve peace" is no claim about peace)
                covered = any(
                    p.evidence.start < end and start < p.evidence.end for p in existing
                ) or any(t.i in ctx.cue_tokens for t in sent if start <= t.idx < end)
                if covered:
                    continue
                span = doc.char_span(start, end, alignment_mode="contract")
                if span is None or len(span) == 0:
                    continue
                evidence = token_span(doc, span.start, span.end - 1)
                topic = ctx.base.topic(range(span.start, span.end))
                if topic == FALLBACK_TOPIC:
                    continue
                # "If they don't make a deal, there will be tariffs": a penalty announced
                # under a condition is a threat
                threat = (
                    topic in self.words.penalties
                    and conditional_resolve(span.root)
                    and any(c.lower_ in {"will", "'ll", "\u2019ll"} for c in span.root.children)
                )  # "would hurt everyone" under a condition is a prediction
                out.append(
                    Position(
                        holder=quote.speaker,
                        stance=Stance.THREATENS if threat else Stance.CLAIMS,
                        topic=topic,
                        direction=BASE_DIRECTION[Stance.THREATENS]
                        if threat
                        else Direction.NOT_APPLICABLE,
                        evidence=evidence,
                        method="quote",
                        confidence=0.5,
                    )
                )
        return out

    def _author(self, ctx: DocContext, existing: list[Position]) -> list[Position]:
        """Recommendations in an opinion piece belong to its author (or outlet)."""
        doc, amap = ctx.doc, ctx.amap
        out: list[Position] = []
        quoted = ctx.quoted
        for _, start, end in self.recommend(doc):
            cue = doc[start]
            if cue.i in quoted or (end - start == 1 and cue.dep_ in {"amod", "advmod", "compound"}):
                continue
            if not self._recommends(cue, amap):
                continue
            evidence = self._clause(doc, cue)
            frame = {  # "With the White House pushing for a deal, Europe must ...": a frame
                t.i
                for c in cue.head.children
                if c.dep_ == "prep" and c.lower_ in {"with", "as"} and c.i < cue.i
                for t in c.subtree
            }
            ids = token_ids_starting_in(doc, evidence.start, evidence.end) - frame
            topic = ctx.topic(ids)
            if topic == FALLBACK_TOPIC:
                continue
            if any(p.evidence == evidence for p in out):
                continue
            negated = any(t.dep_ == "neg" for t in cue.sent if abs(t.i - cue.i) <= 3)
            stance = Stance.OPPOSES if negated else Stance.SUPPORTS
            out.append(
                Position(
                    holder=AUTHOR,
                    stance=stance,
                    topic=topic,
                    direction=BASE_DIRECTION[stance],
                    evidence=evidence,
                    method="author-recommendation",
                    confidence=0.5,
                    author_opinion=True,
                )
            )
        del amap, existing
        return out

    def _relief(self, doc: Doc, scope: set[int]) -> bool:
        """A sanctions term governed by a relief word ("lifting of", "an end to")."""
        for i in scope:
            if doc[i].lemma_.lower() not in {"sanction", "sanctions"}:
                continue
            for k, anc in enumerate(doc[i].ancestors):
                if k >= 3 or anc.i not in scope:
                    break
                if anc.lemma_.lower() in self.relief or anc.lower_ in self.relief:
                    return True
        return False

    def _recommends(self, cue: Token, amap: dict[int, Mention]) -> bool:
        """The author's own recommendation, not a description: the cue is not inside a relative
        clause ("a barrier that has been crucial for ..."), not in a clause reported from
        someone else ("he maintained that a ceasefire should come after ..."), and not a
        passive construal ("negotiations should be understood as ...")."""
        if any(t.dep_ in {"relcl", "acl"} for t in [cue, *cue.ancestors]):
            return False
        if self._reporter(cue, amap, actor_types(cue.doc), []) is not None and not any(
            c.dep_ in SUBJECT_LIKE and c.lower_ in IMPERSONAL | DEMONSTRATIVES
            for anc in cue.ancestors
            if anc.lemma_.lower() in self.reporting
            for c in anc.children
        ):
            return False  # reported from someone else; "It confirmed that ..." is the writer
        verb = cue.head if cue.dep_ == "aux" else cue
        if cognitive(cue, self.words):
            return False
        return not (
            verb.lemma_.lower() in self.construal
            and any(c.dep_ == "auxpass" for c in verb.children)
        )

    def set_annotations(self, doc: Doc, positions: list[Position]) -> None:
        doc._.kg_positions = positions


DEMONSTRATIVES = frozenset({"this", "that", "these"})
NEGATIVE_STANCES = frozenset({Stance.OPPOSES, Stance.REJECTS, Stance.ACCUSES})
LIST_DEPS = frozenset({"conj", "appos"})


def evidence_first(doc: Doc, evidence: Span) -> int:
    """The first token of an evidence span."""
    span = doc.char_span(evidence.start, evidence.end, alignment_mode="expand")
    return span.start if span is not None else 0


def _contrasted(tok: Token, negations: frozenset[str]) -> bool:
    """A noun phrase denied by contrast: "victory, not peace", "not a ceasefire but ..."."""
    if tok.pos_ not in {"NOUN", "PROPN"}:
        return False
    if any(c.dep_ == "neg" and c.i < tok.i for c in tok.children):
        return True
    doc = tok.doc
    i = tok.left_edge.i - 1
    return (
        tok.dep_ in LIST_DEPS
        and i >= 0
        and doc[i].lower_ in negations
        and doc[i].dep_ in {"neg", "advmod", "preconj"}
    )


def _that_clause(noun: Token) -> bool:
    """The noun has a content clause ("the claim that ...", "claims by X that ...")."""
    clauses = [
        c for c in noun.subtree if c.dep_ in {"acl", "ccomp", "relcl"} and c.pos_ in {"VERB", "AUX"}
    ]
    return any(m.dep_ == "mark" and m.lower_ == "that" for c in clauses for m in c.children)


def _list_items(cue: Token, scope: set[int]) -> list[tuple[int, int]]:
    """ "wants X, Y and Z": the items of a coordinated object list, as token ranges.

    An item starts at the object or at a noun conjoined or apposed to a phrase of it after a
    comma or a conjunction; at least one item must be a true conjunct. Each item ends where the
    next begins. Returns [] when the object is not such a list."""
    doc = cue.doc
    base = cue.head if cue.pos_ == "AUX" else cue
    obj = next((c for c in base.children if c.dep_ in {"dobj", "attr"} and c.i in scope), None)
    if obj is None:
        return []
    heads = [obj]
    has_conj = False
    for tok in obj.subtree:
        if tok.i <= obj.i or tok.dep_ not in LIST_DEPS or tok.pos_ not in {"NOUN", "PROPN"}:
            continue
        before = doc[tok.left_edge.i - 1] if tok.left_edge.i > 0 else None
        if before is None or before.lower_ not in {",", ";", "and", "or"}:
            continue
        if tok.dep_ == "conj" and tok.head.pos_ not in {"NOUN", "PROPN"}:
            continue
        heads.append(tok)
        has_conj = has_conj or tok.dep_ == "conj"
    if len(heads) < 2 or not has_conj:
        return []
    starts = sorted({h.left_edge.i for h in heads})
    starts[0] = obj.left_edge.i
    last = obj.right_edge.i
    return ranges(doc, starts, last)


def _content_clause(cue: Token, scope: set[int]) -> set[int]:
    """ "wants a guarantee that Ukraine will not join Nato": what the wanted noun guarantees,
    pledges or promises is the issue, so its that-clause is searched for the topic first."""
    doc = cue.doc
    for i in sorted(scope):
        clause = doc[i]
        if (
            clause.dep_ in {"acl", "ccomp"}
            and clause.pos_ in {"VERB", "AUX"}
            and clause.head.pos_ == "NOUN"
            and clause.head.i in scope
            and any(m.dep_ == "mark" and m.lower_ == "that" for m in clause.children)
        ):
            return {t.i for t in clause.subtree} & scope
    return set()


def _purpose_clauses(cue: Token, scope: set[int]) -> set[int]:
    """Tokens of infinitival purpose clauses after the cue ("proposed a summit to discuss
    guarantees", "dragging out the talks to buy time for an offensive"): a motive, not the
    issue itself, so the topic is looked for without them first."""
    out: set[int] = set()
    for i in scope:
        tok = cue.doc[i]
        if (
            tok.i > cue.i
            and tok.dep_ == "advcl"
            and tok.pos_ == "VERB"
            and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)
            and not any(c.dep_ in {"nsubj", "nsubjpass", "mark"} for c in tok.children)
        ):
            out |= {t.i for t in tok.subtree}
    return out & scope


def _clause_items(cue: Token, scope: set[int]) -> list[tuple[int, int]]:
    """ "demanded that Ukraine withdraw from X and abandon Y": the conjoined verb phrases of
    the cue's complement clause, each an item with its own topic. An item begins at its verb's
    own left edge (its "to", its negation); the first one at the clause's start. Returns [] when
    the complement is a single verb phrase."""
    base = cue.head if cue.pos_ == "AUX" else cue
    comp = next(
        (
            c
            for c in base.children
            if c.dep_ in {"ccomp", "xcomp"} and c.pos_ == "VERB" and c.i in scope
        ),
        None,
    )
    if comp is None:
        return []
    verbs = [comp]
    stack = [comp]
    while stack:
        for child in stack.pop().children:
            if child.dep_ == "conj" and child.pos_ == "VERB" and child.i in scope:
                verbs.append(child)
                stack.append(child)
    if len(verbs) < 2:
        return []
    verbs.sort(key=lambda t: t.i)
    starts = [comp.left_edge.i]
    for verb in verbs[1:]:
        own = [verb] + [
            t
            for c in verb.children
            if c.dep_ not in {"conj", "cc", "punct"} and c.i < verb.i
            for t in c.subtree
        ]
        starts.append(min(t.i for t in own))
    doc = cue.doc
    last = max(t.i for t in comp.subtree)
    return ranges(doc, starts, last)


# Passives that state their subject's own attitude ("Russia is opposed to", "is prepared to").
ATTITUDE_PASSIVES = frozenset(
    {"oppose", "prepare", "determine", "commit", "convince", "satisfy", "disappoint",
     "concern", "interest", "resolve", "incline", "dispose", "unimpressed", "open"}
)  # fmt: skip


def _patient_subject(cue: Token, subj: Token) -> bool:
    """Whether the subject undergoes the cue ("was invited", "were urged", headline "Ukraine not
    invited") rather than holding it."""
    if cue.pos_ != "VERB" or cue.lemma_.lower() in ATTITUDE_PASSIVES or subj.head.i != cue.i:
        return False
    if subj.dep_ == "nsubjpass":
        return True
    return (
        subj.dep_ == "nsubj"
        and cue.tag_ == "VBN"
        and not any(c.dep_ in {"aux", "auxpass"} for c in cue.children)
    )


def _passive_agent(cue: Token) -> Token | None:
    for child in cue.children:
        if child.dep_ == "agent":
            return next((p for p in child.children if p.dep_ == "pobj"), None)
    return None


def _previous_subject(tok: Token) -> Token:
    """ "This includes accepting X": a demonstrative subject stands for what the subject of the
    previous sentence did, so that subject is the holder. Falls back to the token itself."""
    doc = tok.doc
    sent = tok.sent
    if tok.dep_ not in {"nsubj", "nsubjpass"} or sent.start == 0:
        return tok
    previous = doc[sent.start - 1].sent
    subj = next((c for c in previous.root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
    return subj if subj is not None else tok


def _author_hedged(cue: Token, hedges: frozenset[str]) -> bool:
    """A cue directly hedged by the writer ("Putin likely sees ...")."""
    return any(c.dep_ == "advmod" and c.lower_ in hedges for c in cue.children)


@Language.factory(
    "kg_positions",
    assigns=["doc._.kg_positions"],
    requires=["doc._.kg_mentions", "doc._.kg_quotes", "token.dep", "token.lemma"],
    default_config={
        "ontology_dir": None,
        "topicless_stances": ["accuses", "rejects", "threatens"],
        "sentence_tokens": 35,
        "author_hedges": True,
    },
)
def make_position_extractor(
    nlp: Language,
    name: str,
    ontology_dir: str | None,
    topicless_stances: list[str],
    sentence_tokens: int,
    author_hedges: bool,
) -> PositionExtractor:
    """Factory of the kg_positions component."""
    return PositionExtractor(
        nlp,
        name,
        ontology_dir=ontology_dir,
        topicless_stances=tuple(topicless_stances),
        sentence_tokens=sentence_tokens,
        author_hedges=author_hedges,
    )
