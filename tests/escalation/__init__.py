"""Escalation: replies, configuration, the outbox worker."""
