"""Runs the scripted journeys of `tests/journeys/rounds/` through `reflect chat` and the real
stack, and judges each by the success its writer defined before it was ever run.

A journey (format in `tests/journeys/brief.md`): the client's messages, and what must hold after
the last one: every journal entry saved (exercise, completed or not, phrases its answers hold),
phrases no answer may hold, how many mood ratings are stored, and what the last reply does.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from actions.base import parse_scale
from actions.exercises import as_text
from bot.readiness import SKIPPED
from bot.settings import PROJECT_DIR, Settings
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.journal import entries_for
from bot.storage.models import MoodRating
from bot.storage.readiness import set_growth_setting

ROUNDS_DIR = PROJECT_DIR / "tests" / "journeys" / "rounds"
_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")
# What each `last_reply` of the brief means, as the domain responses that do it. `asks:<slot>`
# is `utter_ask_<slot>`; `says_what_it_is` is the text action_what_i_am builds.
LAST_REPLY_RESPONSES: dict[str, tuple[str, ...]] = {
    "asks_rating": ("utter_ask_mood_score",),
    "asks_mood_word": ("utter_ask_mood_word",),
    "hello": ("utter_greet", "utter_greet_again"),
    "offers": (
        "utter_offer_grounding",
        "utter_offer_gratitude",
        "utter_offer_ptg",
        "utter_what_next",
    ),
    "stopped": (
        "utter_exercise_stopped",
        "utter_stop_ack",
        "utter_no_exercise",
        "utter_safety_plan_partly_saved",
    ),
    "goodbye": ("utter_goodbye",),
    "not_open": ("utter_exercise_not_now",),
    "nothing_to_resume": ("utter_nothing_to_resume",),
    "listening": ("utter_share_ack", "utter_distress_ack", "utter_nothing_offered"),
    "confirms": (),
}
WHAT_I_AM = "automated journaling companion"
LISTENING = "I'm listening"


@dataclass(frozen=True)
class Journey:
    id: str
    kind: str
    turns: tuple[str, ...]
    success: dict[str, Any]
    growth: str = "auto"


@dataclass
class Outcome:
    journey: Journey
    failures: list[str] = field(default_factory=list)
    # Everything the assistant said, in order, for reading a build journey that failed.
    said: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def load(paths: Iterable[Path]) -> list[Journey]:
    """The journeys of the given round files, in file order."""
    journeys = []
    for path in paths:
        for raw in yaml.safe_load(path.read_text(encoding="utf-8")):
            journeys.append(
                Journey(
                    id=str(raw["id"]),
                    kind=str(raw["kind"]),
                    turns=tuple(str(t) for t in raw["turns"]),
                    success=dict(raw["success"]),
                    growth=_growth(raw.get("growth", "auto")),
                )
            )
    return journeys


def _growth(value: object) -> str:
    """The growth setting as written; YAML reads a bare `on` or `off` as a boolean."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


@cache
def _templates() -> tuple[tuple[re.Pattern[str], str], ...]:
    domain = yaml.safe_load((PROJECT_DIR / "domain.yml").read_text(encoding="utf-8"))
    found = []
    for name, variants in domain["responses"].items():
        for variant in variants:
            pattern = _PLACEHOLDER.sub(".*", re.escape(variant.get("text", "")))
            found.append((re.compile(pattern, re.DOTALL), name))
    return tuple(found)


def response_of(text: str) -> str | None:
    """The domain response a reply text is, or None for text an action or the entry built."""
    return next((name for pattern, name in _templates() if pattern.fullmatch(text)), None)


def does(expected: str, texts: list[str]) -> bool:
    """Whether the replies to the last message do what `last_reply` expects."""
    names = {response_of(t) for t in texts}
    if expected.startswith("asks:"):
        return f"utter_ask_{expected.removeprefix('asks:')}" in names
    if expected == "summary":
        return any(n and n.startswith("utter_summary_") for n in names)
    if expected == "says_what_it_is":
        return any(WHAT_I_AM in t for t in texts)
    if expected == "listening" and any(t.startswith(LISTENING) for t in texts):
        return True
    return bool(names & set(LAST_REPLY_RESPONSES.get(expected, ())))


def _chat(reflect: str, settings: Settings, client: str, token: str, lines: list[str]) -> list[str]:
    result = subprocess.run(
        [
            reflect,
            "chat",
            "--client",
            client,
            f"--token={token}",
            "--url",
            settings.entry_url,
            "--json",
        ],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"reflect chat failed: {result.stderr[-500:]}")
    return [str(json.loads(line).get("text", "")) for line in result.stdout.splitlines()]


def run(journey: Journey, settings: Settings, reflect: str, prefix: str = "j") -> Outcome:
    """Plays one journey as a new client and judges it."""
    client_id = f"{prefix}-{journey.id}"
    with session_scope(settings.app_database_url) as session:
        _, token = add_client(session, client_id, client_id=client_id)
        if journey.growth != "auto":
            set_growth_setting(session, client_id, journey.growth)
    outcome = Outcome(journey)
    *before, last = journey.turns
    if before:
        outcome.said = _chat(reflect, settings, client_id, token, before)
    replies = _chat(reflect, settings, client_id, token, [last])
    outcome.said += replies
    judge(outcome, settings, client_id, replies)
    return outcome


def holds(phrase: str, answer: str) -> bool:
    """Whether a saved answer holds the phrase; a rating kept as a number holds the phrase that
    gave it ("about a six" is kept as 6)."""
    if phrase.lower() in answer.lower():
        return True
    number = parse_scale(phrase, 10)
    return number is not None and answer == as_text(number)


def judge(outcome: Outcome, settings: Settings, client_id: str, replies: list[str]) -> None:
    success, fail = outcome.journey.success, outcome.failures.append
    with session_scope(settings.app_database_url) as session:
        # An entry picked up again is superseded by a later one of the same exercise, where its
        # answers ended; until then it stands.
        everything = entries_for(session, client_id)
        saved = [
            (e.exercise, e.completed, [i.answer for i in e.items])
            for n, e in enumerate(everything)
            if e.resumed_at is None or all(o.exercise != e.exercise for o in everything[n + 1 :])
        ]
        ratings = session.query(MoodRating).filter(MoodRating.client_id == client_id).count()
    # Writers differ on the order of a resumed entry, so entries are matched by kind and state.
    expected = success.get("entries") or []
    if len(saved) != len(expected):
        fail(f"{len(saved)} entries saved, {len(expected)} expected")
    left = list(saved)
    for want in expected:
        state = "completed" if want.get("state") == "completed" else "unfinished"
        match = next(
            (s for s in left if (s[0], s[1]) == (want.get("exercise"), state == "completed")), None
        )
        if match is None:
            fail(f"no {state} {want.get('exercise')} entry")
            continue
        left.remove(match)
        for phrase in want.get("answers_include") or []:
            if not any(holds(str(phrase), a) for a in match[2]):
                fail(f"no answer of {match[0]} holds {phrase!r}")
    # A pass is kept as a marker, never as the client's words.
    all_answers = [a.lower() for _, _, answers in saved for a in answers if a != SKIPPED]
    for phrase in success.get("answers_exclude") or []:
        if any(str(phrase).lower() in a for a in all_answers):
            fail(f"an answer holds {phrase!r}")
    if "ratings" in success and ratings != int(success["ratings"]):
        fail(f"{ratings} ratings stored, {success['ratings']} expected")
    expected_reply = success.get("last_reply")
    if expected_reply and not does(str(expected_reply), replies):
        fail(f"last reply is not {expected_reply}: {[response_of(t) or t[:40] for t in replies]}")
