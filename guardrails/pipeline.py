"""The shared spaCy pipeline: blank English tokenizer, spelling norms and sentence splitting."""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Callable
from typing import TypeVar

import spacy
from spacy.attrs import IS_SPACE, NORM
from spacy.pipeline import Sentencizer
from spacy.tokens import Doc

from guardrails.rulefiles import Vocabulary, load_vocabulary

_LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s", "!": "i"}
)
_NEEDS_WORK = re.compile(r"[0-9@$!*]|([a-z])\1\1")
_DISGUISED = re.compile(r"[a-z][0-9@$!*]|[0-9@$!*][a-z]|([a-z])\1\1", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"\d+(st|nd|rd|th|s|am|pm|k|kg|mg|ml|x|h|hr|hrs|m|min|mins|yo|y)?")
_RUN = re.compile(r"([a-z])\1{2,}")
_VOWELS = set("aeiouy")
_SENTENCE_ENDS = [*Sentencizer.default_punct_chars, ";"]
# Quotes are plain by now (text.normalise maps curly ones).
_PUNCTUATION = "".join(Sentencizer.default_punct_chars) + ",;:\"'()[]{}«»-_*"
_LETTERS = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")

T = TypeVar("T")


class TextPipeline:
    """Tokenises text, maps slang and disguised spellings to plain words, and marks sentences.

    `language` is the spaCy language of the tokenizer ("xx" tokenizes any language plainly);
    with `fold_accents`, every word is compared without accents and with Arabic letter variants
    joined, since many people type without them ("zabic sie", "quiero morir").
    """

    def __init__(self, vocabulary: Vocabulary, language: str = "en", fold_accents: bool = False):
        self.nlp = spacy.blank(language)
        self._fold = fold_accents
        self.lock = threading.Lock()
        self._words: dict[str, list[str]] = {}
        self._norms = vocabulary.norms
        self._uncensor = vocabulary.uncensor
        self._sentencizer = Sentencizer(punct_chars=_SENTENCE_ENDS)
        for word, norm in self._norms.items():
            for spelling in {word, word.upper(), word.capitalize()}:
                self.nlp.vocab[spelling].norm_ = norm
        self.nlp.tokenizer.rules = {
            text: [
                {**attrs, NORM: self._norms.get(attrs.get(NORM, ""), attrs.get(NORM))}
                if NORM in attrs
                else attrs
                for attrs in pieces
            ]
            for text, pieces in self.nlp.tokenizer.rules.items()
        }

    def make_doc(self, text: str) -> Doc:
        """Tokenise, normalise and sentence-split one piece of text."""
        doc = self.nlp.make_doc(text)
        if self._fold:
            for token in doc:
                token.norm_ = self._norms.get(token.lower_) or fold(token.lower_)
        elif _DISGUISED.search(text):
            for token in doc:
                norm = self.norm_of(token.lower_, token.norm_)
                if norm != token.norm_:
                    token.norm_ = norm
        self._sentencizer(doc)
        if "\n" in text:
            for index in doc.to_array(IS_SPACE).nonzero()[0]:
                if index + 1 < len(doc) and "\n" in doc[index].text:
                    doc[index + 1].is_sent_start = True
        return doc

    def rough_words(self, text: str) -> set[str]:
        """The text's words as the tokenizer would normalise them, found without tokenising:
        each space-separated piece with and without its punctuation, and its letter runs."""
        words: set[str] = set()
        for piece in text.lower().split():
            for word in {piece, piece.strip(_PUNCTUATION), *_LETTERS.findall(piece)}:
                if word:
                    words.add(self._norms.get(word) or (fold(word) if self._fold else word))
        return words

    def words(self, phrase: str) -> list[str]:
        """The normalised words of a phrase, as patterns need them (cached: rules repeat words)."""
        if phrase not in self._words:
            self._words[phrase] = [t.norm_ for t in self.make_doc(phrase) if not t.is_space]
        return list(self._words[phrase])

    def norm_of(self, lower: str, norm: str) -> str:
        """Map one lowercased token to the plain word rules are written with."""
        if lower in self._norms:
            return self._norms[lower]
        if (
            not _NEEDS_WORK.search(lower)
            or _NUMBER_WORD.fullmatch(lower)
            or not re.search("[a-z]", lower)
        ):
            return norm
        word = lower
        if "*" in word:
            starred = re.compile(re.escape(word).replace(r"\*", "[a-z]"))
            word = next((w for w in self._uncensor if starred.fullmatch(w)), word)
        if len(word) >= 3:
            word = word.translate(_LEET)
        word = _RUN.sub(lambda m: m.group(1) * (1 if m.group(1) in _VOWELS else 2), word)
        return self._norms.get(word, word if word != lower else norm)


_ARABIC_VARIANTS = str.maketrans(
    {"\u0649": "\u064a", "\u0629": "\u0647", "\u0640": None}
    # Arabic-Indic and Persian digits read as 0-9, so dates in any script are dates.
    | {chr(0x0660 + d): str(d) for d in range(10)}
    | {chr(0x06F0 + d): str(d) for d in range(10)}
)


def fold(word: str) -> str:
    """A word without accents or Arabic vowel marks, with Arabic letter variants joined."""
    decomposed = unicodedata.normalize("NFKD", word)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = unicodedata.normalize("NFC", plain).replace("ł", "l").replace("ß", "ss")
    return plain.translate(_ARABIC_VARIANTS)


_LOCK = threading.RLock()
_CACHE: dict[str, object] = {}


def cached(name: str, build: Callable[[], T]) -> T:
    """Build an expensive object once per process, safely when several threads ask at once."""
    with _LOCK:
        if name not in _CACHE:
            _CACHE[name] = build()
        return _CACHE[name]  # type: ignore[return-value]


def shared_pipeline() -> TextPipeline:
    """The one TextPipeline both rails use, loaded on first use."""
    return cached("pipeline", lambda: TextPipeline(load_vocabulary()))
