"""The learned reply check beside the reply rules: word and character n-grams of a reply into a
logistic regression over the categories of rules/reply_taxonomy.yaml.

It is trained at build time (`python -m guardrails.reply_train`, run by make) from the reply
rounds in guardrails/data/replies whose use is `training`, with the settings of
rules/reply_model.yaml. Training is seeded and deterministic and takes seconds.

For one reply it gives a `ReplyScores`: the probability (0 to 1) that the reply dismisses pain
(`harm`), that plus the probability that it is a growth question (`paced`), and the most likely
category. `blocks()` turns those into a decision with the thresholds chosen at training.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from guardrails.artifacts import load_artifact, save_artifact
from guardrails.detector import model_text
from guardrails.reply_taxonomy import reply_taxonomy
from guardrails.rulefiles import RuleFileError, read_rule_file, reject_unknown

REPO_DIR = Path(__file__).resolve().parents[1]
DEFAULT_PATH = REPO_DIR / "models" / "reply-check.joblib"
PATH_VARIABLE = "REFLECT_REPLY_CHECK"
FORMAT = 1
CONFIG_FILE = "reply_model.yaml"
_CONFIG_KEYS = frozenset(
    {
        "seed",
        "folds",
        "recall_target",
        "regularisation",
        "word_ngrams",
        "char_ngrams",
        "max_word_features",
        "max_char_features",
    }
)


class ReplyCheckUnavailable(RuntimeError):
    """The trained reply check is missing or was made by another scikit-learn; run make."""


@dataclass(frozen=True)
class ReplyModelConfig:
    """The training settings of rules/reply_model.yaml."""

    seed: int
    folds: int
    recall_target: float
    regularisation: float
    word_ngrams: tuple[int, int]
    char_ngrams: tuple[int, int]
    max_word_features: int
    max_char_features: int


def load_config() -> ReplyModelConfig:
    """The settings, checked: unknown or missing keys and out-of-range values are errors."""
    data = read_rule_file(CONFIG_FILE)
    reject_unknown(data, _CONFIG_KEYS, CONFIG_FILE)
    missing = sorted(_CONFIG_KEYS - set(data))
    if missing:
        raise RuleFileError(f"{CONFIG_FILE}: missing {missing}")
    if not 0 < float(data["recall_target"]) <= 1:
        raise RuleFileError(f"{CONFIG_FILE}: 'recall_target' must be above 0 and at most 1")
    for key in ("word_ngrams", "char_ngrams"):
        low, high = data[key]
        if not 1 <= low <= high:
            raise RuleFileError(f"{CONFIG_FILE}: '{key}' must be [low, high] with 1 <= low <= high")
    return ReplyModelConfig(
        seed=int(data["seed"]),
        folds=int(data["folds"]),
        recall_target=float(data["recall_target"]),
        regularisation=float(data["regularisation"]),
        word_ngrams=(int(data["word_ngrams"][0]), int(data["word_ngrams"][1])),
        char_ngrams=(int(data["char_ngrams"][0]), int(data["char_ngrams"][1])),
        max_word_features=int(data["max_word_features"]),
        max_char_features=int(data["max_char_features"]),
    )


def new_pipeline(config: ReplyModelConfig) -> Pipeline:
    """Tf-idf of words and of characters within words, then a one-vs-rest logistic regression."""
    common: dict[str, Any] = {
        "preprocessor": model_text,
        "min_df": 2,
        "sublinear_tf": True,
        "dtype": np.float32,
    }
    features = FeatureUnion(
        [
            (
                "word",
                TfidfVectorizer(
                    analyzer="word",
                    token_pattern=r"(?u)\b\w+\b",
                    ngram_range=config.word_ngrams,
                    max_features=config.max_word_features,
                    **common,
                ),
            ),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=config.char_ngrams,
                    max_features=config.max_char_features,
                    **common,
                ),
            ),
        ]
    )
    classifier = LogisticRegression(
        C=config.regularisation,
        solver="liblinear",
        dual=True,
        tol=1e-3,
        max_iter=2000,
        random_state=config.seed,
    )
    return Pipeline([("features", features), ("classifier", classifier)])


@dataclass(frozen=True)
class ReplyScores:
    """The model's reading of one reply: `harm` and `paced` are probabilities (0 to 1)."""

    harm: float
    paced: float
    category: str


class ReplyModel:
    """A trained reply check; `scores()` keeps no state, so several threads may call it."""

    def __init__(self, pipeline: Pipeline, harm_threshold: float, paced_threshold: float):
        self.pipeline = pipeline
        self.harm_threshold = harm_threshold
        self.paced_threshold = paced_threshold
        self.report: dict[str, Any] = {}

    @property
    def classes(self) -> list[str]:
        return [str(c) for c in self.pipeline.classes_]

    def scores_of(self, replies: Sequence[str]) -> list[ReplyScores]:
        rows = self.pipeline.predict_proba(list(replies))
        return [scores_from(row, self.classes) for row in rows]

    def scores(self, reply: str) -> ReplyScores:
        return self.scores_of([reply])[0]

    def blocks(self, scores: ReplyScores, distressed: bool) -> bool:
        """Whether the reply is blocked: it dismisses pain, or it is a growth question and the
        client is distressed."""
        return scores.harm >= self.harm_threshold or (
            distressed and scores.paced >= self.paced_threshold
        )


def scores_from(probabilities: np.ndarray, classes: Sequence[str]) -> ReplyScores:
    blocked = set(reply_taxonomy().named("block"))
    paced = set(reply_taxonomy().named("block_when_distressed"))
    harm = float(sum(p for c, p in zip(classes, probabilities, strict=True) if c in blocked))
    growth = float(sum(p for c, p in zip(classes, probabilities, strict=True) if c in paced))
    return ReplyScores(
        harm=round(harm, 4),
        paced=round(harm + growth, 4),
        category=classes[int(np.argmax(probabilities))],
    )


def save(model: ReplyModel, path: Path) -> None:
    save_artifact(path, FORMAT, "model", model)


def load(path: Path) -> ReplyModel:
    """A saved model; ReplyCheckUnavailable if it is missing or from another scikit-learn."""
    model: ReplyModel = load_artifact(
        path, FORMAT, "model", ReplyCheckUnavailable, "reply check", "guardrails.reply_train"
    )
    return model


def model_path() -> Path:
    return Path(os.environ.get(PATH_VARIABLE) or DEFAULT_PATH)
