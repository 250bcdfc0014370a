"""Whether a message given where a question was asked is an answer or an interjection.

An interjection says something about the conversation instead of answering: a goodbye ("thanks,
gotta go now bye"), a request to start over, a decline of the question ("i'd rather not rate
it"), a question about the question ("wait what was the question?") or a question about the
assistant ("are you a real person?"). Requests to stop are read by `bot/stop_request.py`.

A message is an interjection only when it is made of that kind's cue phrases and the small words
people wrap them in, as in `bot/stop_request.py`. A message with words of its own is an answer
that happens to use them: "somewhere i can finally stop running", "i'd say are you for real?
you did your best", "bye for now, as my gran used to say". A cue phrase must match whole words.

The same reading serves Rasa's NLU pipeline (`bot/interjection_component.py`) and the form
validations (`actions/base.py`), so what is an answer is decided in one place.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from bot.stop_request import ANSWER_INTENT, FRAMING, MAX_WORDS, STOP_INTENT, words

# Never predicted by the model: set by `intent_for` when the message asks to start over (not
# Rasa's own `restart`, which wipes the tracker).
RESTART_INTENT = "start_over"
BOT_QUESTION_INTENT = "bot_challenge"
GOODBYE_INTENT = "goodbye"
# Outside a question, a message read as a goodbye is taken back from these readings.
GOODBYE_FROM = frozenset({"thank", "share", "affirm", "greet", "nlu_fallback", "out_of_scope"})
# Intents that take a message away from the open question, and how sure the model must be.
LEAVES_THE_QUESTION = frozenset(
    {
        "request_human",
        "ask_capabilities",
        "resume_exercise",
        "keep_private",
        "allow_sharing",
        "choose_grounding",
        "choose_breathing",
        "choose_safe_place",
        "choose_values",
        "choose_gratitude",
        "choose_narrative",
        "choose_self_compassion",
        "choose_meaning",
        "choose_ptg",
        "choose_free_writing",
        "choose_strengths",
        "choose_boundaries",
        "choose_life_review",
        "choose_body_scan",
    }
)
SURE = 0.9
PERSON_INTENT = "request_human"
RESUME_INTENT = "resume_exercise"
_RESUMING = re.compile(
    r"\b(?:back|resume|continue|carry on|pick (?:it |that |this )?up|left off|last time|"
    r"unfinished|where (?:i|we) (?:were|was|stopped))\b"
)
_PERSON = re.compile(
    r"\b(?:talk|speak|chat|get|need|want|see|reach|call|contact|connect)\b.*\b(?:person|human|"
    r"someone|somebody|therapist|clinician|counsell?or|staff|nurse|doctor|team)\b"
    r"|\b(?:real|actual|live) (?:person|human)\b"
)
_SWITCH = re.compile(
    r"\b(?:switch|swap|change) to\b|\binstead\b|\b(?:go|get) back to\b|\bpick up where\b"
    r"|\b(?:can|could|may) (?:we|i) (?:do|try|have)\b|\blet'?s (?:do|try)\b"
)
# How clients name each exercise: a message that asks for one by these words ("I want the kind
# word one", "can we switch to the senses one") chooses it, whatever the model made of it.
EXERCISE_NAMES: dict[str, tuple[str, ...]] = {
    "choose_grounding": ("five senses", "5 senses", "senses one", "senses exercise", "grounding"),
    "choose_breathing": ("breathing", "breathe", "breaths"),
    "choose_safe_place": ("safe place",),
    "choose_values": ("what matters", "values"),
    "choose_gratitude": ("good things", "gratitude", "grateful"),
    "choose_narrative": ("my story", "story one", "chapter one"),
    "choose_self_compassion": ("kind word", "self compassion", "self-compassion"),
    "choose_meaning": ("looking back, looking on", "looking back looking on", "meaning"),
    "choose_ptg": ("reflection check-in", "reflection check in", "two-weekly", "two weekly"),
    "choose_free_writing": (
        "just write",
        "just writing",
        "want to write",
        "free writing",
        "freewrite",
        "just journal",
    ),
    "choose_strengths": ("what carries me", "strengths"),
    "choose_boundaries": ("boundary", "boundaries"),
    "choose_life_review": ("life review", "chapters of my life"),
    "choose_body_scan": ("body scan",),
}
_NAMES = {
    intent: re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b")
    for intent, names in EXERCISE_NAMES.items()
}
_CHOOSING = re.compile(
    r"\b(?:want|try|do|start|begin|pick|choose|prefer|rather|fancy|like)\b|\bplease\b|\bpls\b"
)
# What the model may have made of a message that names an exercise and asks for it.
NAMED_FROM = frozenset({"out_of_scope", "share", "nlu_fallback", "request_exercise", "affirm"})
# The metadata key under which the entry point names the slot of the question open.
ANSWERING_KEY = "answering"

Interjection = Literal["goodbye", "back", "restart", "decline", "clarify", "bot_question"]

# Each kind's cue phrases, as words. Order does not matter: the longest phrase is tried first.
CUES: dict[Interjection, tuple[str, ...]] = {
    "goodbye": (
        "bye",
        "bye bye",
        "byee",
        "goodbye",
        "good bye",
        "good night",
        "goodnight",
        "night night",
        "cya",
        "see ya",
        "see you",
        "see you later",
        "talk later",
        "talk soon",
        "ttyl",
        "later",
        "laters",
        "catch you later",
        "gotta go",
        "gtg",
        "g2g",
        "brb",
        "gotta run",
        "got to run",
        "have to run",
        "need to run",
        "must run",
        "must go",
        "have to leave",
        "need to leave",
        "got to go now",
        "bye for now",
        "come back to it later",
        "come back to this",
        "finish later",
        "finish this later",
        "later on",
        "have to go",
        "need to go",
        "must go",
        "i'm off",
        "im off",
        "heading off",
        "signing off",
        "logging off",
        "come back later",
        "come back to this later",
        "back later",
        "done for today",
        "done for now",
        "that's all for today",
        "thats all for today",
        "that's it for today",
        "thats it for today",
    ),
    "back": (
        "hi again",
        "hey again",
        "hello again",
        "im back",
        "i'm back",
        "i am back",
        "back now",
        "sorry about that",
        "sorry bout that",
    ),
    "restart": (
        "start over",
        "start again",
        "start afresh",
        "start from the beginning",
        "start from scratch",
        "start from the top",
        "restart",
        "redo",
        "re do",
        "do over",
        "begin again",
        "from the beginning",
        "from the top",
        "from scratch",
        "reset",
    ),
    "decline": (
        "rather not",
        "prefer not",
        "rather not say",
        "rather not answer",
        "rather not rate",
        "prefer not to say",
        "prefer not to answer",
        "don't want to answer",
        "dont want to answer",
        "don't want to say",
        "dont want to say",
        "don't want to rate",
        "dont want to rate",
        "not answering",
        "no comment",
        "pass",
        "skip",
        "next question",
        "not comfortable answering",
        "not comfortable sharing",
    ),
    "clarify": (
        "what was the question",
        "what's the question",
        "whats the question",
        "what was that",
        "what do you mean",
        "what does that mean",
        "what does that one mean",
        "what does this mean",
        "what do you mean by that",
        "what did you ask",
        "what did you say",
        "what are you asking",
        "what am i supposed to type",
        "what am i supposed to write",
        "what am i supposed to do",
        "what should i type",
        "what should i write",
        "what do i type",
        "what do i write",
        "huh",
        "come again",
        "say that again",
        "say again",
        "repeat that",
        "repeat the question",
        "ask again",
        "ask that again",
        "rephrase",
        "rephrase that",
        "don't understand",
        "do not understand",
        "not understand",
        "dont understand",
        "don't get it",
        "dont get it",
        "didn't get that",
        "didnt get that",
        "not sure what you mean",
        "lost me",
        "confused",
    ),
    "bot_question": (
        "are you real",
        "real person",
        "actual person",
        "a bot",
        "a robot",
        "an ai",
        "human being",
        "a computer",
        "are you a real person",
        "are you a person",
        "are you human",
        "are you a human",
        "are you a bot",
        "are you a robot",
        "are you an ai",
        "are you ai",
        "are you a machine",
        "r u a bot",
        "r u real",
        "is this a bot",
        "is this a person",
        "is this a real person",
        "is this ai",
        "am i talking to a bot",
        "am i talking to a person",
        "am i talking to a real person",
        "am i talking to a human",
        "who are you",
        "what are you",
    ),
}
# Words that wrap an interjection besides the ones that wrap a request to stop.
EXTRA_FRAMING = frozenset(
    {
        "hmm",
        "hm",
        "lol",
        "haha",
        "oops",
        "sry",
        "soz",
        "pardon",
        "excuse",
        "again",
        "whole",
        "thing",
        "all",
        "over",
        "bit",
        "quite",
        "about",
        "by",
        "said",
        "asked",
        "question",
        "answer",
        "one",
        "thx",
        "ty",
        "cheers",
        "folks",
        "guys",
        "mate",
        "hun",
        "friend",
        "talk",
        "chat",
        "soon",
        "tomorrow",
        "x",
        "xx",
        # How people say what they decline or what they ask about the assistant.
        "give",
        "put",
        "number",
        "rate",
        "rating",
        "say",
        "share",
        "writing",
        "talking",
        "chatting",
        "speaking",
        "or",
        "being",
        "ill",
    }
)
# Short forms read as the words they stand for.
SHORT_FORMS = {"u": "you", "r": "are", "ur": "your", "wat": "what", "wht": "what", "pls": "please"}
# A message of several clauses is one kind of interjection when one clause is that and nothing
# else, and each other clause is short or names the same kind: "sorry, I typed that wrong. can
# I start over?", "thanks, I must go now to pick up my son. bye". A longer clause of other
# things makes it (maybe) an answer.
MAX_OTHER_CLAUSE_WORDS = 8
MAX_INTERJECTION_WORDS = 20
_CLAUSES = re.compile(r"[,.;:!?()\u2013\u2014]+|\s-+\s")
# "what?" asks about the question only bare or with these: "wait what", "sorry, what?".
BARE_WHAT = frozenset({"what", "wut", "wat"})
BARE_WHAT_WITH = frozenset({"sorry", "wait", "um", "uh", "hmm", "huh", "pardon", "oh", "again"})
# Kinds read first win where a message could be two: "what? start over" starts over.
ORDER: tuple[Interjection, ...] = (
    "restart",
    "goodbye",
    "back",
    "bot_question",
    "clarify",
    "decline",
)
# Asking about the question uses its words and question words: "what do you mean by part of
# life?", "what do you mean why", "sorry, I do not understand the question. what sound?".
QUESTION_WORDS = frozenset({"why", "how", "which", "where", "who", "when", "kind", "sort", "like"})
_PHRASES = {
    kind: sorted((tuple(words(cue)) for cue in cues), key=len, reverse=True)
    for kind, cues in CUES.items()
}


def _cues_found(said: Sequence[str], kind: Interjection) -> tuple[int, list[str]]:
    """How many of `kind`'s cue phrases the words hold, and the words left once they are out."""
    found, rest, at = 0, [], 0
    while at < len(said):
        phrase = next((p for p in _PHRASES[kind] if tuple(said[at : at + len(p)]) == p), None)
        if phrase is None:
            rest.append(said[at])
            at += 1
        else:
            found += 1
            at += len(phrase)
    return found, rest


def _said(text: str) -> list[str]:
    return [SHORT_FORMS.get(w, w) for w in words(text)]


def _whole(said: Sequence[str], kind: Interjection, asked: frozenset[str] = frozenset()) -> bool:
    """Whether these words are `kind`'s cue phrases and framing words only; for a question about
    the question, the words `asked` (the question's own, and question words) count as framing."""
    framing = FRAMING | EXTRA_FRAMING | (asked | QUESTION_WORDS if kind == "clarify" else set())
    bare = BARE_WHAT | BARE_WHAT_WITH | asked | QUESTION_WORDS
    if kind == "clarify" and set(said) & BARE_WHAT and set(said) <= bare:
        return True
    found, rest = _cues_found(said, kind)
    return bool(found) and all(w in framing for w in rest)


def read_interjection(text: str, question: str | None = None) -> Interjection | None:
    """The interjection the whole message is, or None when it is (or may be) an answer.

    "ok thanks, gotta go, bye" is a goodbye; "hi again, sorry about that" a return; "can we
    start over?" a restart; "i'd rather not rate it" a decline; "sorry what do you mean" (or,
    given the `question` asked, "what do you mean by part of life?") a question about the
    question; "wait, are you a bot?" a question about the assistant. A message of more than
    MAX_INTERJECTION_WORDS words is an answer.
    """
    said = _said(text)
    if not said or len(said) > MAX_INTERJECTION_WORDS:
        return None
    asked = frozenset(_said(question or ""))
    clauses = [c for c in (_said(part) for part in _CLAUSES.split(text)) if c]
    for kind in ORDER:
        if len(said) <= MAX_WORDS and _whole(said, kind, asked):
            return kind
        whole = [c for c in clauses if _whole(c, kind, asked)]
        others = [c for c in clauses if not _whole(c, kind, asked)]
        if whole and all(len(c) <= MAX_OTHER_CLAUSE_WORDS or mentions_in(c, kind) for c in others):
            return kind
    return None


def mentions(text: str, kind: Interjection) -> bool:
    """Whether any of `kind`'s cue phrases is in the message, whatever else it says."""
    return mentions_in(_said(text), kind)


def mentions_in(said: Sequence[str], kind: Interjection) -> bool:
    return _cues_found(said, kind)[0] > 0


def intent_for(
    text: str, intent: str | None, answering: bool, confidence: float = 1.0
) -> str | None:
    """The intent to act on, from the model's `intent`, the text and whether a question is open.

    - "Start over" is `start_over` anywhere; a form's validation reads it inside a form.
    - Where an exercise or check-in question is open (`answering`):
      - a goodbye is a `stop`: the exercise ends, keeping what was written, and the stop says
        goodbye (`actions/journal.py`);
      - a question about the assistant is `bot_challenge`, and a message the model read as
        one that names no such question is an answer ("i'd say are you for real? you did
        your best");
      - a question about the question, a return ("hi again") and a decline are answers
        (`share`), so the form's validation asks again or passes the question on, storing
        none of them as an answer;
      - an intent that would leave the question (another exercise, sharing, a request for a
        person) is taken only when the model is SURE of it, or, for a person, when the words
        ask for one ("can I talk to someone"); otherwise the message is an answer.
    - Anything else keeps the model's intent.
    """
    kind = read_interjection(text)
    if kind == "restart":
        return RESTART_INTENT
    named = named_exercise(text) if intent in NAMED_FROM else None
    if named is not None and (not answering or _SWITCH.search(text.lower())):
        # Inside a question only words that ask to switch leave it: "my safe place please"
        # answers; "can we switch to the safe place" switches.
        return named
    if not answering:
        # "thanks, bye for now" is a goodbye, whatever small talk the model took it for.
        return GOODBYE_INTENT if kind == "goodbye" and intent in GOODBYE_FROM else intent
    if kind == "goodbye":
        return STOP_INTENT
    if kind == "bot_question":
        return BOT_QUESTION_INTENT
    if kind in ("clarify", "decline", "back"):
        return ANSWER_INTENT
    if intent == BOT_QUESTION_INTENT and not mentions(text, "bot_question"):
        return ANSWER_INTENT
    if intent == RESUME_INTENT and not _RESUMING.search(text.lower()):
        # However sure the model is, picking up an earlier exercise takes words that go back:
        # "that one was slower, I stopped counting halfway" answers the breath it is about.
        return ANSWER_INTENT
    named = _asks_for_a_person(text, intent) or _asks_to_switch(text, intent)
    if intent in LEAVES_THE_QUESTION and confidence < SURE and not named:
        # The model's unsure guess that the message is about something else ("3 I stop to
        # notice things" as grounding, "being someone who doesn't quit on people" as a
        # request for a person) must not take an answer away from the question.
        return ANSWER_INTENT
    return intent


def named_exercise(text: str) -> str | None:
    """The intent of the one exercise a message names and asks for, else None.

    "I want the kind word one" and "can we switch to the senses one" name one; a message that
    names two, or names one without asking ("the senses one was nice"), names none.
    """
    lowered = text.lower().replace("\u2019", "'")
    named = [intent for intent, pattern in _NAMES.items() if pattern.search(lowered)]
    asks = bool(_CHOOSING.search(lowered) or _SWITCH.search(lowered))
    return named[0] if len(named) == 1 and asks else None


def _asks_to_switch(text: str, intent: str | None) -> bool:
    """Whether the words ask for another exercise: "can we switch to the kind word one"."""
    leaves = intent is not None and (intent.startswith("choose_") or intent == "resume_exercise")
    return leaves and bool(_SWITCH.search(text.lower()))


def _asks_for_a_person(text: str, intent: str | None) -> bool:
    return intent == PERSON_INTENT and bool(_PERSON.search(text.lower()))


def answering_metadata(slot: str | None) -> dict[str, str]:
    """What the entry point tells Rasa's NLU about the question the message answers."""
    return {ANSWERING_KEY: slot} if slot else {}


def answers_a_question(metadata: object) -> bool:
    """Whether the message's metadata says an exercise or check-in question was open."""
    return isinstance(metadata, dict) and isinstance(metadata.get(ANSWERING_KEY), str)
