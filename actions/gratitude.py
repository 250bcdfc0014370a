"""Gratitude: three good things and why each one mattered."""

from __future__ import annotations

from actions.base import JournalFormValidation
from actions.exercises import GRATITUDE


class ValidateGratitudeForm(JournalFormValidation):
    """Every answer of the gratitude form is free text."""

    free_text_slots = GRATITUDE.slots

    def name(self) -> str:
        return "validate_gratitude_form"
