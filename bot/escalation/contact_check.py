"""Whether the on-call file can reach anyone: said loudly at start-up and by /healthz."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from bot.escalation.config import Contact, OnCall, on_call
from bot.settings import Settings

# "none": nobody to tell; "example_only": every address is a placeholder that reaches nobody;
# "no_fallback": real contacts, but nobody to tell when none of them can be reached.
ContactsStatus = Literal["ok", "none", "example_only", "no_fallback"]

# Names reserved for examples and tests (RFC 2606, RFC 6761): mail and webhooks to them, or to
# any name under them, reach nobody.
RESERVED_NAMES = ("example", "example.com", "example.net", "example.org", "test", "invalid")


@dataclass(frozen=True)
class ContactCheck:
    """The overall status, and one plain sentence per problem found (empty when all is well)."""

    status: ContactsStatus
    problems: tuple[str, ...]


def is_placeholder(address: str) -> bool:
    """Whether an email address or webhook URL points at a reserved example name."""
    host = address.rpartition("@")[2] if "://" not in address else urlsplit(address).hostname
    host = (host or "").lower().rstrip(".")
    return any(host == name or host.endswith("." + name) for name in RESERVED_NAMES)


def _reaches_nobody(contact: Contact) -> bool:
    """Every address the contact has is a placeholder."""
    return all(is_placeholder(a) for a in (contact.email, contact.webhook) if a)


def check_contacts(config: OnCall) -> ContactCheck:
    """What is wrong with who would be told about a crisis, worst first."""
    everyone = config.everyone
    placeholders = [contact.name for contact in everyone if _reaches_nobody(contact)]
    status: ContactsStatus = "ok"
    problems = []
    if not everyone:
        status = "none"
        problems.append("no on-call contact is configured: nobody is told about a crisis")
    elif len(placeholders) == len(everyone):
        status = "example_only"
        problems.append(
            f"every on-call contact ({', '.join(placeholders)}) has only example addresses: "
            "nobody is told about a crisis"
        )
    else:
        problems += [f"the contact {name!r} has only example addresses" for name in placeholders]
    if config.fallback is None:
        status = "no_fallback" if status == "ok" else status
        problems.append(
            "no fallback contact: if no on-call contact can be reached, nobody else is told"
        )
    return ContactCheck(status, tuple(problems))


def check_on_call_file(settings: Settings) -> ContactCheck:
    """`check_contacts` on the on-call file as it is now (its last good copy while broken)."""
    return check_contacts(on_call(settings.config_path(settings.on_call_file)))
