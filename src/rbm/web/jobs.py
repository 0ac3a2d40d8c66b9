"""Report builds running in the background: one job per request, its progress and its files.

`run_build(dataset, folder, formats, langs, progress)` does the work of `rbm report` and calls
`progress` before each step; `Jobs` runs it in a thread and keeps each job's state:

    queued → running → done
                     ↘ failed (the message for the client; the traceback goes to the log)

At most one build runs at a time: `Jobs.start` raises `Busy` (with the running job) while
one is queued or running.

Jobs live in this process's memory: a restart forgets the builds that were under way, and a
server started with several worker processes keeps one list (and one "at most one build")
per process. What a finished build wrote stays on disk, in `<builds>/<job id>/`, with a
`job.json` manifest written at the end; the list shows the builds found on disk beside those
in memory, so files built before a restart can still be downloaded.

A build writes into `<builds>/.<job id>.partial/`, locked (flock) while it runs, and renames
it to `<builds>/<job id>/` once its manifest is written: a build cut short (the server killed)
leaves only a partial folder, never one that looks finished. `remove_leftovers` lists (in the
log) and removes the partial folders no running process holds; the server calls it as it
starts.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import re
import secrets
import shutil
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any, Literal, Protocol

from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.report.build.report import build_report
from rbm.report.render import charts

log = logging.getLogger("rbm.web.jobs")

Format = Literal["html", "xlsx", "json", "pdf"]
JobState = Literal["queued", "running", "done", "failed"]
FORMATS: tuple[Format, ...] = ("html", "xlsx", "json", "pdf")
BUILD_ORDER: tuple[Format, ...] = ("json", "xlsx", "html", "pdf")  # the quick files first
DRAWN: frozenset[Format] = frozenset({"html", "pdf"})  # the formats that show the charts
MANIFEST = "job.json"
JOB_ID_PATTERN = r"^\d{8}-\d{6}-[0-9a-f]{6}$"
JOB_ID = re.compile(JOB_ID_PATTERN)
PARTIAL = re.compile(r"^\.(\d{8}-\d{6}-[0-9a-f]{6})\.partial$")
MAX_ERROR = 500
# the renderer module of each format: rbm.report.render.<module>.write(report, folder, lang)
RENDERERS: dict[str, str] = {"html": "html", "xlsx": "xlsx", "json": "tables_json", "pdf": "pdf"}


@dataclass(frozen=True)
class Step:
    """A build's progress: `done` of `total` steps finished, `key` the catalogue key of the
    step under way (with `params`: `format`, `lang`), `files` the files written so far."""

    done: int
    total: int
    key: str
    params: Mapping[str, str] = field(default_factory=dict)
    files: tuple[Path, ...] = ()


Progress = Callable[[Step], None]


class Runner(Protocol):
    def __call__(
        self,
        dataset: Dataset,
        folder: Path,
        formats: Sequence[Format],
        langs: Sequence[Lang],
        progress: Progress,
    ) -> list[Path]: ...


@dataclass(frozen=True)
class Planned:
    """A step of a build: its catalogue key, and the file it writes (format and language)."""

    key: str
    format: Format | None = None
    lang: Lang | None = None

    @property
    def params(self) -> dict[str, str]:
        pairs = (("format", self.format), ("lang", self.lang))
        return {name: value for name, value in pairs if value is not None}


def plan(formats: Sequence[Format], langs: Sequence[Lang]) -> list[Planned]:
    """The steps of a build in order: the view model, the charts (for HTML and PDF), then one
    file per format and language, the quick ones first; tables.json is bilingual, once."""
    steps = [Planned("web.build.step.model")]
    if DRAWN & set(formats):
        steps.append(Planned("web.build.step.charts"))
    for fmt in BUILD_ORDER:
        if fmt == "json" and fmt in formats:
            steps.append(Planned("web.build.step.json", fmt, langs[0]))
        elif fmt in formats:
            steps.extend(Planned("web.build.step.write", fmt, lang) for lang in langs)
    return steps


def run_build(
    dataset: Dataset,
    folder: Path,
    formats: Sequence[Format],
    langs: Sequence[Lang],
    progress: Progress,
) -> list[Path]:
    """Build the report of `dataset` into `folder` in these formats and languages, calling
    `progress` as each step starts and once at the end; returns the files written."""
    chosen_langs = [lang for lang in dataset.biennium.settings.languages if lang in langs]
    if not formats or not chosen_langs or not set(formats) <= set(FORMATS):
        raise ValueError(f"formats {list(formats)} and languages {list(langs)}")
    steps = plan(formats, chosen_langs)
    written: list[Path] = []
    view = None
    for index, step in enumerate(steps):
        progress(Step(index, len(steps), step.key, step.params, tuple(written)))
        if step.key == "web.build.step.model":
            view = build_report(dataset)
            continue
        assert view is not None
        if step.key == "web.build.step.charts":
            # in worker processes even for one language: vl-convert holds the interpreter
            # while it draws, and the server's requests need it
            charts.draw_all(list(view.charts()), chosen_langs, separate=True)
            continue
        assert step.format is not None and step.lang is not None
        module = import_module(f"rbm.report.render.{RENDERERS[step.format]}")
        written.extend(module.write(view, folder, step.lang))
    progress(Step(len(steps), len(steps), "web.build.step.done", {}, tuple(written)))
    return written


@dataclass(frozen=True)
class Job:
    """One build: who asked for what, where it stands, and the files it wrote (paths relative
    to its folder, with "/" between parts)."""

    id: str
    user: str
    formats: tuple[Format, ...]
    langs: tuple[Lang, ...]
    folder: Path
    created: datetime
    state: JobState = "queued"
    done: int = 0
    total: int = 0
    step: str | None = None
    params: Mapping[str, str] = field(default_factory=dict)
    started: datetime | None = None
    finished: datetime | None = None
    error: str | None = None
    files: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    def path_of(self, name: str) -> Path | None:
        """The file `name` of this job, if it is one of its files and still on disk; never a
        path outside its folder."""
        if name not in self.files:
            return None
        root = self.folder.resolve()
        path = (root / name).resolve()
        return path if path.is_relative_to(root) and path.is_file() else None


class Busy(Exception):
    """A build is already queued or running."""

    def __init__(self, job: Job) -> None:
        super().__init__(job.id)
        self.job = job


def new_id(now: datetime) -> str:
    return f"{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def _relative(files: Sequence[Path], folder: Path) -> tuple[str, ...]:
    root = folder.resolve()
    return tuple(dict.fromkeys(p.resolve().relative_to(root).as_posix() for p in files))


def partial_folder(folder: Path) -> Path:
    """Where the build of `folder` writes until it is complete."""
    return folder.with_name(f".{folder.name}.partial")


def _hold(folder: Path) -> int:
    """An exclusive lock on `folder`, held while its descriptor stays open; the system
    drops it when the process ends, however it ends."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(descriptor, fcntl.LOCK_EX)
    return descriptor


def remove_leftovers(builds: Path) -> list[Path]:
    """Remove the partial folders of builds cut short (those no process holds locked), each
    named in the log; returns them."""
    removed: list[Path] = []
    if not builds.is_dir():
        return removed
    for folder in sorted(builds.iterdir()):
        if not PARTIAL.match(folder.name) or not folder.is_dir() or folder.is_symlink():
            continue
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:  # a build of another worker process, under way
            os.close(descriptor)
            continue
        try:
            log.warning("removing the partial folder of a build cut short: %s", folder)
            shutil.rmtree(folder)
            removed.append(folder)
        except OSError:
            log.exception("could not remove %s", folder)
        finally:
            os.close(descriptor)
    return removed


def _message(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return text if len(text) <= MAX_ERROR else text[: MAX_ERROR - 1] + "…"


def _manifest(job: Job) -> dict[str, Any]:
    data = asdict(job)
    data.pop("folder")
    data["params"] = dict(job.params)
    for name in ("created", "started", "finished"):
        moment = data[name]
        data[name] = moment.isoformat() if moment is not None else None
    return data


def _from_manifest(folder: Path) -> Job | None:
    """The job described by `folder/job.json`, or None if there is none or it is unreadable."""
    path = folder / MANIFEST
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        moments = {
            name: datetime.fromisoformat(data[name]) if data[name] else None
            for name in ("started", "finished")
        }
        job = Job(
            id=str(data["id"]),
            user=str(data["user"]),
            formats=tuple(f for f in FORMATS if f in data["formats"]),
            langs=tuple(str(lang) for lang in data["langs"]),
            folder=folder,
            created=datetime.fromisoformat(data["created"]),
            state=data["state"] if data["state"] in ("done", "failed") else "failed",
            done=int(data["done"]),
            total=int(data["total"]),
            step=data.get("step"),
            params={str(k): str(v) for k, v in (data.get("params") or {}).items()},
            started=moments["started"],
            finished=moments["finished"],
            error=data.get("error"),
            files=tuple(str(name) for name in data["files"]),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.warning("unreadable build manifest %s: %s", path, exc)
        return None
    return job if job.id == folder.name else None


class Jobs:
    """The report builds of this process, by id, and the finished builds found on disk."""

    def __init__(self, runner: Runner = run_build) -> None:
        self._runner = runner
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def start(
        self,
        dataset: Dataset,
        builds: Path,
        user: str,
        formats: Sequence[Format],
        langs: Sequence[Lang],
        clock: Callable[[], datetime],
    ) -> Job:
        """Queue a build of `dataset` into `builds/<job id>/` and start its thread; raises
        Busy while another build is queued or running."""
        chosen = tuple(f for f in FORMATS if f in formats)
        chosen_langs = tuple(lang for lang in dataset.biennium.settings.languages if lang in langs)
        if not chosen or not chosen_langs:
            raise ValueError("a build needs at least one format and one language")
        with self._lock:
            running = next((job for job in self._jobs.values() if job.active), None)
            if running is not None:
                raise Busy(running)
            now = clock()
            job_id = new_id(now)
            job = Job(job_id, user, chosen, chosen_langs, builds / job_id, now)
            self._jobs[job_id] = job
        thread = threading.Thread(
            target=self._run, args=(job_id, dataset, clock), name=f"rbm-build-{job_id}", daemon=True
        )
        thread.start()
        return job

    def _update(self, job_id: str, **changes: Any) -> Job:
        with self._lock:
            job = replace(self._jobs[job_id], **changes)
            self._jobs[job_id] = job
            return job

    def _run(self, job_id: str, dataset: Dataset, clock: Callable[[], datetime]) -> None:
        final = self._jobs[job_id].folder
        folder = partial_folder(final)
        self._update(job_id, state="running", started=clock(), folder=folder)
        try:
            folder.mkdir(parents=True)
            held = _hold(folder)
        except OSError as exc:
            log.exception("report build %s could not start", job_id)
            self._update(job_id, state="failed", finished=clock(), error=_message(exc))
            return
        try:
            self._build(job_id, dataset, clock, folder, final)
        finally:
            os.close(held)

    def _build(
        self,
        job_id: str,
        dataset: Dataset,
        clock: Callable[[], datetime],
        folder: Path,
        final: Path,
    ) -> None:
        with self._lock:
            job = self._jobs[job_id]

        def progress(step: Step) -> None:
            self._update(
                job_id,
                done=step.done,
                total=step.total,
                step=step.key,
                params=dict(step.params),
                files=_relative(step.files, folder),
            )

        try:
            written = self._runner(dataset, folder, job.formats, job.langs, progress)
            outcome: dict[str, Any] = {"state": "done", "files": _relative(written, folder)}
        except Exception as exc:  # the job fails; the server goes on
            log.exception("report build %s failed", job_id)
            outcome = {"state": "failed", "error": _message(exc)}
        with self._lock:
            ended = replace(self._jobs[job_id], finished=clock(), **outcome)
        try:
            payload = json.dumps(_manifest(ended), ensure_ascii=False, indent=1)
            (folder / MANIFEST).write_text(payload + "\n", encoding="utf-8")
            folder.rename(final)  # complete: from now on it is listed and served
        except OSError as exc:
            log.exception("could not finish build %s", job_id)
            shutil.rmtree(folder, ignore_errors=True)
            self._update(job_id, state="failed", finished=clock(), files=(), error=_message(exc))
        else:
            with self._lock:
                self._jobs[job_id] = replace(ended, folder=final)

    def active(self) -> Job | None:
        """The build queued or running, if any."""
        with self._lock:
            return next((job for job in self._jobs.values() if job.active), None)

    def get(self, job_id: str, builds: Path) -> Job | None:
        """A job of this process, else a finished build on disk; None if neither."""
        with self._lock:
            found = self._jobs.get(job_id)
        if found is not None or not JOB_ID.match(job_id):
            return found
        return _from_manifest(builds / job_id)

    def all(self, builds: Path) -> list[Job]:
        """Every job of this process and every finished build on disk, newest first."""
        with self._lock:
            jobs = dict(self._jobs)
        if builds.is_dir():
            for folder in builds.iterdir():
                if folder.name not in jobs and JOB_ID.match(folder.name) and folder.is_dir():
                    found = _from_manifest(folder)
                    if found is not None:
                        jobs[found.id] = found
        return sorted(jobs.values(), key=lambda job: (job.created, job.id), reverse=True)
