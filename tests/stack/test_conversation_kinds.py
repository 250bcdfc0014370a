"""The kinds of issue 15, through `reflect chat` against the stack: what the client says that is
not the answer to the question asked is handled, and never stored as the answer."""

from __future__ import annotations

from collections.abc import Callable

from bot.stack import Stack
from tests.stack.conftest import Enrolled
from tests.stack.test_journeys import CHECK_IN, entries, talk
from tests.stack.test_said_so import moods

ASKED_AGAIN = "Here it is again"
STARTING_OVER = "let's start again from the beginning"
GOODBYE = "Take care of yourself"
WHAT_NEXT = "stop here for today"
FIRST_SENSE = "what is one thing you can see right now?"


def test_1_a_goodbye_mid_exercise_is_not_saved_as_an_answer_and_the_exercise_stays_open(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-1-bye")
    out = talk(stack, client, [*CHECK_IN, "yes", "my sister called", "thanks, gotta go now bye"])
    assert "we'll stop here" in out
    assert GOODBYE in out
    (entry,) = entries(stack, "kind15-1-bye")
    assert (entry.exercise, entry.completed) == ("gratitude", False)
    assert entry.answers == ["my sister called"]


def test_1_a_question_about_the_question_gets_the_question_again(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-1-what")
    senses = ["the lamp", "wait what was the question?", "a bus outside", "my socks", "skip"]
    out = talk(stack, client, ["grounding please", *senses, "mint"])
    assert ASKED_AGAIN in out
    (entry,) = entries(stack, "kind15-1-what")
    assert entry.completed
    assert "wait what was the question?" not in entry.answers
    assert entry.answers == ["the lamp", "a bus outside", "my socks", "(skipped)", "mint"]


def test_1_a_declined_good_thing_is_a_pass_not_a_good_thing(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-1-decline")
    out = talk(stack, client, [*CHECK_IN, "yes", "i'd rather not say"])
    assert "What made that one matter to you?" not in out
    assert "Is there a second thing" in out


def test_2_start_over_in_the_check_in_asks_the_rating_again(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-2-checkin")
    out = talk(stack, client, ["hi", "4", "start over", "7", "better"])
    assert STARTING_OVER in out
    assert moods(stack, "kind15-2-checkin") == [(7.0, "better")]


def test_2_start_over_in_an_exercise_asks_its_first_question_again(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-2-exercise")
    out = talk(stack, client, ["grounding please", "the lamp", "start over"])
    assert STARTING_OVER in out
    assert out.rstrip().endswith(FIRST_SENSE)
    talk(stack, client, ["the window", "rain", "the rug", "toast", "tea"])
    (entry,) = entries(stack, "kind15-2-exercise")
    assert entry.answers == ["the window", "rain", "the rug", "toast", "tea"]


def test_2_start_over_after_the_offer_is_a_fresh_check_in_that_replaces_the_rating(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-2-offer")
    out = talk(stack, client, ["hi", "3", "low", "start over", "5", "steadier"])
    assert STARTING_OVER in out
    assert "I'm listening" not in out
    assert moods(stack, "kind15-2-offer") == [(5.0, "steadier")]


def test_3_a_second_greeting_says_hello_back_and_asks_for_no_second_rating(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-3")
    out = talk(stack, client, ["hi", "6", "fine", "Not now", "hey, me again"])
    assert "You've already checked in today" in out
    assert out.count("how are you feeling right now") == 1
    assert moods(stack, "kind15-3") == [(6.0, "fine")]


def test_4_going_back_to_an_exercise_by_name_carries_on_where_it_stopped(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-4")
    talk(stack, client, ["grounding please", "the lamp", "a dog barking", "Slow breathing"])
    out = talk(stack, client, ["let's go back to the five senses one"])
    assert "pick up where you left off" in out
    assert "What can you feel against your skin" in out
    talk(stack, client, ["my jumper", "nothing much", "coffee"])
    finished = [e for e in entries(stack, "kind15-4") if e.exercise == "grounding" and e.completed]
    (entry,) = finished
    assert entry.answers == ["the lamp", "a dog barking", "my jumper", "nothing much", "coffee"]


def test_5_answers_about_stopping_or_being_done_are_kept(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-5")
    place = "somewhere i can finally stop running"
    talk(stack, client, ["a safe place please", place, "trees and quiet", "lighter"])
    talk(stack, client, ["slow breathing", "done", "done", "done", "looser"])
    safe_place, breathing = entries(stack, "kind15-5")
    assert safe_place.completed and safe_place.answers[0] == place
    assert breathing.completed and breathing.answers == ["done", "done", "done", "looser"]


def test_6_a_rating_declined_in_words_is_not_demanded_again(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-6")
    out = talk(stack, client, ["hi", "i'd rather not rate it"])
    assert "didn't catch a number" not in out
    assert "Is there a word or two for how you feel?" in out
    talk(stack, client, ["tired"])
    assert moods(stack, "kind15-6") == []


def test_6_just_writing_at_the_offer_is_free_writing_saved_as_one_entry(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-6-write")
    out = talk(stack, client, [*CHECK_IN, "i just want to write, no exercises"])
    assert "There are no questions" in out
    lines = ["long shift, feet aching", "but the sunset on the way home was pink", "done"]
    out = talk(stack, client, lines)
    assert "What you wrote is kept" in out
    (entry,) = entries(stack, "kind15-6-write")
    assert (entry.exercise, entry.completed) == ("free_writing", True)
    assert entry.answers == ["long shift, feet aching\n\nbut the sunset on the way home was pink"]


def test_7_an_answer_that_sounds_like_a_question_to_the_bot_is_kept(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-7")
    answer = "i'd say are you for real? you did your best"
    out = talk(stack, client, [*CHECK_IN, "A kind word", "work is a lot", answer])
    assert "automated journaling companion" not in out
    assert "Could any of those words be meant for you" in out
    talk(stack, client, ["maybe"])
    (entry,) = entries(stack, "kind15-7")
    assert answer in entry.answers


def test_8_a_summary_never_reads_back_the_skip_marker(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-8")
    out = talk(stack, client, ["grounding please", "skip", "skip", "the chair", "skip", "skip"])
    assert "(skipped)" not in out
    assert "You noticed: the chair." in out


def test_9_nothing_good_happened_is_not_taken_as_a_good_thing(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-9")
    out = talk(stack, client, [*CHECK_IN, "yes", "nothing good happened"])
    assert "What made that one matter to you?" not in out


def test_10_ok_with_nothing_on_offer_is_not_answered_as_a_refusal(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-10")
    out = talk(stack, client, ["ok"])
    assert "isn't open right now" not in out


def test_11_after_an_exercise_a_paced_choice_of_what_next_is_offered(
    stack: Stack, enrol: Callable[..., Enrolled]
) -> None:
    client = enrol("kind15-11")
    # With no check-in and no distress, readiness is `explore`: gratitude is suggested first.
    out = talk(stack, client, ["grounding please", "the lamp", "rain", "the rug", "toast", "tea"])
    assert 'Would you like to try "Three good things" next' in out
    assert WHAT_NEXT in out
    out = talk(stack, client, ["yes"])
    assert "went well or felt good in the last few days?" in out
