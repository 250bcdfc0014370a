"""Starts, supervises and stops the processes of a running assistant: actions, Rasa, worker,
entry point. A child that dies is restarted with backoff; deaths and restarts are logged."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import httpx

from bot.backoff import backoff_s
from bot.private_files import PRIVATE_UMASK, private_dir, private_file, private_var
from bot.rasa_client import api_token
from bot.rasa_endpoints import write_endpoints
from bot.settings import PROJECT_DIR, Settings

# In start order; they stop in reverse, the entry point first, so no message arrives mid-shutdown.
# With REFLECT_RASA_REPLICAS above 1, the further Rasa servers are rasa-2, rasa-3, ...
# With REFLECT_RABBITMQ_URL, `reflect events` runs too, as "events", after the worker.
NAMES = ("actions", "rasa", "worker", "events", "entry")


def rasa_name(replica: int) -> str:
    """The child name of Rasa server number `replica` (0 is plain "rasa")."""
    return "rasa" if replica == 0 else f"rasa-{replica + 1}"


# A child that dies is restarted after 1 s, then 2, 4 ... up to the cap while it keeps dying;
# once it has run STABLE_S without dying, its next death waits 1 s again.
MAX_RESTART_S = 60.0
STABLE_S = 60.0
# How long supervision waits for a restarted server's ready URL on each round.
PROBE_TIMEOUT_S = 0.5
SUPERVISOR_LOG = "supervisor.log"

logger = logging.getLogger(__name__)


def actions_command(port: int) -> list[str]:
    """The action server's arguments after the Python interpreter."""
    return ["-m", "rasa_sdk", "--actions", "actions", "--port", str(port)]


def entry_command(host: str, port: int, workers: int) -> list[str]:
    """The entry point's arguments after the Python interpreter: uvicorn with `workers`
    processes. Rasa pins an old websockets that uvicorn cannot use; no websocket is needed."""
    return [
        "-m",
        "uvicorn",
        "bot.api.app:create_app",
        "--factory",
        "--ws",
        "none",
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]


def rasa_command(
    settings: Settings, model: Path, port: int, endpoints: Path, interface: str = "127.0.0.1"
) -> list[str]:
    """`rasa run` of the model as Reflect runs it: the REST channel and, for pausing a
    conversation while a clinician is joined, the HTTP API behind its token."""
    return [
        str(Path(sys.executable).parent / "rasa"),
        "run",
        "--model",
        str(model),
        "--interface",
        interface,
        "--port",
        str(port),
        "--endpoints",
        str(endpoints),
        "--credentials",
        str(PROJECT_DIR / "credentials.yml"),
        "--enable-api",
        # One argument: a token may start with "-", which would read as an option.
        f"--auth-token={api_token(settings)}",
    ]


class StackError(RuntimeError):
    """A process of the stack failed to start."""


def describe_exit(returncode: int) -> str:
    """How a process ended, from Popen.returncode: a negative code is the signal that killed it."""
    if returncode < 0:
        try:
            return f"killed by {signal.Signals(-returncode).name}"
        except ValueError:
            return f"killed by signal {-returncode}"
    return f"exited with code {returncode}"


@dataclass
class Child:
    """One supervised process: the current one, and its restarts since it last ran stably."""

    name: str
    command: list[str]
    ready_url: str | None  # answers 200 once the child serves; None for the worker
    process: subprocess.Popen[bytes]
    started_at: float  # time.monotonic() of the latest start
    ready: bool = False  # whether its ready URL has answered since the latest start
    deaths: int = 0  # deaths in a row, without a stable run between them
    died_at: float | None = None
    restart_at: float | None = None  # set while it is dead and waiting to be restarted


@dataclass
class Stack:
    """The action server, Rasa on 127.0.0.1, the outbox worker and the entry point; logs in var/.

    Supervision events also go to `console` (for `reflect run`: its stderr) when it is given.
    A dead child is restarted after 1, 2, 4 ... up to `max_restart_s` seconds while it keeps
    dying; one that has run `stable_s` seconds starts again from 1 s.
    """

    settings: Settings
    model: Path
    console: TextIO | None = None
    max_restart_s: float = MAX_RESTART_S
    stable_s: float = STABLE_S
    children: dict[str, Child] = field(default_factory=dict, init=False)
    _stopping: bool = field(default=False, init=False)
    _handlers: list[logging.Handler] = field(default_factory=list, init=False)
    _http: httpx.Client | None = field(default=None, init=False)

    @property
    def log_dir(self) -> Path:
        return self.settings.var_dir / "logs"

    @property
    def run_dir(self) -> Path:
        """Where each child's pid is kept, in <name>.pid, while it runs."""
        return self.settings.var_dir / "run"

    @property
    def endpoints_file(self) -> Path:
        """Rasa's endpoints, written from the settings at each start (bot/rasa_endpoints.py)."""
        return self.run_dir / "endpoints.yml"

    def pid_file(self, name: str) -> Path:
        return self.run_dir / f"{name}.pid"

    @property
    def _log(self) -> logging.Logger:
        """This stack's own logger: two stacks in one process (tests) keep their logs apart."""
        return logger.getChild(f"{id(self):x}")

    def _commands(self) -> dict[str, tuple[list[str], str | None]]:
        """Each process's command line and the URL that answers once it is ready (if it serves)."""
        s = self.settings
        bin_dir = Path(sys.executable).parent
        return {
            "actions": (
                [sys.executable, *actions_command(s.action_port)],
                f"http://127.0.0.1:{s.action_port}/health",
            ),
            **{
                rasa_name(n): (
                    rasa_command(s, self.model, s.rasa_port + n, self.endpoints_file),
                    server,
                )
                # Servers given by REFLECT_RASA_URLS run elsewhere: none is started here.
                for n, server in enumerate(() if s.rasa_urls else s.rasa_servers)
            },
            "worker": ([str(bin_dir / "reflect"), "worker"], None),
            **({"events": ([str(bin_dir / "reflect"), "events"], None)} if s.rabbitmq_url else {}),
            "entry": (
                [sys.executable, *entry_command(s.host, s.port, s.entry_workers)],
                f"{s.entry_url}/healthz",
            ),
        }

    def start(self, timeout_s: float = 300, only: tuple[str, ...] = ()) -> None:
        """Starts the processes (all, or `only` those) and returns once they answer.

        A child that dies or does not answer within `timeout_s` raises StackError; whatever was
        started is stopped first.
        """
        self._stopping = False
        private_var(self.settings, self.log_dir)
        self._open_log()
        try:
            private_dir(self.run_dir)
            write_endpoints(self.settings, self.endpoints_file)
            now = time.monotonic()
            for name, (command, url) in self._commands().items():
                if name.split("-")[0] in (only or NAMES):
                    process = self._spawn(name, command)
                    self.children[name] = Child(name, command, url, process, now)
                    self._log.info("started %s as pid %d", name, process.pid)
            deadline = now + timeout_s
            for child in self.children.values():
                if child.ready_url is not None:
                    self._wait_for(child.name, child.ready_url, deadline)
                child.ready = True
            self.check_alive()
        except BaseException:
            self.stop()
            raise

    def _open_log(self) -> None:
        """Supervision events go to var/logs/supervisor.log, and to the console if given."""
        self._log.setLevel(logging.INFO)
        log_file = private_file(self.log_dir / SUPERVISOR_LOG)
        handlers: list[logging.Handler] = [logging.FileHandler(log_file)]
        if self.console is not None:
            handlers.append(logging.StreamHandler(self.console))
        for handler in handlers:
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
            self._log.addHandler(handler)
        self._handlers = handlers

    def _close_log(self) -> None:
        for handler in self._handlers:
            self._log.removeHandler(handler)
            handler.close()
        self._handlers = []

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen[bytes]:
        """Starts one child in its own session, output appended to its log; records its pid."""
        env = {
            **os.environ,
            **self.settings.child_environment(),
            "SANIC_HOST": "127.0.0.1",  # the action server listens on loopback only
            "RASA_TELEMETRY_ENABLED": "false",
        }
        with private_file(self.log_dir / f"{name}.log").open("ab") as log:
            process = subprocess.Popen(
                command,
                cwd=PROJECT_DIR,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # Ctrl-C reaches `reflect run`, which stops them
                umask=PRIVATE_UMASK,  # what they create is private: Rasa's tracker store
            )
        self._write_pid(name, process.pid)
        return process

    def _write_pid(self, name: str, pid: int) -> None:
        """Replaces <name>.pid atomically, so a reader never sees half a file; owner-only."""
        private_dir(self.run_dir)
        path = self.pid_file(name)
        temporary = path.with_suffix(".pid.tmp")
        temporary.unlink(missing_ok=True)
        private_file(temporary).write_text(f"{pid}\n")
        os.replace(temporary, path)

    def _remove_pid(self, name: str, pid: int) -> None:
        """Removes <name>.pid if it still names `pid` (another stack may share the var dir)."""
        path = self.pid_file(name)
        try:
            if path.read_text().strip() == str(pid):
                path.unlink()
        except FileNotFoundError:
            pass

    def _wait_for(self, name: str, url: str, deadline: float) -> None:
        while time.monotonic() < deadline:
            self.check_alive()
            if self._answers(url, timeout_s=2):
                return
            time.sleep(0.5)
        raise StackError(f"{name} did not start in time; see {self.log_dir / (name + '.log')}")

    def check_alive(self) -> None:
        """Raises StackError if a child has exited (during start-up, where that is fatal)."""
        for name, child in self.children.items():
            if child.process.poll() is not None:
                raise StackError(
                    f"{name} {describe_exit(child.process.returncode)}; "
                    f"see {self.log_dir / (name + '.log')}"
                )

    def supervise(self) -> None:
        """One round of supervision; `reflect run` calls it about once a second.

        A child found dead is logged (pid, exit code or signal) and restarted once its backoff
        has passed; a restarted server is logged again when its ready URL answers. A child that
        keeps dying is retried every `max_restart_s` seconds, with an error logged each time.
        Nothing is restarted once `stop` has begun.
        """
        now = time.monotonic()
        for child in list(self.children.values()):
            if self._stopping:
                return
            if child.restart_at is None:
                self._check(child, now)
            elif now >= child.restart_at:
                self._restart(child, now)

    def _check(self, child: Child, now: float) -> None:
        """Notes a running child's death, stable run or readiness."""
        returncode = child.process.poll()
        if returncode is None:
            if child.deaths and now - child.started_at >= self.stable_s:
                child.deaths = 0
            if (
                not child.ready
                and child.ready_url
                and self._answers(child.ready_url, PROBE_TIMEOUT_S)
            ):
                child.ready = True
                self._log.info(
                    "%s answers again at %s, %.1f s after it was found dead",
                    child.name,
                    child.ready_url,
                    now - (child.died_at or child.started_at),
                )
            return
        self._remove_pid(child.name, child.process.pid)
        # Anything the dead child started (its process group) goes too, so no leftover holds
        # its port when it is restarted.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.process.pid, signal.SIGKILL)
        child.died_at = now
        self._schedule_restart(
            child, now, f"{child.name} (pid {child.process.pid}) {describe_exit(returncode)}"
        )

    def _schedule_restart(self, child: Child, now: float, what: str) -> None:
        """Counts a death (or failed restart) and sets when the next restart is due."""
        child.deaths += 1
        delay = backoff_s(child.deaths, self.max_restart_s)
        child.restart_at = now + delay
        if delay < self.max_restart_s:
            self._log.warning("%s; restarting it in %g s", what, delay)
        else:
            self._log.error(
                "%s; it has failed %d times in a row (see %s); still restarting it every %g s",
                what,
                child.deaths,
                self.log_dir / f"{child.name}.log",
                delay,
            )

    def _restart(self, child: Child, now: float) -> None:
        try:
            child.process = self._spawn(child.name, child.command)
        except OSError as error:
            self._schedule_restart(child, now, f"{child.name} could not be restarted: {error}")
            return
        child.started_at = now
        child.restart_at = None
        child.ready = child.ready_url is None
        self._log.info("restarted %s as pid %d", child.name, child.process.pid)

    def stop_process(self, name: str, grace_s: float = 15) -> None:
        """Asks one process to stop, and kills it if it has not after `grace_s`."""
        child = self.children.pop(name, None)
        if child is None:
            return
        process = child.process
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            self._log.info("stopped %s (pid %d)", name, process.pid)
        self._remove_pid(name, process.pid)

    def stop(self) -> None:
        """Stops every process that still runs; nothing is restarted from here on."""
        self._stopping = True
        if self.children:
            self._log.info("stopping %s", ", ".join(reversed(self.children)))
        for name in reversed(list(self.children)):
            self.stop_process(name)
        self._close_log()
        if self._http is not None:
            self._http.close()
            self._http = None

    def _answers(self, url: str, timeout_s: float) -> bool:
        """Whether a GET of `url` answers 200 within `timeout_s`.

        One client serves every probe: a new one per probe costs tens of milliseconds of CPU,
        taken from the very child that is starting.
        """
        if self._http is None:
            self._http = httpx.Client(limits=httpx.Limits(max_keepalive_connections=0))
        try:
            return self._http.get(url, timeout=timeout_s).status_code == 200
        except httpx.HTTPError:
            return False
