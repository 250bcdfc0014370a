"""Starting, switching, resuming and saving exercises; what the client wrote is always kept."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.base import JournalFormValidation, handle_interjection, read_answer
from actions.exercises import (
    BY_INTENT,
    BY_NAME,
    EXERCISES,
    FIRST_OFFER,
    PTG_CHECKIN,
    VALUES,
    Exercise,
    collect_answers,
    last_exercise,
    offered_at,
    prompt_text,
)
from actions.offers import STOP_FOR_TODAY, choice_buttons, not_now, readiness_of
from actions.readiness import RISK_SLOT
from actions.safety import utter_checked
from actions.sharing import SHARING_SLOT, sharing_said
from bot.interjections import read_interjection
from bot.readiness import SKIPPED, allows
from bot.settings import Settings
from bot.storage.db import session_scope
from bot.storage.journal import (
    Answer,
    UnknownClient,
    has_unfinished,
    last_answer,
    save_entry,
    take_unfinished,
)
from bot.storage.ptg import save_ptg

logger = logging.getLogger(__name__)

# Featurized: the rules run an exercise's form once this names it (data/rules/exercises.yml).
EXERCISE_SLOT = "exercise"
# Below this intent confidence, naming another exercise mid-exercise is read as an answer.
# (Whether a stop is meant is read before the dialogue, by bot/stop_component.py.)
SWITCH_CONFIDENCE = 0.8


def store_entry(
    client_id: str,
    exercise: Exercise,
    answers: Sequence[Answer],
    *,
    completed: bool,
    at_risk: bool = False,
    shared: bool | None = None,
) -> bool | None:
    """Saves the entry; returns whether it is shared with the therapist, or None if not saved.

    `shared` is what the client said during the exercise; None means their default.
    """
    try:
        with session_scope(Settings.from_env().app_database_url) as session:
            entry = save_entry(
                session,
                client_id,
                exercise.name,
                answers,
                completed=completed,
                at_risk=at_risk,
                shared=shared,
            )
            if completed and exercise is PTG_CHECKIN:
                scores = {
                    str(a.slot).removeprefix("ptg_"): int(float(a.answer))
                    for a in answers
                    if a.answer != SKIPPED
                }
                save_ptg(session, client_id, scores)
            return entry.shared_with_therapist
    except UnknownClient:
        logger.warning("not saving a %s entry for unenrolled sender %s", exercise.name, client_id)
        return None


def summary_of(exercise: Exercise, slots: Mapping[str, Any]) -> str:
    """The answers read back in the closing message, in the client's own words.

    Prompts passed on are not read back as answers; where the exercise names them, the summary
    says which were passed on ("the blue mug; a car outside. You let smell and taste pass").
    """
    written = [
        str(slots[s]) for s in exercise.summary_slots if slots.get(s) not in (None, "", SKIPPED)
    ]
    names = dict(exercise.summary_names)
    passed = [names[s] for s in exercise.summary_slots if slots.get(s) == SKIPPED and s in names]
    if not written or not passed:
        return "; ".join(written)
    listed = passed[0] if len(passed) == 1 else f"{', '.join(passed[:-1])} and {passed[-1]}"
    return f"{'; '.join(written)}. You let {listed} pass"


def cleared(exercise: Exercise) -> list[EventType]:
    """Empties the exercise's slots, so the next run of it starts fresh."""
    return [
        *(SlotSet(slot, None) for slot in exercise.slots),
        SlotSet(EXERCISE_SLOT, None),
        SlotSet(SHARING_SLOT, None),
    ]


def utter_saved(dispatcher: CollectingDispatcher, shared: bool | None) -> None:
    if shared is None:
        dispatcher.utter_message(response="utter_entry_not_saved")
    else:
        dispatcher.utter_message(response="utter_entry_shared" if shared else "utter_entry_private")


def leave_active_loop(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
) -> list[EventType]:
    """Ends the exercise under way, keeping its answers, before another starts."""
    if tracker.active_loop.get("name") not in EXERCISES:
        return []
    dispatcher.utter_message(response="utter_switching")
    left, shared = keep_unfinished(tracker, domain)
    if shared is not None:
        utter_saved(dispatcher, shared)
    return [ActiveLoop(None), SlotSet("requested_slot", None), *left]


def start(client_id: str, exercise: Exercise) -> list[EventType]:
    """Sets the `exercise` slot that runs its form; values also looks up last time's step."""
    events: list[EventType] = []
    if exercise is VALUES:
        events.append(SlotSet("previous_value_action", previous_value_action(client_id)))
    return [*events, SlotSet(EXERCISE_SLOT, exercise.name)]


def previous_value_action(client_id: str) -> str | None:
    """Last time's committed step, which the values exercise asks about first."""
    with session_scope(Settings.from_env().app_database_url) as session:
        return last_answer(session, client_id, VALUES.name, "value_action")


def chosen_exercise(intent: str | None, offered: str | None) -> Exercise | None:
    """The exercise the client picked by name, or the one offered when they said yes."""
    if intent == "affirm":
        return BY_NAME.get(offered or "")
    return BY_INTENT.get(intent or "")


def asked_slot(tracker: Tracker) -> str | None:
    """The slot of the question asked most recently."""
    return next(
        (
            e["value"]
            for e in reversed(tracker.events)
            if e.get("event") == "slot" and e.get("name") == "requested_slot" and e.get("value")
        ),
        None,
    )


def form_at_latest_message(events: Sequence[Mapping[str, Any]]) -> str | None:
    """The form that was running when the client's latest message arrived, if any."""
    latest_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=-1)
    for event in reversed(events[:latest_user]):
        if event.get("event") == "active_loop":
            return event.get("name")
    return None


def answer_in_place(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, exercise: Exercise
) -> list[EventType]:
    """Keeps the message as the answer to the question asked, and carries on with the exercise.

    The form does not validate a slot another action set, so the answer is read here the way
    its validation reads it: "3 I stop to notice things" on a 0-5 scale is kept as 3, and "what
    do you mean by safe place?" (read as choosing the safe place) is a question, not the place.
    """
    asked = asked_slot(tracker)
    text = tracker.latest_message.get("text")
    if asked is None:
        return [SlotSet(EXERCISE_SLOT, exercise.name)]
    kind = JournalFormValidation.interjection(text, tracker, prompt_text(domain, asked))
    if kind is not None:
        values = handle_interjection(kind, asked, exercise.slots, dispatcher)
    else:
        values = {asked: read_answer(text, dict(exercise.scales).get(asked))}
    return [*(SlotSet(k, v) for k, v in values.items()), SlotSet(EXERCISE_SLOT, exercise.name)]


def misread_answer(tracker: Tracker, chosen: Exercise | None) -> Exercise | None:
    """The exercise under way when a mid-exercise choice is really an answer to it.

    That is when the choice names the same exercise ("my safe place is the beach") or the model
    is unsure ("moving gently" read as the kind-word exercise): a misread answer must not end it.
    """
    active = EXERCISES.get(tracker.active_loop.get("name") or "")
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence", 1.0)
    if active is not None and (chosen is active or confidence < SWITCH_CONFIDENCE):
        return active
    return None


# Words that ask to go back to an exercise rather than begin it: "let's go back to the senses".
_GOING_BACK = re.compile(
    r"\b(?:back|resume|continue|carry on|pick (?:it |that |this )?up|finish|left off|return)\b"
)


def goes_back(tracker: Tracker, exercise: Exercise) -> bool:
    """Whether choosing `exercise` means going back to it: the client says so, or it was left
    unfinished earlier in this session."""
    text = str(tracker.latest_message.get("text") or "").lower()
    left_earlier = any(
        e.get("event") == "active_loop" and e.get("name") == exercise.form for e in tracker.events
    )
    return bool(_GOING_BACK.search(text)) or left_earlier


class ActionStartExercise(Action):
    """Starts the chosen exercise if readiness opens it; mid-exercise, this is a switch.

    Going back to an exercise left unfinished picks it up where it stopped, with its answers.
    """

    def name(self) -> str:
        return "action_start_exercise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        level = readiness_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        offered = tracker.get_slot("offered_exercise")
        if intent == "affirm" and offered is None:
            # A yes to nothing on offer is a friendly ok, not a choice that was turned down.
            dispatcher.utter_message(response="utter_nothing_offered")
            return [SlotSet(EXERCISE_SLOT, None)]
        exercise = chosen_exercise(intent, offered)
        under_way = misread_answer(tracker, exercise)
        if under_way is not None:
            return answer_in_place(dispatcher, tracker, domain, under_way)
        if exercise is None or not allows(level, exercise.level):
            not_now(dispatcher, level)
            return [SlotSet(EXERCISE_SLOT, None)]
        if goes_back(tracker, exercise):
            resumed = resume(dispatcher, tracker, domain, [exercise.name])
            if resumed is not None:
                return [SlotSet("offered_exercise", None), *resumed]
        left = leave_active_loop(dispatcher, tracker, domain)
        return [*left, SlotSet("offered_exercise", None), *start(tracker.sender_id, exercise)]


def resume(
    dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict, open_now: list[str]
) -> list[EventType] | None:
    """Picks up the latest unfinished entry of one of `open_now`; None when there is none.

    The exercise under way, if any, is kept as unfinished first, then the entry's answers are
    set again so its form carries on from the next question.
    """
    try:
        with session_scope(Settings.from_env().app_database_url) as session:
            entry = take_unfinished(session, tracker.sender_id, open_now)
            restored = {i.slot: i.answer for i in entry.items} if entry else {}
            exercise = BY_NAME[entry.exercise] if entry else None
    except UnknownClient:
        exercise = None
    if exercise is None:
        return None
    left = leave_active_loop(dispatcher, tracker, domain)
    dispatcher.utter_message(response="utter_resuming", title=exercise.title)
    answers = [SlotSet(slot, restored[slot]) for slot in exercise.slots if slot in restored]
    return [*left, *answers, *start(tracker.sender_id, exercise)]


class ActionResumeExercise(Action):
    """Picks up the latest unfinished exercise that readiness opens, with its answers so far."""

    def name(self) -> str:
        return "action_resume_exercise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        under_way = misread_answer(tracker, None)
        if under_way is not None:
            return answer_in_place(dispatcher, tracker, domain, under_way)
        level = readiness_of(tracker)
        open_now = [e.name for e in EXERCISES.values() if allows(level, e.level)]
        resumed = resume(dispatcher, tracker, domain, open_now)
        if resumed is not None:
            return resumed
        if waiting_but_closed(tracker.sender_id):
            # Honest: there is one, but readiness does not open it now.
            not_now(dispatcher, level)
        else:
            dispatcher.utter_message(response="utter_nothing_to_resume")
        return [SlotSet(EXERCISE_SLOT, None)]


def waiting_but_closed(client_id: str) -> bool:
    """Whether an unfinished entry waits that readiness does not open (none open is left)."""
    try:
        with session_scope(Settings.from_env().app_database_url) as session:
            return has_unfinished(session, client_id)
    except UnknownClient:
        return False


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
        shared = store_entry(
            tracker.sender_id, exercise, answers, completed=True, shared=sharing_said(tracker)
        )
        summary = summary_of(exercise, tracker.slots)
        # With every summarised prompt passed on, there is nothing of theirs to read back.
        nothing = bool(exercise.summary_slots) and not summary
        utter_checked(
            dispatcher,
            tracker,
            domain,
            response="utter_summary_unwritten" if nothing else f"utter_summary_{exercise.name}",
            summary=summary,
        )
        utter_saved(dispatcher, shared)
        level = "stabilize" if distressed_during(tracker) else readiness_of(tracker)
        suggested = offer_next(dispatcher, level, exercise)
        return [
            *cleared(exercise),
            SlotSet("previous_value_action", None),
            SlotSet("offered_exercise", suggested.name if suggested else None),
        ]


# The actions after which an exercise's answers begin.
EXERCISE_STARTS = frozenset({"action_start_exercise", "action_resume_exercise"})


def distressed_during(tracker: Tracker) -> bool:
    """Whether the input rail read concern or crisis in any answer since the exercise began.

    Readiness was checked when it started; what comes next is paced by what was said since.
    """
    for event in reversed(tracker.events):
        risk = event.get("value") if event.get("name") == RISK_SLOT else None
        if event.get("event") == "slot" and risk in ("concern", "crisis"):
            return True
        if event.get("event") == "action" and event.get("name") in EXERCISE_STARTS:
            return False
    return False


def offer_next(dispatcher: CollectingDispatcher, level: str, done: Exercise) -> Exercise | None:
    """After an exercise, a short choice: one suggestion that readiness opens, the other open
    exercises as buttons, and stopping for today. Returns the suggestion, which a yes starts."""
    others = [e for e in offered_at(level) if e is not done]
    if not others:
        return None
    first = FIRST_OFFER.get(level)
    suggested = first if first in others else others[0]
    rest = [e for e in others if e is not suggested]
    buttons = [
        {"title": f"Yes, {suggested.title.lower()}", "payload": "/affirm"},
        *choice_buttons(rest)[:-1],
        STOP_FOR_TODAY,
    ]
    dispatcher.utter_message(response="utter_what_next", title=suggested.title, buttons=buttons)
    return suggested


def keep_unfinished(tracker: Tracker, domain: DomainDict) -> tuple[list[EventType], bool | None]:
    """Saves what an interrupted exercise holds so far; returns the slot resets and the sharing.

    The sharing is None when nothing was saved.
    """
    exercise = last_exercise(tracker.events)
    if exercise is None:
        return [], None
    answers = collect_answers(exercise, tracker.slots, tracker.events, domain)
    shared = (
        store_entry(
            tracker.sender_id,
            exercise,
            answers,
            completed=exercise.stop_completes,
            shared=sharing_said(tracker),
        )
        if answers
        else None
    )
    return cleared(exercise), shared


def keep_at_risk(tracker: Tracker, domain: DomainDict) -> list[EventType]:
    """Ends an exercise interrupted by an answer at crisis level, keeping it for the clinician.

    The entry holds the answers so far and the answer that ended it, under the question it
    answered, and is marked `at_risk`: never summarised back, resumed or read as an ordinary
    entry. Outside an exercise this is the same as keep_unfinished.
    """
    exercise = EXERCISES.get(form_at_latest_message(tracker.events) or "")
    asked = asked_slot(tracker)
    if exercise is None or asked not in exercise.slots:
        return keep_unfinished(tracker, domain)[0]
    ending = Answer(prompt_text(domain, asked), str(tracker.latest_message.get("text") or ""))
    answers = [
        *collect_answers(exercise, tracker.slots, tracker.events, domain),
        replace(ending, slot=asked),
    ]
    store_entry(tracker.sender_id, exercise, answers, completed=False, at_risk=True)
    return cleared(exercise)


class ActionStopExercise(Action):
    """Runs after the client asks to stop: keeps what they wrote so far."""

    def name(self) -> str:
        return "action_stop_exercise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        dispatcher.utter_message(response="utter_exercise_stopped")
        events, shared = keep_unfinished(tracker, domain)
        if shared is not None:
            utter_saved(dispatcher, shared)
        if read_interjection(str(tracker.latest_message.get("text") or "")) == "goodbye":
            dispatcher.utter_message(response="utter_goodbye")
        return events
