"""kg_positions on short real sentences (slow): precision mechanisms with the real parser."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from spacy.language import Language

from kg.nlp.extract import extract
from kg.records import Article, Extraction

pytestmark = pytest.mark.slow


def _positions(nlp: Language, text: str, author: str | None = None) -> set[tuple[str, str, str]]:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article = Article(doc_id="t", text=text, content_hash=digest, author=author)
    return {(p.holder, p.stance.value, p.topic) for p in extract(nlp, article).positions}


@pytest.mark.parametrize(
    "text",
    [
        "You might think the Kremlin would be eager to sign a peace deal.",
        "One would expect Moscow to welcome a ceasefire.",
        "It is easy to assume that the Kremlin supports a ceasefire.",
        "If Russia accepts a ceasefire, talks could resume in Geneva.",
    ],
)
def test_extraction_positions_irrealis_frames_give_no_position(
    real_nlp: Language, text: str
) -> None:
    assert _positions(real_nlp, text) == set()


def test_extraction_positions_modal_possibility_is_not_a_position(real_nlp: Language) -> None:
    text = "As a sweetener, Washington could offer Moscow the lifting of sanctions."
    assert _positions(real_nlp, text) == set()


def test_extraction_positions_contrast_denies_the_negated_item(real_nlp: Language) -> None:
    found = _positions(real_nlp, "The Kremlin seeks victory, not peace.")
    assert not any(topic == "peace_deal" for _, _, topic in found)


def test_extraction_positions_object_list_items_keep_their_own_polarity(
    real_nlp: Language,
) -> None:
    text = (
        "Moscow wants a written pledge that Ukraine will never join Nato, "
        "the promise of gradual sanctions relief, and a ceasefire on its terms."
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ex = extract(real_nlp, Article(doc_id="t", text=text, content_hash=digest))
    got = {(p.topic, p.direction.value) for p in ex.positions if p.holder == "russia"}
    assert ("nato_membership_ukraine", "against") in got
    assert ("sanctions_relief", "for") in got
    assert ("sanctions_relief", "against") not in got


def test_extraction_positions_willing_to_walk_away_is_a_threat(real_nlp: Language) -> None:
    found = _positions(real_nlp, "Putin is willing to walk away from any deal.")
    assert found == {("vladimir-putin", "threatens", "peace_deal")}


def test_extraction_positions_evaluated_subject_is_not_the_holder(real_nlp: Language) -> None:
    assert _positions(real_nlp, "Ushakov has become very important in the negotiations.") == set()


def test_extraction_positions_conditional_penalty_is_a_threat(real_nlp: Language) -> None:
    text = "The White House says that new sanctions may be imposed if Moscow stalls the talks."
    assert ("trump-administration", "threatens", "sanctions") in _positions(real_nlp, text)


def test_extraction_positions_imperative_ultimatum(real_nlp: Language) -> None:
    text = (
        "Britain and France sent a blunt message to the Kremlin: accept a 30-day ceasefire "
        "or face tighter sanctions."
    )
    found = _positions(real_nlp, text)
    assert ("france", "demands", "ceasefire") in found
    assert ("france", "threatens", "sanctions") in found


def test_extraction_positions_must_understand_is_no_recommendation(real_nlp: Language) -> None:
    text = "Europe must come to understand that Putin only engages in peace talks to stall."
    found = _positions(real_nlp, text, author="Jane Writer")
    assert not any(stance == "supports" for _, stance, _ in found)


def test_extraction_positions_subheading_is_not_evidence(real_nlp: Language) -> None:
    text = "The talks ended.\n\nThe negotiator\nPutin has said that he wants a ceasefire."
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ex = extract(real_nlp, Article(doc_id="t", text=text, content_hash=digest))
    assert ex.positions
    assert all("negotiator" not in p.evidence.text for p in ex.positions)


def test_extraction_positions_challenge_is_a_proposal_only_with_to(real_nlp: Language) -> None:
    assert _positions(real_nlp, "Analysts fear that Russia will challenge Nato soon.") == set()


def test_extraction_positions_reported_modal_clause_is_kept(real_nlp: Language) -> None:
    text = "Putin has signalled that he would be satisfied with a ceasefire."
    assert ("vladimir-putin", "supports", "ceasefire") in _positions(real_nlp, text)


def test_extraction_positions_reported_stance_keeps_the_inner_holder(real_nlp: Language) -> None:
    text = "Foreign Minister Sergei Lavrov said that Russia rejects the European proposal."
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ex = extract(real_nlp, Article(doc_id="t", text=text, content_hash=digest))
    rejects = [p for p in ex.positions if p.stance.value == "rejects"]
    assert [(p.holder, p.reported_by) for p in rejects] == [("russia", "sergey-lavrov")]


def test_extraction_positions_lifting_sanctions_is_relief(real_nlp: Language) -> None:
    found = _positions(real_nlp, "The Kremlin wants the lifting of Western sanctions.")
    assert found == {("kremlin", "demands", "sanctions_relief")}


def test_extraction_positions_framed_desire_of_another_actor(real_nlp: Language) -> None:
    text = "Putin wants to exploit the desire of President Donald Trump to secure a peace deal."
    assert not any(topic == "peace_deal" for _, _, topic in _positions(real_nlp, text))


def test_extraction_positions_noun_cue_is_not_its_own_topic(real_nlp: Language) -> None:
    text = "Putin is ready to reject any deal that does not meet his demands."
    assert not any(
        t == "russian_demands" and s == "demands" for _, s, t in _positions(real_nlp, text)
    )


def test_extraction_positions_refusal_without_an_issue_is_dropped(real_nlp: Language) -> None:
    assert _positions(real_nlp, "As long as Russia refuses to budge, talks will fail.") == set()


def test_extraction_positions_impersonal_report_is_the_writers_recommendation(
    real_nlp: Language,
) -> None:
    text = "The summit failed. It showed that sanctions on Russian banks should be tightened now."
    found = _positions(real_nlp, text, author="Jane Writer")
    assert ("jane-writer", "supports", "sanctions") in found


def test_extraction_positions_evaluated_subject_is_the_topic(real_nlp: Language) -> None:
    text = (
        "Putin spoke at length. He said that every clause of the peace plan was important to him."
    )
    assert ("vladimir-putin", "supports", "peace_plan") in _positions(real_nlp, text)


def test_extraction_positions_colon_spells_out_the_demands(real_nlp: Language) -> None:
    text = (
        "Moscow's demands have not changed: the demilitarisation of Ukraine, a pledge that "
        "Ukraine will never join Nato, and the lifting of sanctions."
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ex = extract(real_nlp, Article(doc_id="t", text=text, content_hash=digest))
    got = {(p.stance.value, p.topic, p.direction.value) for p in ex.positions}
    assert ("demands", "nato_membership_ukraine", "against") in got
    assert ("demands", "sanctions_relief", "for") in got


def test_extraction_positions_claim_noun_with_content_clause(real_nlp: Language) -> None:
    text = "The claim by Kaja Kallas that Russia is close to collapse surprised diplomats."
    assert {(h, s) for h, s, _ in _positions(real_nlp, text)} == {("kaja-kallas", "claims")}


def test_extraction_positions_claim_noun_without_content_is_dropped(real_nlp: Language) -> None:
    text = "Gerasimov lets his claims get ahead of the facts."
    assert _positions(real_nlp, text) == set()


def test_extraction_positions_preceding_clause_is_no_complement(real_nlp: Language) -> None:
    text = 'Kaja Kallas said on Monday that "Russia does not want peace, it wants Ukraine."'
    found = _positions(real_nlp, text)
    assert ("russia", "demands", "peace_deal") not in found
    assert ("russia", "opposes", "peace_deal") in found


def test_extraction_positions_warning_about_another_actor_is_no_threat(
    real_nlp: Language,
) -> None:
    text = "Nato chief Mark Rutte has warned that Russia could test the alliance within years."
    assert not any(s == "threatens" for _, s, _ in _positions(real_nlp, text))


def test_extraction_positions_threat_is_about_its_penalty(real_nlp: Language) -> None:
    text = (
        "New sanctions, which Trump said he was considering to push Moscow into "
        "negotiations, are unlikely to work."
    )
    found = _positions(real_nlp, text)
    assert ("donald-trump", "threatens", "sanctions") in found
    assert not any(t == "peace_talks" and s == "threatens" for _, s, t in found)


def test_extraction_positions_content_of_anothers_claim_is_not_the_topic(
    real_nlp: Language,
) -> None:
    text = "Trump keeps accepting the Russian claim that Ukraine's NATO hopes caused the war."
    assert not any(t == "nato_membership_ukraine" for _, _, t in _positions(real_nlp, text))


def test_extraction_positions_imperative_right_after_a_colon(real_nlp: Language) -> None:
    text = (
        "That is why, last week, Ukraine's allies (Britain and France)\n"
        "to the Kremlin: accept a 30-day ceasefire now, followed by talks."
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ex = extract(real_nlp, Article(doc_id="t", text=text, content_hash=digest))
    assert not any(p.stance.value == "supports" for p in ex.positions)
    assert any(p.stance.value == "demands" and p.topic == "ceasefire" for p in ex.positions)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Turkey is ready to host a summit between Putin and Zelensky.",
            ("turkey", "supports", "leaders_meeting"),
        ),
        (
            "Erdogan reaffirmed Turkey's readiness to host new rounds of talks in Istanbul.",
            ("turkey", "supports", "peace_talks"),
        ),
        (
            "Britain is ready to send troops to Ukraine as part of a multinational force.",
            ("united-kingdom", "supports", "security_guarantees"),
        ),
    ],
)
def test_extraction_positions_readiness_is_support(
    real_nlp: Language, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _positions(real_nlp, text)


def test_extraction_positions_preparing_for_talks_is_no_stance(real_nlp: Language) -> None:
    text = "US and European envoys prepared for another round of talks aimed at ending the war."
    assert not any(stance == "supports" for _, stance, _ in _positions(real_nlp, text))


def test_extraction_positions_what_is_asked_of_another_is_not_the_asker_s_stance(
    real_nlp: Language,
) -> None:
    text = "Kyiv feared that Washington would pressure it to accept a bad deal."
    assert not any(holder == "united-states" for holder, _, _ in _positions(real_nlp, text))
    text = "Macron urged Beijing to press Moscow to accept an unconditional ceasefire."
    found = _positions(real_nlp, text)
    assert ("emmanuel-macron", "demands", "ceasefire") in found
    assert ("emmanuel-macron", "supports", "ceasefire") not in found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Zelensky called on allies to deliver more Patriot systems.",
            ("volodymyr-zelensky", "demands", "military_aid_ukraine"),
        ),
        (
            "Orban criticised the plan to use frozen Russian assets.",
            ("viktor-orban", "opposes", "military_aid_ukraine"),
        ),
        (
            "Merz said Europe would increase military aid if Russia refused a ceasefire.",
            ("friedrich-merz", "threatens", "military_aid_ukraine"),
        ),
        (
            "Ukraine rejected Russia's demand that it withdraw from the Donbas region.",
            ("russia", "demands", "territorial_concessions"),
        ),
    ],
)
def test_extraction_positions_more_cues(
    real_nlp: Language, text: str, expected: tuple[str, str, str]
) -> None:
    assert expected in _positions(real_nlp, text)


def test_extraction_positions_a_country_s_ministry_holds_its_accusation(
    real_nlp: Language,
) -> None:
    text = "Ukraine's foreign ministry accused Russia of using talks to buy time."
    holders = {(h, s) for h, s, _ in _positions(real_nlp, text)}
    assert ("ukrainian-foreign-ministry", "accuses") in holders


def test_extraction_positions_with_frame_before_the_verb_is_no_topic(real_nlp: Language) -> None:
    text = (
        "With the White House pushing Kyiv towards a hurried settlement, "
        "European governments must decide whether they are spectators or guarantors."
    )
    found = _positions(real_nlp, text, author="Helen Marsh")
    assert not any(topic == "peace_deal" for _, _, topic in found)


def _directed(nlp: Language, text: str) -> set[tuple[str, str, str, str]]:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ex = extract(nlp, Article(doc_id="t", text=text, content_hash=digest))
    return {(p.holder, p.stance.value, p.topic, p.direction.value) for p in ex.positions}


def test_extraction_positions_conjoined_clause_demands_are_each_a_position(
    real_nlp: Language,
) -> None:
    text = (
        "Putin demanded that Ukraine withdraw its troops from Donetsk "
        "and abandon its bid to join NATO."
    )
    got = _directed(real_nlp, text)
    assert ("vladimir-putin", "demands", "territorial_concessions", "for") in got
    assert ("vladimir-putin", "demands", "nato_membership_ukraine", "against") in got


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The Kremlin called on Ukraine to withdraw from four regions and renounce its "
            "NATO ambitions.",
            ("kremlin", "demands", "nato_membership_ukraine", "against"),
        ),
        (
            "Putin said he wants to end the war.",  # the verb is part of the topic term
            ("vladimir-putin", "demands", "peace_deal", "for"),
        ),
        (
            # an activity is given up, not the topic
            "Zelensky demanded that Hungary stop blocking sanctions on Russia.",
            ("volodymyr-zelensky", "demands", "sanctions", "for"),
        ),
    ],
)
def test_extraction_positions_renunciation_verb_flips_the_direction_only_of_its_topic(
    real_nlp: Language, text: str, expected: tuple[str, str, str, str]
) -> None:
    assert expected in _directed(real_nlp, text)


def test_extraction_positions_giving_up_a_named_place_is_a_territorial_concession(
    real_nlp: Language,
) -> None:
    got = _directed(real_nlp, "The Kremlin demands that Kyiv hand over Zaporizhzhia.")
    assert ("kremlin", "demands", "territorial_concessions", "for") in got


def test_extraction_positions_a_reporters_say_is_no_claim_of_his_own(real_nlp: Language) -> None:
    text = (
        "Russian Foreign Minister Sergei Lavrov said on Tuesday that Moscow would not accept "
        "the deployment of European troops in Ukraine."
    )
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    ex = extract(real_nlp, Article(doc_id="t", text=text, content_hash=digest))
    assert [(p.holder, p.stance.value, p.reported_by) for p in ex.positions] == [
        ("russia", "opposes", "sergey-lavrov")
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Ukrainian President Volodymyr Zelenskiy accused Russia of dragging out the talks "
            "to buy time for a new offensive.",
            {("volodymyr-zelensky", "accuses", "peace_talks")},
        ),
        (
            "Macron proposed a summit in Paris to discuss security guarantees for Ukraine.",
            {("emmanuel-macron", "proposes", "leaders_meeting")},
        ),
    ],
)
def test_extraction_positions_a_purpose_clause_is_not_the_topic(
    real_nlp: Language, text: str, expected: set[tuple[str, str, str]]
) -> None:
    assert _positions(real_nlp, text) == expected


def test_extraction_positions_open_to_is_support_and_a_subject_noun_cue_holds_nothing(
    real_nlp: Language,
) -> None:
    text = (
        "The Kremlin said Putin was open to a meeting with Zelenskiy but only once a peace "
        "agreement was ready to be signed."
    )
    assert _positions(real_nlp, text) == {("vladimir-putin", "supports", "leaders_meeting")}


def test_extraction_positions_a_conditional_resolve_is_a_threat_not_a_warning_about(
    real_nlp: Language,
) -> None:
    text = (
        "Putin has warned that Russia will seize more Ukrainian territory unless Kyiv "
        "withdraws from the Donbas."
    )
    assert _positions(real_nlp, text) == {("vladimir-putin", "threatens", "military_force")}


def test_extraction_positions_a_legitimate_target_is_a_threat_of_force(real_nlp: Language) -> None:
    text = "Russia said any Western troops deployed in Ukraine would be a legitimate target."
    assert _positions(real_nlp, text) == {("russia", "threatens", "military_force")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Putin wants an explicit guarantee that Ukraine will not join Nato and the "
            "remaining fifth of the Donetsk region that has not yet been occupied.",
            {
                ("vladimir-putin", "demands", "nato_membership_ukraine", "against"),
                ("vladimir-putin", "demands", "territorial_concessions", "for"),
            },
        ),
        (
            "Zelensky wants a guarantee that Russia will not attack again.",
            {("volodymyr-zelensky", "demands", "security_guarantees", "for")},
        ),
        ("Putin wants talks in Istanbul.", {("vladimir-putin", "demands", "peace_talks", "for")}),
    ],
)
def test_extraction_positions_what_a_wanted_noun_guarantees_and_wanted_land(
    real_nlp: Language, text: str, expected: set[tuple[str, str, str, str]]
) -> None:
    assert _directed(real_nlp, text) == expected


def test_extraction_positions_accused_of_wrongdoing_is_the_accusers_alone(
    real_nlp: Language,
) -> None:
    text = "Foreign Minister Sergei Lavrov accused the Europeans of sabotaging the peace process."
    found = _positions(real_nlp, text, author="A. Reporter")
    assert found == {("sergey-lavrov", "accuses", "peace_talks")}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"If they don\'t make a deal, there will be tariffs, big tariffs," Trump said.',
            {("donald-trump", "threatens", "sanctions", "for")},
        ),
        (
            '"If the talks fail, sanctions would hurt everyone," Trump said.',
            {("donald-trump", "claims", "sanctions", "n/a")},
        ),
    ],
)
def test_extraction_positions_quoted_penalty_under_a_condition_is_a_threat(
    real_nlp: Language, text: str, expected: set[tuple[str, str, str, str]]
) -> None:
    assert _directed(real_nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "China has not condemned the invasion.",
        "Russia did not reject the ceasefire proposal.",
        "Moscow has never threatened Nato with nuclear weapons.",
    ],
)
def test_extraction_positions_a_negated_rejection_accusation_or_threat_is_none(
    real_nlp: Language, text: str
) -> None:
    assert _positions(real_nlp, text) == set()


def test_extraction_positions_a_passive_subject_holds_nothing(real_nlp: Language) -> None:
    assert _positions(real_nlp, "Ukraine was invited by Trump to the summit in Budapest.") == {
        ("donald-trump", "proposes", "leaders_meeting")
    }
    assert _positions(real_nlp, "Ukraine not invited to Budapest summit") == set()
    assert ("russia", "opposes", "ceasefire") in _positions(
        real_nlp, "Russia is opposed to a ceasefire."
    )


def _extracted(nlp: Language, text: str, published: str = "2025-10-17") -> Extraction:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    article = Article(
        doc_id="t", text=text, content_hash=digest, published=dt.date.fromisoformat(published)
    )
    return extract(nlp, article)


def test_extraction_events_not_happened_and_where_not_who(real_nlp: Language) -> None:
    """A Friday paper: "would meet on Friday" is planned for that day; a negated meeting and a
    capital naming the summit's place give no event and no participant."""
    planned = _extracted(
        real_nlp, "Trump said he would meet Volodymyr Zelensky at the White House on Friday."
    )
    [meeting] = planned.events
    assert meeting.date is not None
    assert (meeting.status.value, meeting.date.first) == ("planned", dt.date(2025, 10, 17))
    assert _extracted(real_nlp, "Putin did not meet Zelensky in Istanbul on Monday.").events == ()
    for event in _extracted(real_nlp, "Ukraine not invited to Budapest summit").events:
        assert "hungary" not in {p.actor for p in event.participants}


def test_extraction_actors_a_region_is_a_place_and_a_title_no_actor(real_nlp: Language) -> None:
    found = _extracted(
        real_nlp,
        "Secretary of State Marco Rubio said Ukrainian forces struck a refinery in Russia's "
        "Rostov region.",
    )
    types = {a.key: a.type.value for a in found.actors}
    assert types.get("rostov") == "Place"
    assert "state" not in types
    assert types["marco-rubio"] == "Person"


def test_extraction_positions_readiness_to_talk_is_support_not_talks(real_nlp: Language) -> None:
    text = "He added that Moscow was prepared to continue talks with Washington on other issues."
    found = _extracted(real_nlp, text)
    assert {(p.holder, p.stance.value, p.topic) for p in found.positions} == {
        ("russia", "supports", "peace_talks")
    }
    assert found.events == ()


def test_extraction_positions_an_object_refused_by_a_negated_verb_is_not_guessed(
    real_nlp: Language,
) -> None:
    text = (
        "Russia will not sign any peace agreement that does not recognise its sovereignty over "
        "Crimea, Deputy Foreign Minister Sergei Ryabkov said on Monday."
    )
    assert not any(stance == "supports" for _, stance, _ in _positions(real_nlp, text))


def test_extraction_events_a_headline_does_not_absorb_the_body_s_report(
    real_nlp: Language,
) -> None:
    text = (
        "Putin and Trump discuss Ukraine in lengthy phone call\n\n"
        "Russian President Vladimir Putin and US President Donald Trump spoke by phone on "
        "Tuesday for more than two hours, the Kremlin said."
    )
    [call] = _extracted(real_nlp, text).events
    assert call.type.value == "phone_call"
    assert call.evidence.start > text.index("\n\n")  # the body's sentence, not the headline
    assert {p.actor for p in call.participants} == {"vladimir-putin", "donald-trump"}


def test_extraction_positions_a_conditional_offer_to_stop_is_no_threat(
    real_nlp: Language,
) -> None:
    text = (
        "Ukrainian President Volodymyr Zelensky said on Monday that Kyiv was ready to halt "
        "strikes on Russian energy infrastructure if Moscow did the same."
    )
    assert _directed(real_nlp, text) == {("ukraine", "supports", "military_force", "against")}


def test_extraction_positions_until_clause_is_not_its_subject_s_stance(
    real_nlp: Language,
) -> None:
    text = (
        "German Chancellor Friedrich Merz said Europe would keep up sanctions until Russia "
        "agreed to an unconditional ceasefire."
    )
    assert not any(holder == "russia" for holder, _, _ in _positions(real_nlp, text))


def test_extraction_events_a_relative_clause_keeps_its_own_status(real_nlp: Language) -> None:
    text = (
        "Steve Witkoff, who met Yuri Ushakov in Moscow last month, is expected to travel to "
        "Istanbul for technical talks."
    )
    statuses = {e.type.value: e.status.value for e in _extracted(real_nlp, text).events}
    assert statuses.get("meeting") == "happened"
    assert statuses.get("talks", "planned") == "planned"


def test_extraction_positions_a_list_of_demands_gives_one_demand_per_item(
    real_nlp: Language,
) -> None:
    text = "Putin's conditions are a halt to weapons deliveries and the neutrality of Ukraine."
    found = _extracted(real_nlp, text)
    listed = [
        (p.holder, p.stance.value, text[p.evidence.start : p.evidence.end])
        for p in found.positions
        if p.method.startswith("attribution:list")
    ]
    assert listed == [
        ("vladimir-putin", "demands", "a halt to weapons deliveries"),
        ("vladimir-putin", "demands", "the neutrality of Ukraine"),
    ]


def test_extraction_positions_disputing_a_claim_rejects_it(real_nlp: Language) -> None:
    text = "Kirill Dmitriev challenged the authenticity of the recording."
    assert {(p.holder, p.stance.value) for p in _extracted(real_nlp, text).positions} == {
        ("kirill-dmitriev", "rejects")
    }
    # "challenged Kyiv to talks" is an invitation, not a dispute
    invited = "Kirill Dmitriev challenged the French president to a debate on the recording."
    assert not any(p.stance.value == "rejects" for p in _extracted(real_nlp, invited).positions)
