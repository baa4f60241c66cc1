"""Load benchmarks: ``make bench`` (see the README's "Speed" section)."""
