"""Rasa custom actions, one module per feature; the logic lives in plain functions tests call."""
