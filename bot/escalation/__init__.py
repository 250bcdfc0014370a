"""Crisis escalation: the crisis reply, on-call contacts, notifiers and the outbox worker."""
