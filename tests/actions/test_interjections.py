"""Inside a form, what is said about the question is handled and never stored as the answer."""

from __future__ import annotations

from rasa_sdk.events import SlotSet

from actions.checkin import ActionGreet, ActionRestartCheckin, ValidateCheckinForm
from actions.exercises import GRATITUDE, GROUNDING
from actions.journal import ActionStartExercise, ActionStopExercise
from bot.readiness import SKIPPED
from bot.storage.db import session_scope
from bot.storage.journal import Answer, entries_for
from bot.storage.models import Client
from tests.actions.helpers import Act, answered, asking, responses, store_entry, validation


def said(form: str, slot: str, text: str, slots: dict[str, str] | None = None) -> dict:
    """Tracker fields: `form` asked for `slot`, and `text` was the client's latest message."""
    return answered(form, slot, text, slots=slots, latest_message={"text": text})


async def test_a_question_about_the_question_asks_it_again_and_stores_nothing(act: Act) -> None:
    events = await act.run(
        validation("grounding_form"),
        **said("grounding_form", "sense_hear", "wait what was the question?"),
    )
    assert SlotSet("sense_hear", None) in events
    assert responses(act.dispatcher) == ["utter_ask_again"]


async def test_coming_back_mid_exercise_is_welcomed_and_the_question_asked_again(
    act: Act,
) -> None:
    events = await act.run(
        validation("narrative_form"),
        **said("narrative_form", "chapter_title", "hi again, sorry, pager went"),
    )
    assert SlotSet("chapter_title", None) in events
    assert responses(act.dispatcher) == ["utter_welcome_back"]


async def test_start_over_empties_every_answer_so_the_form_asks_its_first_question(
    act: Act,
) -> None:
    earlier = {"good_thing_1": "my sister called", "why_1": "we laughed"}
    events = await act.run(
        validation("gratitude_form"),
        **said("gratitude_form", "good_thing_2", "can we start over", slots=earlier),
    )
    assert all(SlotSet(slot, None) in events for slot in GRATITUDE.slots)
    assert responses(act.dispatcher) == ["utter_starting_over"]


async def test_a_decline_in_words_passes_the_question_on(act: Act) -> None:
    events = await act.run(
        validation("safe_place_form"),
        **said("safe_place_form", "safe_place_feeling", "i'd rather not answer that"),
    )
    assert SlotSet("safe_place_feeling", SKIPPED) in events
    assert responses(act.dispatcher) == []


async def test_a_rating_declined_in_words_is_not_demanded_again(act: Act) -> None:
    events = await act.run(
        ValidateCheckinForm(), **said("checkin_form", "mood_score", "i'd rather not rate it")
    )
    assert SlotSet("mood_score", SKIPPED) in events
    assert responses(act.dispatcher) == []


async def test_an_answer_using_the_same_words_is_kept(act: Act) -> None:
    text = "somewhere i can finally stop running"
    events = await act.run(
        validation("safe_place_form"), **said("safe_place_form", "safe_place", text)
    )
    assert SlotSet("safe_place", text) in events


async def test_nothing_good_happened_is_a_pass_not_a_good_thing(act: Act) -> None:
    events = await act.run(
        validation("gratitude_form"),
        **said("gratitude_form", "good_thing_1", "honestly nothing good happened this week"),
    )
    assert SlotSet("good_thing_1", SKIPPED) in events


async def test_a_second_greeting_says_hello_back_without_a_new_rating(act: Act) -> None:
    await act.run(ActionGreet())
    await act.run(ActionGreet(), slots={"mood_score": 6.0})
    assert responses(act.dispatcher) == ["utter_greet", "utter_greet_again"]


async def test_start_over_after_the_check_in_asks_it_afresh(act: Act) -> None:
    events = await act.run(ActionRestartCheckin(), slots={"mood_score": 6.0, "mood_word": "ok"})
    assert events == [SlotSet("mood_score", None), SlotSet("mood_word", None)]
    assert responses(act.dispatcher) == ["utter_starting_over"]


async def test_ok_with_nothing_on_offer_is_a_friendly_ok_not_a_refusal(act: Act) -> None:
    latest = {"intent": {"name": "affirm", "confidence": 0.97}, "text": "ok"}
    events = await act.run(ActionStartExercise(), latest_message=latest)
    assert responses(act.dispatcher) == ["utter_nothing_offered"]
    assert events == [SlotSet("exercise", None)]


async def test_going_back_to_an_exercise_by_name_carries_on_where_it_stopped(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    store_entry(db_url, "grounding", [Answer("q", "the lamp", slot="sense_see")], completed=False)
    text = "let's go back to the five senses one"
    latest = {"intent": {"name": "choose_grounding", "confidence": 0.95}, "text": text}
    events = await act.run(
        ActionStartExercise(), slots={"readiness": "stabilize"}, latest_message=latest
    )
    assert responses(act.dispatcher) == ["utter_resuming"]
    assert SlotSet("sense_see", "the lamp") in events
    assert SlotSet("exercise", GROUNDING.name) in events


async def test_a_goodbye_inside_an_exercise_stops_it_and_says_goodbye(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    fields = asking(
        "grounding_form",
        "sense_hear",
        "stabilize",
        "thanks, gotta go now bye",
        {"name": "stop", "confidence": 1.0},
    )
    fields["slots"]["sense_see"] = "the lamp"
    fields["events"] = [
        {"event": "active_loop", "name": "grounding_form"},
        {"event": "slot", "name": "sense_see", "value": "the lamp", "timestamp": 1.0},
        *fields["events"],
    ]
    await act.run(ActionStopExercise(), **fields)
    assert responses(act.dispatcher) == [
        "utter_exercise_stopped",
        "utter_entry_shared",
        "utter_goodbye",
    ]
    with session_scope(db_url) as session:
        (entry,) = entries_for(session, "sam")
        assert [i.answer for i in entry.items] == ["the lamp"]
        assert entry.completed is False


async def test_free_writing_adds_each_message_until_the_client_is_done(act: Act) -> None:
    form = "free_writing_form"
    more = await act.run(
        validation(form),
        **said(form, "writing_done", "and then the bus was late", slots={"writing": "long day"}),
    )
    assert SlotSet("writing", "long day\n\nand then the bus was late") in more
    assert SlotSet("writing_done", None) in more
    done = await act.run(
        validation(form), **said(form, "writing_done", "that's all", slots={"writing": "x"})
    )
    assert SlotSet("writing_done", "done") in done


async def test_free_writing_is_saved_whole_and_stopping_finishes_it(
    db_url: str, enrolled_client: Client, act: Act
) -> None:
    fields = asking(
        "free_writing_form", "writing_done", "stabilize", "bye for now", {"name": "stop"}
    )
    fields["slots"]["writing"] = "long day\n\nthe bus was late"
    fields["events"] = [
        {"event": "active_loop", "name": "free_writing_form"},
        {"event": "slot", "name": "writing", "value": "long day", "timestamp": 1.0},
        *fields["events"],
    ]
    await act.run(ActionStopExercise(), **fields)
    with session_scope(db_url) as session:
        (entry,) = entries_for(session, "sam")
        assert (entry.exercise, entry.completed) == ("free_writing", True)
        assert [i.answer for i in entry.items] == ["long day\n\nthe bus was late"]


async def test_a_question_about_the_question_read_as_choosing_the_same_exercise_is_asked_again(
    act: Act,
) -> None:
    text = "wait what do you mean by safe place, like a real one?"
    latest = {"intent": {"name": "choose_safe_place", "confidence": 0.95}, "text": text}
    fields = asking("safe_place_form", "safe_place", "stabilize", text, latest["intent"])
    events = await act.run(ActionStartExercise(), **fields)
    assert SlotSet("safe_place", text) not in events
    assert SlotSet("safe_place", None) in events
    assert responses(act.dispatcher) == ["utter_ask_again"]
