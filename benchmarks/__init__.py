"""Benchmarks `make bench` runs: figures printed next to their targets, never asserted."""
