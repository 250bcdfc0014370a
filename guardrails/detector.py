"""The learned detector beside the rules: word and character n-grams into a logistic regression.

It reads the message alone. The question a message answers is read by the rules
(`answering:` in the rule files): as a model feature, the exercise slot taught it that
answers to some questions were often crises in the training data ("a car outside", heard in
a grounding exercise, was read as stalking).

It is trained at build time (`python -m guardrails.train`, run by make) from the rounds of
independently written messages in guardrails/data whose use is `training`, with the settings of
rules/detector.yaml. Training is seeded and deterministic and takes well under a minute.

For one message it gives a `DetectorVerdict`: the probability that the message is a crisis of
any category (0 to 1), the most likely category, the level that follows from the thresholds
chosen at training, and the n-gram features that pushed hardest towards that category, which are
stored with the message as the model's explanation.
"""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from guardrails.artifacts import load_artifact, save_artifact
from guardrails.rulefiles import RuleFileError, read_rule_file, reject_unknown
from guardrails.taxonomy import Level, taxonomy
from guardrails.text import distinct_sentences

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_PATH = REPO_DIR / "models" / "risk-detector.joblib"
# Where the trained detector is read from; make writes it to DEFAULT_PATH.
PATH_VARIABLE = "REFLECT_RISK_DETECTOR"
FORMAT = 4
CONFIG_FILE = "detector.yaml"
_CONFIG_KEYS = frozenset(
    {
        "seed",
        "folds",
        "recall_target",
        "concern_probability",
        "regularisation",
        "word_ngrams",
        "char_ngrams",
        "max_word_features",
        "max_char_features",
        "top_features",
        "min_words",
    }
)
_RUN = re.compile(r"(\w)\1{2,}")
_SPACE = re.compile(r"\s+")


class DetectorUnavailable(RuntimeError):
    """The trained detector file is missing or was made by another scikit-learn; run make."""


@dataclass(frozen=True)
class DetectorConfig:
    """The training settings of rules/detector.yaml."""

    seed: int
    folds: int
    recall_target: float
    concern_probability: float
    regularisation: float
    word_ngrams: tuple[int, int]
    char_ngrams: tuple[int, int]
    max_word_features: int
    max_char_features: int
    top_features: int
    min_words: int


def load_config() -> DetectorConfig:
    """The detector settings, checked: unknown keys and out-of-range values are errors."""
    data = read_rule_file(CONFIG_FILE)
    reject_unknown(data, _CONFIG_KEYS, CONFIG_FILE)
    missing = sorted(_CONFIG_KEYS - set(data))
    if missing:
        raise RuleFileError(f"{CONFIG_FILE}: missing {missing}")
    for key in ("recall_target", "concern_probability"):
        if not 0 < float(data[key]) <= 1:
            raise RuleFileError(f"{CONFIG_FILE}: '{key}' must be above 0 and at most 1")
    for key in ("word_ngrams", "char_ngrams"):
        low, high = data[key]
        if not 1 <= low <= high:
            raise RuleFileError(f"{CONFIG_FILE}: '{key}' must be [low, high] with 1 <= low <= high")
    return DetectorConfig(
        seed=int(data["seed"]),
        folds=int(data["folds"]),
        recall_target=float(data["recall_target"]),
        concern_probability=float(data["concern_probability"]),
        regularisation=float(data["regularisation"]),
        word_ngrams=(int(data["word_ngrams"][0]), int(data["word_ngrams"][1])),
        char_ngrams=(int(data["char_ngrams"][0]), int(data["char_ngrams"][1])),
        max_word_features=int(data["max_word_features"]),
        max_char_features=int(data["max_char_features"]),
        top_features=int(data["top_features"]),
        min_words=int(data["min_words"]),
    )


def model_text(text: str) -> str:
    """The text the n-grams are taken from: lower case, no accents, stretched letters shortened,
    and each sentence once. A sentence pasted over and over says no more than it does once,
    but its n-grams would crowd out the rest and move the score."""
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return distinct_sentences(_SPACE.sub(" ", _RUN.sub(r"\1\1", text)).strip())


@dataclass(frozen=True)
class DetectorVerdict:
    """What the detector makes of one message.

    `crisis_score` is the probability (0 to 1) of any crisis category; `category` is the most
    likely category; `level` follows from the trained thresholds; `features` are the n-grams
    that pushed hardest towards `category`, as "word:..." or "char:...".
    """

    level: Level
    crisis_score: float
    category: str
    category_score: float
    features: tuple[str, ...]


class RiskDetector:
    """A trained detector; `verdict()` keeps no state, so several threads may call it."""

    def __init__(self, config: DetectorConfig, version: str):
        self.config = config
        self.version = version
        self.crisis_threshold = 1.0
        self.threshold_report: dict[str, Any] = {}
        self._word = TfidfVectorizer(
            preprocessor=model_text,
            analyzer="word",
            token_pattern=r"(?u)\b\w+\b",
            ngram_range=config.word_ngrams,
            min_df=2,
            max_features=config.max_word_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._char = TfidfVectorizer(
            preprocessor=model_text,
            analyzer="char_wb",
            ngram_range=config.char_ngrams,
            min_df=2,
            max_features=config.max_char_features,
            sublinear_tf=True,
            dtype=np.float32,
        )
        self._model = new_classifier(config)  # replaced by the trained one in use()
        self._names: np.ndarray = np.array([])
        self._crisis_columns: np.ndarray = np.array([], dtype=int)
        self._distress_column = -1
        self._readers: list[tuple[dict[str, int], Any, np.ndarray]] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """The analyzers built for speed are closures, rebuilt after loading, not saved."""
        return {**self.__dict__, "_readers": None}

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self._model.classes_]

    def fit_features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Learns the n-gram vocabularies and weights; returns the training matrix."""
        words, chars = self._word.fit_transform(texts), self._char.fit_transform(texts)
        return sparse.hstack([words, chars]).tocsr()

    def use(self, model: LogisticRegression) -> None:
        """Takes a classifier fit on a matrix from fit_features(); the trainer sets the
        threshold."""
        self._model = model
        self._names = np.array(
            [f"word:{n}" for n in self._word.get_feature_names_out()]
            + [f"char:{n}" for n in self._char.get_feature_names_out()],
            dtype=object,
        )
        self._crisis_columns = np.array(crisis_columns(self.classes))
        self._distress_column = self.classes.index("distress") if "distress" in self.classes else -1

    def matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """The feature rows of many texts, with scikit-learn's own transform."""
        return sparse.hstack([self._word.transform(texts), self._char.transform(texts)]).tocsr()

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Class probabilities, one row per text, columns in the order of `classes`."""
        return self._model.predict_proba(self.matrix(texts))

    def features_of(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """One message's feature indices and tf-idf values, as `matrix()` gives them.

        It uses the fitted vectorizers' own analyzers, vocabularies and idf weights, without
        the per-call checks of `transform()`, which cost more than the work for one message.
        tests/guardrails/test_detector.py checks that both give the same numbers.
        """
        if self._readers is None:
            # Built once: scikit-learn recomputes `idf_` from a sparse matrix at every access.
            self._readers = [
                (v.vocabulary_, v.build_analyzer(), np.asarray(v.idf_, dtype=np.float64))
                for v in (self._word, self._char)
            ]
        indices, values, offset = [], [], 0
        for vocabulary, analyse, idf in self._readers:
            counts = Counter(i for g in analyse(text) if (i := vocabulary.get(g)) is not None)
            found = np.fromiter(counts, dtype=np.int64, count=len(counts))
            weight = np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts))) + 1
            weight *= idf[found]
            norm = np.sqrt(np.dot(weight, weight))
            indices.append(found + offset)
            values.append(weight / norm if norm else weight)
            offset += len(vocabulary)
        return np.concatenate(indices), np.concatenate(values)

    def verdict(self, text: str) -> DetectorVerdict:
        """The detector's reading of one message."""
        indices, values = self.features_of(text)
        decision = self._model.coef_[:, indices] @ values + self._model.intercept_
        # One-vs-rest probabilities, as scikit-learn's predict_proba gives them.
        probabilities = 1.0 / (1.0 + np.exp(-decision))
        probabilities /= probabilities.sum()
        crisis = float(probabilities[self._crisis_columns].sum())
        best = int(np.argmax(probabilities))
        if crisis >= self.crisis_threshold:
            level: Level = "crisis"
            best = int(self._crisis_columns[np.argmax(probabilities[self._crisis_columns])])
        elif (
            self._distress_column >= 0
            and probabilities[self._distress_column] >= self.config.concern_probability
        ):
            level = "concern"
        else:
            level = "none"
        return DetectorVerdict(
            level=level,
            crisis_score=round(crisis, 4),
            category=self.classes[best],
            category_score=round(float(probabilities[best]), 4),
            features=self._top_features(indices, values, best),
        )

    def _top_features(
        self, indices: np.ndarray, values: np.ndarray, column: int
    ) -> tuple[str, ...]:
        """The features of this message with the largest positive weight towards `column`."""
        weights = values * self._model.coef_[column][indices]
        order = np.argsort(-weights)[: self.config.top_features]
        return tuple(str(self._names[indices[i]]) for i in order if weights[i] > 0)


def new_classifier(config: DetectorConfig) -> LogisticRegression:
    """One-vs-rest liblinear, dual: seconds per fit where lbfgs took minutes; deterministic.

    Classes are not re-weighted: with eleven crisis classes, balancing gave ordinary messages a
    share of each and their crisis score crept up; the threshold is chosen for recall anyway.
    """
    return LogisticRegression(
        C=config.regularisation,
        solver="liblinear",
        dual=True,
        tol=1e-2,
        max_iter=1000,
        random_state=config.seed,
    )


def crisis_columns(classes: Sequence[str]) -> list[int]:
    crisis = set(taxonomy().crisis_categories())
    return [i for i, c in enumerate(classes) if c in crisis]


def data_version(texts: Sequence[str], labels: Sequence[str], config: DetectorConfig) -> str:
    """A short hash of the training data and settings, stored with every verdict's message."""
    digest = hashlib.sha256(repr(config).encode())
    for text, label in zip(texts, labels, strict=True):
        digest.update(f"{label}\t{text}\n".encode())
    return digest.hexdigest()[:12]


def save(detector: RiskDetector, path: Path) -> None:
    save_artifact(path, FORMAT, "detector", detector)


def load(path: Path) -> RiskDetector:
    """A saved detector; DetectorUnavailable if it is missing or from another scikit-learn."""
    detector: RiskDetector = load_artifact(
        path, FORMAT, "detector", DetectorUnavailable, "risk detector", "guardrails.train"
    )
    return detector


def detector_path() -> Path:
    return Path(os.environ.get(PATH_VARIABLE) or DEFAULT_PATH)
