"""The benchmark (``make bench``) run at toy sizes, so its code cannot rot unnoticed.

Only that every row is measured is checked, not the targets: toy sizes on a busy test
machine say nothing about performance.
"""

import json

from bench.rows import QUICK
from bench.run import ROWS, run, yardsticks


def test_the_bench_measures_every_row(tmp_path):
    output = tmp_path / "results.json"

    measured = run(QUICK, postgres_url=None, output=output)

    results = json.loads(output.read_text())
    assert {r["name"] for r in results} == set(ROWS)
    for result in results:
        assert result["status"] != "error", result
        # Not measured: /imports before it exists; gunicorn rows when wrk is missing.
        if result["status"] != "not available" and not result["status"].startswith("skipped"):
            assert isinstance(result["ratio"], float), result
        if result["name"] == "small reads" and result["status"] != "skipped: no wrk":
            for server in ("bare", "plain", "api"):  # each answered, and only with 2xx
                assert result["raw"][server]["requests"] > 0, result
                assert result["raw"][server]["non_2xx"] == 0, result
    served = [r for r in results if r["name"] == "small reads" and r["ratio"] is not None]
    assert len(yardsticks(measured)) == len(served)  # printed under the table
