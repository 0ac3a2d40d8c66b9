"""Report builds without the web: the runner's steps and files, and the jobs around it
(one at a time, failures, manifests that outlive the process, files only from the list)."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pytest

from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.report.build.report import build_report
from rbm.web.jobs import MANIFEST, Busy, Format, Job, Jobs, Progress, Step, plan, run_build
from rbm.web.routes.build import status

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def clock() -> datetime:
    return NOW


def finished(jobs: Jobs, job: Job, builds: Path, seconds: float = 60) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        current = jobs.get(job.id, builds)
        assert current is not None
        if not current.active:
            return current
        time.sleep(0.02)
    raise AssertionError(f"build {job.id} still running after {seconds} s")


def test_the_plan_writes_quick_files_first_and_tables_json_once() -> None:
    steps = plan(["pdf", "html", "json", "xlsx"], ["zh", "en"])
    assert [(s.key.rsplit(".", 1)[1], s.format, s.lang) for s in steps] == [
        ("model", None, None),
        ("charts", None, None),
        ("json", "json", "zh"),
        ("write", "xlsx", "zh"),
        ("write", "xlsx", "en"),
        ("write", "html", "zh"),
        ("write", "html", "en"),
        ("write", "pdf", "zh"),
        ("write", "pdf", "en"),
    ]
    assert "web.build.step.charts" not in [s.key for s in plan(["json", "xlsx"], ["en"])]


def test_the_runner_writes_the_files_and_reports_each_step(wipo: Dataset, tmp_path: Path) -> None:
    seen: list[Step] = []
    written = run_build(wipo, tmp_path, ["xlsx", "json"], ["en", "zh"], seen.append)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in written)
    assert names == ["report-en.xlsx", "report-zh.xlsx", "tables.json"]
    assert all(p.is_file() for p in written)
    assert [(s.done, s.total) for s in seen] == [(i, 4) for i in range(5)]
    assert [s.key for s in seen] == [
        "web.build.step.model",
        "web.build.step.json",
        "web.build.step.write",
        "web.build.step.write",
        "web.build.step.done",
    ]
    assert [len(s.files) for s in seen] == [0, 0, 1, 2, 3]
    tables = json.loads((tmp_path / "tables.json").read_text(encoding="utf-8"))["tables"]
    assert [t["id"] for t in tables] == [t.id for t in build_report(wipo).tables()]


def test_the_runner_draws_the_charts_for_the_html_site(wipo: Dataset, tmp_path: Path) -> None:
    """The one slow test (a few seconds): charts in one language, then the site."""
    seen: list[Step] = []
    written = run_build(wipo, tmp_path, ["html"], ["en"], seen.append)
    assert [s.key.rsplit(".", 1)[1] for s in seen] == ["model", "charts", "write", "done"]
    assert seen[2].params == {"format": "html", "lang": "en"}
    index = tmp_path / "en" / "index.html"
    assert index in written
    pages = [p for p in written if p.suffix == ".html"]
    assert any("<svg" in p.read_text(encoding="utf-8") for p in pages)


def test_the_runner_refuses_unknown_formats(wipo: Dataset, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        run_build(wipo, tmp_path, ["doc"], ["en"], lambda step: None)  # type: ignore[list-item]
    with pytest.raises(ValueError):
        run_build(wipo, tmp_path, ["json"], [], lambda step: None)


class Gate:
    """A runner that writes tables.json and waits until the test opens the gate."""

    def __init__(self) -> None:
        self.open = threading.Event()
        self.started = threading.Event()

    def __call__(
        self,
        dataset: Dataset,
        folder: Path,
        formats: Sequence[Format],
        langs: Sequence[Lang],
        progress: Progress,
    ) -> list[Path]:
        progress(Step(0, 2, "web.build.step.model"))
        self.started.set()
        assert self.open.wait(30)
        target = folder / "tables.json"
        target.write_text("{}", encoding="utf-8")
        progress(Step(1, 2, "web.build.step.json", {"format": "json"}, (target,)))
        return [target]


def test_one_build_at_a_time(wipo: Dataset, tmp_path: Path) -> None:
    gate = Gate()
    jobs = Jobs(runner=gate)
    first = jobs.start(wipo, tmp_path, "pia", ["json"], ["en"], clock)
    assert gate.started.wait(10)
    running = jobs.get(first.id, tmp_path)
    assert running is not None and running.state == "running" and running.step is not None
    with pytest.raises(Busy) as busy:
        jobs.start(wipo, tmp_path, "ada", ["json"], ["en"], clock)
    assert busy.value.job.id == first.id
    gate.open.set()
    done = finished(jobs, first, tmp_path)
    assert (done.state, done.files, done.user) == ("done", ("tables.json",), "pia")
    assert done.started == NOW and done.finished == NOW
    second = jobs.start(wipo, tmp_path, "ada", ["json"], ["en"], clock)
    assert finished(jobs, second, tmp_path).state == "done"
    assert [j.id for j in jobs.all(tmp_path)] == sorted([first.id, second.id], reverse=True)


def test_a_failure_keeps_the_message_and_logs_the_traceback(
    wipo: Dataset, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(
        dataset: Dataset,
        folder: Path,
        formats: Sequence[Format],
        langs: Sequence[Lang],
        progress: Progress,
    ) -> list[Path]:
        progress(Step(0, 3, "web.build.step.model"))
        raise OSError(28, "No space left on device")

    jobs = Jobs(runner=broken)
    with caplog.at_level(logging.ERROR, logger="rbm.web.jobs"):
        job = finished(jobs, jobs.start(wipo, tmp_path, "pia", ["pdf"], ["zh"], clock), tmp_path)
    assert job.state == "failed"
    assert job.error == "OSError: [Errno 28] No space left on device"
    assert "Traceback" not in (job.error or "")
    assert any(record.exc_info for record in caplog.records)
    assert jobs.active() is None  # a failed build does not block the next one


def test_finished_builds_are_found_on_disk_after_a_restart(wipo: Dataset, tmp_path: Path) -> None:
    gate = Gate()
    gate.open.set()
    jobs = Jobs(runner=gate)
    job = finished(jobs, jobs.start(wipo, tmp_path, "pia", ["json"], ["en"], clock), tmp_path)
    manifest = json.loads((tmp_path / job.id / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["files"] == ["tables.json"] and manifest["state"] == "done"
    (tmp_path / "20260101-000000-abcdef").mkdir()  # a build that never finished: no manifest
    (tmp_path / "notes").mkdir()
    restarted = Jobs()
    found = restarted.get(job.id, tmp_path)
    assert found == job
    assert [j.id for j in restarted.all(tmp_path)] == [job.id]
    assert restarted.get("20260101-000000-abcdef", tmp_path) is None
    assert restarted.get("../" + job.id, tmp_path) is None


def test_a_job_serves_only_its_own_files(wipo: Dataset, tmp_path: Path) -> None:
    gate = Gate()
    gate.open.set()
    jobs = Jobs(runner=gate)
    job = finished(jobs, jobs.start(wipo, tmp_path, "pia", ["json"], ["en"], clock), tmp_path)
    (tmp_path / "outside.txt").write_text("no", encoding="utf-8")
    assert job.path_of("tables.json") == (tmp_path / job.id / "tables.json").resolve()
    for name in (MANIFEST, "../outside.txt", "/etc/passwd", "", "tables.json/"):
        assert job.path_of(name) is None, name
    # a listed name that leads outside the folder is refused too
    sneaky = Job("x", "pia", ("json",), ("en",), tmp_path / job.id, NOW, files=("../outside.txt",))
    assert sneaky.path_of("../outside.txt") is None


@pytest.mark.parametrize(
    ("state", "done", "key", "params", "en", "zh"),
    [
        ("queued", 0, None, {}, "Waiting to start", "等待开始"),
        ("running", 3, "web.build.step.write", {"format": "xlsx", "lang": "en"},
         "Step 4 of 9: writing the XLSX (English)", "第4步（共9步）：写入XLSX（英文）"),
        ("running", 1, "web.build.step.charts", {}, "Step 2 of 9: drawing the charts",
         "第2步（共9步）：绘制图表"),
        ("done", 9, "web.build.step.done", {}, "Finished", "已完成"),
        ("failed", 2, "web.build.step.charts", {}, "Failed", "生成失败"),
    ],
)  # fmt: skip
def test_the_status_says_where_a_job_stands_in_both_languages(
    tmp_path: Path,
    state: str,
    done: int,
    key: str | None,
    params: dict[str, str],
    en: str,
    zh: str,
) -> None:
    job = Job("x", "pia", ("xlsx",), ("en",), tmp_path, NOW, state, done, 9, key, params)  # type: ignore[arg-type]
    assert (status(job, "en"), status(job, "zh")) == (en, zh)
