"""The named vetoes and rewrites of the stance cues, one by one on hand-built Docs: for each rule
a case where it fires and one where it does not; and the provenance they leave in `method`."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from spacy.language import Language
from spacy.tokens import Span as SpacySpan

from kg.nlp.lexicon import load_lexicon
from kg.nlp.positions import PositionExtractor
from kg.nlp.positions.candidate import Candidate, CueWords, Item
from kg.nlp.positions.context import AUTHOR, CueContext, DocContext
from kg.nlp.positions.dedupe import FALLBACK_TOPIC, origin
from kg.nlp.positions.rewrites import (
    STANCE_REWRITES,
    renounced,
    rewrite_author_obligation_is_support,
    rewrite_cognitive_obligation_is_claim,
    rewrite_conditional_penalty_is_threat,
    rewrite_imperative_is_demand,
    rewrite_negation_flip,
    rewrite_walk_away_is_threat,
    rewrite_warning_about_is_claim,
    rewritten,
)
from kg.nlp.positions.vetoes import (
    CUE_VETOES,
    veto_auxiliary_not_obligation,
    veto_challenge_without_to,
    veto_counterfactual,
    veto_descriptive_topic,
    veto_irrealis_modal,
    veto_negated_negative_stance,
    veto_negated_object_of_non_cue,
    veto_no_holder,
    veto_no_issue_named,
    veto_no_topic,
    veto_not_a_stance_word,
    veto_noun_cue_without_issue,
    veto_noun_subject_without_holder,
    veto_object_controlled,
    veto_possibility,
    veto_prepared_without_to,
    veto_pretense,
    veto_see_without_as,
    veto_unnamed_list_item,
    vetoed,
)
from kg.records import ActorType, Stance
from tests.unit.nlp_docs import Tok, make_doc

Actors = dict[str, tuple[str, ActorType, list[int]]]
CandFactory = Callable[..., Candidate]


@pytest.fixture
def words(blank_nlp: Language) -> CueWords:
    topicless = frozenset({Stance.ACCUSES, Stance.REJECTS, Stance.THREATENS})
    return CueWords.from_lexicon(
        load_lexicon(), topicless=topicless, vocab=blank_nlp.vocab, tokenize=blank_nlp.tokenizer
    )


@pytest.fixture
def cand(blank_nlp: Language, words: CueWords) -> CandFactory:
    """A factory: the candidate of the cue at token `cue` (`length` tokens, lexicon key `key`)."""

    def build(
        toks: list[Tok],
        cue: int,
        stance: Stance,
        *,
        actors: Actors | None = None,
        key: str | None = None,
        length: int = 1,
        holders: tuple[str, ...] = ("russia",),
        reported_by: str | None = None,
    ) -> Candidate:
        doc = make_doc(blank_nlp.vocab, toks, actors or {})
        doc._.kg_quotes = []
        doc._.kg_quote_ranges = []
        label = key or doc[cue].lemma_
        span = SpacySpan(doc, cue, cue + length, label=label)
        ctx = CueContext.of(DocContext.of(doc, words.topics), [span], {label: stance})
        return Candidate(
            ctx, words, span, doc[cue], label, stance, holders=holders, reported_by=reported_by
        )

    return build


def _item(topic: str, part: range, *, listed: bool = False, explicit: bool = False) -> Item:
    return Item(frozenset(part), topic, listed=listed, explicit=explicit)


# "Russia supports a ceasefire ."
SUPPORTS_CEASEFIRE = [
    Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
    Tok("supports", 1, "ROOT", "VERB", "VBZ", "support"),
    Tok("a", 3, "det", "DET", "DT"),
    Tok("ceasefire", 1, "dobj", "NOUN", "NN", space=False),
    Tok(".", 1, "punct", "PUNCT", "."),
]
# "Russia does not support a ceasefire ."
NOT_SUPPORT = [
    Tok("Russia", 3, "nsubj", "PROPN", "NNP"),
    Tok("does", 3, "aux", "AUX", "VBZ", "do"),
    Tok("not", 3, "neg", "PART", "RB"),
    Tok("support", 3, "ROOT", "VERB", "VB", "support"),
    Tok("a", 5, "det", "DET", "DT"),
    Tok("ceasefire", 3, "dobj", "NOUN", "NN", space=False),
    Tok(".", 3, "punct", "PUNCT", "."),
]
# "Russia must withdraw ."
MUST_WITHDRAW = [
    Tok("Russia", 2, "nsubj", "PROPN", "NNP"),
    Tok("must", 2, "aux", "AUX", "MD"),
    Tok("withdraw", 2, "ROOT", "VERB", "VB", space=False),
    Tok(".", 2, "punct", "PUNCT", "."),
]


# ------------------------------------------------------------------------------ cue vetoes


def test_nlp_positions_rules_not_a_stance_word(cand: CandFactory) -> None:
    adverb = [*SUPPORTS_CEASEFIRE]
    adverb[1] = Tok("supports", 1, "ROOT", "ADV", "RB", "support")
    assert veto_not_a_stance_word(cand(adverb, 1, Stance.SUPPORTS))
    assert not veto_not_a_stance_word(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS))


def test_nlp_positions_rules_auxiliary_not_obligation(cand: CandFactory) -> None:
    will = [*MUST_WITHDRAW]
    will[1] = Tok("will", 2, "aux", "AUX", "MD")
    assert veto_auxiliary_not_obligation(cand(will, 1, Stance.DEMANDS))
    assert not veto_auxiliary_not_obligation(cand(MUST_WITHDRAW, 1, Stance.DEMANDS))


def test_nlp_positions_rules_see_without_as(cand: CandFactory) -> None:
    sees = [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("sees", 1, "ROOT", "VERB", "VBZ", "see"),
        Tok("the", 3, "det", "DET", "DT"),
        Tok("talks", 1, "dobj", "NOUN", "NNS", "talk", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    as_trap = [
        *sees[:4],
        Tok("as", 1, "prep", "ADP", "IN"),
        Tok("a", 6, "det", "DET", "DT"),
        Tok("trap", 4, "pobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    as_trap[3] = Tok("talks", 1, "dobj", "NOUN", "NNS", "talk")
    assert veto_see_without_as(cand(sees, 1, Stance.CLAIMS))
    assert not veto_see_without_as(cand(as_trap, 1, Stance.CLAIMS))


def test_nlp_positions_rules_challenge_without_to(cand: CandFactory) -> None:
    challenge_nato = [
        Tok("Trump", 1, "nsubj", "PROPN", "NNP"),
        Tok("challenged", 1, "ROOT", "VERB", "VBD", "challenge"),
        Tok("NATO", 1, "dobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    to_meeting = [
        Tok("Trump", 1, "nsubj", "PROPN", "NNP"),
        Tok("challenged", 1, "ROOT", "VERB", "VBD", "challenge"),
        Tok("him", 1, "dobj", "PRON", "PRP"),
        Tok("to", 1, "prep", "ADP", "IN"),
        Tok("a", 5, "det", "DET", "DT"),
        Tok("meeting", 3, "pobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    assert veto_challenge_without_to(cand(challenge_nato, 1, Stance.PROPOSES))
    assert not veto_challenge_without_to(cand(to_meeting, 1, Stance.PROPOSES))


def test_nlp_positions_rules_prepared_without_to(cand: CandFactory) -> None:
    def prepared(tail: list[Tok]) -> list[Tok]:
        return [
            Tok("Kyiv", 2, "nsubjpass", "PROPN", "NNP"),
            Tok("is", 2, "auxpass", "AUX", "VBZ", "be"),
            Tok("prepared", 2, "ROOT", "VERB", "VBN", "prepare"),
            *tail,
            Tok(".", 2, "punct", "PUNCT", "."),
        ]

    for_talks = prepared(
        [Tok("for", 2, "prep", "ADP", "IN"), Tok("talks", 3, "pobj", "NOUN", "NNS", space=False)]
    )
    to_talk = prepared(
        [Tok("to", 4, "aux", "PART", "TO"), Tok("talk", 2, "xcomp", "VERB", "VB", space=False)]
    )
    assert veto_prepared_without_to(cand(for_talks, 2, Stance.SUPPORTS, key="prepared"))
    assert not veto_prepared_without_to(cand(to_talk, 2, Stance.SUPPORTS, key="prepared"))


def test_nlp_positions_rules_noun_subject_without_holder(cand: CandFactory) -> None:
    agreement = [
        Tok("The", 1, "det", "DET", "DT"),
        Tok("agreement", 2, "nsubj", "NOUN", "NN"),
        Tok("was", 2, "ROOT", "AUX", "VBD", "be"),
        Tok("ready", 2, "acomp", "ADJ", "JJ", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    putins_demand = [
        Tok("Putin", 2, "poss", "PROPN", "NNP", space=False),
        Tok("'s", 0, "case", "PART", "POS"),
        Tok("demand", 3, "nsubj", "NOUN", "NN"),
        Tok("was", 3, "ROOT", "AUX", "VBD", "be"),
        Tok("clear", 3, "acomp", "ADJ", "JJ", space=False),
        Tok(".", 3, "punct", "PUNCT", "."),
    ]
    putin: Actors = {"vladimir-putin": ("Vladimir Putin", ActorType.PERSON, [0])}
    assert veto_noun_subject_without_holder(cand(agreement, 1, Stance.SUPPORTS))
    assert not veto_noun_subject_without_holder(
        cand(putins_demand, 2, Stance.DEMANDS, actors=putin)
    )


def test_nlp_positions_rules_counterfactual(cand: CandFactory) -> None:
    # "You might think Russia would accept a ceasefire.": the frame denies the clause
    framed = [
        Tok("You", 2, "nsubj", "PRON", "PRP"),
        Tok("might", 2, "aux", "AUX", "MD"),
        Tok("think", 2, "ROOT", "VERB", "VB"),
        Tok("Russia", 5, "nsubj", "PROPN", "NNP"),
        Tok("would", 5, "aux", "AUX", "MD"),
        Tok("accept", 2, "ccomp", "VERB", "VB"),
        Tok("a", 7, "det", "DET", "DT"),
        Tok("ceasefire", 5, "dobj", "NOUN", "NN", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    stated = [*SUPPORTS_CEASEFIRE]
    stated[1] = Tok("accepts", 1, "ROOT", "VERB", "VBZ", "accept")
    assert veto_counterfactual(cand(framed, 5, Stance.SUPPORTS))
    assert not veto_counterfactual(cand(stated, 1, Stance.SUPPORTS))


def test_nlp_positions_rules_object_controlled(cand: CandFactory) -> None:
    # "The EU urged Kyiv to accept a deal.": asked of Kyiv, not (yet) Kyiv's stance
    urged = [
        Tok("The", 1, "det", "DET", "DT"),
        Tok("EU", 2, "nsubj", "PROPN", "NNP"),
        Tok("urged", 2, "ROOT", "VERB", "VBD", "urge"),
        Tok("Kyiv", 2, "dobj", "PROPN", "NNP"),
        Tok("to", 5, "aux", "PART", "TO"),
        Tok("accept", 2, "xcomp", "VERB", "VB"),
        Tok("a", 7, "det", "DET", "DT"),
        Tok("deal", 5, "dobj", "NOUN", "NN", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    wants = [
        Tok("Kyiv", 1, "nsubj", "PROPN", "NNP"),
        Tok("wants", 1, "ROOT", "VERB", "VBZ", "want"),
        Tok("to", 3, "aux", "PART", "TO"),
        Tok("accept", 1, "xcomp", "VERB", "VB"),
        Tok("a", 5, "det", "DET", "DT"),
        Tok("deal", 3, "dobj", "NOUN", "NN", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    assert veto_object_controlled(cand(urged, 5, Stance.SUPPORTS))
    assert not veto_object_controlled(cand(wants, 3, Stance.SUPPORTS))


def test_nlp_positions_rules_cue_vetoes_run_in_order_and_name_the_rule(cand: CandFactory) -> None:
    will = [*MUST_WITHDRAW]
    will[1] = Tok("will", 2, "aux", "AUX", "MD")
    assert vetoed(cand(will, 1, Stance.DEMANDS), CUE_VETOES) == "auxiliary-not-obligation"
    assert vetoed(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS), CUE_VETOES) is None


# --------------------------------------------------------------------------- holder vetoes


def test_nlp_positions_rules_no_holder(cand: CandFactory) -> None:
    assert veto_no_holder(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS, holders=()))
    assert not veto_no_holder(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS))


def test_nlp_positions_rules_irrealis_modal(cand: CandFactory) -> None:
    # "Washington could offer talks.": the writer's possibility
    could_offer = [
        Tok("Washington", 2, "nsubj", "PROPN", "NNP"),
        Tok("could", 2, "aux", "AUX", "MD"),
        Tok("offer", 2, "ROOT", "VERB", "VB"),
        Tok("talks", 2, "dobj", "NOUN", "NNS", "talk", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    assert veto_irrealis_modal(cand(could_offer, 2, Stance.PROPOSES))
    # reported ("ISW said Washington could offer talks"): the modal is the source's
    assert not veto_irrealis_modal(cand(could_offer, 2, Stance.PROPOSES, reported_by="isw"))


def test_nlp_positions_rules_negated_object_of_non_cue(cand: CandFactory) -> None:
    def sign(negation: list[Tok]) -> list[Tok]:
        n = len(negation)
        return [
            Tok("Kyiv", 2 + n, "nsubj", "PROPN", "NNP"),
            Tok("will", 2 + n, "aux", "AUX", "MD"),
            *negation,
            Tok("sign", 2 + n, "ROOT", "VERB", "VB"),
            Tok("any", 4 + n, "det", "DET", "DT"),
            Tok("agreement", 2 + n, "dobj", "NOUN", "NN", space=False),
            Tok(".", 2 + n, "punct", "PUNCT", "."),
        ]

    assert veto_negated_object_of_non_cue(
        cand(sign([Tok("not", 3, "neg", "PART", "RB")]), 5, Stance.SUPPORTS)
    )
    assert not veto_negated_object_of_non_cue(cand(sign([]), 4, Stance.SUPPORTS))


def test_nlp_positions_rules_negated_negative_stance(cand: CandFactory) -> None:
    # "Russia has not condemned the invasion.": no accusation made
    not_condemned = [
        Tok("Russia", 3, "nsubj", "PROPN", "NNP"),
        Tok("has", 3, "aux", "AUX", "VBZ", "have"),
        Tok("not", 3, "neg", "PART", "RB"),
        Tok("condemned", 3, "ROOT", "VERB", "VBN", "condemn"),
        Tok("the", 5, "det", "DET", "DT"),
        Tok("invasion", 3, "dobj", "NOUN", "NN", space=False),
        Tok(".", 3, "punct", "PUNCT", "."),
    ]
    assert veto_negated_negative_stance(cand(not_condemned, 3, Stance.ACCUSES))
    assert not veto_negated_negative_stance(cand(NOT_SUPPORT, 3, Stance.SUPPORTS))


# ----------------------------------------------------------------------------- item vetoes


def test_nlp_positions_rules_unnamed_list_item(cand: CandFactory) -> None:
    c = cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS)
    assert veto_unnamed_list_item(c, _item(FALLBACK_TOPIC, range(2, 4), listed=True))
    assert not veto_unnamed_list_item(c, _item("ceasefire", range(2, 4), listed=True))


def test_nlp_positions_rules_no_topic(cand: CandFactory) -> None:
    no_topic = _item(FALLBACK_TOPIC, range(2, 4))
    assert veto_no_topic(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS), no_topic)
    assert not veto_no_topic(cand(SUPPORTS_CEASEFIRE, 1, Stance.REJECTS), no_topic)


def test_nlp_positions_rules_descriptive_topic(cand: CandFactory) -> None:
    battlefield = _item("battlefield_situation", range(2, 4))
    assert veto_descriptive_topic(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS), battlefield)
    assert not veto_descriptive_topic(cand(SUPPORTS_CEASEFIRE, 1, Stance.CLAIMS), battlefield)


def test_nlp_positions_rules_no_issue_named(cand: CandFactory) -> None:
    # "Russia refuses to budge.": nothing named that the refusal is about
    budge = [
        Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
        Tok("refuses", 1, "ROOT", "VERB", "VBZ", "refuse"),
        Tok("to", 3, "aux", "PART", "TO"),
        Tok("budge", 1, "xcomp", "VERB", "VB", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    verbs_only = _item(FALLBACK_TOPIC, range(2, 4))
    assert veto_no_issue_named(cand(budge, 1, Stance.REJECTS), verbs_only)
    # an accusation's verb names the wrong ("trying to sabotage")
    assert not veto_no_issue_named(cand(budge, 1, Stance.ACCUSES), verbs_only)


def test_nlp_positions_rules_noun_cue_without_issue(cand: CandFactory) -> None:
    claims = [
        Tok("His", 1, "poss", "PRON", "PRP$"),
        Tok("claims", 2, "nsubj", "NOUN", "NNS", "claim"),
        Tok("mislead", 2, "ROOT", "VERB", "VBP", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    c = cand(claims, 1, Stance.CLAIMS)
    assert veto_noun_cue_without_issue(c, _item(FALLBACK_TOPIC, range(2, 3)))
    assert not veto_noun_cue_without_issue(c, _item(FALLBACK_TOPIC, range(2, 3), explicit=True))


# -------------------------------------------------------------------------------- rewrites


def test_nlp_positions_rules_author_obligation_is_support(cand: CandFactory) -> None:
    by_author = cand(MUST_WITHDRAW, 1, Stance.DEMANDS, holders=(AUTHOR,))
    assert rewrite_author_obligation_is_support(by_author) == Stance.SUPPORTS
    assert rewrite_author_obligation_is_support(cand(MUST_WITHDRAW, 1, Stance.DEMANDS)) is None


def test_nlp_positions_rules_cognitive_obligation_is_claim(cand: CandFactory) -> None:
    # "Russia must understand that talks failed.": the writer asserts that talks failed
    understand = [
        Tok("Russia", 2, "nsubj", "PROPN", "NNP"),
        Tok("must", 2, "aux", "AUX", "MD"),
        Tok("understand", 2, "ROOT", "VERB", "VB"),
        Tok("that", 5, "mark", "SCONJ", "IN"),
        Tok("talks", 5, "nsubj", "NOUN", "NNS", "talk"),
        Tok("failed", 2, "ccomp", "VERB", "VBD", "fail", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    assert rewrite_cognitive_obligation_is_claim(cand(understand, 1, Stance.DEMANDS)) == (
        Stance.CLAIMS
    )
    assert rewrite_cognitive_obligation_is_claim(cand(MUST_WITHDRAW, 1, Stance.DEMANDS)) is None


def test_nlp_positions_rules_negation_flip(cand: CandFactory) -> None:
    assert rewrite_negation_flip(cand(NOT_SUPPORT, 3, Stance.SUPPORTS)) == Stance.OPPOSES
    assert rewrite_negation_flip(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS)) is None


def test_nlp_positions_rules_walk_away_is_threat(cand: CandFactory) -> None:
    willing = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("is", 1, "ROOT", "AUX", "VBZ", "be"),
        Tok("willing", 1, "acomp", "ADJ", "JJ"),
        Tok("to", 4, "aux", "PART", "TO"),
        Tok("walk", 2, "xcomp", "VERB", "VB"),
        Tok("away", 4, "advmod", "ADV", "RB", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    walks = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("walks", 1, "ROOT", "VERB", "VBZ", "walk"),
        Tok("away", 1, "advmod", "ADV", "RB", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    threat = cand(willing, 4, Stance.REJECTS, key="walk away", length=2)
    assert rewrite_walk_away_is_threat(threat) == Stance.THREATENS
    plain = cand(walks, 1, Stance.REJECTS, key="walk away", length=2)
    assert rewrite_walk_away_is_threat(plain) is None


def test_nlp_positions_rules_warning_about_is_claim(cand: CandFactory) -> None:
    # "Putin warned that Russia could test NATO.": a warning about what Russia may do
    could_test = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("warned", 1, "ROOT", "VERB", "VBD", "warn"),
        Tok("that", 5, "mark", "SCONJ", "IN"),
        Tok("Russia", 5, "nsubj", "PROPN", "NNP"),
        Tok("could", 5, "aux", "AUX", "MD"),
        Tok("test", 1, "ccomp", "VERB", "VB"),
        Tok("NATO", 5, "dobj", "PROPN", "NNP", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    # "Putin warned that Russia will seize land unless Kyiv withdraws.": a penalty, a threat
    will_seize = [
        Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
        Tok("warned", 1, "ROOT", "VERB", "VBD", "warn"),
        Tok("that", 5, "mark", "SCONJ", "IN"),
        Tok("Russia", 5, "nsubj", "PROPN", "NNP"),
        Tok("will", 5, "aux", "AUX", "MD"),
        Tok("seize", 1, "ccomp", "VERB", "VB"),
        Tok("land", 5, "dobj", "NOUN", "NN"),
        Tok("unless", 9, "mark", "SCONJ", "IN"),
        Tok("Kyiv", 9, "nsubj", "PROPN", "NNP"),
        Tok("withdraws", 5, "advcl", "VERB", "VBZ", "withdraw", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    russia: Actors = {"russia": ("Russia", ActorType.COUNTRY, [3])}
    warning = cand(could_test, 1, Stance.THREATENS, actors=russia, holders=("vladimir-putin",))
    assert rewrite_warning_about_is_claim(warning) == Stance.CLAIMS
    threat = cand(will_seize, 1, Stance.THREATENS, actors=russia, holders=("vladimir-putin",))
    assert rewrite_warning_about_is_claim(threat) is None


def test_nlp_positions_rules_imperative_is_demand(cand: CandFactory) -> None:
    # "A message to the Kremlin: accept a ceasefire."
    imperative = [
        Tok("Message", 0, "ROOT", "NOUN", "NN", space=False),
        Tok(":", 0, "punct", "PUNCT", ":"),
        Tok("accept", 0, "appos", "VERB", "VB"),
        Tok("a", 4, "det", "DET", "DT"),
        Tok("ceasefire", 2, "dobj", "NOUN", "NN", space=False),
        Tok(".", 0, "punct", "PUNCT", "."),
    ]
    assert rewrite_imperative_is_demand(cand(imperative, 2, Stance.SUPPORTS)) == Stance.DEMANDS
    stated = [*SUPPORTS_CEASEFIRE]
    stated[1] = Tok("accepts", 1, "ROOT", "VERB", "VBZ", "accept")
    assert rewrite_imperative_is_demand(cand(stated, 1, Stance.SUPPORTS)) is None


def test_nlp_positions_rules_rewritten_names_the_rules_that_applied(cand: CandFactory) -> None:
    flipped = rewritten(cand(NOT_SUPPORT, 3, Stance.SUPPORTS), STANCE_REWRITES)
    assert (flipped.stance, flipped.rules) == (Stance.OPPOSES, ("negation-flip",))
    assert flipped.method() == "cue:support|rewrite:negation-flip"
    kept = rewritten(cand(SUPPORTS_CEASEFIRE, 1, Stance.SUPPORTS), STANCE_REWRITES)
    assert (kept.stance, kept.rules, kept.method()) == (Stance.SUPPORTS, (), "cue:supports")


def test_nlp_positions_rules_conditional_penalty_is_threat(cand: CandFactory) -> None:
    # "Sanctions will follow if Moscow refuses."
    follow = [
        Tok("Sanctions", 2, "nsubj", "NOUN", "NNS", "sanction"),
        Tok("will", 2, "aux", "AUX", "MD"),
        Tok("follow", 2, "ROOT", "VERB", "VB"),
        Tok("if", 5, "mark", "SCONJ", "IN"),
        Tok("Moscow", 5, "nsubj", "PROPN", "NNP"),
        Tok("refuses", 2, "advcl", "VERB", "VBZ", "refuse", space=False),
        Tok(".", 2, "punct", "PUNCT", "."),
    ]
    # "Kyiv is ready to halt sanctions if Moscow agrees.": an offer, not a threat
    halt = [
        Tok("Kyiv", 1, "nsubj", "PROPN", "NNP"),
        Tok("is", 1, "ROOT", "AUX", "VBZ", "be"),
        Tok("ready", 1, "acomp", "ADJ", "JJ"),
        Tok("to", 4, "aux", "PART", "TO"),
        Tok("halt", 2, "xcomp", "VERB", "VB"),
        Tok("sanctions", 4, "dobj", "NOUN", "NNS", "sanction"),
        Tok("if", 8, "mark", "SCONJ", "IN"),
        Tok("Moscow", 8, "nsubj", "PROPN", "NNP"),
        Tok("agrees", 4, "advcl", "VERB", "VBZ", "agree", space=False),
        Tok(".", 1, "punct", "PUNCT", "."),
    ]
    threat = cand(follow, 2, Stance.CLAIMS, key="follow")
    assert rewrite_conditional_penalty_is_threat(threat, _item("sanctions", range(6))) == (
        Stance.THREATENS
    )
    offer = cand(halt, 2, Stance.SUPPORTS, key="ready")
    assert rewrite_conditional_penalty_is_threat(offer, _item("sanctions", range(3, 9))) is None


def test_nlp_positions_rules_renounced(cand: CandFactory) -> None:
    def demands(verb: str) -> list[Tok]:
        return [
            Tok("Putin", 1, "nsubj", "PROPN", "NNP"),
            Tok("demands", 1, "ROOT", "VERB", "VBZ", "demand"),
            Tok("that", 4, "mark", "SCONJ", "IN"),
            Tok("Kyiv", 4, "nsubj", "PROPN", "NNP"),
            Tok(verb, 1, "ccomp", "VERB", "VB"),
            Tok("NATO", 6, "compound", "PROPN", "NNP"),
            Tok("membership", 4, "dobj", "NOUN", "NN", space=False),
            Tok(".", 1, "punct", "PUNCT", "."),
        ]

    membership = _item("nato_membership_ukraine", range(2, 7))
    assert renounced(cand(demands("renounce"), 1, Stance.DEMANDS), membership)
    assert not renounced(cand(demands("join"), 1, Stance.DEMANDS), membership)


# ------------------------------------------------------------------------------ provenance


def test_nlp_positions_rules_method_records_the_rewrite(blank_nlp: Language) -> None:
    doc = make_doc(blank_nlp.vocab, NOT_SUPPORT, {"russia": ("Russia", ActorType.COUNTRY, [0])})
    doc._.kg_quotes = []
    doc._.kg_quote_ranges = []
    [pos] = PositionExtractor(blank_nlp, "kg_positions").match(doc)
    assert (pos.stance, pos.method) == (Stance.OPPOSES, "cue:support|rewrite:negation-flip")


def test_nlp_positions_rules_origin_drops_the_rewrites_only() -> None:
    assert origin("cue:warned|rewrite:warning-about-is-claim") == "cue:warned"
    attribution = "attribution:verb:said|stance:cue-verb"
    assert origin(attribution) == attribution


def test_nlp_positions_rules_item_is_frozen() -> None:
    item = _item("ceasefire", range(2))
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.topic = "sanctions"  # type: ignore[misc]


def test_nlp_positions_rules_pretense(cand: CandFactory) -> None:
    # "Russia pretended to support talks.": the frame says the support is not held
    def frame(verb: str, lemma: str) -> list[Tok]:
        return [
            Tok("Russia", 1, "nsubj", "PROPN", "NNP"),
            Tok(verb, 1, "ROOT", "VERB", "VBD", lemma),
            Tok("to", 3, "aux", "PART", "TO"),
            Tok("support", 1, "xcomp", "VERB", "VB"),
            Tok("talks", 3, "dobj", "NOUN", "NNS", "talk", space=False),
            Tok(".", 1, "punct", "PUNCT", "."),
        ]

    assert veto_pretense(cand(frame("pretended", "pretend"), 3, Stance.SUPPORTS))
    assert not veto_pretense(cand(frame("decided", "decide"), 3, Stance.SUPPORTS))


def test_nlp_positions_rules_possibility(cand: CandFactory) -> None:
    # "Russia could agree to talks." even reported: a possibility; "would" is Russia's future
    def modal(aux: str) -> list[Tok]:
        return [
            Tok("Russia", 2, "nsubj", "PROPN", "NNP"),
            Tok(aux, 2, "aux", "AUX", "MD"),
            Tok("agree", 2, "ROOT", "VERB", "VB"),
            Tok("to", 2, "prep", "ADP", "IN"),
            Tok("talks", 3, "pobj", "NOUN", "NNS", "talk", space=False),
            Tok(".", 2, "punct", "PUNCT", "."),
        ]

    assert veto_possibility(cand(modal("could"), 2, Stance.SUPPORTS, reported_by="isw"))
    assert not veto_possibility(cand(modal("would"), 2, Stance.SUPPORTS, reported_by="isw"))
