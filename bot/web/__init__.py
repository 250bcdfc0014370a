"""The web app under /app: the client's journal and chat, the therapist's review, the on-call
clinician's console and the admin's audit trail, rendered on the server (Jinja2)."""

from bot.settings import Settings

# Where the entry point mounts the web app.
PREFIX = "/app"


def invite_link(settings: Settings, token: str) -> str:
    """The link that opens an invitation (REFLECT_PUBLIC_URL, else the entry point)."""
    return f"{settings.web_url}{PREFIX}/invite/{token}"
