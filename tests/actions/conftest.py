"""Tracker, dispatcher and domain fixtures for testing the custom actions directly."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from tests.actions.helpers import Act, MakeTracker
from tests.conftest import PROJECT_DIR


@pytest.fixture(scope="session")
def domain() -> dict[str, Any]:
    """The real domain.yml, so actions find the responses and slots they will meet in production."""
    return yaml.safe_load((PROJECT_DIR / "domain.yml").read_text())


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def make_tracker(domain: dict[str, Any]) -> MakeTracker:
    """Builds a tracker with every domain slot empty unless given."""

    def make(
        sender_id: str = "sam",
        slots: dict[str, Any] | None = None,
        events: list[dict[str, Any]] | None = None,
        active_loop: str | None = None,
        latest_message: dict[str, Any] | None = None,
    ) -> Tracker:
        all_slots = {name: None for name in domain["slots"]}
        all_slots.update(slots or {})
        return Tracker(
            sender_id=sender_id,
            slots=all_slots,
            latest_message=latest_message or {},
            events=events or [],
            paused=False,
            followup_action=None,
            active_loop={"name": active_loop} if active_loop else {},
            latest_action_name=None,
        )

    return make


@pytest.fixture
def act(make_tracker: MakeTracker, dispatcher: CollectingDispatcher, domain: dict[str, Any]) -> Act:
    """Runs actions with this test's dispatcher, the real domain and trackers built for Sam."""
    return Act(dispatcher=dispatcher, domain=domain, tracker=make_tracker)
