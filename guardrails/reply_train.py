"""Train the learned reply check from the training reply rounds, thresholds chosen recall first.

    python -m guardrails.reply_train [--out PATH]

See guardrails/reply_model.py for the model and rules/reply_model.yaml for the settings. The
report (JSON beside the model) gives the figures on held-back folds of the training data.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.model_selection import StratifiedKFold, cross_val_predict

from guardrails.reply_model import (
    ReplyModel,
    ReplyModelConfig,
    load_config,
    model_path,
    new_pipeline,
    save,
    scores_from,
)
from guardrails.reply_pairs import ReplyPair, training_pairs
from guardrails.reply_taxonomy import reply_taxonomy
from guardrails.train import choose_threshold


def train(pairs: Sequence[ReplyPair], config: ReplyModelConfig | None = None) -> ReplyModel:
    """The model fit on all `pairs`, with thresholds chosen on held-back folds (see the
    module docstring), and a report of the held-back figures."""
    config = config or load_config()
    start = time.perf_counter()
    texts, labels = [p.reply for p in pairs], np.array([p.category for p in pairs])
    folds = StratifiedKFold(n_splits=config.folds, shuffle=True, random_state=config.seed)
    held_back = cross_val_predict(
        new_pipeline(config), texts, labels, cv=folds, method="predict_proba", n_jobs=2
    )
    classes = sorted(set(labels))
    scored = [scores_from(row, classes) for row in held_back]
    harm, paced = np.array([s.harm for s in scored]), np.array([s.paced for s in scored])
    verdicts = reply_taxonomy().categories
    always = np.array([verdicts[c].verdict == "block" for c in labels])
    growth = np.array([verdicts[c].verdict == "block_when_distressed" for c in labels])
    harm_threshold = choose_threshold(harm, always, config.recall_target)
    paced_threshold = choose_threshold(paced, always | growth, config.recall_target)
    pipeline = new_pipeline(config).fit(texts, labels)
    model = ReplyModel(pipeline, harm_threshold, paced_threshold)
    allowed = ~always & ~growth
    model.report = {
        "pairs": len(pairs),
        "by_category": dict(sorted(Counter(labels.tolist()).items())),
        "recall_target": config.recall_target,
        "harm_threshold": round(harm_threshold, 4),
        "paced_threshold": round(paced_threshold, 4),
        "held_back": {
            "harm_recall": round(float((harm[always] >= harm_threshold).mean()), 4),
            "allowed_blocked_steady": round(float((harm[allowed] >= harm_threshold).mean()), 4),
            "allowed_blocked_distressed": round(
                float(((harm >= harm_threshold) | (paced >= paced_threshold))[allowed].mean()), 4
            ),
        },
        "seconds": round(time.perf_counter() - start, 1),
    }
    return model


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the learned reply check.")
    parser.add_argument("--out", type=Path, default=model_path())
    args = parser.parse_args(argv)
    pairs = training_pairs()
    if not pairs:
        print("no training rounds in guardrails/data/replies/rounds.yaml", file=sys.stderr)
        return 1
    model = train(pairs)
    save(model, args.out)
    args.out.with_suffix(".json").write_text(json.dumps(model.report, indent=2) + "\n")
    held = model.report["held_back"]
    print(
        f"reply check: {len(pairs)} pairs, harm threshold {model.report['harm_threshold']}, "
        f"held-back harm recall {held['harm_recall']}, allowed blocked "
        f"{held['allowed_blocked_steady']} (steady) {held['allowed_blocked_distressed']} "
        f"(distressed), {model.report['seconds']} s -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
