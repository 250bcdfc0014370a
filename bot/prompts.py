"""Which exercise question a client message answers, read from the assistant's last words.

The entry point stores every reply, so the question the client is answering is the last thing
the assistant said. The questions are the `utter_ask_<slot>` responses of domain.yml, and the
form that asks a slot names its exercise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from bot.settings import PROJECT_DIR

_PLACEHOLDER = re.compile(r"\\\{[a-z_]+\\\}")


@dataclass(frozen=True)
class Question:
    """An exercise question: the exercise (its form's name without `_form`) and the slot."""

    exercise: str
    slot: str


@cache
def _questions(domain_path: Path) -> tuple[tuple[re.Pattern[str], Question], ...]:
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8"))
    exercise_of = {
        slot: form.removesuffix("_form")
        for form, spec in (domain.get("forms") or {}).items()
        for slot in spec.get("required_slots", [])
    }
    found = []
    for name, variants in (domain.get("responses") or {}).items():
        slot = name.removeprefix("utter_ask_")
        if not name.startswith("utter_ask_") or slot not in exercise_of:
            continue
        for variant in variants:
            # A {placeholder} in a question stands for any text.
            pattern = _PLACEHOLDER.sub(".*", re.escape(variant.get("text", "")))
            found.append((re.compile(pattern, re.DOTALL), Question(exercise_of[slot], slot)))
    return tuple(found)


def question_of(
    bot_text: str | None, domain_path: Path = PROJECT_DIR / "domain.yml"
) -> Question | None:
    """The exercise question `bot_text` is, or None if it asks none."""
    if not bot_text:
        return None
    return next((q for pattern, q in _questions(domain_path) if pattern.fullmatch(bot_text)), None)
