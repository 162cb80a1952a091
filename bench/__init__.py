"""Benchmarks: `python -m bench` measures the pages over HTTP at several catalog sizes (see bench/__main__.py)."""
