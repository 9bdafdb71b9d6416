"""Benchmarks: each prints figures and a baseline measured in the same run (no timed assertions)."""
