"""The `rbm` command line: thin commands over the package reader, the store and the engine."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from rbm import datasets
from rbm.datapackage.cells import format_decimal
from rbm.datapackage.errors import DataError, Report
from rbm.datapackage.package import read_package
from rbm.datapackage.resources import RESOURCES
from rbm.datapackage.writer import write_package
from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.engine.summary import summarize
from rbm.i18n import t
from rbm.store import database
from rbm.store.load import load_dataset
from rbm.store.read import read_dataset

app = typer.Typer(
    help="Results-based management performance reporting.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")

out = Console()
err = Console(stderr=True)


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


class ExportFormat(StrEnum):
    DATAPACKAGE = "datapackage"


@dataclass
class Settings:
    db: str | None
    lang: Lang
    debug: bool

    @property
    def url(self) -> str:
        return database.database_url(self.db)


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db", envvar=database.URL_ENV, help="Database URL (default sqlite:///rbm.db)."
        ),
    ] = None,
    lang: Annotated[
        str, typer.Option("--lang", envvar="RBM_LANG", help="Language of messages: zh or en.")
    ] = "en",
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks.")] = False,
) -> None:
    """rbm: results framework, budgets, ratings and the performance report."""
    if lang not in ("zh", "en"):
        raise typer.BadParameter("zh or en", param_hint="--lang")
    ctx.obj = Settings(db, "zh" if lang == "zh" else "en", debug)


@contextmanager
def _store(settings: Settings, migrate: bool = True) -> Iterator[sa.Engine]:
    """The store, migrated to the newest schema unless `migrate` is false; disposed after use."""
    engine = database.open_store(settings.url) if migrate else database.create(settings.url)
    try:
        yield engine
    finally:
        engine.dispose()


def _settings(ctx: typer.Context) -> Settings:
    settings = ctx.obj
    assert isinstance(settings, Settings)
    return settings


def _read(path: Path, lang: Lang, quiet: bool = False) -> tuple[Report, Dataset | None]:
    with _progress(quiet) as progress:
        task = progress.add_task(t("cli.validating", lang), total=len(RESOURCES))
        result = read_package(path, lambda name: progress.update(task, advance=1, description=name))
    return result.report, result.dataset


def _progress(quiet: bool) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )


def _print_errors(errors: tuple[DataError, ...], lang: Lang) -> None:
    for error in errors:
        err.print(error.message(lang), markup=False, highlight=False, soft_wrap=True)


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A package folder, or an embedded package name.")],
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
) -> None:
    """Check a data package: schema, types, keys, references and business rules."""
    lang = _settings(ctx).lang
    report, _ = _read(datasets.resolve(path), lang, quiet=format == OutputFormat.JSON)
    if format == OutputFormat.JSON:
        out.print_json(json.dumps(report.to_dict(lang), ensure_ascii=False))
    elif report.valid:
        rows = sum(report.stats.values())
        out.print(t("cli.valid", lang, rows=rows, resources=len(report.stats)))
    else:
        _print_errors(report.errors, lang)
        err.print(t("cli.invalid", lang, count=len(report.errors)))
    raise typer.Exit(int(not report.valid))


@app.command()
def load(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help=f"A package folder, or {datasets.DEFAULT}.")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace the biennium.")] = False,
) -> None:
    """Validate a data package, then write it to the store in one transaction."""
    settings = _settings(ctx)
    lang = settings.lang
    source = datasets.resolve(path)
    report, dataset = _read(source, lang)
    if dataset is None:
        _print_errors(report.errors, lang)
        err.print(t("cli.not-loaded", lang, count=len(report.errors)))
        raise typer.Exit(1)
    with _store(settings) as engine, _progress(False) as progress:
        task = progress.add_task(t("cli.loading", lang), total=len(RESOURCES))
        result = load_dataset(
            engine,
            dataset,
            replace=replace,
            loaded_from=path,
            progress=lambda name, _n: progress.update(task, advance=1, description=name),
        )
        url = engine.url.render_as_string(hide_password=True)
    if not result.valid:
        _print_errors(result.errors, lang)
        raise typer.Exit(1)
    out.print(
        t(
            "cli.loaded",
            lang,
            rows=sum(result.stats.values()),
            biennium=dataset.biennium.code,
            url=url,
        )
    )


@app.command()
def export(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write.")],
    format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.DATAPACKAGE,
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
) -> None:
    """Write a biennium from the store back out as a data package."""
    settings = _settings(ctx)
    dataset = _stored(settings, biennium)
    files = write_package(dataset, out_dir)
    out.print(t("cli.exported", settings.lang, files=len(files), folder=str(out_dir)))


def _stored(settings: Settings, biennium: str | None) -> Dataset:
    with _store(settings) as engine:
        dataset = read_dataset(engine, biennium)
    if dataset is None:
        _print_errors(
            (DataError("biennium-missing", None, None, None, biennium or ""),), settings.lang
        )
        raise typer.Exit(1)
    return dataset


@app.command()
def summary(
    ctx: typer.Context,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
) -> None:
    """Counts per entity, and the totals that can be computed from the stored facts."""
    settings = _settings(ctx)
    lang = settings.lang
    dataset = _stored(settings, biennium)
    result = summarize(dataset)
    if format == OutputFormat.JSON:
        payload: dict[str, Any] = {
            "biennium": dataset.biennium.code,
            "organization": dataset.biennium.organization,
            "counts": result.counts,
            "totals": [
                {
                    "resource": g.resource,
                    "source": g.source,
                    "phase": g.phase,
                    "grain": list(g.grain),
                    "facts": g.facts,
                    "total": format_decimal(g.total),
                    "unit": g.unit.value,
                }
                for g in result.totals
            ],
        }
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    b = dataset.biennium
    out.print(
        t(
            "cli.summary.title",
            lang,
            organization=b.organization_name.get(lang),
            biennium=b.label.get(lang),
        )
    )
    counts = Table(title=t("cli.summary.counts", lang))
    counts.add_column(t("cli.summary.entity", lang))
    counts.add_column(t("cli.summary.rows", lang), justify="right")
    for name, count in result.counts.items():
        counts.add_row(t(f"resource.{name}", lang), f"{count:,}")
    out.print(counts)
    if result.totals:
        totals = Table(title=t("cli.summary.totals", lang))
        for key in ("source", "phase", "grain", "facts", "total"):
            totals.add_column(
                t(f"cli.summary.{key}", lang),
                justify="right" if key in ("facts", "total") else "left",
            )
        for g in result.totals:
            grain = " × ".join(t(f"dimension.{d}", lang) for d in g.grain) or t(
                "dimension.all", lang
            )
            totals.add_row(
                g.source,
                t(f"phase.{g.phase}", lang),
                grain,
                str(g.facts),
                f"{g.total:,.0f} {g.unit.value}",
            )
        out.print(totals)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database to the newest schema (or to REVISION)."""
    settings = _settings(ctx)
    with _store(settings, migrate=False) as engine:
        database.upgrade(engine, revision)
        current = database.current_revision(engine)
    out.print(t("cli.db.at", settings.lang, revision=current or "-"))


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the database's schema revision."""
    settings = _settings(ctx)
    with _store(settings, migrate=False) as engine:
        revision = database.current_revision(engine)
    out.print(t("cli.db.at", settings.lang, revision=revision or "-"))


def run() -> None:
    """Console entry point: unexpected errors print one line, tracebacks only with --debug."""
    try:
        app()
    except Exception as exc:
        if "--debug" in sys.argv:
            raise
        err.print(t("cli.crashed", "en", error=f"{type(exc).__name__}: {exc}"), soft_wrap=True)
        sys.exit(2)
