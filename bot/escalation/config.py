"""The YAML a clinic edits: crisis lines by locale and the ordered on-call contacts."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml


@dataclass(frozen=True)
class Contact:
    """One on-call clinician or team; told by email, webhook, or both."""

    name: str
    email: str | None = None
    webhook: str | None = None


def crisis_lines(path: Path, locale: str) -> list[str]:
    """The crisis lines for a locale, or the default locale's when it has none of its own."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    locales: dict[str, list[str]] = config["locales"]
    return list(locales.get(locale.upper()) or locales[config["default"]])


def on_call_contacts(path: Path) -> list[Contact]:
    """The contacts in the order they are told; read afresh so edits apply without a restart."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Contact(name=c["name"], email=c.get("email"), webhook=c.get("webhook"))
        for c in config["contacts"]
    ]
