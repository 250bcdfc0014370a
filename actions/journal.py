"""Saving what the client wrote when an exercise ends, finished or stopped early."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.exercises import Exercise, collect_answers, last_exercise
from actions.safety import utter_checked
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.journal import Answer, UnknownClient, save_entry

logger = logging.getLogger(__name__)


def store_entry(
    client_id: str, exercise: Exercise, answers: Sequence[Answer], *, completed: bool
) -> bool | None:
    """Saves the entry; returns whether it is shared with the therapist, or None if not saved."""
    try:
        with session_scope(Settings.from_env().app_database_url) as session:
            entry = save_entry(session, client_id, exercise.name, answers, completed=completed)
            return entry.shared_with_therapist
    except UnknownClient:
        logger.warning("not saving a %s entry for unenrolled sender %s", exercise.name, client_id)
        return None


def summary_of(exercise: Exercise, slots: Mapping[str, Any]) -> str:
    return "; ".join(str(slots[s]) for s in exercise.summary_slots if slots.get(s))


def cleared(exercise: Exercise) -> list[EventType]:
    """Empties the exercise's slots, so the next run of it starts fresh."""
    return [SlotSet(slot, None) for slot in exercise.slots]


def utter_saved(dispatcher: CollectingDispatcher, shared: bool | None) -> None:
    if shared is None:
        dispatcher.utter_message(response="utter_entry_not_saved")
    else:
        dispatcher.utter_message(response="utter_entry_shared" if shared else "utter_entry_private")


class ActionSaveEntry(Action):
    """Runs when an exercise's form completes: saves the entry and closes with a short summary."""

    def name(self) -> str:
        return "action_save_entry"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        exercise = last_exercise(tracker.events)
        if exercise is None:
            return []
        answers = collect_answers(exercise, tracker.slots, tracker.events, domain)
        shared = store_entry(tracker.sender_id, exercise, answers, completed=True)
        utter_checked(
            dispatcher,
            tracker,
            domain,
            response=f"utter_summary_{exercise.name}",
            summary=summary_of(exercise, tracker.slots),
        )
        utter_saved(dispatcher, shared)
        return cleared(exercise)


def keep_unfinished(tracker: Tracker, domain: DomainDict) -> tuple[list[EventType], bool | None]:
    """Saves what an interrupted exercise holds so far; returns the slot resets and the sharing.

    The sharing is None when nothing was saved.
    """
    exercise = last_exercise(tracker.events)
    if exercise is None:
        return [], None
    answers = collect_answers(exercise, tracker.slots, tracker.events, domain)
    shared = store_entry(tracker.sender_id, exercise, answers, completed=False) if answers else None
    return cleared(exercise), shared


class ActionStopExercise(Action):
    """Runs after the client says stop in an exercise: keeps what they wrote, without pressure."""

    def name(self) -> str:
        return "action_stop_exercise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_exercise_stopped")
        events, shared = keep_unfinished(tracker, domain)
        if shared is not None:
            utter_saved(dispatcher, shared)
        return events
