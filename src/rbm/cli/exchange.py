"""Exchange commands: export IATI, fiscal data packages (and data packages), import IATI
files and filled workbooks, and write a sector's workbook template."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from rbm.cli.app import app, err, out, print_errors, settings_of, store, stored_dataset
from rbm.domain.text import Lang
from rbm.i18n import t

if TYPE_CHECKING:
    import sqlalchemy as sa

    from rbm.exchange.iati.read import LeftOut


class ExportFormat(StrEnum):
    DATAPACKAGE = "datapackage"
    IATI = "iati"
    OFDP = "ofdp"


class ImportFormat(StrEnum):
    IATI = "iati"
    XLSX = "xlsx"


@app.command()
def export(
    ctx: typer.Context,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write.")],
    format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.DATAPACKAGE,
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
) -> None:
    """Write a biennium from the store: a data package, IATI 2.03 or a fiscal data package."""
    settings = settings_of(ctx)
    dataset = stored_dataset(settings, biennium)
    if format == ExportFormat.IATI:
        from rbm.exchange.iati import write_iati

        files = write_iati(dataset, out_dir)
    elif format == ExportFormat.OFDP:
        from rbm.exchange.ofdp import write_ofdp

        files = write_ofdp(dataset, out_dir)
    else:
        from rbm.datapackage.writer import write_package
        from rbm.store.ledger import count_postings, posting_cells

        b = dataset.biennium
        with store(settings) as engine, engine.connect() as connection:
            # a ledger goes out streamed from the store, as it came in
            postings = count_postings(connection, b.code)
            cells = posting_cells(connection, b.code, b.currency) if postings else None
            files = write_package(dataset, out_dir, cells)
    out.print(t("cli.exported", settings.lang, files=len(files), folder=str(out_dir)))


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[
        list[Path],
        typer.Argument(help="IATI XML files, a folder or zip of them; or one filled workbook."),
    ],
    format: Annotated[ImportFormat, typer.Option("--format")] = ImportFormat.IATI,
    as_user: Annotated[
        str | None,
        typer.Option(
            "--as", help="Who imports: a workbook's changes are made as this user; audited."
        ),
    ] = None,
    biennium: Annotated[
        str | None,
        typer.Option(
            "--biennium", help="IATI: the code of the new biennium; xlsx: the biennium to change."
        ),
    ] = None,
    replace: Annotated[
        bool, typer.Option("--replace", help="IATI: replace a biennium of the same code.")
    ] = False,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="IATI: write a data package here instead.")
    ] = None,
) -> None:
    """Import IATI 2.03 files as a new biennium (or a data package), or a filled workbook."""
    settings = settings_of(ctx)
    lang = settings.lang
    if format == ImportFormat.XLSX:
        _import_workbook(ctx, files, as_user, biennium)
        return
    from rbm.exchange.iati.load import import_iati
    from rbm.exchange.iati.read import IatiError
    from rbm.store.load import LoadRefused, os_user

    try:
        if out_dir is not None:
            report, imported = import_iati(files, out=out_dir, biennium=biennium)
        else:
            with store(settings) as engine:
                report, imported = import_iati(
                    files,
                    engine=engine,
                    biennium=biennium,
                    replace_existing=replace,
                    by=as_user or os_user(),
                )
    except (IatiError, LoadRefused) as exc:
        err.print(t(exc.key, lang, **exc.params), markup=False, soft_wrap=True)
        raise typer.Exit(1) from exc
    print_left_out(imported.left_out, lang)
    if not report.valid:
        print_errors(report.errors, lang)
        err.print(t("cli.not-loaded", lang, count=len(report.errors)), soft_wrap=True)
        raise typer.Exit(1)
    out.print(
        t(
            "iati.imported",
            lang,
            rows=sum(report.stats.values()),
            biennium=imported.dataset.biennium.code,
            left=len(imported.left_out),
        ),
        soft_wrap=True,
    )


def print_left_out(left_out: tuple[LeftOut, ...], lang: Lang) -> None:
    """Each element the import could not map, with its file, path and why."""
    for item in left_out:
        reason = t(f"iati.reason.{item.reason}", lang)
        line = t("iati.left-out", lang, file=item.file, path=item.path, reason=reason)
        err.print(line, markup=False, highlight=False, soft_wrap=True)


def _import_workbook(
    ctx: typer.Context, files: list[Path], as_user: str | None, biennium: str | None
) -> None:
    from rbm.exchange.workbook.load import import_workbook
    from rbm.exchange.workbook.problems import WorkbookError

    settings = settings_of(ctx)
    lang = settings.lang
    if len(files) != 1 or as_user is None:
        raise typer.BadParameter(t("cli.workbook.one-file", lang), param_hint="FILES / --as")
    with store(settings) as engine:
        code = biennium or _latest(engine, lang)
        try:
            result = import_workbook(engine, code, files[0], as_user)
        except WorkbookError as exc:
            print_errors(exc.errors, lang)
            err.print(t("cli.not-loaded", lang, count=len(exc.errors)), soft_wrap=True)
            raise typer.Exit(1) from exc
    out.print(result.summary(lang), soft_wrap=True)


def _latest(engine: sa.Engine, lang: Lang) -> str:
    """The latest biennium's code; exits 1 when the store has none."""
    from rbm.datapackage.errors import DataError
    from rbm.store.read import list_bienniums

    stored = list_bienniums(engine)
    if not stored:
        print_errors((DataError("biennium-missing", None, None, None, ""),), lang)
        raise typer.Exit(1)
    return max(stored, key=lambda b: (b.end_year, b.code)).code


@app.command()
def template(
    ctx: typer.Context,
    sector: Annotated[str, typer.Option("--sector", help="The sector's code.")],
    out_file: Annotated[Path, typer.Option("--out", help="The workbook to write (.xlsx).")],
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
) -> None:
    """Write a sector's workbook for its focal point to fill in offline."""
    from rbm.exchange.workbook.problems import WorkbookError
    from rbm.exchange.workbook.template import write_template

    settings = settings_of(ctx)
    lang = settings.lang
    with store(settings) as engine:
        code = biennium or _latest(engine, lang)
        try:
            write_template(engine, code, sector, out_file)
        except WorkbookError as exc:
            print_errors(exc.errors, lang)
            raise typer.Exit(1) from exc
    out.print(t("cli.template.written", lang, sector=sector, file=str(out_file)), soft_wrap=True)
