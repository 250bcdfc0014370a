"""Which language a message is written in, with Lingua (Apache-2.0), whose models ship with it.

Short messages are hard to place: "i want to die" or "ngl im done fr" can look like several
languages, and Lingua's fast mode was nearly sure that "seatbelt across my chest" is Yoruba and
"my nan's caravan in Wales" French. So a message counts as another language only when it has a
few words of letters, the fast mode is nearly sure, and Lingua's full models, asked to choose
between English and that language alone, are nearly sure too; otherwise it is English, the
language the assistant works in. The full models of a language are loaded the first time the
fast mode names it (tens of MB each, about 0.15 s). Risk
is assessed in every supported language whatever this says (see guardrails/risk.py), so a
mistake here changes only the reply's wording, never whether a crisis is found.
"""

from __future__ import annotations

import re

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

from guardrails.pipeline import cached

ENGLISH = "en"
# Languages whose risk lexicons are in rules/languages/, plus those the clients of an
# English-speaking clinic most often write, so a message is not forced into a wrong one.
CANDIDATES = (
    Language.ENGLISH,
    Language.SPANISH,
    Language.FRENCH,
    Language.GERMAN,
    Language.PORTUGUESE,
    Language.POLISH,
    Language.ARABIC,
    Language.ITALIAN,
    Language.DUTCH,
    Language.ROMANIAN,
    Language.RUSSIAN,
    Language.UKRAINIAN,
    Language.TURKISH,
    Language.PERSIAN,
    Language.URDU,
    Language.HINDI,
    Language.BENGALI,
    Language.PUNJABI,
    Language.CHINESE,
    Language.JAPANESE,
    Language.KOREAN,
    Language.VIETNAMESE,
    Language.TAGALOG,
    Language.INDONESIAN,
    Language.SWAHILI,
    Language.SOMALI,
    Language.YORUBA,
    Language.HEBREW,
    Language.GREEK,
)
# Nearly sure, and enough text to be sure of.
MIN_CONFIDENCE = 0.9
MIN_WORDS = 3
_WORD = re.compile(r"[^\W\d_]{2,}")
# Words only English uses: a text with two of them is English (or mixes in English), and the
# detector, which costs more than the rest of the language check, is not asked.
ENGLISH_MARKERS = frozenset(
    {
        "the",
        "and",
        "you",
        "that",
        "this",
        "with",
        "have",
        "what",
        "just",
        "but",
        "they",
        "don't",
        "can't",
        "i'm",
        "it's",
        "feel",
        "like",
        "because",
        "about",
        "want",
        "really",
        "today",
        "been",
        "would",
        "could",
        "should",
        "there",
        "their",
        "when",
        "from",
    }
)
_LOWER_WORD = re.compile(r"[a-z']+")
_NON_LATIN = re.compile(r"[^\x00-\u024f\s\d\W]")


def _detector() -> LanguageDetector:
    return cached(
        "language_detector",
        lambda: (
            LanguageDetectorBuilder.from_languages(*CANDIDATES)
            .with_low_accuracy_mode()
            .with_preloaded_language_models()
            .build()
        ),
    )


def language_of(text: str) -> str:
    """The ISO 639-1 code of the message's language; "en" unless another is nearly certain."""
    enough = len(_WORD.findall(text)) >= MIN_WORDS or bool(_NON_LATIN.search(text))
    if not enough or len(ENGLISH_MARKERS.intersection(_LOWER_WORD.findall(text.lower()))) >= 2:
        return ENGLISH
    values = _detector().compute_language_confidence_values(text)
    if not values:
        return ENGLISH
    best = values[0]
    if best.language is Language.ENGLISH or best.value < MIN_CONFIDENCE:
        return ENGLISH
    confirmed = _against_english(best.language).compute_language_confidence_values(text)
    if not confirmed or confirmed[0].language != best.language:
        return ENGLISH
    if confirmed[0].value < MIN_CONFIDENCE:
        return ENGLISH
    return best.language.iso_code_639_1.name.lower()


def _against_english(language: Language) -> LanguageDetector:
    """Lingua's full models for English and `language` only, loaded once, when first needed."""
    return cached(
        f"language_against_english_{language.name}",
        lambda: LanguageDetectorBuilder.from_languages(Language.ENGLISH, language).build(),
    )


def warm_up() -> None:
    """Load the language models now rather than on the first message."""
    _detector()
