"""A real action server with Reflect's plugin: a failing action logs and returns no client text."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import PROJECT_DIR
from tests.stack.conftest import free_port

MARK = "quillwort-amaranth"


def test_a_failing_action_leaves_no_client_text_in_the_log_or_the_answer(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "actions.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "rasa_sdk",
                "--actions",
                "tests.plugins.failing_actions",
                "--port",
                str(port),
            ],
            cwd=PROJECT_DIR,  # where rasa_sdk finds the rasa_sdk_plugins package
            env={
                "PATH": "/usr/bin:/bin",
                "SANIC_HOST": "127.0.0.1",
                "PYTHONPATH": str(PROJECT_DIR),
            },
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(120):
                try:
                    if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    time.sleep(0.5)
            said = {"event": "user", "text": f"my words: {MARK}"}
            response = httpx.post(
                f"{url}/webhook",
                json={
                    "next_action": "action_that_fails",
                    "sender_id": "someone",
                    "tracker": {
                        "sender_id": "someone",
                        "latest_message": {"text": said["text"]},
                        "events": [said],
                    },
                    "domain": {},
                    "version": "3.6.2",
                },
                timeout=30,
            )
        finally:
            server.terminate()
            server.wait(30)
    assert response.status_code == 500
    assert MARK not in response.text
    logged = log_path.read_text()
    assert "unexpected ValueError on POST /webhook" in logged
    assert MARK not in logged
