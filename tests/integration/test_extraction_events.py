"""kg_events on short invented sentences of political news (slow): the real parser, the words
that look like triggers but name no event, and the reports that must still give one."""

from __future__ import annotations

import hashlib

import pytest
from spacy.language import Language

from kg.nlp.extract import extract
from kg.records import Article, Event

pytestmark = pytest.mark.slow


def _events(nlp: Language, text: str) -> list[Event]:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return list(extract(nlp, Article(doc_id="t", text=text, content_hash=digest)).events)


@pytest.mark.parametrize(
    "text",
    [
        # figurative strikes, attacks and meetings
        "Witkoff hopes to strike a deal with Russia by Friday.",
        "Lavrov attacked the plan as a Western ploy.",
        "Orban attacked the European Union over its stance on Ukraine.",
        "Russia must meet the conditions set by Ukraine, Kallas said.",
        # talking about, speaking of, naming
        "Putin talked about NATO expansion in his speech on Thursday.",
        "Zelensky spoke of Putin with contempt.",
        "Trump spoke highly of Putin in his interview.",
        "Zelensky spoke to reporters in Kyiv on Monday.",
        "Trump called Putin a killer.",
        "Zelensky called Putin's proposal a trap.",
        "Trump called Zelensky a dictator in February.",
        "Zelensky's call for new sanctions on Russia was ignored.",
        # fire, quit and dismissal that are no resignation
        "Russia fired missiles at Kyiv overnight, Ukraine's air force said.",
        "Russia fired more than 400 drones at Ukraine on Sunday.",
        "The Kremlin quit the grain deal with Ukraine in 2023.",
        "Zelensky's dismissal of the proposal angered Putin.",
        # names and phrases built on trigger words
        "The front line of contact between Russia and Ukraine has barely moved.",
        "Ukraine's offensive capabilities depend on the United States.",
        "The terror attack in Moscow killed 140 people, Putin said.",
        # deadlines without a penalty
        "Trump set a deadline for a decision on the plan.",
        # sanctions mentioned, not imposed
        "Sanctions against Russia have hurt its economy, Nabiullina said.",
        "Western sanctions on Russia have not stopped the war.",
        "The impact of sanctions on Russia's oil exports has been limited.",
        "Putin said sanctions against Russia were illegal.",
        "Imposing sanctions on Russia's oil buyers, as Graham proposed, would be one option.",
        # conditions, questions, refusals, deliberation
        "If Russia attacks a NATO member, the alliance will respond, Rutte said.",
        "The Kremlin ruled out a meeting between Putin and Zelensky.",
        "The Kremlin said Putin has no plans to speak to Zelensky.",
        "Russia is considering new strikes on Ukraine's energy grid, the general said.",
        "Medvedev threatened strikes on European capitals.",
        "Peskov refused to say whether Putin would meet Zelensky.",
        "A meeting between Putin and Zelensky is possible only at the final stage, Peskov said.",
        "Europe must prepare for a Russian attack on NATO territory within five years.",
        "Putin has used every round of talks to buy time.",
        "Sanctioned Russian banks cannot use SWIFT.",
        "Enacting sanctions on Russian oil buyers, as Graham proposed, represents one option.",
        "Putin would prefer to negotiate directly with Trump over the heads of Europeans.",
        "Trump attacked Zelensky for ingratitude.",
        "Lavrov said any deployment of European troops would be a target for Russian strikes.",
    ],
)
def test_extraction_events_look_alikes_give_no_event(real_nlp: Language, text: str) -> None:
    assert _events(real_nlp, text) == []


@pytest.mark.parametrize(
    ("text", "etype", "actors"),
    [
        (
            "Trump and Putin spoke by phone for two hours on Tuesday.",
            "phone_call",
            {"donald-trump", "vladimir-putin"},
        ),
        ("Zelensky will speak with Trump on Friday.", "phone_call", {"donald-trump"}),
        (
            "Trump had a phone call with Zelensky on Wednesday.",
            "phone_call",
            {"volodymyr-zelensky"},
        ),
        ("Macron called Putin on Monday to discuss a ceasefire.", "phone_call", {"vladimir-putin"}),
        ("Rubio held talks with Lavrov in Riyadh on February 18.", "talks", {"sergey-lavrov"}),
        ("Rubio met his Russian counterpart Sergei Lavrov in Riyadh.", "meeting", {"marco-rubio"}),
        ("Putin received Witkoff in the Kremlin on Thursday.", "meeting", {"steve-witkoff"}),
        ("Zelensky fired his army chief in February.", "resignation", {"volodymyr-zelensky"}),
        ("Kellogg resigned as special envoy on Friday.", "resignation", {"keith-kellogg"}),
        (
            "The United States imposed sanctions on Rosneft and Lukoil on Wednesday.",
            "sanctions",
            {"united-states"},
        ),
        (
            "Sanctions were imposed on Rosneft by the United States on Wednesday.",
            "sanctions",
            {"rosneft"},
        ),
        (
            "Kallas said the EU had adopted its 19th sanctions package against Russia.",
            "sanctions",
            {"european-union"},
        ),
        (
            "Trump has repeatedly threatened Russia with sanctions.",
            "sanctions_threat",
            {"donald-trump"},
        ),
        (
            "Trump gave Putin ten days to agree to a ceasefire or face tariffs. "
            "It was his second deadline for Putin.",
            "sanctions_threat",
            {"donald-trump"},
        ),
        (
            "Russia launched a massive missile strike on Kyiv overnight, killing 12 people.",
            "attack",
            {"russia"},
        ),
        ("Russia attacked Kyiv with drones overnight.", "attack", {"russia"}),
        (
            "Russia's annexation of Crimea in 2014 was never recognised by Ukraine.",
            "annexation",
            {"russia"},
        ),
        (
            "The war began with Russia's full-scale invasion of Ukraine in February 2022.",
            "invasion",
            {"russia", "ukraine"},
        ),
        (
            "Moscow has been conducting consultations with Beijing on the matter.",
            "talks",
            {"russia", "china"},
        ),
        (
            "Trump did not wait long to have a phone call with Putin.",
            "phone_call",
            {"vladimir-putin"},
        ),
        ("Zelensky received a call from Trump on Friday.", "phone_call", {"donald-trump"}),
        ("Trump and Putin talked for two hours on Tuesday.", "phone_call", {"vladimir-putin"}),
        (
            "Sanctions against Russia are unlikely to work, but the EU imposed new sanctions on "
            "Russia on Friday.",
            "sanctions",
            {"european-union"},
        ),
    ],
)
def test_extraction_events_reports_give_their_event(
    real_nlp: Language, text: str, etype: str, actors: set[str]
) -> None:
    found = [e for e in _events(real_nlp, text) if e.type.value == etype]
    assert found, f"no {etype} in {text!r}"
    assert actors <= {p.actor for e in found for p in e.participants}
