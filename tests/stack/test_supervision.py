"""Supervision by `Stack` with real children: restarts with backoff, logs, pid files, stopping.

These use the child that starts in a second or two, the worker; the fault test (test_faults.py)
kills the servers under `reflect run` itself and waits for them to answer again.
"""

from __future__ import annotations

import os
import signal
import stat
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.stack import Stack, describe_exit
from bot.storage.schema import upgrade_schema
from tests.stack.conftest import MODEL, stack_settings


def read_pid(stack: Stack, name: str) -> int | None:
    try:
        return int(stack.pid_file(name).read_text())
    except FileNotFoundError:
        return None


def supervise_until(stack: Stack, check: Callable[[], object], timeout_s: float = 60) -> None:
    """Runs supervision rounds, as `reflect run` does, until `check` holds (a generous bound)."""
    deadline = time.monotonic() + timeout_s
    while not check():
        assert time.monotonic() < deadline, "supervision did not get there in time"
        stack.supervise()
        time.sleep(0.1)


def restarted(stack: Stack, name: str, old_pid: int) -> Callable[[], bool]:
    return lambda: read_pid(stack, name) not in (None, old_pid)


def supervisor_log(stack: Stack) -> str:
    return (stack.log_dir / "supervisor.log").read_text()


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    upgrade_schema(stack_settings(tmp_path / "var").app_database_url)
    return tmp_path / "var"


@pytest.fixture
def worker_only(var_dir: Path) -> Iterator[Stack]:
    """Only the outbox worker, which restarts in a second or two; backoff capped at 2 s."""
    stack = Stack(stack_settings(var_dir), MODEL, max_restart_s=2.0, stable_s=3.0)
    stack.start(only=("worker",))
    yield stack
    stack.stop()


def test_a_killed_child_is_logged_and_restarted_with_its_new_pid_in_an_owner_only_file(
    worker_only: Stack,
) -> None:
    first = read_pid(worker_only, "worker")
    assert first == worker_only.children["worker"].process.pid
    assert stat.S_IMODE(worker_only.pid_file("worker").stat().st_mode) == 0o600

    os.kill(first, signal.SIGKILL)
    supervise_until(worker_only, restarted(worker_only, "worker", first))

    second = read_pid(worker_only, "worker")
    assert second == worker_only.children["worker"].process.pid
    os.kill(second, 0)  # it runs
    log = supervisor_log(worker_only)
    assert f"worker (pid {first}) killed by SIGKILL; restarting it in 1 s" in log
    assert f"restarted worker as pid {second}" in log


def test_a_child_that_keeps_dying_backs_off_to_the_cap_says_so_and_recovers_once_stable(
    worker_only: Stack,
) -> None:
    pids = [read_pid(worker_only, "worker")]
    for _ in range(3):  # killed as soon as it is back: three deaths in a row
        os.kill(pids[-1], signal.SIGKILL)
        supervise_until(worker_only, restarted(worker_only, "worker", pids[-1]))
        pids.append(read_pid(worker_only, "worker"))
    log = supervisor_log(worker_only).splitlines()
    deaths = [
        next(line for line in log if f"worker (pid {pid}) killed" in line) for pid in pids[:3]
    ]
    assert deaths[0].endswith(
        f"WARNING worker (pid {pids[0]}) killed by SIGKILL; restarting it in 1 s"
    )
    # At the cap: an error each time, and it goes on trying.
    for count, line in zip((2, 3), deaths[1:], strict=True):
        assert " ERROR " in line and f"it has failed {count} times in a row" in line
        assert line.endswith("still restarting it every 2 s")

    # Once it has run for stable_s, a death counts as the first again.
    started = time.monotonic()
    supervise_until(worker_only, lambda: time.monotonic() - started > worker_only.stable_s + 0.5)
    os.kill(pids[-1], signal.SIGKILL)
    supervise_until(worker_only, restarted(worker_only, "worker", pids[-1]))
    assert f"worker (pid {pids[-1]}) killed by SIGKILL; restarting it in 1 s" in supervisor_log(
        worker_only
    )


def test_nothing_is_restarted_once_stopping_has_begun(worker_only: Stack) -> None:
    pid = read_pid(worker_only, "worker")
    os.kill(pid, signal.SIGKILL)
    supervise_until(worker_only, lambda: worker_only.children["worker"].restart_at is not None)

    worker_only.stop()
    time.sleep(1.5)  # past the 1 s backoff the death was given
    worker_only.supervise()

    assert worker_only.children == {}
    assert read_pid(worker_only, "worker") is None
    assert "restarted worker" not in supervisor_log(worker_only)


def test_an_exit_is_described_by_its_code_or_its_signal() -> None:
    assert describe_exit(3) == "exited with code 3"
    assert describe_exit(-signal.SIGKILL) == "killed by SIGKILL"
    assert describe_exit(-signal.SIGTERM) == "killed by SIGTERM"
