"""Benchmark: peak memory of `read_package` (what `rbm validate` does) on a package with a
large generated budget-facts CSV. Validation runs in a child process so that generating
the package does not count. Not a test.

usage: .venv/bin/python -m bench.validate_memory [SECTORS] [FACTS_PER_CELL]

Measured 2026-12-03 (100 sectors × 200: 960,000 rows, 39 MiB of CSV, 2 shared cores):
whole file decoded in memory 898 MiB peak, 127 s; read a row at a time with shared cell
values 489 MiB, 56 s. To measure another version, put its `src` first on PYTHONPATH.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import make_package

CHILD = """
import resource, sys, time
from pathlib import Path
from rbm.datapackage.package import read_package
started = time.perf_counter()
result = read_package(Path(sys.argv[1]))
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{result.report.valid} {len(result.report.errors)} {elapsed:.1f} {peak:.0f}")
"""


def main() -> None:
    sectors = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    per_cell = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as tmp:
        package = Path(tmp) / "pkg"
        facts = make_package(package, sectors, per_cell)
        size = (package / "data" / "budget_facts.csv").stat().st_size
        print(f"budget_facts.csv: {facts:,} rows, {size / 2**20:,.0f} MiB")
        baseline = subprocess.run(
            [
                sys.executable,
                "-c",
                "import rbm.datapackage.package, resource;"
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(package)], check=True, capture_output=True, text=True
        ).stdout.split()
        valid, errors, seconds, peak = out
        print(f"imports alone: {baseline} MiB peak")
        print(
            f"validated: valid={valid} errors={errors} in {seconds} s "
            f"({time.perf_counter() - started:.1f} s wall), peak {peak} MiB"
        )
        print(f"children peak (getrusage): {_children_peak():,.0f} MiB")


def _children_peak() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


if __name__ == "__main__":
    main()
