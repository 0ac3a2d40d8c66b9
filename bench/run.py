"""The scale benchmark: every step in a fresh process, the median of several runs, each beside
a baseline on the same data in the same run. Not a test.

For WIPO ×N (packages from bench.synth): rbm validate, load into SQLite and PostgreSQL,
reconcile, assess --format json, report --format html,json in zh and en (charts drawn afresh,
then from the chart cache). For ledgers of M rows (a ×1 package with M postings): validate,
load into both stores, and the rollup by sector × result, beside DuckDB, a bare sqlite3
insert and a bare COPY. Then web p95 at 50 clients on both stores (bench.web, needs wrk).

usage: .venv/bin/python -m bench.run [--quick] [--sizes 1,10,100] [--ledger 1000000,10000000]
           [--repeat 3] [--skip web,postgres,report] [--json FILE] [--plot FILE.png] [--work DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench import synth
from bench.measure import Figures, Run, markdown_table, run_child

PYTHON = sys.executable
RBM = str(Path(sys.executable).with_name("rbm"))
GROUPS = ("validate", "load", "postgres", "reconcile", "assess", "report", "ledger", "web")
WEB_PATHS = ("/", "/api/finance")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class Job:
    """A command to time; `prepare` runs untimed before each run (a fresh database)."""

    argv: list[str]
    prepare: Callable[[], None] | None = None
    env: dict[str, str] | None = None


@dataclass
class Bench:
    """A benchmark run: where its packages and stores live, and what it has measured."""

    work: Path
    repeat: int
    pg: str | None  # the throwaway PostgreSQL server's URL, None when it could not start
    skip: set[str]
    figures: list[Figures] = field(default_factory=list)

    def measure(
        self,
        step: str,
        size: str,
        x: int,
        job: Job,
        rows: int | None = None,
        baseline: tuple[str, Job] | None = None,
    ) -> Figures:
        """Run `job` (then its baseline) `repeat` times and keep the figures."""
        figures = Figures(step, size, x, rows)
        for _ in range(self.repeat):
            figures.runs.append(_run(job))
        if baseline is not None:
            figures.baseline = baseline[0]
            for _ in range(self.repeat):
                figures.baseline_runs.append(_run(baseline[1]))
        failed = [r for r in figures.runs if r.returncode]
        if failed:
            figures.note = f"failed: {failed[0].error.splitlines()[-1] if failed[0].error else ''}"
        log(_progress(figures))
        self.figures.append(figures)
        return figures

    def note(self, step: str, size: str, x: int, note: str) -> None:
        log(f"{step} {size}: {note}")
        self.figures.append(Figures(step, size, x, note=note))

    def database(self, name: str) -> str:
        """A fresh, empty database `name` on the PostgreSQL server."""
        assert self.pg is not None
        admin = sa.create_engine(self.pg, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
        return self.pg.rsplit("/", 1)[0] + f"/{name}"


def _run(job: Job) -> Run:
    if job.prepare is not None:
        job.prepare()
    env = {**os.environ, **job.env} if job.env else None
    return run_child(job.argv, env)


def _progress(f: Figures) -> str:
    parts = [f"{f.step} {f.size}:"]
    parts.append("failed" if f.seconds is None else f"{f.seconds:.3f} s")
    if f.peak_mib is not None:
        parts.append(f"{f.peak_mib:,.0f} MiB")
    if f.baseline:
        parts.append(f"| {f.baseline} {f.baseline_seconds or float('nan'):.3f} s")
    if f.note:
        parts.append(f"({f.note})")
    return " ".join(parts)


def _fresh_file(path: Path) -> Callable[[], None]:
    def prepare() -> None:
        path.unlink(missing_ok=True)

    return prepare


def _fresh_dir(path: Path) -> Callable[[], None]:
    def prepare() -> None:
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True)

    return prepare


def package(work: Path, scale: int, ledger_rows: int | None) -> Path:
    """The synthetic package, generated once and reused by later runs on the same `work`."""
    name = f"x{scale}" if ledger_rows is None else f"x{scale}-ledger{ledger_rows}"
    target = work / "packages" / name
    done = target / ".complete"
    if not done.exists():
        log(f"generating {name}")
        synth.synthesize(target, scale, ledger_rows)
        done.touch()
    return target


def scale_steps(bench: Bench, scale: int) -> None:
    """Every command on WIPO ×`scale`."""
    folder = package(bench.work, scale, None)
    size, db = f"×{scale}", bench.work / f"x{scale}.db"
    sqlite = f"sqlite:///{db}"
    if "validate" not in bench.skip:
        bench.measure("validate", size, scale, Job([RBM, "validate", str(folder)]))
    if "load" in bench.skip:
        return
    bench.measure(
        "load sqlite", size, scale, Job([RBM, "--db", sqlite, "load", str(folder)], _fresh_file(db))
    )
    if "postgres" not in bench.skip:
        if bench.pg is None:
            bench.note("load postgresql", size, scale, "no PostgreSQL server")
        else:
            name = f"bench_x{scale}"
            url = bench.pg.rsplit("/", 1)[0] + f"/{name}"
            bench.measure(
                "load postgresql",
                size,
                scale,
                Job([RBM, "--db", url, "load", str(folder)], lambda: _ignore(bench.database(name))),
            )
    if "reconcile" not in bench.skip:
        bench.measure("reconcile", size, scale, Job([RBM, "--db", sqlite, "reconcile"]))
    if "assess" not in bench.skip:
        bench.measure(
            "assess json", size, scale, Job([RBM, "--db", sqlite, "assess", "--format", "json"])
        )
    if "report" not in bench.skip:
        out, charts = bench.work / f"report-x{scale}", bench.work / f"charts-x{scale}"
        argv = [RBM, "--db", sqlite, "report", "--lang", "zh,en", "--format", "html,json"]
        argv += ["--out", str(out)]
        cold = Job(argv, _fresh_dir(charts), {"RBM_CHART_CACHE": str(charts)})
        bench.measure("report html,json (cold charts)", size, scale, cold)
        warm = Job(argv, None, {"RBM_CHART_CACHE": str(charts)})
        bench.measure("report html,json (chart cache)", size, scale, warm)


def ledger_steps(bench: Bench, rows: int) -> None:
    """Validate, load and roll up a ledger of `rows` postings, beside the baselines."""
    folder = package(bench.work, 1, rows)
    csv = str(folder / "data" / f"{synth.LEDGER}.csv")
    size, db = f"{rows:,} rows", bench.work / f"ledger{rows}.db"
    sqlite = f"sqlite:///{db}"
    jobs = [PYTHON, "-m", "bench.jobs"]
    if "validate" not in bench.skip:
        bench.measure(
            "ledger validate",
            size,
            rows,
            Job([RBM, "validate", str(folder)]),
            rows,
            ("DuckDB CSV → table", Job([*jobs, "duckdb-load", csv])),
        )
    if "load" in bench.skip:
        return
    plain = bench.work / "plain.db"
    loaded = bench.measure(
        "ledger load sqlite",
        size,
        rows,
        Job([RBM, "--db", sqlite, "load", str(folder)], _fresh_file(db)),
        rows,
        ("sqlite3 executemany", Job([*jobs, "sqlite-insert", csv, str(plain)])),
    )
    plain.unlink(missing_ok=True)
    check_postings(loaded, sqlite, rows)
    duck = ("DuckDB GROUP BY (its table)", Job([*jobs, "duckdb-groupby", csv, "--from", "table"]))
    if loaded.ok:
        rollups(bench, "sqlite", size, rows, sqlite, duck)
        duckdb_over_store(bench, size, rows, sqlite)
    if "postgres" not in bench.skip:
        if bench.pg is None:
            bench.note("ledger load postgresql", size, rows, "no PostgreSQL server")
        else:
            name = f"bench_ledger{rows}"
            url = bench.pg.rsplit("/", 1)[0] + f"/{name}"
            plain_url = bench.pg.rsplit("/", 1)[0] + "/bench_plain"
            loaded = bench.measure(
                "ledger load postgresql",
                size,
                rows,
                Job([RBM, "--db", url, "load", str(folder)], lambda: _ignore(bench.database(name))),
                rows,
                (
                    "COPY",
                    Job(
                        [*jobs, "pg-copy", csv, plain_url],
                        lambda: _ignore(bench.database("bench_plain")),
                    ),
                ),
            )
            check_postings(loaded, url, rows)
            if loaded.ok:
                rollups(bench, "postgresql", size, rows, url, duck)
                duckdb_over_store(bench, size, rows, url)
    bench.measure("DuckDB GROUP BY from CSV", size, rows, Job([*jobs, "duckdb-groupby", csv]), rows)


def rollups(bench: Bench, kind: str, size: str, rows: int, url: str, duck: tuple[str, Job]) -> None:
    """Sector × result from the store: a GROUP BY over every posting, then as the report
    asks it, from the totals the load summed."""
    jobs = [PYTHON, "-m", "bench.jobs", "rollup", url, "--via"]
    rollup(bench, f"ledger rollup {kind} (postings)", size, rows, Job([*jobs, "store"]), duck)
    rollup(bench, f"ledger rollup {kind} (totals)", size, rows, Job([*jobs, "totals"]), duck)


def rollup(
    bench: Bench, step: str, size: str, rows: int, job: Job, baseline: tuple[str, Job]
) -> None:
    """The rollup on the store, flagged when the store's ledger is not the package's."""
    figures = bench.measure(step, size, rows, job, rows, baseline)
    postings = {r.detail.get("postings") for r in figures.ok}
    if postings and postings != {rows}:
        figures.note = f"the store holds {', '.join(map(str, postings))} postings, not {rows}"
        log(f"{step} {size}: {figures.note}")


def check_postings(figures: Figures, url: str, rows: int) -> None:
    """Flag a load whose store does not hold the ledger's postings (counted untimed)."""
    if not figures.ok:
        return
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            count = sa.text(f"SELECT count(*) FROM {synth.LEDGER}")
            held = connection.execute(count).scalar_one()
    except sa.exc.SQLAlchemyError as exc:
        held = f"no ledger table ({type(exc).__name__})"
    finally:
        engine.dispose()
    if held != rows:
        figures.note = f"the store holds {held} postings, not {rows}"
        log(f"{figures.step} {figures.size}: {figures.note}")


def _ignore(_: object) -> None:
    return None


def duckdb_over_store(bench: Bench, size: str, rows: int, url: str) -> None:
    """DuckDB's scanner over the store, once: it needs an extension from the internet."""
    kind = "postgresql" if url.startswith("postgresql") else "sqlite"
    run = run_child([PYTHON, "-m", "bench.jobs", "duckdb-store", url])
    step = f"DuckDB over the {kind} store"
    if run.returncode:
        lines = [x for x in run.error.splitlines() if "Error" in x] or run.error.splitlines()
        reason = lines[-1][:160] if lines else f"exit code {run.returncode}"
        bench.note(step, size, rows, f"scanner unavailable ({reason})")
        return
    bench.measure(step, size, rows, Job([PYTHON, "-m", "bench.jobs", "duckdb-store", url]), rows)


def web_steps(bench: Bench) -> None:
    """p95 at 50 clients on each store, from bench.web's JSON (it loads WIPO itself)."""
    if shutil.which("wrk") is None:
        bench.note("web p95", "WIPO ×1", 1, "wrk not installed")
        return
    backends: list[tuple[str, list[str]]] = [("sqlite", [])]
    if "postgres" not in bench.skip:
        if bench.pg is None:
            bench.note("web p95 postgresql", "WIPO ×1", 1, "no PostgreSQL server")
        else:
            backends.append(("postgresql", ["--db", bench.pg]))
    for backend, extra in backends:
        report = bench.work / f"web-{backend}.json"
        argv = [PYTHON, "-m", "bench.web", *extra, "--duration", "10", "--json", str(report)]
        for path in WEB_PATHS:
            argv += ["--path", path]
        by_path: dict[str, list[Run]] = {p: [] for p in WEB_PATHS}
        error = ""
        for _ in range(bench.repeat):
            run = run_child(argv)
            if run.returncode or not report.exists():
                error = run.error.splitlines()[-1] if run.error else "no figures"
                continue
            data = json.loads(report.read_text(encoding="utf-8"))
            report.unlink()
            for result in data["results"]:
                # the figure is the p95 latency, in seconds as the table's other steps
                by_path[result["path"]].append(
                    Run(result["p95"] / 1000, run.wall, run.peak_mib, run.load, 0, result)
                )
        for path, runs in by_path.items():
            figures = Figures(f"web p95 {path} {backend}", "WIPO ×1", 1, runs=runs, note=error)
            log(_progress(figures))
            bench.figures.append(figures)


@contextmanager
def postgres_server(skip: set[str]) -> Iterator[tuple[str | None, str]]:
    """A throwaway server started the way the tests start theirs, or None and why not."""
    if "postgres" in skip:
        yield None, "skipped"
        return
    try:
        from tests import postgres
    except ImportError as exc:  # run from outside the repository
        yield None, str(exc)
        return
    reason = postgres.unavailable_reason()
    if reason:
        yield None, reason
        return
    with ExitStack() as stack:
        try:
            url = stack.enter_context(postgres.server())
        except Exception as exc:  # any failure to start only skips its steps
            yield None, f"could not start: {exc}"
            return
        yield url, "started"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
    }


def parse_list(text: str) -> list[int]:
    """`1,10,100` (or `1e6` style) as integers; empty for an empty text."""
    return [int(float(part)) for part in text.split(",") if part.strip()]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run", description=__doc__.split("\n\n")[0] if __doc__ else None
    )
    parser.add_argument("--quick", action="store_true", help="×1 and a 100,000-row ledger")
    parser.add_argument("--sizes", type=parse_list, default=None, help="WIPO multiples")
    parser.add_argument("--ledger", type=parse_list, default=None, help="ledger rows")
    parser.add_argument("--repeat", type=int, default=None, help="runs a step (3; quick 1)")
    parser.add_argument(
        "--skip", default="", help=f"comma-separated groups to leave out: {', '.join(GROUPS)}"
    )
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument("--plot", type=Path, help="draw time and memory against size (PNG)")
    parser.add_argument("--work", type=Path, help="keep packages and stores here (reused)")
    args = parser.parse_args(argv)
    sizes = args.sizes if args.sizes is not None else [1] if args.quick else [1, 10, 100]
    ledgers = (
        args.ledger
        if args.ledger is not None
        else [100_000]
        if args.quick
        else [1_000_000, 10_000_000]
    )
    repeat = args.repeat or (1 if args.quick else 3)
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    unknown = skip - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups to skip: {', '.join(sorted(unknown))}")
    with ExitStack() as stack:
        if args.work:
            work = args.work.resolve()
            work.mkdir(parents=True, exist_ok=True)
        else:
            work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="rbm-bench-")))
        pg, status = stack.enter_context(postgres_server(skip))
        log(f"PostgreSQL: {status}")
        bench = Bench(work, repeat, pg, skip)
        started = machine()
        for scale in sizes:
            scale_steps(bench, scale)
        if "ledger" not in skip:
            for rows in ledgers:
                ledger_steps(bench, rows)
        if "web" not in skip:
            web_steps(bench)
    print(markdown_table(bench.figures))
    print(
        f"\n{started['cpus']} cores, Python {started['python']}, {started['platform']}; "
        f"median of {repeat} run(s); load average before: "
        + ", ".join(f"{x:.2f}" for x in started["load_average"])
        + f"; PostgreSQL: {status}"
    )
    if args.json:
        document = {
            "machine": started,
            "repeat": repeat,
            "postgresql": status,
            "figures": [f.as_json() for f in bench.figures],
        }
        args.json.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    if args.plot:
        from bench import plot

        plot.draw(bench.figures, args.plot)


if __name__ == "__main__":
    main()
