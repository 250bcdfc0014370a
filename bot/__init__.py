"""Reflect: the application around the Rasa assistant (settings, storage, entry point, CLI)."""
