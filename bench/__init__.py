"""Reproducible benchmarks: `make bench` (python -m bench).

Each benchmark makes its own data at the scale of DESIGN.md in a separate
database (<name>_bench on the same server), compares our way with the naive
way side by side in one run, and the results are written to docs/BENCHMARKS.md.
"""
