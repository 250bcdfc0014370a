"""Text clean-up and chunking shared by both rails."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

CHUNK_CHARS = 4000
CHUNK_OVERLAP = 300

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t]{2,}")
_BRACKETS = re.compile(r"([()\[\]{}\\])")
_SYMBOL_RUN = re.compile(r"([^\w\s]{3})[^\w\s]+")
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def normalise(text: str) -> str:
    """Make any input safe to tokenise: valid Unicode, plain quotes, no control characters."""
    text = text.encode("utf-8", "replace").decode("utf-8")
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES)
    text = _SYMBOL_RUN.sub(r"\1", _CONTROL.sub(" ", text))  # long symbol runs are slow to tokenise
    return _SPACES.sub(" ", _BRACKETS.sub(r" \1 ", text))


def distinct_sentences(text: str) -> str:
    """The text with each sentence kept once, in order ("a. b. a." gives "a. b."): a sentence
    pasted over and over says no more than it does once."""
    sentences = [s.strip() for s in _SENTENCE_END.split(text) if s.strip()]
    return " ".join(dict.fromkeys(sentences)) if len(sentences) > 1 else text


def chunks(text: str, size: int = CHUNK_CHARS, overlap: int = CHUNK_OVERLAP) -> Iterator[str]:
    """Cut long text into overlapping pieces: bounded work per piece, every character scanned."""
    if len(text) <= size:
        yield text
        return
    start = 0
    while start < len(text):
        end = min(start + size, len(text))
        if end < len(text):
            space = text.rfind(" ", start + size // 2, end)
            end = space if space > 0 else end
        yield text[start:end]
        if end >= len(text):
            return
        start = max(end - overlap, start + 1)
        space = text.find(" ", start, end)
        start = space + 1 if space >= 0 else start
