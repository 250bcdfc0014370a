"""Trained models saved at build time and loaded by the rails: joblib files that name the format
of what they hold and the scikit-learn that made them, so a stale file is refused, never misread.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import joblib
import sklearn


def save_artifact(path: Path, fmt: int, key: str, obj: Any) -> None:
    """Writes `obj` under `key`, with its format number and this scikit-learn's version."""
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump({"format": fmt, "sklearn": sklearn.__version__, key: obj}, path)


def load_artifact(
    path: Path, fmt: int, key: str, unavailable: type[Exception], what: str, build: str
) -> Any:
    """The object saved under `key`; `unavailable` if the file is missing, or was made with
    another format or scikit-learn. `what` names the model and `build` its training module in
    the message, which says how to rebuild it."""
    if not path.is_file():
        raise unavailable(
            f"no trained {what} at {path}: run `make train` (or `python -m {build}`) to build it"
        )
    saved = joblib.load(path)
    if saved.get("format") != fmt or saved.get("sklearn") != sklearn.__version__:
        raise unavailable(
            f"{path} was made by another version of the {what} or of scikit-learn: run "
            "`make train` to rebuild it"
        )
    return saved[key]
