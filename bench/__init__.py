"""The performance benchmark of quality.md: ``make bench`` (``python -m bench.run``)."""
