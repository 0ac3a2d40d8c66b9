"""Benchmark: validate and load a large synthetic package (an organization far bigger than
WIPO); prints rows, seconds and peak memory for each step. Not a test.

usage: .venv/bin/python -m bench.load [SECTORS] [FACTS_PER_CELL] [DATABASE_URL]
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import make_package
from rbm.datapackage.package import read_package
from rbm.store import database
from rbm.store.load import load_dataset


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    sectors = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    per_cell = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    with tempfile.TemporaryDirectory() as tmp:
        url = sys.argv[3] if len(sys.argv) > 3 else f"sqlite:///{tmp}/bench.db"
        started = time.perf_counter()
        facts = make_package(Path(tmp) / "pkg", sectors, per_cell)
        print(f"generated {facts:,} budget facts in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        result = read_package(Path(tmp) / "pkg")
        assert result.dataset is not None, result.report.errors[:3]
        print(f"validated in {time.perf_counter() - started:.1f} s, peak {peak_mib():,.0f} MiB")
        engine = database.open_store(url)
        started = time.perf_counter()
        assert load_dataset(engine, result.dataset).valid
        elapsed = time.perf_counter() - started
        print(f"loaded into {engine.dialect.name} in {elapsed:.1f} s, peak {peak_mib():,.0f} MiB")
        engine.dispose()


if __name__ == "__main__":
    main()
