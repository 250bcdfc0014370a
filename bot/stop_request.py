"""Whether a message asks to stop what is under way, or is an answer that mentions stopping.

A request to stop is short and is about stopping and nothing else: "stop", "can we stop",
"I want to end this", "let's leave it there", "quit". Its words are a stopping word plus the
small words people wrap it in (please, can we, I want to, this, here, now). An answer that uses
the same words about something else has words of its own ("leave at 6 on wednesday", "I want
to stop drinking every night"): those are answers, whatever the intent model guessed.

`intent_for` combines this reading of the text with the model's intent; the NLU component in
`bot/stop_component.py` applies it to every message before the input rail runs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise

STOP_INTENT = "stop"
# What a message the model read as `stop` becomes when it is not a request to stop: free
# writing, which a form keeps as the answer and the input rail can still turn into `distress`.
ANSWER_INTENT = "share"
# Readings a message made only of a request to stop is taken back from.
PROMOTED_FROM = frozenset({"share", "out_of_scope", "nlu_fallback", "goodbye", "affirm"})
# Longer messages are never read as a request to stop unless they are one word for word.
MAX_WORDS = 15

# Words that stop on their own: "stop", "quit please", "can we pause".
STOPPING = frozenset(
    {
        "stop",
        "stopp",
        "stoppp",
        "stahp",
        "quit",
        "pause",
        "cancel",
        "exit",
        "abort",
        "halt",
        "enough",
        "finish",
    }
)
# Words that stop only when they point at what is under way ("end this", "leave it there",
# "done with this one", "get me out of this"), with what they need to point at it.
UNDER_WAY = frozenset(
    {"this", "it", "that", "here", "there", "exercise", "session", "questions", "chat", "now"}
)
STOPPING_WITH_OBJECT: dict[str, frozenset[str]] = {
    "end": UNDER_WAY,
    "leave": UNDER_WAY,
    "drop": UNDER_WAY,
    "out": UNDER_WAY - {"now", "there"},
    "call": frozenset({"it"}),
    # "done" alone, or "done now", answers a breathing prompt.
    "done": frozenset({"with"}),
    "finished": frozenset({"with"}),
}
# "end" is a request to stop on its own too.
STOPPING_ALONE = frozenset({"end"})
# Two-word ways to stop: "not now", "no more", "time out", "too much", "a break".
STOPPING_PAIRS = frozenset(
    {
        ("not", "now"),
        ("not", "today"),
        ("not", "tonight"),
        ("no", "more"),
        ("time", "out"),
        ("too", "much"),
        ("too", "hard"),
        ("a", "break"),
    }
)
# "I can't keep going", "let's not continue", "I don't want to do this anymore"; and "I don't
# want to stop", which is not a request to stop.
GOING_ON = frozenset({"continue", "carry", "keep", "go", "do", "going", "doing"})
NOT = frozenset({"not", "don't", "dont", "can't", "cant", "cannot", "won't", "never"})
# The small words a request to stop is wrapped in; any other word makes the message an answer.
FRAMING = frozenset(
    (
        "i",
        "i'm",
        "im",
        "i'd",
        "id",
        "i've",
        "ive",
        "i'll",
        "me",
        "my",
        "we",
        "we're",
        "let's",
        "lets",
        "let",
        "us",
        "you",
        "can",
        "could",
        "would",
        "will",
        "shall",
        "may",
        "might",
        "should",
        "must",
        "please",
        "pls",
        "plz",
        "thanks",
        "thank",
        "ok",
        "okay",
        "so",
        "just",
        "actually",
        "really",
        "honestly",
        "maybe",
        "wait",
        "hey",
        "sorry",
        "oh",
        "um",
        "uh",
        "yeah",
        "yes",
        "well",
        "right",
        "want",
        "wanna",
        "need",
        "like",
        "rather",
        "prefer",
        "think",
        "guess",
        "to",
        "for",
        "with",
        "of",
        "on",
        "at",
        "a",
        "the",
        "an",
        "and",
        "or",
        "but",
        "this",
        "that",
        "it",
        "it's",
        "its",
        "that's",
        "here",
        "there",
        "now",
        "today",
        "tonight",
        "anymore",
        "any",
        "more",
        "one",
        "exercise",
        "session",
        "questions",
        "question",
        "asking",
        "chat",
        "is",
        "am",
        "are",
        "be",
        "was",
        "get",
        "getting",
        "got",
        "go",
        "going",
        "do",
        "doing",
        "keep",
        "carry",
        "on",
        "continue",
        "bit",
        "little",
        "while",
        "moment",
        "time",
        "day",
        "point",
        "again",
        "later",
        "another",
        "all",
        "much",
        "too",
        "hard",
        "no",
        "had",
        "have",
        "from",
        "break",
        # Chat shorthand people end a message with: "that's enough for now tbh".
        "tbh",
        "ngl",
        "rn",
        "btw",
        "fr",
    )
)
_WORD = re.compile(r"[a-z0-9']+")
# Clauses end at punctuation, a spaced dash, "but" or "because"; "stop-start" is one word.
_CLAUSE = re.compile(r"[,.;:!?()\u2013\u2014]+|\s-+\s|\b(?:but|because)\b")


def words(text: str) -> list[str]:
    """The message's words in lower case, with curly apostrophes made straight."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _stops(clause: Sequence[str]) -> bool:
    """Whether a run of words holds a way of stopping whose object is what is under way."""
    negation = next((i for i, w in enumerate(clause) if w in NOT), len(clause))
    before, after = clause[:negation], clause[negation + 1 :]
    if any(w in STOPPING or w in STOPPING_WITH_OBJECT for w in after):
        return False  # "I don't want to stop"
    if any(w in STOPPING for w in before):
        return True
    plain = [w for w in clause if w != "right"]  # "not right now"
    if any(pair in STOPPING_PAIRS for pair in pairwise(plain)):
        return True
    if any(set(before) & STOPPING_WITH_OBJECT.get(w, frozenset()) for w in before):
        return True
    if len(set(clause) - {"please"}) == 1 and clause[0] in STOPPING_ALONE:
        return True
    return any(w in GOING_ON for w in after)


def is_request_to_stop(clause: Sequence[str]) -> bool:
    """Whether these words, and nothing else, ask to stop."""
    known = FRAMING | STOPPING | STOPPING_WITH_OBJECT.keys() | NOT
    return bool(clause) and all(w in known for w in clause) and _stops(clause)


def asks_to_stop(text: str) -> bool:
    """Whether the whole message is a request to stop ("can we stop here please")."""
    return is_request_to_stop(words(text))


def has_request_to_stop(text: str) -> bool:
    """Whether a short message holds a clause that is a request to stop on its own.

    "this is too hard, I want to stop" and "stop, I need a minute" do; "I want to stop drinking
    every night" and "leave at 6 on wednesday" do not: there, stop and leave have an object of
    their own.
    """
    if len(words(text)) > MAX_WORDS:
        return False
    return any(is_request_to_stop(words(clause or "")) for clause in _CLAUSE.split(text.lower()))


def intent_for(text: str, intent: str | None) -> str | None:
    """The intent to act on, from the model's `intent` and what the text is.

    - A message the model read as `stop` stays `stop` only if it holds a request to stop;
      otherwise it is an answer (`share`), so a form keeps it.
    - A message that is nothing but a request to stop becomes `stop` when the model took it
      for free writing, an unknown message, a goodbye or a yes. A no stays a no: "not today"
      declines an offer.
    - Anything else keeps the model's intent.
    """
    if intent == STOP_INTENT:
        return STOP_INTENT if has_request_to_stop(text) else ANSWER_INTENT
    if intent in PROMOTED_FROM and asks_to_stop(text):
        return STOP_INTENT
    return intent
