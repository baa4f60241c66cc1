"""Where the benchmark keeps its files."""

from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT_ROOT = BENCH.parent
RESULTS = BENCH / "results"  # ignored by git: databases, JSON results, profiles
