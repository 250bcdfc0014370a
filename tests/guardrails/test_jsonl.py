"""Stream functions: one output line per input line, in order, whatever the input."""

from __future__ import annotations

import io
import json

from guardrails.jsonl import run_reply, run_risk


def run(function, lines: str | bytes) -> list[dict]:  # type: ignore[no-untyped-def]
    if isinstance(lines, bytes):
        source = io.TextIOWrapper(io.BytesIO(lines), encoding="utf-8")
    else:
        source = io.StringIO(lines)
    out = io.StringIO()
    function(source, out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_risk_writes_one_result_per_line_in_order() -> None:
    lines = (
        json.dumps({"id": 1, "text": "I want to kill myself"})
        + "\n"
        + json.dumps({"id": "b", "text": "I had a nice walk"})
        + "\n"
    )
    none = {"level": "none", "signals": [], "categories": [], "language": "en"}
    assert run(run_risk, lines) == [
        {
            "id": 1,
            "level": "crisis",
            "signals": ["suicidal_ideation_active"],
            "categories": ["suicide_active"],
            "language": "en",
        },
        {"id": "b", **none},
    ]


def test_empty_text_is_a_result_not_an_error() -> None:
    assert run(run_risk, '{"id": 7, "text": ""}\n') == [
        {"id": 7, "level": "none", "signals": [], "categories": [], "language": "en"}
    ]


def test_each_bad_line_gets_its_own_error_and_the_stream_goes_on() -> None:
    lines = "\n".join(
        [
            "{not json",
            "",
            "[1, 2, 3]",
            '{"id": 3}',
            '{"id": 4, "text": 42}',
            '{"id": 5, "text": null}',
            '{"id": 6, "text": NaN}',
            '{"id": 7, "text": "kms"}',
        ]
    )
    results = run(run_risk, lines + "\n")
    assert len(results) == 8
    assert [r["id"] for r in results] == [None, None, None, 3, 4, 5, None, 7]
    assert results[0]["error"].startswith("invalid JSON")
    assert results[1]["error"] == "blank line"
    assert results[2]["error"] == "each line must be a JSON object"
    assert results[3]["error"] == "missing 'text'"
    assert results[4]["error"] == "'text' must be a string"
    assert results[5]["error"] == "missing 'text'"
    assert "NaN" in results[6]["error"]
    assert results[7]["level"] == "crisis"


def test_binary_bytes_are_replaced_not_fatal() -> None:
    raw = (
        b'{"id": 1, "text": "caf\xe9 \xff\xfe i want to die"}\n'
        b"\xff\xfe\x00garbage\n"
        b'{"id": 2, "text": "ok"}\n'
    )
    results = run(run_risk, raw)
    assert len(results) == 3
    assert results[0]["level"] == "crisis"
    assert "error" in results[1]
    assert results[2] == {
        "id": 2,
        "level": "none",
        "signals": [],
        "categories": [],
        "language": "en",
    }


def test_emoji_other_scripts_and_100kb_lines_work() -> None:
    long_text = "I made tea and read a book. " * 4000 + "I want to die"
    lines = "\n".join(
        json.dumps({"id": i, "text": text})
        for i, text in enumerate(["😭😭 💀", "我今天很好", "مرحبا", long_text])
    )
    results = run(run_risk, lines + "\n")
    assert [r["level"] for r in results] == ["none", "none", "none", "crisis"]


def test_output_is_ascii_json_even_for_unicode_ids() -> None:
    out = io.StringIO()
    run_risk(io.StringIO('{"id": "ü-💀", "text": "hi"}\n'), out)
    assert out.getvalue().isascii()
    assert json.loads(out.getvalue())["id"] == "ü-💀"


def test_reply_stream_uses_the_client_message_for_pacing() -> None:
    lines = "\n".join(
        json.dumps(record)
        for record in [
            {"id": 1, "text": "What are you grateful for today?", "user_text": "I feel hopeless"},
            {"id": 2, "text": "What are you grateful for today?", "user_text": "Lovely day"},
            {"id": 3, "text": "What are you grateful for today?"},
            {"id": 4, "text": "Everything happens for a reason."},
            {"id": 5, "text": "I'm here with you.", "user_text": 3},
            {"id": 6},
        ]
    )
    results = run(run_reply, lines + "\n")
    assert results[:4] == [
        {"id": 1, "verdict": "block", "reasons": ["gratitude_prompt"]},
        {"id": 2, "verdict": "allow", "reasons": []},
        {"id": 3, "verdict": "allow", "reasons": []},
        {"id": 4, "verdict": "block", "reasons": ["trauma_as_gift"]},
    ]
    assert results[4] == {"id": 5, "error": "'user_text' must be a string"}
    assert results[5] == {"id": 6, "error": "missing 'text'"}


def test_reply_stream_survives_bad_lines() -> None:
    results = run(run_reply, b"\xff\n\n{oops\n")
    assert len(results) == 3
    assert all("error" in r for r in results)
