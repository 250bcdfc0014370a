"""Turn latency: Reflect's full path against a bare `rasa run` of the same model.

Both answer through the same action server and the same app database (every sender is an
enrolled client), so what differs is what Reflect adds: the entry point, its rails and
storage, and the metadata it passes to Rasa. Measurements are interleaved, so noise on this
machine hits both alike:

- one client: short journeys, turn by turn, Reflect and bare Rasa alternating;
- one long conversation of LONG_TURNS turns on each;
- 20 and 100 concurrent clients (asyncio), in alternating blocks;
- start-up to the first answer, and each process's peak resident memory (VmHWM).

Writes bench/results/latest.json and bench/results/latency.png (latency against turn number,
and the distributions under load), and prints a table against the targets of issue 13.
Run with `make bench`; it is never part of `make test`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import httpx

from bot.rasa_endpoints import write_endpoints
from bot.settings import PROJECT_DIR, Settings
from bot.stack import Stack, rasa_command
from bot.storage.accounts import add_client
from bot.storage.db import session_scope
from bot.storage.schema import ensure_schema

MODEL = PROJECT_DIR / "models" / "reflect.tar.gz"
RESULTS = PROJECT_DIR / "bench" / "results"
SENSES = ["the blue mug", "a car outside", "the blanket on my knees", "coffee", "mint"]
# A check-in at a low rating, grounding offered and taken, the five senses: nine turns.
JOURNEY = ["hi", "2", "shaky", "/affirm", *SENSES]
# One long conversation repeats this: an exercise asked for by name, answered, then declined.
CYCLE = ["grounding please", *SENSES, "no thanks"]
ONE_CLIENT_JOURNEYS = 8
LONG_TURNS = 300
LOADS = {20: 3, 100: 1}  # concurrent clients: blocks per system
TARGETS = {
    "one client p50 ratio": 1.1,
    "one client p95 ms": 150.0,
    "long conversation ratio (281-300 / 1-20)": 1.3,
    "20 clients throughput ratio": 1.0,
    "20 clients p95 ratio": 1.2,
    "start-up to first answer s": 30.0,
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Target:
    """One system under test: how to send a client's message to it."""

    name: str
    url: str
    tokens: dict[str, str] = field(default_factory=dict)

    async def send(self, http: httpx.AsyncClient, sender: str, text: str) -> float:
        """One turn; returns its latency in ms. Raises on any answer but 200."""
        started = time.perf_counter()
        if self.name == "reflect":
            response = await http.post(
                f"{self.url}/v1/messages",
                json={"client_id": sender, "text": text},
                headers={"Authorization": f"Bearer {self.tokens[sender]}"},
            )
        else:
            response = await http.post(
                f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}
            )
        if response.status_code != 200:  # the code and detail say which part gave way
            raise RuntimeError(f"{self.name} answered {response.status_code}: {response.text}")
        return (time.perf_counter() - started) * 1000


def _enrol(settings: Settings, ids: list[str]) -> dict[str, str]:
    """Enrols each sender as a client (so the actions treat both systems' senders alike)."""
    with session_scope(settings.app_database_url) as session:
        return {i: add_client(session, "Bench", client_id=i)[1] for i in ids}


def _percentile(values: list[float], p: int) -> float:
    return statistics.quantiles(values, n=100)[p - 1] if len(values) > 1 else values[0]


def _peak_rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


async def one_client(reflect: Target, bare: Target) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"reflect": [], "bare": []}
    async with httpx.AsyncClient(timeout=120) as http:
        for n in range(ONE_CLIENT_JOURNEYS):
            for text in JOURNEY:
                pair = [(reflect, f"one-r-{n}"), (bare, f"one-b-{n}")]
                random.shuffle(pair)
                for target, sender in pair:
                    timings[target.name].append(await target.send(http, sender, text))
    return timings


async def long_conversation(reflect: Target, bare: Target) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {"reflect": [], "bare": []}
    texts = (JOURNEY + CYCLE * LONG_TURNS)[:LONG_TURNS]
    async with httpx.AsyncClient(timeout=120) as http:
        for text in texts:
            pair = [(reflect, "long-r"), (bare, "long-b")]
            random.shuffle(pair)
            for target, sender in pair:
                timings[target.name].append(await target.send(http, sender, text))
    return timings


async def _block(target: Target, senders: list[str]) -> tuple[list[float], float]:
    """Each sender runs one journey at once with the others; returns latencies and seconds."""
    limits = httpx.Limits(max_connections=len(senders), max_keepalive_connections=len(senders))
    async with httpx.AsyncClient(timeout=300, limits=limits) as http:

        async def journey(sender: str) -> list[float]:
            return [await target.send(http, sender, text) for text in JOURNEY]

        started = time.perf_counter()
        results = await asyncio.gather(*(journey(s) for s in senders))
        return [t for r in results for t in r], time.perf_counter() - started


async def under_load(reflect: Target, bare: Target, clients: int, blocks: int) -> dict[str, dict]:
    out: dict[str, dict] = {t.name: {"latencies": [], "seconds": 0.0} for t in (reflect, bare)}
    for block in range(blocks):
        order = [(reflect, "r"), (bare, "b")]
        random.shuffle(order)
        for target, prefix in order:
            senders = [f"load{clients}-{prefix}-{block}-{n}" for n in range(clients)]
            latencies, seconds = await _block(target, senders)
            out[target.name]["latencies"] += latencies
            out[target.name]["seconds"] += seconds
    for figures in out.values():
        figures["turns_per_s"] = len(figures["latencies"]) / figures["seconds"]
        figures.update(_summary(figures["latencies"]))
    return out


def _start_bare_rasa(settings: Settings, port: int, log: Path) -> subprocess.Popen[bytes]:
    """`rasa run` of the same model, with its own tracker store, on the stack's action server."""
    bare = replace(settings, tracker_db=str(settings.var_dir / "bare-tracker.db"))
    endpoints = write_endpoints(bare, settings.var_dir / "bare-endpoints.yml")
    env = {**os.environ, **bare.child_environment()}
    command = rasa_command(bare, MODEL, port, endpoints)
    with log.open("wb") as out:
        return subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=PROJECT_DIR
        )


def _wait_until_answers(url: str, timeout_s: float = 600) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {timeout_s:.0f} s")


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": _percentile(values, 50),
        "p95_ms": _percentile(values, 95),
        "mean_ms": statistics.fmean(values),
        "n": len(values),
    }


def _chart(results: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, (left, right) = pyplot.subplots(1, 2, figsize=(12, 4.5))
    for name, values in results["long_conversation"]["turns"].items():
        left.plot(range(1, len(values) + 1), values, label=name, linewidth=0.8)
    left.set_xlabel("turn in one conversation")
    left.set_ylabel("latency (ms)")
    left.set_title("Latency against conversation length")
    left.legend()
    labels, data = [], []
    for clients, figures in results["load"].items():
        for name in ("reflect", "bare"):
            labels.append(f"{name}\n{clients} clients")
            data.append(figures[name]["latencies"])
    right.boxplot(data, labels=labels, showfliers=False)
    right.set_ylabel("latency (ms)")
    right.set_title("Latency under load")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    pyplot.close(figure)


def main() -> int:
    if not MODEL.exists():
        print(f"no trained model at {MODEL}; run `make train` first", file=sys.stderr)
        return 1
    random.seed(13)
    var_dir = Path(tempfile.mkdtemp(prefix="reflect-latency-"))
    settings = Settings(
        var_dir=var_dir,
        port=free_port(),
        rasa_port=free_port(),
        action_port=free_port(),
        rate_limit_burst=100000,
    )
    ensure_schema(settings)
    reflect = Target("reflect", settings.entry_url)
    bare_port = free_port()
    bare = Target("bare", f"http://127.0.0.1:{bare_port}")
    senders = {"r": ["long-r"], "b": ["long-b"]}
    for side in senders:
        senders[side] += [f"one-{side}-{n}" for n in range(ONE_CLIENT_JOURNEYS)]
        for clients, blocks in LOADS.items():
            senders[side] += [
                f"load{clients}-{side}-{block}-{n}"
                for block in range(blocks)
                for n in range(clients)
            ]
    reflect.tokens = _enrol(settings, senders["r"])
    _enrol(settings, senders["b"])
    stack = Stack(settings, MODEL)
    print("starting Reflect, then a bare Rasa of the same model (a minute or two)...")
    bare_process: subprocess.Popen[bytes] | None = None
    try:  # whatever fails from here on, nothing started is left running
        started = time.monotonic()
        stack.start()
        first = asyncio.run(_first_answer(reflect))
        startup_s = time.monotonic() - started
        bare_process = _start_bare_rasa(settings, bare_port, var_dir / "bare-rasa.log")
        _wait_until_answers(bare.url)
        results = asyncio.run(_measure(reflect, bare))
        results["startup_to_first_answer_s"] = startup_s
        results["first_answer_ms"] = first
        results["peak_rss_mb"] = {
            name: _peak_rss_mb(int(stack.pid_file(name).read_text()))
            for name in ("rasa", "entry", "actions", "worker")
        }
        results["peak_rss_mb"]["bare rasa"] = _peak_rss_mb(bare_process.pid)
    finally:
        if bare_process is not None:
            bare_process.terminate()
            bare_process.wait(timeout=60)
        stack.stop()
    results["figures"] = _figures(results)
    RESULTS.mkdir(parents=True, exist_ok=True)
    _chart(results, RESULTS / "latency.png")
    (RESULTS / "latest.json").write_text(json.dumps(results, indent=1))
    _print(results)
    return 0


async def _first_answer(reflect: Target) -> float:
    async with httpx.AsyncClient(timeout=120) as http:
        return await reflect.send(http, "one-r-0", "hi")


async def _measure(reflect: Target, bare: Target) -> dict:
    print("one client, short journeys...")
    one = await one_client(reflect, bare)
    print(f"one conversation of {LONG_TURNS} turns on each...")
    long = await long_conversation(reflect, bare)
    load = {}
    for clients, blocks in LOADS.items():
        print(f"{clients} concurrent clients...")
        load[clients] = await under_load(reflect, bare, clients, blocks)
    return {
        "one_client": {name: _summary(values) for name, values in one.items()},
        "long_conversation": {
            "turns": long,
            "first_20_median_ms": {n: statistics.median(v[:20]) for n, v in long.items()},
            "last_20_median_ms": {n: statistics.median(v[-20:]) for n, v in long.items()},
        },
        "load": load,
    }


def _figures(results: dict) -> dict[str, float]:
    """The issue's figures, each to compare with TARGETS."""
    one = results["one_client"]
    long = results["long_conversation"]
    load20 = results["load"][20]
    return {
        "one client p50 ratio": one["reflect"]["p50_ms"] / one["bare"]["p50_ms"],
        "one client p95 ms": one["reflect"]["p95_ms"],
        "long conversation ratio (281-300 / 1-20)": long["last_20_median_ms"]["reflect"]
        / long["first_20_median_ms"]["reflect"],
        "20 clients throughput ratio": load20["reflect"]["turns_per_s"]
        / load20["bare"]["turns_per_s"],
        "20 clients p95 ratio": load20["reflect"]["p95_ms"] / load20["bare"]["p95_ms"],
        "start-up to first answer s": results["startup_to_first_answer_s"],
    }


def _print(results: dict) -> None:
    one = results["one_client"]
    long = results["long_conversation"]
    print(f"\n{'figure':44} {'Reflect':>10} {'bare Rasa':>10}")
    rows = [
        ("one client p50 ms", one["reflect"]["p50_ms"], one["bare"]["p50_ms"]),
        ("one client p95 ms", one["reflect"]["p95_ms"], one["bare"]["p95_ms"]),
        ("long: turns 1-20 median ms", *long["first_20_median_ms"].values()),
        ("long: last 20 turns median ms", *long["last_20_median_ms"].values()),
    ]
    for clients, block in results["load"].items():
        rows.append(
            (
                f"{clients} clients turns/s",
                block["reflect"]["turns_per_s"],
                block["bare"]["turns_per_s"],
            )
        )
        rows.append(
            (f"{clients} clients p95 ms", block["reflect"]["p95_ms"], block["bare"]["p95_ms"])
        )
    for name, mine, theirs in rows:
        print(f"{name:44} {mine:10.1f} {theirs:10.1f}")
    print(f"\n{'figure':44} {'value':>8} {'target':>8}")
    for name, value in results["figures"].items():
        target = TARGETS[name]
        met = value >= target if "throughput" in name else value <= target
        print(f"{name:44} {value:8.2f} {target:8.2f} {'met' if met else 'MISSED'}")
    print(f"\npeak resident memory (MB): {results['peak_rss_mb']}")
    print(f"results: {RESULTS / 'latest.json'}, chart: {RESULTS / 'latency.png'}")


if __name__ == "__main__":
    sys.exit(main())
