"""The app's own tables (clients, therapists, conversations, messages, journal entries)."""
