"""The labelled reply rounds in guardrails/data/replies: pairs of a client message and a reply.

`guardrails/data/replies/rounds.yaml` lists every round with its use, in the same form as the
input rail's manifest (guardrails/rounds.py reads both). A held-out round is scored once, before
any change, with `reflect guard reply-eval`, its figures are committed to
guardrails/EVALUATION.md, and only then may its use become `training`. The data card is
guardrails/data/replies/README.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from guardrails.reply_taxonomy import reply_taxonomy
from guardrails.rounds import Round, load_rounds, read_records
from guardrails.rulefiles import reject_unknown

REPLY_DATA_DIR = Path(__file__).resolve().parent / "data" / "replies"
REPLY_MANIFEST = REPLY_DATA_DIR / "rounds.yaml"
ClientState = Literal["distressed", "steady"]
_KEYS = frozenset({"id", "client", "client_state", "reply", "category", "voice"})


@dataclass(frozen=True)
class ReplyPair:
    """A client message, a reply to it, and the reply's category from reply_taxonomy.yaml."""

    id: str
    client: str
    client_state: ClientState
    reply: str
    category: str
    voice: str

    @property
    def harmful(self) -> bool:
        """Whether the reply must not be sent to this client: a reply that dismisses pain, or a
        growth question asked of a distressed client."""
        verdict = reply_taxonomy().categories[self.category].verdict
        return verdict == "block" or (
            verdict == "block_when_distressed" and self.client_state == "distressed"
        )


def parse_pair(record: object, where: str) -> ReplyPair:
    """One JSON record as a ReplyPair; unknown keys and categories are errors."""
    if not isinstance(record, dict):
        raise ValueError(f"{where}: not a JSON object")
    reject_unknown(record, _KEYS, where)
    if record.get("category") not in reply_taxonomy().categories:
        raise ValueError(f"{where}: unknown category {record.get('category')!r}")
    if record.get("client_state") not in get_args(ClientState):
        raise ValueError(f"{where}: 'client_state' must be one of {get_args(ClientState)}")
    for field in ("client", "reply"):
        if not isinstance(record.get(field), str) or not record[field].strip():
            raise ValueError(f"{where}: '{field}' must be a non-empty string")
    return ReplyPair(
        id=str(record.get("id", where)),
        client=record["client"],
        client_state=cast(ClientState, record["client_state"]),
        reply=record["reply"],
        category=record["category"],
        voice=str(record.get("voice") or ""),
    )


def read_pairs(path: Path) -> list[ReplyPair]:
    """All pairs of a JSON-lines file, failing on the first bad line with its number."""
    return read_records(path, parse_pair)


def reply_rounds() -> list[Round]:
    return load_rounds(REPLY_MANIFEST)


def training_pairs(rounds: Iterable[Round] | None = None) -> list[ReplyPair]:
    """The pairs of every reply round whose use is training, in manifest order."""
    chosen = reply_rounds() if rounds is None else rounds
    return [p for r in chosen if r.use == "training" for p in read_pairs(r.path)]
