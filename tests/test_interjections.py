"""Interjections read by their words: what is said about the conversation is not an answer."""

from __future__ import annotations

import pytest

from actions.exercises import BY_INTENT
from bot.interjections import (
    EXERCISE_NAMES,
    answering_metadata,
    answers_a_question,
    intent_for,
    read_interjection,
)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("thanks, gotta go now bye", "goodbye"),
        ("ok i'll come back to this later", "goodbye"),
        ("Good night x", "goodbye"),
        ("Thank you, I must go now to pick up my son. Goodbye.", "goodbye"),
        ("ok brb actually gtg, ill come back to this later", "goodbye"),
        ("Sorry, I typed that wrong. Can I start over?", "restart"),
        ("id rather not put a number on it", "decline"),
        ("wat do u mean", "clarify"),
        ("are you a human being or a computer?", "bot_question"),
        ("hi again, sorry, pager went", "back"),
        ("i'd rather not rate it tbh", "decline"),
        ("start over", "restart"),
        ("can we start again from the beginning please", "restart"),
        ("redo", "restart"),
        ("i'd rather not rate it", "decline"),
        ("I'll pass on this one", "decline"),
        ("i don't want to answer that", "decline"),
        ("wait what was the question?", "clarify"),
        ("sorry, what?", "clarify"),
        ("what do you mean by that", "clarify"),
        ("huh?", "clarify"),
        ("are you a real person?", "bot_question"),
        ("r u a bot lol", "bot_question"),
    ],
)
def test_an_interjection_is_read_by_its_kind(text: str, kind: str) -> None:
    assert read_interjection(text) == kind


def test_a_question_about_the_question_may_use_the_question_s_own_words() -> None:
    asked = "Which part of life would you like to think about today?"
    assert read_interjection("wat do u mean by part of life", asked) == "clarify"
    assert read_interjection("what do you mean why", "What made that one matter to you?") == (
        "clarify"
    )
    # Without the question, its words are the client's own: maybe an answer.
    assert read_interjection("wat do u mean by part of life") is None
    assert read_interjection("a sound of rain", "What is one sound you can hear?") is None


@pytest.mark.parametrize(
    "text",
    [
        "somewhere i can finally stop running",
        "i'd say are you for real? you did your best",
        "the bench by the shed, later in the evening",
        "my mum is a real person who cares",
        "what a day",
        "my sister called",
        "nothing good happened",
        "the start of spring, my favourite time to begin again with the garden and the kids",
        "ok",
        "no",
    ],
)
def test_an_answer_that_uses_the_same_words_is_an_answer(text: str) -> None:
    assert read_interjection(text) is None


@pytest.mark.parametrize(
    ("text", "model", "answering", "intent"),
    [
        # Inside an exercise or the check-in.
        ("thanks, gotta go now bye", "goodbye", True, "stop"),
        ("i'd say are you for real? you did your best", "bot_challenge", True, "share"),
        ("wait, are you a bot? that's weird", "bot_challenge", True, "bot_challenge"),
        ("are you human", "share", True, "bot_challenge"),
        ("what do you mean?", "bot_challenge", True, "share"),
        ("i'd rather not say", "deny", True, "share"),
        ("the kettle, bye the way", "goodbye", True, "goodbye"),
        # Outside: only "start over" is read; a goodbye stays a goodbye.
        ("start over", "share", False, "start_over"),
        ("start over", "greet", True, "start_over"),
        ("bye", "goodbye", False, "goodbye"),
        ("ok thanks, bye for now", "thank", False, "goodbye"),
        ("are you for real", "bot_challenge", False, "bot_challenge"),
    ],
)
def test_the_intent_follows_the_reading_where_a_question_is_open(
    text: str, model: str, answering: bool, intent: str
) -> None:
    assert intent_for(text, model, answering) == intent


@pytest.mark.parametrize(
    ("text", "model", "confidence", "intent"),
    [
        ("3 I stop to notice things", "choose_grounding", 0.81, "share"),
        ("being someone who doesn't quit on people", "request_human", 0.57, "share"),
        ("a chapter where I don't have to leave anywhere", "keep_private", 0.70, "share"),
        ("can i talk to someone please", "request_human", 0.6, "request_human"),
        ("Slow breathing", "choose_breathing", 1.0, "choose_breathing"),
        # Picking up an earlier exercise takes words that go back, however sure the model is.
        ("that one was slower, I stopped counting halfway", "resume_exercise", 0.99, "share"),
        ("can we pick up where we left off", "resume_exercise", 0.99, "resume_exercise"),
        # Words that ask to switch make an unsure guess of another exercise a switch.
        ("actually can we switch to the kind word one", "choose_self_compassion", 0.6, None),
    ],
)
def test_an_unsure_guess_never_takes_an_answer_away_from_the_question(
    text: str, model: str, confidence: float, intent: str | None
) -> None:
    assert intent_for(text, model, True, confidence) == (intent or model)
    assert intent_for(text, model, False, confidence) == model


def test_the_open_question_travels_in_the_metadata() -> None:
    assert answers_a_question({**answering_metadata("sense_see"), "risk": {}})
    assert not answers_a_question(answering_metadata(None))
    assert not answers_a_question(None)


def test_every_exercise_can_be_named_in_words() -> None:
    assert set(EXERCISE_NAMES) == set(BY_INTENT)


@pytest.mark.parametrize(
    ("text", "model", "answering", "intent"),
    [
        ("I want the kind word one", "out_of_scope", False, "choose_self_compassion"),
        ("i think i just want to write instead", "nlu_fallback", False, "choose_free_writing"),
        (
            "can we switch to the kind word one, there's something on my mind",
            "share",
            True,
            ("choose_self_compassion"),
        ),
        # Naming without asking, or naming inside an answer, chooses nothing.
        ("the senses one was nice", "share", False, "share"),
        ("my safe place please", "share", True, "share"),
        ("i want to stop drinking, that's what matters", "share", True, "share"),
    ],
)
def test_an_exercise_asked_for_by_name_is_chosen_whatever_the_model_made_of_it(
    text: str, model: str, answering: bool, intent: str
) -> None:
    assert intent_for(text, model, answering) == intent
