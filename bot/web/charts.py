"""The reflection check-in trend as an SVG line chart, drawn with matplotlib.

Each line is one PTG domain (bot/storage/ptg.py DOMAINS), scored 0-5 at each answered check-in.
The pages show the same numbers as a table, for screen readers and for reading exact values.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from bot.storage.models import PtgCheckin
from bot.storage.ptg import DOMAINS

DOMAIN_LABELS = {
    "appreciation": "Appreciation of life",
    "relationships": "Relationships",
    "strength": "Personal strength",
    "possibilities": "New possibilities",
    "spiritual": "Spiritual or existential",
}


def trend_svg(checkins: Sequence[PtgCheckin]) -> str:
    """An SVG document (text) of the check-ins, oldest left; an empty chart says so."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(7, 3.2), dpi=100)
    try:
        dates = [c.answered_at for c in checkins]
        for domain in DOMAINS:
            axes.plot(
                dates,
                [getattr(c, domain) for c in checkins],
                marker="o",
                label=DOMAIN_LABELS[domain],
            )
        if not checkins:
            axes.text(
                0.5, 0.5, "No check-ins yet", ha="center", va="center", transform=axes.transAxes
            )
        axes.set_ylim(-0.2, 5.2)
        axes.set_ylabel("0 (not at all) to 5")
        axes.grid(alpha=0.3)
        if checkins:
            axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        figure.autofmt_xdate()
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg")
        return out.getvalue()
    finally:
        pyplot.close(figure)
