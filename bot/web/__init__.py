"""The web app under /app: the client's journal and chat, the therapist's review, the on-call
clinician's console and the admin's audit trail, rendered on the server (Jinja2)."""

# Where the entry point mounts the web app.
PREFIX = "/app"
