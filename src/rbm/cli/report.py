"""The report command: the performance report in the package's languages, as HTML, PDF,
XLSX and tables.json, built from the store (loading the embedded dataset into an empty
store)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib import import_module
from pathlib import Path
from typing import Annotated

import typer

from rbm import datasets
from rbm.cli.app import (
    app,
    out,
    print_errors,
    progress_bar,
    settings_of,
    store,
    warn_missing_catalogues,
)
from rbm.i18n import t

FORMATS = ("html", "pdf", "xlsx", "json")
TEMPLATED = ("html", "pdf")
Writer = Callable[..., list[Path]]


def writer(fmt: str) -> Writer:
    """The renderer of a format: `rbm.report.render.<format>.write(report, folder, lang)`."""
    module = import_module(f"rbm.report.render.{'tables_json' if fmt == 'json' else fmt}")
    write: Writer = module.write
    return write


def _split(value: str, allowed: Sequence[str], option: str) -> list[str]:
    chosen = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in chosen if v not in allowed]
    if unknown or not chosen:
        raise typer.BadParameter(", ".join(allowed), param_hint=option)
    return chosen


@app.command()
def report(
    ctx: typer.Context,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Languages, e.g. en,fr (default: the package's)."),
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="Formats: html,pdf,xlsx,json.")
    ] = ",".join(FORMATS),
    out_dir: Annotated[Path, typer.Option("--out", help="Output folder.")] = Path("build/report"),
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="A folder of templates overriding the shipped ones."),
    ] = None,
) -> None:
    """Build the performance report."""
    # the report's stack (Altair, vl-convert, Jinja2, WeasyPrint, XlsxWriter) is imported
    # here, not with the command line: every other command starts without it
    from rbm.report.build.report import build_report
    from rbm.report.render import charts
    from rbm.store.read import read_dataset

    settings = settings_of(ctx)
    ui = settings.lang
    formats = _split(format, FORMATS, "--format")
    with store(settings) as engine:
        dataset = read_dataset(engine, biennium)
        if dataset is None and biennium is None:
            from rbm.datapackage.package import read_package
            from rbm.store.load import load_dataset, os_user

            out.print(t("report.cli.loading_default", ui, name=datasets.DEFAULT))
            path = datasets.embedded(datasets.DEFAULT)
            assert path is not None
            result = read_package(path)
            if result.dataset is None:
                print_errors(result.report.errors, ui)
                raise typer.Exit(1)
            load_dataset(engine, result.dataset, loaded_from=datasets.DEFAULT, by=os_user())
            dataset = read_dataset(engine)
    if dataset is None:
        raise typer.Exit(1)
    known = dataset.biennium.settings.languages
    langs = [code for code in known if lang is None or code in _split(lang, known, "--lang")]
    warn_missing_catalogues(langs, ui)
    view = build_report(dataset)
    if any(fmt in TEMPLATED for fmt in formats):
        charts.draw_all(list(view.charts()), langs)
    written: list[Path] = []
    steps = [(fmt, lng) for fmt in formats for lng in (langs if fmt != "json" else langs[:1])]
    with progress_bar(False) as progress:
        task = progress.add_task(t("report.cli.building", ui), total=len(steps))
        for fmt, lng in steps:
            progress.update(task, description=f"{fmt} {lng if fmt != 'json' else ''}")
            extra = {"templates": templates} if templates and fmt in TEMPLATED else {}
            written.extend(writer(fmt)(view, out_dir, lng, **extra))
            progress.advance(task)
    for path in written:
        out.print(str(path), highlight=False, soft_wrap=True)
