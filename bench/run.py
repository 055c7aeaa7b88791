"""``make bench``: every row of quality.md's Performance table in one run, on SQLite and,
when TEST_DATABASE_URL is set, on PostgreSQL; prints the ratios and writes them as JSON.

    .venv/bin/python -m bench.run [--quick] [--postgres URL | --sqlite-only] [--output FILE]

``--quick`` runs everything at toy sizes in seconds (the smoke test's mode: it proves the
code runs, its figures mean nothing).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from bench.fixtures import Target
from bench.rows import QUICK, Result, Sizes, measure

ROWS = (
    "small reads",
    "latency under load",
    "large reads",
    "SQL per request",
    "bulk import",
    "derived analyses",
    "memory",
    "worker killed mid-import",
    "event throughput",
    "webhook deliveries",
    "async import",
)
DEFAULT_OUTPUT = Path(__file__).resolve().parent / "results.json"


def run(
    sizes: Sizes, postgres_url: str | None, output: Path, log=lambda line: None
) -> list[Result]:
    """Measure every row on each database, write ``output``, answer the results."""
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="od-bench-") as tmp:
        targets = [Target("sqlite", None, Path(tmp) / "sqlite")]
        if postgres_url:
            targets.append(Target("postgresql", postgres_url, Path(tmp) / "postgresql"))
        for target in targets:
            target.tmp.mkdir(parents=True)
            results += measure(target, sizes, log)
    results.sort(key=lambda r: (ROWS.index(r.name), r.database))
    output.write_text(
        json.dumps([asdict(r) for r in results], indent=2, default=str, ensure_ascii=False) + "\n"
    )
    return results


def table(results: list[Result]) -> str:
    header = ("row", "database", "measured", "target", "result")
    lines = [
        (
            r.name,
            r.database,
            "–" if r.ratio is None else f"{r.ratio:.2f}",
            r.target,
            r.status if r.status != "error" else f"error: {r.raw.get('error', '')[:60]}",
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]

    def render(row) -> str:
        return " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True))

    return "\n".join(
        [render(header), "-+-".join("-" * w for w in widths), *(render(row) for row in lines)]
    )


def yardsticks(results: list[Result]) -> list[str]:
    """Beside each small-reads figure (the API against the plain route), both against the
    bare Flask route: how much of the distance to it is the stack's floor, how much the API."""
    return [
        f"small reads, {r.database}: against the bare route (bench.bare) the API measured "
        f"{r.raw['bare_ratio']:.2f}, the plain one-query route {r.raw['plain_ratio']:.2f}"
        for r in results
        if r.name == "small reads" and r.ratio is not None and "bare_ratio" in r.raw
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="toy sizes, 1 s loads (smoke)")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("TEST_DATABASE_URL") or None,
        help="PostgreSQL URL to measure too (default: $TEST_DATABASE_URL)",
    )
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--wrk-seconds", type=float, help="duration of each measured load")
    args = parser.parse_args(argv)

    sizes = QUICK if args.quick else Sizes()
    if args.wrk_seconds:
        sizes = Sizes(**{**asdict(sizes), "wrk_seconds": args.wrk_seconds})
    postgres = None if args.sqlite_only else args.postgres
    results = run(sizes, postgres, args.output, log=lambda line: print(line, file=sys.stderr))
    print(table(results))
    for line in yardsticks(results):
        print(line)
    print(f"\nwritten to {args.output}")
    return 0 if all(r.status in ("pass", "not available") for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
