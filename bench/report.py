"""Benchmark: build the WIPO report's view model, draw the charts as `rbm report` does (one
process per language), then each format in each language; prints seconds per step and the
peak memory. Not a test.

usage: .venv/bin/python -m bench.report [FORMATS]   (default html,xlsx,json,pdf)
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

from rbm import datasets
from rbm.cli.report import writer
from rbm.datapackage.package import read_package
from rbm.report.build.report import build_report
from rbm.report.render import charts


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    formats = (sys.argv[1] if len(sys.argv) > 1 else "html,xlsx,json,pdf").split(",")
    path = datasets.embedded(datasets.DEFAULT)
    assert path is not None
    dataset = read_package(path).dataset
    assert dataset is not None
    started = time.perf_counter()
    view = build_report(dataset)
    print(f"view model: {time.perf_counter() - started:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        charts.draw_all(list(view.charts()), ["zh", "en"])
        print(f"charts, both languages in two processes: {time.perf_counter() - started:.2f} s")
        for fmt in formats:
            for lang in ("zh", "en") if fmt != "json" else ("zh",):
                started = time.perf_counter()
                files = writer(fmt)(view, Path(tmp), lang)
                elapsed = time.perf_counter() - started
                size = sum(f.stat().st_size for f in files) / 1024
                print(f"{fmt:5} {lang}: {elapsed:6.2f} s, {len(files)} files, {size:,.0f} KiB")
    print(f"peak memory: {peak_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
