"""Timing a command in a fresh process (wall time, peak memory, load average) and the figures
of repeated runs: their median and the Markdown table that prints them."""

from __future__ import annotations

import json
import os
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

# A job that times its own work (a query, a bare COPY) prints this line with its seconds; the
# figure then leaves out the interpreter's start-up and imports.
MARK = "BENCH "


@dataclass(frozen=True)
class Run:
    """One run of a command in its own process."""

    seconds: float  # wall time, or the job's own timing when it printed one
    wall: float
    peak_mib: float  # the process's maximum resident set (its largest waited-for child's too)
    load: float  # one-minute load average just before the run
    returncode: int
    detail: dict[str, Any] = field(default_factory=dict)  # the job's own figures, if any
    error: str = ""


def run_child(
    argv: Sequence[str], env: Mapping[str, str] | None = None, timeout: float = 3600
) -> Run:
    """Run `argv` in a fresh process; its peak memory comes from wait4's rusage of that
    process alone (RUSAGE_CHILDREN would give the largest child of the whole run)."""
    load = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv),
            stdout=out,
            stderr=err,
            env=dict(env) if env else None,
            start_new_session=True,
        )
        timer = threading.Timer(timeout, _kill_group, (process.pid,))
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        stdout, stderr = _tail(out), _tail(err)
    detail = job_figures(stdout)
    seconds = float(detail.get("seconds", wall))
    error = "" if process.returncode == 0 else (stderr or stdout).strip()[-400:]
    return Run(seconds, wall, usage.ru_maxrss / 1024, load, process.returncode, detail, error)


def _tail(file: IO[bytes], size: int = 1 << 16) -> str:
    """The end of a captured output (a JSON report can be large; the figures come last)."""
    end = file.seek(0, os.SEEK_END)
    file.seek(max(0, end - size))
    return file.read().decode("utf-8", "replace")


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def job_figures(stdout: str) -> dict[str, Any]:
    """The figures a job printed on its `BENCH {...}` line, or none."""
    for line in reversed(stdout.splitlines()):
        if line.startswith(MARK):
            figures: dict[str, Any] = json.loads(line.removeprefix(MARK))
            return figures
    return {}


def median(values: Sequence[float]) -> float | None:
    """The median, or None for no values."""
    return statistics.median(values) if values else None


@dataclass
class Figures:
    """A step at one size: its runs and its baseline's, on the same data in the same run."""

    step: str
    size: str
    x: int  # the size as a number (the scale, or the ledger's rows) for the plot
    rows: int | None = None  # rows the step handles, for rows/s
    runs: list[Run] = field(default_factory=list)
    baseline: str = ""
    baseline_runs: list[Run] = field(default_factory=list)
    note: str = ""

    @property
    def ok(self) -> list[Run]:
        return [r for r in self.runs if r.returncode == 0]

    @property
    def seconds(self) -> float | None:
        return median([r.seconds for r in self.ok])

    @property
    def peak_mib(self) -> float | None:
        return median([r.peak_mib for r in self.ok])

    @property
    def load(self) -> float | None:
        return median([r.load for r in self.runs])

    @property
    def rows_per_s(self) -> float | None:
        s = self.seconds
        return self.rows / s if self.rows and s else None

    @property
    def baseline_seconds(self) -> float | None:
        return median([r.seconds for r in self.baseline_runs if r.returncode == 0])

    @property
    def ratio(self) -> float | None:
        s, b = self.seconds, self.baseline_seconds
        return s / b if s is not None and b else None

    def as_json(self) -> dict[str, Any]:
        def runs(items: list[Run]) -> list[dict[str, Any]]:
            return [
                {
                    "seconds": r.seconds,
                    "wall": r.wall,
                    "peak_mib": r.peak_mib,
                    "load": r.load,
                    "returncode": r.returncode,
                    "detail": r.detail,
                    "error": r.error,
                }
                for r in items
            ]

        return {
            "step": self.step,
            "size": self.size,
            "x": self.x,
            "rows": self.rows,
            "median_s": self.seconds,
            "peak_mib": self.peak_mib,
            "rows_per_s": self.rows_per_s,
            "load": self.load,
            "baseline": self.baseline,
            "baseline_s": self.baseline_seconds,
            "ratio": self.ratio,
            "note": self.note,
            "runs": runs(self.runs),
            "baseline_runs": runs(self.baseline_runs),
        }


HEADER = ("step", "size", "median s", "rows/s", "peak MiB", "baseline", "ratio", "load avg")


def _number(value: float | None, spec: str) -> str:
    return "—" if value is None else format(value, spec)


def _seconds(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def table_row(f: Figures) -> tuple[str, ...]:
    """A step's cells: failures and notes go where its figures would be."""
    failed = len(f.runs) - len(f.ok)
    seconds = _seconds(f.seconds)
    if failed:
        seconds += f" ({failed}/{len(f.runs)} failed)"
    if f.note:
        seconds = f"{seconds} ({f.note})" if f.ok else f.note
    baseline = f"{f.baseline} {_seconds(f.baseline_seconds)} s" if f.baseline else ""
    return (
        f.step,
        f.size,
        seconds,
        _number(f.rows_per_s, ",.0f"),
        _number(f.peak_mib, ",.0f"),
        baseline,
        "" if f.ratio is None else f"{f.ratio:.1f}×",
        _number(f.load, ".2f"),
    )


def markdown_table(figures: Sequence[Figures]) -> str:
    """The figures as a Markdown table, numbers right-aligned."""
    rows = [HEADER, *(table_row(f) for f in figures)]
    align = ("---", "---", "---:", "---:", "---:", "---", "---:", "---:")
    lines = ["| " + " | ".join(row) + " |" for row in rows[:1]]
    lines.append("| " + " | ".join(align) + " |")
    lines += ["| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows[1:]]
    return "\n".join(lines)
