"""Loads the trained assistant one way and prints what it predicts, as JSON (for test_fast_load).

    python -m tests.fast_load_probe eager|stock MODEL

`stock` loads TED and DIET with Rasa's own RasaModel.load; `eager` with bot.fast_load's.
"""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any

import bot.fast_load

MESSAGES = (
    "hello",
    "i want to do gratitude",
    "stop please",
    "what are you",
    "i feel awful today",
    "no thanks",
    "let's do the breathing one",
    "can we go back to values",
    "thank you bye",
    "keep that private",
    "it can wait",
)
CONVERSATIONS = (("hello", "i want to do gratitude", "my cat"), ("hi", "breathing please", "done"))


async def predictions(model: str) -> dict[str, Any]:
    from rasa.core.agent import load_agent

    agent = await load_agent(model_path=model)
    out: dict[str, Any] = {}
    for text in MESSAGES:
        parsed = await agent.parse_message(text)
        out[text] = [(i["name"], round(i["confidence"], 4)) for i in parsed["intent_ranking"][:3]]
    for number, conversation in enumerate(CONVERSATIONS):
        sender = f"probe-{number}"
        for text in conversation:
            await agent.handle_text(text, sender_id=sender)
        tracker = await agent.tracker_store.retrieve(sender)
        out[" | ".join(conversation)] = [
            getattr(e, "action_name", None) for e in tracker.events if e.type_name == "action"
        ]
    return out


def main() -> int:
    mode, model = sys.argv[1], sys.argv[2]
    if mode == "stock":
        from rasa.utils.tensorflow.models import RasaModel

        stock = RasaModel.load.__func__  # type: ignore[attr-defined]
        bot.fast_load._BuiltEagerly.load = classmethod(  # type: ignore[method-assign]
            lambda cls, *args, **kwargs: stock(cls, *args, **kwargs)
        )
    print(json.dumps(asyncio.run(predictions(model))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
