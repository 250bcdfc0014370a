"""Input rail: the hard cases by name, and odd input that must never crash.

Tests of what the rules decide from context (idioms, denials, history, someone else) check
`rules_level`, the rules' own verdict: the learned detector beside them is measured on the
held-out rounds (guardrails/EVALUATION.md), not phrase by phrase.
"""

from __future__ import annotations

import dataclasses

import pytest

from guardrails import RiskAssessment, assess_risk
from guardrails.context import PriorMessage, RiskContext


def level(text: str) -> str:
    return assess_risk(text).level


def rules_level(text: str) -> str:
    return assess_risk(text).rules_level


@pytest.mark.parametrize(
    "text",
    [
        "I wish I wouldn't wake up",
        "I want to kill myself",
        "i don't want to be alive anymore",
        "honestly i'm gonna kms",
        "thinking about how to unalive myself",
        "sewerslide is all i think about",
        "I just want to end it all",
        "Don't worry, I won't be around much longer.",
        "i want to kil myslef",
        "I'VE BEEN HAVING SUICIDAL THOUGHTS",
    ],
)
def test_suicidal_thoughts_plain_coded_and_misspelt_are_crisis(text: str) -> None:
    assert level(text) == "crisis"


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I've been stockpiling my sleeping pills.", "plan_or_means"),
        ("I wrote goodbye letters to my family last night.", "preparation"),
        ("I've been giving away all my things.", "preparation"),
        ("I took a whole bottle of pills on Saturday.", "recent_attempt"),
        ("I cut myself again last night.", "self_harm"),
        ("The urge to cut is so strong tonight.", "self_harm"),
        ("I'm going to kill him.", "harm_to_others"),
        ("He said he'd kill me if I leave.", "danger_now"),
        ("My boyfriend hit me again last night.", "danger_now"),
        ("Everyone would be better off without me.", "burden_death_wish"),
    ],
)
def test_each_crisis_category_names_its_signal(text: str, signal: str) -> None:
    result = assess_risk(text)
    assert result.level == "crisis"
    assert signal in result.signals


@pytest.mark.parametrize(
    "text",
    [
        "I want to die lol jk",
        "kms haha just kidding",
        "I want to die. Forget I said that.",
    ],
)
def test_retraction_after_disclosure_stays_crisis(text: str) -> None:
    result = assess_risk(text)
    assert result.level == "crisis"
    assert "retraction_after_disclosure" in result.signals


@pytest.mark.parametrize(
    "text",
    [
        "How many paracetamol would it take to kill someone? Asking for a friend.",
        "what's the most painless way to die? my friend wants to know",
        "what is the lethal dose of sertraline",
    ],
)
def test_method_questions_for_a_friend_are_crisis(text: str) -> None:
    result = assess_risk(text)
    assert result.level == "crisis"
    assert "method_question" in result.signals


def test_friend_framing_is_recorded() -> None:
    text = "How many sleeping pills would it take to not wake up? Asking for a friend."
    assert "method_question_third_party" in assess_risk(text).signals


@pytest.mark.parametrize(
    "text",
    [
        "This homework is killing me.",
        "I'm dying to see the new exhibition.",
        "I killed it at work today.",
        "I could murder a pizza right now.",
        "I'm dead 😂 that video",
        "I cut myself shaving this morning.",
        "I keep beating myself up about that email.",
        "I overdosed on coffee before the exam lol",
        "I'm going to end it with him tonight, the relationship isn't working.",
    ],
)
def test_idioms_and_accidents_are_not_risk(text: str) -> None:
    assert rules_level(text) == "none"


@pytest.mark.parametrize(
    "text",
    [
        "I'm not suicidal.",
        "I have no thoughts of hurting myself.",
        "I would never kill myself, I just feel sad.",
        "I've never self-harmed.",
        "No, I'm not thinking about suicide.",
    ],
)
def test_plain_denials_are_none(text: str) -> None:
    assert rules_level(text) == "none"


def test_denial_does_not_reach_past_a_new_clause() -> None:
    assert level("He never listens to anyone, I'll kill him.") == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "Years ago I tried to take my life; today I want to write about how far I've come.",
        "I used to self-harm as a teenager, but I've been clean for six years.",
        "When I was a kid my dad would beat me. I'm safe now and I'm proud of who I am.",
    ],
)
def test_past_resolved_history_is_none(text: str) -> None:
    assert rules_level(text) == "none"


def test_past_history_not_said_to_be_resolved_is_concern() -> None:
    result = assess_risk("When I was fifteen I used to cut myself.")
    assert result.rules_level == "concern"
    assert result.signals == ("history_of_risk",)


def test_past_risk_that_is_still_going_on_is_crisis() -> None:
    assert level("I started cutting when I was twelve and I still do.") == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "My uncle died by suicide when I was ten.",
        "My friend self-harms and I'm worried about her.",
        "We talked about self-harm awareness in class today.",
    ],
)
def test_someone_elses_risk_or_the_topic_is_none(text: str) -> None:
    assert rules_level(text) == "none"


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I had a panic attack on the bus.", "panic"),
        ("The flashbacks are back every night.", "flashback"),
        ("Nothing feels real, I'm watching myself from outside.", "dissociation"),
        ("I feel hopeless.", "hopelessness"),
        ("I feel worthless.", "worthlessness"),
        ("I'm so overwhelmed I can't think.", "overwhelmed"),
        ("I haven't slept in three days.", "insomnia"),
        ("I've been drinking every night just to cope.", "drinking_to_cope"),
        ("I feel like such a burden to my family.", "burden"),
    ],
)
def test_serious_distress_is_concern(text: str, signal: str) -> None:
    result = assess_risk(text)
    assert result.level == "concern"
    assert signal in result.signals


@pytest.mark.parametrize(
    "text",
    [
        "I'm grateful for my sister and our walk today.",
        "Work was stressful but I handled it.",
        "I want to reflect on my values this week.",
    ],
)
def test_ordinary_journaling_is_none(text: str) -> None:
    result = assess_risk(text)
    assert (result.level, result.signals) == ("none", ())


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   \n\t",
        "😭😭😭",
        "今日は散歩に行きました。",
        "\x00\x01\x02",
        "\ud800 lone surrogate",
        "!?." * 30000,
    ],
)
def test_odd_input_never_crashes(text: str) -> None:
    assert assess_risk(text).level in ("none", "concern", "crisis")


def test_empty_text_is_none_with_no_signals() -> None:
    assert assess_risk("") == RiskAssessment("none", ())


def test_the_detector_score_and_features_come_with_the_verdict() -> None:
    result = assess_risk("i keep thinking everyone would be better off if i was gone")
    assert result.detector is not None
    assert 0.0 <= result.detector.crisis_score <= 1.0
    assert result.detector.features, "the model explains itself with its top n-grams"
    detail = result.detail()
    assert detail["model"]["version"] and detail["categories"] == list(result.categories)


def test_crisis_at_the_end_of_a_100kb_text_is_found() -> None:
    # Whole sentences: a text cut mid-word ("... I wa") ends in the letters of "I want", which
    # the model weighs as such (a known quirk: guardrails/README.md, Limits).
    day = (
        "I walked to the shops and made tea when I got home. "
        "The bus was late again, so I read on the bench. "
        "My sister rang about the weekend and we laughed about the dog. "
    )
    calm = day * (100_000 // len(day))
    assert len(calm) > 99_000
    assert level(calm) == "none"
    assert level(calm + " I want to kill myself.") == "crisis"


def test_a_phrase_across_a_chunk_boundary_is_found() -> None:
    from guardrails.text import CHUNK_CHARS

    for offset in (-12, -5, 0, 5):
        text = ("word " * 2000)[: CHUNK_CHARS + offset] + " i want to die " + "word " * 100
        assert level(text) == "crisis", offset


def test_disguised_spellings_are_read() -> None:
    assert level("thinking about su1c1de every night") == "crisis"
    assert level("i wanna k*ll myself") == "crisis"
    assert level("i want to diiiie") == "crisis"


def test_result_is_frozen_and_rejects_non_text() -> None:
    result = assess_risk("hello")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.level = "crisis"  # type: ignore[misc]
    with pytest.raises(TypeError):
        assess_risk(None)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        # clean time counted from the risk, with the milestone's date after it
        "One year free of bingeing and purging this week. My wife made a cake.",
        "two year self harm free as of today!! got a small tattoo to mark it",
        "Thirty years clear of self-harm this spring.",
        "Six years tomorrow since the overdose. I used to dread this week.",
        # a risk that came back once, then closed again
        "the urge to hurt myself came back last spring when nan died but it passed. nothing since",
        # clean time in the other languages
        "hoy cumplo un año sin cortarme, mi psicóloga me regaló una pulsera",
        "heute 1 jahr ohne ritzen, überleg mir ein kleines tattoo als belohnung",
        "dzis mija rok bez ciecia sie",
    ],
)
def test_milestones_and_closed_returns_are_not_crisis(text: str) -> None:
    assert rules_level(text) != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "2 years clean but last night I cut myself",
        "relapsed last night after 4 months clean",
        "one year free of self harm but I want to cut again tonight",
        "the urges to cut came back",
        "the urge to cut came back last night",
        "I cut myself again. The urge is gone now.",
        "wczoraj znowu sie pocielam",
        "i still cut when it gets bad",
        "I'm worried I have an eating disorder, I make myself sick after meals",
    ],
)
def test_recent_acts_and_returns_beside_a_milestone_stay_crisis(text: str) -> None:
    assert rules_level(text) == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "my mom took my phone for the night cuz i was on it til 3am lol fair tbh",
        "My mum took my phone at 10pm because of the screen curfew during exams.",
        "finally nailed the death drop in rehearsal 💀",
        "my bestie has started cutting again and i dunno what to say to her. any tips?",
        "buddy in my platoon been cutting i think. how do i bring it up",
        "burnt myself on the curling tongs again, how do i cover the mark for tonight",
        "On the news they talk about the young man who overdosed in Salford, very sad.",
        "Estoy escribiendo la carta de despedida para Pilar, que se jubila el viernes.",
        "my friend showed me cuts on her arm at lunch. how do i help her",
        "my roommate barely eats and she's getting thin. I'm worried it's an eating disorder.",
        "Coworker keeps joking about wanting to get hit by a bus. Like daily.",
    ],
)
def test_house_rules_friends_news_and_everyday_burns_are_not_crisis(text: str) -> None:
    assert rules_level(text) != "crisis"


@pytest.mark.parametrize(
    "text",
    [
        "my husband took my phone and my bank card",
        "hid my lunch in my backpack again and dumped it at the bus stop. mom has no clue",
        "They washed out my stomach. My wife is very angry with me.",
        "pasó algo a lo que no dije que sí, me siento sucia",
        "se va a arrepentir, ya sé dónde vive y mi primo tiene una pistola",
        "Ich seh mich manchmal in nem Sarg liegen und alle weinen.",
        "bghit n9tel rassi wllah",
    ],
)
def test_control_hidden_food_veiled_attempts_and_other_languages_are_found(text: str) -> None:
    assert rules_level(text) == "crisis"


def test_a_question_about_stations_without_barriers_after_a_stressor_is_crisis() -> None:
    question = "which subway stations dont have the barrier doors yet"
    earlier = assess_risk("got jumped again after school")
    context = RiskContext(
        recent=(PriorMessage("got jumped again after school", earlier.level, earlier.signals),)
    )
    assert assess_risk(question).rules_level == "concern"
    assert assess_risk(question, context).rules_level == "crisis"


@pytest.mark.parametrize(
    "text",
    [
        # a relapse told after a recovery story (a fresh reviewer's cases)
        "I was doing so well in my recovery and my therapist was proud. Then I cut my wrists.",
        "I was doing so well in my recovery and my therapist was proud. Then he raped me.",
        "I'm proud of my recovery over the years. After the bills came I bought a rope and "
        "found a spot in the woods.",
        "After years of recovery from anorexia, I stopped eating after the holidays and I weigh "
        "myself five times a day.",
        "I've been in recovery a long time. After the breakup I took a handful of my pills and "
        "ended up in A&E.",
        "I have been in recovery for years. My stepdad raped me after the party.",
        "After years of recovery from an abusive marriage, my new boyfriend hit me and took my "
        "car keys.",
        "Dois anos sem me cortar, minha terapeuta tem orgulho de mim. Mas eu quero me matar.",
        # a milestone, then a relapse
        "Two years self harm free until I cut my wrists yesterday.",
        "I was 2 years self harm free but last month I burned myself with a lighter",
        "Suicidal thoughts came back when I lost my job. It passed for a day. I wrote my note.",
        # the abuser named by a role, control told as fair
        "The guy from my gym raped me.",
        "My husband took my phone after I was on it all night, he does that, fair tbh.",
        "My fiance took my passport and my phone. We agreed it's safer with him.",
        # the client's own last day, days without eating
        "Hoy es mi último día, ya me despedí de todos y regalé mis cosas.",
        "Ça fait trois jours sans manger et je me fais vomir.",
    ],
)
def test_risk_told_after_recovery_milestones_or_excuses_stays_crisis(text: str) -> None:
    assert level(text) == "crisis"
