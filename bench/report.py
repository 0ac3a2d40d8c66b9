"""Benchmark: build the WIPO report's view model, draw the charts as `rbm report` does, cold
(an empty chart cache: drawn in worker processes) then warm (every drawing read back from the
cache, as a second build finds them), then each format in each language; prints seconds per
step and the peak memory. Not a test.

usage: .venv/bin/python -m bench.report [FORMATS]   (default html,xlsx,json,pdf)
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

from rbm import datasets
from rbm.cli.report import writer
from rbm.datapackage.package import read_package
from rbm.report.build.report import build_report
from rbm.report.render import chart_cache, charts


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
        os.environ[chart_cache.ENV] = str(Path(tmp) / "chart-cache")  # empty: a cold build
        for state in ("cold", "warm"):
            charts._svg.cache_clear()  # a new process remembers only what is on disk
            started = time.perf_counter()
            charts.draw_all(list(view.charts()), ["zh", "en"])
            elapsed = time.perf_counter() - started
            kept = len(list((Path(tmp) / "chart-cache").rglob("*.svg")))
            print(f"charts, both languages, {state} cache: {elapsed:.2f} s, {kept} drawings")
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
