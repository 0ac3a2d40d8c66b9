"""Commands over data packages: validate, load, export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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
    warn_missing_catalogues,
)
from rbm.cli.json_output import write_json
from rbm.domain.text import Lang
from rbm.i18n import t

if TYPE_CHECKING:
    from rbm.datapackage.package import Validated


def _read(path: Path, lang: Lang, quiet: bool = False, ledger: bool = True) -> Validated:
    """The package read and checked; without `ledger` its postings are left to the load."""
    from rbm.datapackage.package import read_package
    from rbm.datapackage.resources import RESOURCES

    with progress_bar(quiet) as progress:
        task = progress.add_task(t("cli.validating", lang), total=len(RESOURCES))
        result = read_package(
            path, lambda name: progress.update(task, advance=1, description=name), ledger
        )
    if result.dataset is not None and not quiet:
        warn_missing_catalogues(result.dataset.biennium.settings.languages, lang)
    return result


@app.command()
def validate(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A package folder, or an embedded package name.")],
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
) -> None:
    """Check a data package: schema, types, keys, references and business rules."""
    lang = settings_of(ctx).lang
    report = _read(datasets.resolve(path), lang, quiet=format == OutputFormat.JSON).report
    if format == OutputFormat.JSON:
        write_json(report.to_dict(lang))
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
    unlock: Annotated[
        bool,
        typer.Option(
            "--unlock",
            help="An administrator's override: replace a locked biennium, or one whose PIEs "
            "have left draft, dropping its lock and workflow states (needs --replace, --as "
            "and --reason; audited).",
        ),
    ] = False,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="Who loads, for the audit trail (default: the operating system's user); "
            "with --unlock, an active administrator's user name.",
        ),
    ] = None,
    reason: Annotated[
        str | None, typer.Option("--reason", help="Why, for the audit trail (with --unlock).")
    ] = None,
) -> None:
    """Validate a data package, then write it to the store in one transaction (audited)."""
    from rbm.datapackage.resources import RESOURCES
    from rbm.store.load import LoadRefused, Override, load_dataset, os_user

    settings = settings_of(ctx)
    lang = settings.lang
    if unlock and not (replace and as_user and reason and reason.strip()):
        err.print(t("cli.unlock-needs", lang), markup=False, soft_wrap=True)
        raise typer.Exit(1)
    override = Override(as_user, reason) if unlock and as_user and reason else None
    source = datasets.resolve(path)
    read = _read(source, lang, ledger=False)
    report, dataset = read.report, read.dataset
    if dataset is None:
        print_errors(report.errors, lang)
        err.print(t("cli.not-loaded", lang, count=len(report.errors)))
        raise typer.Exit(1)
    with store(settings) as engine, progress_bar(False) as progress:
        task = progress.add_task(t("cli.loading", lang), total=len(RESOURCES))
        try:
            result = load_dataset(
                engine,
                dataset,
                replace=replace,
                loaded_from=path,
                progress=lambda name, _n: progress.update(task, advance=1, description=name),
                by=as_user or os_user(),
                override=override,
                ledger=read.ledger,
            )
        except LoadRefused as refused:
            progress.stop()
            err.print(t(refused.key, lang, **refused.params), markup=False, soft_wrap=True)
            raise typer.Exit(1) from None
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
