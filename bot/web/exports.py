"""A transcript as the therapist sees it (bot/review.py), as CSV and as PDF.

Both carry the same columns as the page: time, sender, text (or "private entry"), the input
rail's level and what set it, a blocked reply's reason and original, escalations and notes.
The PDF uses DejaVu Sans from matplotlib's own data, so any script a client writes in prints.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from bot.review import TranscriptLine, when
from bot.storage.models import Client, Conversation

COLUMNS = (
    "time",
    "sender",
    "text",
    "risk level",
    "risk sources",
    "blocked reply",
    "escalation",
    "notes",
)


def _row(line: TranscriptLine) -> list[str]:
    """A hidden line (private entry) carries no annotation either: only its time and sender."""
    message = line.message
    if line.hidden:
        return [when(message.created_at), message.sender, line.text, "", "", "", "", ""]
    blocked = ""
    if line.blocked is not None:
        blocked = f"{'; '.join(line.blocked.reasons)}: {line.blocked.original_text}"
    return [
        when(message.created_at),
        message.sender,
        line.text,
        message.risk_level or "",
        "; ".join(line.risk_sources),
        blocked,
        "; ".join(f"#{e.id} {e.reason} ({e.state})" for e in line.escalations),
        "; ".join(f"{n.author}: {n.text}" for n in line.notes),
    ]


def transcript_csv(lines: Sequence[TranscriptLine]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_row(line) for line in lines)
    return out.getvalue()


def _font() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def transcript_pdf(
    client: Client, conversation: Conversation, lines: Sequence[TranscriptLine]
) -> bytes:
    """An A4 PDF: a heading, then one block per message with its annotations."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("DejaVu", fname=str(_font()))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("DejaVu", size=14)
    pdf.multi_cell(
        0, 8, f"Transcript: {client.display_name} ({client.id})", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("DejaVu", size=9)
    pdf.multi_cell(
        0,
        5,
        f"Conversation {conversation.id}, started {when(conversation.started_at)}",
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.ln(3)
    for line in lines:
        time, sender, text, level, sources, blocked, escalation, notes = _row(line)
        pdf.set_font("DejaVu", size=8)
        heading = f"{time}  {sender}" + (f"  [risk: {level}]" if level and level != "none" else "")
        pdf.multi_cell(0, 4, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=10)
        pdf.multi_cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", size=8)
        for label, value in (
            ("set by", sources),
            ("blocked reply", blocked),
            ("escalation", escalation),
            ("notes", notes),
        ):
            if value:
                pdf.multi_cell(0, 4, f"{label}: {value}", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return bytes(pdf.output())
