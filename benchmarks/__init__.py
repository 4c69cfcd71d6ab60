"""Benchmarks, the load test and the helpers they share (see benchmarks/common.py)."""
