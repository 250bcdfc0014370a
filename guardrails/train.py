"""Train the learned detector from the training rounds and choose its threshold, recall first.

    python -m guardrails.train [--out PATH]

The crisis threshold is chosen on out-of-fold scores: each message is scored by a model that
did not see it (stratified folds, seeded), and the threshold is the highest at which the
detector alone still finds `recall_target` of the crisis messages. The n-gram vocabularies are
learned once from all the training text (no labels); the fold models and the model saved,
which is fit on all the training data, run two at a time. The report (JSON beside the model) gives
the validation figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.model_selection import StratifiedKFold

from guardrails.detector import (
    DetectorConfig,
    RiskDetector,
    crisis_columns,
    data_version,
    detector_path,
    load_config,
    new_classifier,
    save,
)
from guardrails.rounds import Example, training_examples
from guardrails.taxonomy import taxonomy

PARALLEL_FITS = 2


def _fit(
    matrix: sparse.csr_matrix,
    labels: np.ndarray,
    train: np.ndarray,
    test: np.ndarray,
    config: DetectorConfig,
) -> tuple[Any, np.ndarray, np.ndarray]:
    """A classifier fit on the `train` rows, and its crisis scores for the `test` rows."""
    model = new_classifier(config)
    model.fit(matrix[train], labels[train])
    if not len(test):
        return model, test, np.zeros(0)
    probabilities = model.predict_proba(matrix[test])
    return model, test, probabilities[:, crisis_columns(list(model.classes_))].sum(axis=1)


def fit_with_validation(
    matrix: sparse.csr_matrix, labels: Sequence[str], config: DetectorConfig
) -> tuple[Any, np.ndarray]:
    """The classifier fit on all rows, and each row's crisis score from a classifier trained on
    the other folds; the fold fits and the final fit run side by side."""
    labels_array = np.array(labels)
    everything = np.arange(len(labels_array))
    folds = StratifiedKFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    jobs = [*folds.split(np.zeros(len(labels_array)), labels_array), (everything, everything[:0])]
    results = Parallel(n_jobs=PARALLEL_FITS)(
        delayed(_fit)(matrix, labels_array, train, test, config) for train, test in jobs
    )
    scores = np.zeros(len(labels_array))
    for _, test, fold in results[:-1]:
        scores[test] = fold
    return results[-1][0], scores


def choose_threshold(scores: np.ndarray, is_crisis: np.ndarray, recall_target: float) -> float:
    """The highest threshold whose recall on the crisis messages is at least `recall_target`."""
    crisis_scores = np.sort(scores[is_crisis])
    allowed_misses = int(np.floor((1 - recall_target) * len(crisis_scores)))
    return float(crisis_scores[allowed_misses])


def validation_report(
    examples: Sequence[Example], scores: np.ndarray, threshold: float
) -> dict[str, Any]:
    """Recall per crisis category and false crisis per negative category, on held-back folds."""
    flagged = scores >= threshold
    by_category: dict[str, dict[str, Any]] = {}
    for name, category in taxonomy().categories.items():
        rows = [i for i, e in enumerate(examples) if e.category == name]
        if not rows:
            continue
        hits = int(flagged[rows].sum())
        key = "recall" if category.level == "crisis" else "false_crisis"
        by_category[name] = {"items": len(rows), key: round(hits / len(rows), 4)}
    crisis = np.array([e.level == "crisis" for e in examples])
    return {
        "threshold": round(threshold, 4),
        "crisis_recall": round(float(flagged[crisis].mean()), 4),
        "false_crisis_on_non_crisis": round(float(flagged[~crisis].mean()), 4),
        "by_category": by_category,
    }


def train(
    examples: Sequence[Example], config: DetectorConfig | None = None
) -> tuple[RiskDetector, dict[str, Any]]:
    """The detector fit on all `examples`, with its threshold and the validation report."""
    config = config or load_config()
    start = time.perf_counter()
    texts, labels = [e.text for e in examples], [e.category for e in examples]
    detector = RiskDetector(config, data_version(texts, labels, config))
    matrix = detector.fit_features(texts)
    model, scores = fit_with_validation(matrix, labels, config)
    is_crisis = np.array([e.level == "crisis" for e in examples])
    threshold = choose_threshold(scores, is_crisis, config.recall_target)
    detector.use(model)
    detector.crisis_threshold = threshold
    report = {
        "version": detector.version,
        "examples": len(examples),
        "by_category": dict(sorted(Counter(labels).items())),
        "by_language": dict(sorted(Counter(e.lang for e in examples).items())),
        "recall_target": config.recall_target,
        "validation": validation_report(examples, scores, threshold),
        "seconds": round(time.perf_counter() - start, 1),
    }
    detector.threshold_report = report
    return detector, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=detector_path())
    args = parser.parse_args(argv)
    examples = training_examples()
    if not examples:
        print("no training rounds in guardrails/data/rounds.yaml", file=sys.stderr)
        return 1
    detector, report = train(examples)
    save(detector, args.out)
    args.out.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n")
    validation = report["validation"]
    print(
        f"risk detector {report['version']}: {report['examples']} examples, threshold "
        f"{validation['threshold']}, validation crisis recall {validation['crisis_recall']}, "
        f"false crisis {validation['false_crisis_on_non_crisis']}, {report['seconds']} s "
        f"-> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
