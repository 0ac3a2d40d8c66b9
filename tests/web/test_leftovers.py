"""What a killed server leaves behind: chart workers die with it, and a build cut short leaves
only a partial folder (never one that looks finished), which the next start removes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.web.app import create_app
from rbm.web.config import WebConfig
from rbm.web.jobs import Format, Jobs, Progress, Step, partial_folder, remove_leftovers
from tests.web.conftest import START

WAIT = 60  # seconds to wait for a process to end on a busy machine (not a measured time)


def _gone(pid: int) -> bool:
    """Whether the process has ended (a zombie nobody reaped counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def _wait_until_gone(pids: Sequence[int]) -> list[int]:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline and not all(_gone(pid) for pid in pids):
        time.sleep(0.1)
    return [pid for pid in pids if not _gone(pid)]


POOL_SCRIPT = """
import os, sys, time
from rbm.report.render.charts import chart_pool
pool = chart_pool(2)
list(pool.map(time.sleep, [0.5, 0.5]))  # both workers started
print(" ".join(str(pid) for pid in pool._processes), flush=True)
time.sleep(600)
"""


def test_chart_workers_die_when_their_parent_is_killed() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", POOL_SCRIPT], stdout=subprocess.PIPE, text=True
    ) as parent:
        try:
            assert parent.stdout is not None
            workers = [int(pid) for pid in parent.stdout.readline().split()]
            assert len(workers) == 2 and not any(_gone(pid) for pid in workers)
        finally:
            parent.send_signal(signal.SIGKILL)
            parent.wait()
    left = _wait_until_gone(workers)
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert left == []


class Blocking:
    """A runner that writes one file, then waits until released."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.wrote = threading.Event()

    def __call__(
        self,
        dataset: Dataset,
        folder: Path,
        formats: Sequence[Format],
        langs: Sequence[Lang],
        progress: Progress,
    ) -> list[Path]:
        written = folder / "tables.json"
        written.write_text("{}", encoding="utf-8")
        progress(Step(1, 2, "web.build.step.json", {}, (written,)))
        self.wrote.set()
        assert self.release.wait(WAIT)
        return [written]


def test_a_build_writes_under_a_partial_name_until_complete(wipo: Dataset, tmp_path: Path) -> None:
    builds = tmp_path / "builds"
    runner = Blocking()
    jobs = Jobs(runner)
    job = jobs.start(wipo, builds, "pia", ["json"], ["en"], lambda: START)
    assert runner.wrote.wait(WAIT)
    partial = partial_folder(builds / job.id)
    assert sorted(p.name for p in builds.iterdir()) == [partial.name]
    running = jobs.get(job.id, builds)
    assert running is not None and running.path_of("tables.json") == partial / "tables.json"
    assert remove_leftovers(builds) == []  # held by the build under way
    assert partial.is_dir()
    runner.release.set()
    deadline = time.monotonic() + WAIT
    while (current := jobs.get(job.id, builds)) is not None and current.active:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert sorted(p.name for p in builds.iterdir()) == [job.id]
    assert (builds / job.id / "job.json").is_file()
    done = Jobs().get(job.id, builds)  # as a restarted server finds it
    assert done is not None and done.state == "done"
    assert done.path_of("tables.json") == (builds / job.id / "tables.json").resolve()


HOLD_SCRIPT = """
import sys, time
from pathlib import Path
from rbm.web.jobs import _hold
folder = Path(sys.argv[1])
folder.mkdir(parents=True)
(folder / "report.pdf").write_bytes(b"%PDF half")
_hold(folder)
print("held", flush=True)
time.sleep(600)
"""


def test_the_partial_folder_of_a_killed_build_is_removed_at_the_next_start(
    web_url: str, tmp_path: Path
) -> None:
    builds = tmp_path / "restart"
    partial = partial_folder(builds / "20260105-090000-abcdef")
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_SCRIPT, str(partial)], stdout=subprocess.PIPE, text=True
    ) as killed:
        assert killed.stdout is not None and killed.stdout.readline().strip() == "held"
        assert remove_leftovers(builds) == []  # while the build's process lives
        killed.send_signal(signal.SIGKILL)
        killed.wait()
    unrelated = builds / "notes"
    unrelated.mkdir()
    assert Jobs().all(builds) == []  # never listed
    restarted = create_app(WebConfig(web_url, secret="test-secret", builds=builds))
    restarted.state.rbm.engine.dispose()
    assert sorted(p.name for p in builds.iterdir()) == ["notes"]
