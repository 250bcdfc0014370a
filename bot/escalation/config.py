"""The YAML a clinic edits: lines to call by locale, and the ordered on-call contacts.

Both files are checked when the entry point starts (`check_config`), so a bad edit stops it
there with the file and the entry named. They are read afresh at each use, so edits apply
without a restart; a bad edit made while running is logged, and the last good copy is used,
so it never turns a crisis turn into an error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import yaml

from bot.settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")
LineKind = Literal["crisis", "safeguarding"]
LINE_KINDS: tuple[LineKind, ...] = ("crisis", "safeguarding")


class ConfigError(ValueError):
    """A clinic's YAML file is malformed; the message names the file and the entry."""


@dataclass(frozen=True)
class Contact:
    """One on-call clinician or team; told by email, webhook, or both."""

    name: str
    email: str | None = None
    webhook: str | None = None


def _yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from error


def _resources(path: Path) -> tuple[str, dict[str, dict[str, list[str]]]]:
    """The default locale and, for each locale, its crisis and safeguarding lines, checked."""
    config = _yaml(path)
    if not isinstance(config, dict) or set(config) != {"default", "locales"}:
        raise ConfigError(f"{path}: expected exactly the keys 'default' and 'locales'")
    locales = config["locales"]
    if not isinstance(locales, dict) or not locales:
        raise ConfigError(f"{path}: 'locales' must map locale codes to their lines")
    checked: dict[str, dict[str, list[str]]] = {}
    for code, entry in locales.items():
        if not isinstance(entry, dict) or set(entry) != set(LINE_KINDS):
            raise ConfigError(f"{path}: locale {code} needs exactly {list(LINE_KINDS)}")
        for kind in LINE_KINDS:
            lines = entry[kind]
            if (
                not isinstance(lines, list)
                or not lines
                or not all(isinstance(line, str) and line.strip() for line in lines)
            ):
                raise ConfigError(f"{path}: locale {code}: '{kind}' must be a list of lines")
        checked[str(code).upper()] = entry
    default = str(config["default"]).upper()
    if default not in checked:
        raise ConfigError(f"{path}: the default locale {default} has no lines")
    return default, checked


_LAST_GOOD: dict[tuple[str, Path], Any] = {}
_LAST_GOOD_LOCK = threading.Lock()


def _last_good(parse: Callable[[Path], T], path: Path, strict: bool = False) -> T:
    """`parse(path)`, remembered; when a later edit breaks the file, the error is logged and the
    last good copy is returned. With no good copy yet, or `strict`, the ConfigError is raised."""
    key = (parse.__name__, path)
    try:
        value = parse(path)
    except ConfigError as error:
        with _LAST_GOOD_LOCK:
            if strict or key not in _LAST_GOOD:
                raise
            log.error("%s; using the last good copy until it is fixed", error)
            return _LAST_GOOD[key]
    with _LAST_GOOD_LOCK:
        _LAST_GOOD[key] = value
    return value


def crisis_lines(path: Path, locale: str, kind: LineKind = "crisis") -> list[str]:
    """The lines of one kind for a locale, or the default locale's when it has none of its own."""
    default, locales = _last_good(_resources, path)
    return list((locales.get(locale.upper()) or locales[default])[kind])


@dataclass(frozen=True)
class OnCall:
    """The on-call file: the contacts told in turn, and who is told when none of them can be
    reached (`fallback`, optional)."""

    contacts: tuple[Contact, ...]
    fallback: Contact | None = None

    @property
    def everyone(self) -> tuple[Contact, ...]:
        """The contacts in turn, then the fallback if there is one."""
        return (*self.contacts, *([self.fallback] if self.fallback else []))


def crisis_locales(path: Path) -> tuple[str, frozenset[str]]:
    """The default locale and every locale the crisis-lines file has lines for (upper case).
    Raises ConfigError when the file is broken."""
    default, locales = _last_good(_resources, path, strict=True)
    return default, frozenset(locales)


ON_CALL_KEYS = {"contacts", "fallback"}
CONTACT_KEYS = {"name", "email", "webhook"}


def on_call(path: Path) -> OnCall:
    """The on-call file, read afresh so edits apply without a restart (the last good copy while
    the file is broken)."""
    return _last_good(_on_call, path)


def _on_call(path: Path) -> OnCall:
    """The contacts and fallback of an on-call file, checked; unknown keys are refused."""
    config = _yaml(path)
    if not isinstance(config, dict) or not set(config) <= ON_CALL_KEYS:
        raise ConfigError(f"{path}: expected a 'contacts' list and an optional 'fallback' only")
    contacts = config.get("contacts")
    if not isinstance(contacts, list):
        raise ConfigError(f"{path}: expected a 'contacts' list")
    fallback = config.get("fallback")
    return OnCall(
        contacts=tuple(
            _contact(path, f"contact {index}", entry)
            for index, entry in enumerate(contacts, start=1)
        ),
        fallback=None if fallback is None else _contact(path, "the fallback", fallback),
    )


def _contact(path: Path, label: str, entry: Any) -> Contact:
    """One entry of the on-call file, checked; `label` names it in the error."""
    if (
        not isinstance(entry, dict)
        or not isinstance(entry.get("name"), str)
        or not set(entry) <= CONTACT_KEYS
        or not (entry.get("email") or entry.get("webhook"))
        or not all(isinstance(entry.get(key), (str, type(None))) for key in ("email", "webhook"))
    ):
        raise ConfigError(
            f"{path}: {label} needs a 'name' and an 'email' or a 'webhook' (no other keys)"
        )
    return Contact(name=entry["name"], email=entry.get("email"), webhook=entry.get("webhook"))


def check_config(settings: Settings) -> None:
    """Reads the settings' crisis-lines and on-call files once; ConfigError on the first problem.
    Good files become the last good copies used if a later edit breaks them."""
    _last_good(_resources, settings.config_path(settings.crisis_resources_file), strict=True)
    _last_good(_on_call, settings.config_path(settings.on_call_file), strict=True)
