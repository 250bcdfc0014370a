"""`reflect guard`, the stable line interface, run as scripts and evaluations run it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from guardrails.rounds import load_rounds

REFLECT = str(Path(sys.executable).parent / "reflect")


def guard(command: str, stdin: bytes, *flags: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [REFLECT, "guard", command, *flags],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )


def lines(result: subprocess.CompletedProcess[bytes]) -> list[dict]:
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_risk_answers_every_line_in_order_whatever_it_holds() -> None:
    records = [
        json.dumps({"id": 1, "text": "i want to die lol jk"}).encode(),
        json.dumps({"id": 2, "text": ""}).encode(),
        json.dumps({"id": 3, "text": "calm day " * 11_000 + "tonight i end it all"}).encode(),
        b'{"id": 4, "text": "invalid \xff\xfe utf-8"}',
        json.dumps(
            {"id": 5, "text": "🙂 أنا بخير 今日は良い日 this homework is killing me"}
        ).encode(),
        b'{"id": 6, "text": ',
        json.dumps({"id": 7}).encode(),
        b"\x00\x01\xff\xfe\x89PNG",
    ]
    result = guard("risk", b"\n".join(records) + b"\n")
    assert result.returncode == 0, result.stderr
    out = lines(result)
    assert len(out) == len(records)
    assert [o["id"] for o in out[:5]] == [1, 2, 3, 4, 5]
    assert out[0]["level"] == "crisis" and "retraction_after_disclosure" in out[0]["signals"]
    assert (out[1]["level"], out[1]["signals"]) == ("none", [])
    assert out[2]["level"] == "crisis"  # found at the end of a 100 kB message
    assert out[3]["level"] == "none"
    assert out[4]["level"] == "none"
    assert all("error" in o for o in out[5:])


def test_reply_blocks_gratitude_after_hopelessness_but_not_on_a_calm_day() -> None:
    question = "What are you grateful for today?"
    records = [
        {"id": "a", "text": question, "user_text": "I feel hopeless"},
        {"id": "b", "text": question, "user_text": "It was a quiet, calm day"},
        {"id": "c", "text": "At least you have your health."},
        {"id": "d", "text": "It's okay if gratitude feels out of reach."},
    ]
    result = guard("reply", "".join(json.dumps(r) + "\n" for r in records).encode())
    out = lines(result)
    assert [(o["id"], o["verdict"]) for o in out] == [
        ("a", "block"),
        ("b", "allow"),
        ("c", "block"),
        ("d", "allow"),
    ]
    assert out[0]["reasons"]


def test_eval_prints_the_figures_as_json() -> None:
    result = guard("eval", b"", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    figures = {check["figure"]: check for check in report["checks"]}
    assert figures["own_risk.crisis.recall"]["value"] == 1.0
    assert "shared_self_harm.crisis.recall" in figures
    cost = report["cost"]
    # Timed on the latest round the writers wrote, every message of it; speed itself is make
    # bench's to judge, not a test's.
    latest = [r for r in load_rounds() if r.writers > 0][-1]
    assert (cost["client_round"], cost["client_messages"]) == (latest.name, len(latest.examples()))
    assert figures["cost.client_messages_p95_ms"]["value"] == cost["client_messages_p95_ms"] > 0
