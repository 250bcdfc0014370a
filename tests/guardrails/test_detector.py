"""The learned detector: deterministic training, the fast single-message path, loading."""

from __future__ import annotations

from pathlib import Path

import joblib
import numpy as np
import pytest

from guardrails.detector import DetectorUnavailable, RiskDetector, load, load_config, save
from guardrails.rounds import training_examples
from guardrails.rulefiles import RuleFileError
from guardrails.train import train

SAMPLE = [
    "I want to kill myself tonight",
    "nobody would even notice if I was gone",
    "had coffee on the balcony in the sun",
    "the urge to cut came back last night",
    "what's the tallest building in chicago? for a trip",
    "ich will nicht mehr leben",
    "stop",
]


@pytest.fixture(scope="module")
def small() -> list:
    """Every fifth training example: enough to learn from, quick to train twice."""
    return training_examples()[::5]


@pytest.fixture(scope="module")
def trained(small: list) -> tuple[RiskDetector, dict]:
    return train(small)


def test_training_is_deterministic(small: list, trained: tuple[RiskDetector, dict]) -> None:
    first, report = trained
    second, again = train(small)
    assert report["validation"] == again["validation"]
    assert first.version == second.version
    assert [first.verdict(t) for t in SAMPLE] == [second.verdict(t) for t in SAMPLE]


def test_the_fast_path_gives_what_scikit_learn_gives(trained: tuple[RiskDetector, dict]) -> None:
    detector, _ = trained
    for text in [*SAMPLE, "", "😭😭", "a " * 500]:
        indices, values = detector.features_of(text)
        dense = np.zeros(detector.matrix([text]).shape[1])
        dense[indices] = values
        assert np.allclose(dense, detector.matrix([text]).toarray()[0], atol=1e-6)


def test_the_threshold_is_chosen_for_recall_on_held_back_folds(
    trained: tuple[RiskDetector, dict],
) -> None:
    detector, report = trained
    validation = report["validation"]
    assert validation["crisis_recall"] >= load_config().recall_target
    assert detector.crisis_threshold == pytest.approx(validation["threshold"], abs=1e-4)


def test_a_missing_or_foreign_model_file_is_refused(
    trained: tuple[RiskDetector, dict], tmp_path: Path
) -> None:
    with pytest.raises(DetectorUnavailable, match="make train"):
        load(tmp_path / "absent.joblib")
    detector, _ = trained
    saved = tmp_path / "d.joblib"
    save(detector, saved)
    assert load(saved).version == detector.version
    joblib.dump({"format": 1, "sklearn": "0.0", "detector": detector}, saved)
    with pytest.raises(DetectorUnavailable, match="another version"):
        load(saved)


def test_the_settings_reject_unknown_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    from guardrails import detector as module

    real = module.read_rule_file
    monkeypatch.setattr(module, "read_rule_file", lambda name: {**real(name), "recal": 0.9})
    with pytest.raises(RuleFileError, match="unknown key"):
        load_config()
