"""JSON-lines streams for the CLI: one JSON result per input line; no bad line stops the stream.

Input bytes: when the input stream has an underlying binary buffer (as sys.stdin does),
lines are read from it and decoded as UTF-8 with invalid bytes replaced by U+FFFD, so
binary garbage becomes an error line or odd text rather than a crash. A text stream
without a buffer (such as io.StringIO) is read as it is. Output is ASCII-only JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, TextIO

from guardrails.reply import check_reply_to
from guardrails.risk import assess_risk


class LineError(ValueError):
    """A problem with one input line, reported on that line's output."""


def _lines(in_stream: TextIO) -> Iterator[str]:
    """Input lines as text, decoding raw bytes leniently when a binary buffer is available."""
    source = getattr(in_stream, "buffer", None) or in_stream
    for line in source:
        yield line.decode("utf-8", "replace") if isinstance(line, bytes) else line


def _reject_constant(name: str) -> Any:
    """Refuse NaN and Infinity, which are not valid JSON and could not be echoed back."""
    raise LineError(f"invalid JSON: {name} is not allowed")


def _parse(line: str) -> dict[str, Any]:
    """Parse one line into a JSON object or raise LineError saying why not."""
    if not line.strip():
        raise LineError("blank line")
    try:
        record = json.loads(line, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise LineError(f"invalid JSON: {error.msg} at column {error.colno}") from None
    except RecursionError:
        raise LineError("invalid JSON: nested too deeply") from None
    if not isinstance(record, dict):
        raise LineError("each line must be a JSON object")
    return record


def _text_field(record: dict[str, Any], field: str, required: bool) -> str | None:
    """A string field of the record, checking presence and type."""
    if field not in record or record[field] is None:
        if required:
            raise LineError(f"missing '{field}'")
        return None
    if not isinstance(record[field], str):
        raise LineError(f"'{field}' must be a string")
    return record[field]


def _run(
    in_stream: TextIO, out_stream: TextIO, handle: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """Apply `handle` to each line's object, writing exactly one JSON line per input line."""
    for line in _lines(in_stream):
        record_id = None
        try:
            record = _parse(line)
            record_id = record.get("id")
            result = {"id": record_id, **handle(record)}
        except LineError as error:
            result = {"id": record_id, "error": str(error)}
        except Exception as error:  # one bad line must never stop the stream
            result = {"id": record_id, "error": f"internal error: {type(error).__name__}"}
        out_stream.write(json.dumps(result) + "\n")
        out_stream.flush()


def _risk(record: dict[str, Any]) -> dict[str, Any]:
    """Input rail on one record."""
    assessment = assess_risk(_text_field(record, "text", required=True) or "")
    return {
        "level": assessment.level,
        "signals": list(assessment.signals),
        "categories": list(assessment.categories),
        "language": assessment.language,
    }


def _reply(record: dict[str, Any]) -> dict[str, Any]:
    """Output rail on one record, using the optional client message for pacing."""
    text = _text_field(record, "text", required=True) or ""
    verdict = check_reply_to(text, _text_field(record, "user_text", required=False))
    return {"verdict": verdict.verdict, "reasons": list(verdict.reasons)}


def run_risk(in_stream: TextIO, out_stream: TextIO) -> None:
    """Read {"id", "text"} lines; write {"id", "level", "signals", "categories", "language"} or
    {"id", "error"} per line."""
    _run(in_stream, out_stream, _risk)


def run_reply(in_stream: TextIO, out_stream: TextIO) -> None:
    """Read {"id", "text", "user_text"?}; write {"id", "verdict", "reasons"} or {"id", "error"}."""
    _run(in_stream, out_stream, _reply)
