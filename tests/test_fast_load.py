"""TED and DIET built eagerly at load (bot/fast_load.py) predict exactly what Rasa's own load does.

Both loads run on the trained model in separate processes; the intent rankings (to four places)
and the actions of two short conversations must be the same.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import PROJECT_DIR

MODEL = PROJECT_DIR / "models" / "reflect.tar.gz"


def _predictions(mode: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.fast_load_probe", mode, str(MODEL)],
        cwd=PROJECT_DIR,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "LOG_LEVEL": "ERROR"},
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_eager_build_predicts_what_rasas_own_load_predicts() -> None:
    eager, stock = _predictions("eager"), _predictions("stock")
    assert eager == stock
    assert eager["hello"][0][0] == "greet"
    assert "action_listen" in eager["hello | i want to do gratitude | my cat"]
