"""Commands over data packages: validate, load, export."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from rbm import datasets
from rbm.cli.app import (
    OutputFormat,
    app,
    err,
    out,
    print_errors,
    progress_bar,
    settings_of,
    store,
    stored_dataset,
    warn_missing_catalogues,
)
from rbm.datapackage.errors import Report
from rbm.datapackage.package import read_package
from rbm.datapackage.resources import RESOURCES
from rbm.datapackage.writer import write_package
from rbm.domain.dataset import Dataset
from rbm.domain.text import Lang
from rbm.i18n import t
from rbm.store.load import load_dataset


class ExportFormat(StrEnum):
    DATAPACKAGE = "datapackage"


def _read(path: Path, lang: Lang, quiet: bool = False) -> tuple[Report, Dataset | None]:
    with progress_bar(quiet) as progress:
        task = progress.add_task(t("cli.validating", lang), total=len(RESOURCES))
        result = read_package(path, lambda name: progress.update(task, advance=1, description=name))
    if result.dataset is not None and not quiet:
        warn_missing_catalogues(result.dataset.biennium.settings.languages, lang)
    return result.report, result.dataset


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A package folder, or an embedded package name.")],
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
) -> None:
    """Check a data package: schema, types, keys, references and business rules."""
    lang = settings_of(ctx).lang
    report, _ = _read(datasets.resolve(path), lang, quiet=format == OutputFormat.JSON)
    if format == OutputFormat.JSON:
        out.print_json(json.dumps(report.to_dict(lang), ensure_ascii=False))
    elif report.valid:
        rows = sum(report.stats.values())
        out.print(t("cli.valid", lang, rows=rows, resources=len(report.stats)))
    else:
        print_errors(report.errors, lang)
        err.print(t("cli.invalid", lang, count=len(report.errors)))
    raise typer.Exit(int(not report.valid))


@app.command()
def load(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help=f"A package folder, or {datasets.DEFAULT}.")],
    replace: Annotated[bool, typer.Option("--replace", help="Replace the biennium.")] = False,
) -> None:
    """Validate a data package, then write it to the store in one transaction."""
    settings = settings_of(ctx)
    lang = settings.lang
    source = datasets.resolve(path)
    report, dataset = _read(source, lang)
    if dataset is None:
        print_errors(report.errors, lang)
        err.print(t("cli.not-loaded", lang, count=len(report.errors)))
        raise typer.Exit(1)
    with store(settings) as engine, progress_bar(False) as progress:
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
        print_errors(result.errors, lang)
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
    settings = settings_of(ctx)
    dataset = stored_dataset(settings, biennium)
    files = write_package(dataset, out_dir)
    out.print(t("cli.exported", settings.lang, files=len(files), folder=str(out_dir)))
