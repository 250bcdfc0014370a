"""Starts and stops the processes of a running assistant: actions, Rasa, worker, entry point."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bot.private_files import PRIVATE_UMASK, private_file, private_var
from bot.rasa_client import api_token
from bot.settings import PROJECT_DIR, Settings

# In start order; they stop in reverse, the entry point first, so no message arrives mid-shutdown.
NAMES = ("actions", "rasa", "worker", "entry")


class StackError(RuntimeError):
    """A process of the stack failed to start or died."""


@dataclass
class Stack:
    """The action server, Rasa on 127.0.0.1, the outbox worker and the entry point; logs in var/."""

    settings: Settings
    model: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def log_dir(self) -> Path:
        return self.settings.var_dir / "logs"

    def _commands(self) -> dict[str, tuple[list[str], str | None]]:
        """Each process's command line and the URL that answers once it is ready (if it serves)."""
        s = self.settings
        bin_dir = Path(sys.executable).parent
        return {
            "actions": (
                [
                    sys.executable,
                    "-m",
                    "rasa_sdk",
                    "--actions",
                    "actions",
                    "--port",
                    str(s.action_port),
                ],
                f"http://127.0.0.1:{s.action_port}/health",
            ),
            "rasa": (
                [
                    str(bin_dir / "rasa"),
                    "run",
                    "--model",
                    str(self.model),
                    "--interface",
                    "127.0.0.1",
                    "--port",
                    str(s.rasa_port),
                    "--endpoints",
                    "endpoints.yml",
                    "--credentials",
                    "credentials.yml",
                    # The API is used to pause a conversation while a clinician is joined.
                    "--enable-api",
                    "--auth-token",
                    api_token(s),
                ],
                s.rasa_url,
            ),
            "worker": ([str(bin_dir / "reflect"), "worker"], None),
            "entry": (
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "bot.api.app:create_app",
                    "--factory",
                    # Rasa pins an old websockets that uvicorn cannot use; no websocket is needed.
                    "--ws",
                    "none",
                    "--host",
                    s.host,
                    "--port",
                    str(s.port),
                ],
                f"{s.entry_url}/healthz",
            ),
        }

    def start(self, timeout_s: float = 300, only: tuple[str, ...] = ()) -> None:
        """Starts the processes (all, or `only` those) and returns once they answer.

        On failure it stops whatever it started.
        """
        private_var(self.settings, self.log_dir)
        env = {
            **os.environ,
            **self.settings.child_environment(),
            "SANIC_HOST": "127.0.0.1",  # the action server listens on loopback only
            "RASA_TELEMETRY_ENABLED": "false",
        }
        commands = {
            name: command for name, command in self._commands().items() if name in (only or NAMES)
        }
        try:
            for name, (command, _) in commands.items():
                log = private_file(self.log_dir / f"{name}.log").open("ab")
                self.processes[name] = subprocess.Popen(
                    command,
                    cwd=PROJECT_DIR,
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # Ctrl-C reaches `reflect run`, which stops them
                    umask=PRIVATE_UMASK,  # what they create is private: Rasa's tracker store
                )
            deadline = time.monotonic() + timeout_s
            for name, (_, url) in commands.items():
                if url is not None:
                    self._wait_for(name, url, deadline)
            self.check_alive()
        except BaseException:
            self.stop()
            raise

    def _wait_for(self, name: str, url: str, deadline: float) -> None:
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise StackError(f"{name} did not start in time; see {self.log_dir / (name + '.log')}")

    def check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise StackError(
                    f"{name} exited with code {process.returncode}; "
                    f"see {self.log_dir / (name + '.log')}"
                )

    def stop_process(self, name: str, grace_s: float = 15) -> None:
        """Asks one process to stop, and kills it if it has not after `grace_s`."""
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(grace_s)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()

    def stop(self) -> None:
        """Stops every process that still runs."""
        for name in reversed(NAMES):
            self.stop_process(name)
