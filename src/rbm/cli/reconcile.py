"""The reconcile command: every published total and percentage recomputed, every marginal
two sources give compared, and the transfers checked against the package's transfer rule."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from rbm.cli.app import OutputFormat, app, out, settings_of, stored_dataset
from rbm.cli.json_output import write_json
from rbm.domain.money import unit_label
from rbm.domain.settings import TransferBasis
from rbm.domain.text import Lang
from rbm.i18n import t

if TYPE_CHECKING:
    from rbm.domain.dataset import Dataset
    from rbm.engine.reconcile.findings import Finding, FindingClass, Side
    from rbm.engine.transfers_report import TransferReport


class Show(StrEnum):
    DIFFERENCES = "differences"
    ROUNDING = "rounding"
    ALL = "all"


@app.command()
def reconcile(
    ctx: typer.Context,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
    tolerance: Annotated[
        float | None,
        typer.Option("--tolerance", help="Fixed tolerance instead of the rounding-aware one."),
    ] = None,
    basis: Annotated[
        TransferBasis | None,
        typer.Option(
            "--transfer-basis",
            help="The transfer limit on net or gross transfers (default: the package's rule).",
        ),
    ] = None,
    show: Annotated[
        Show, typer.Option("--show", help="Which findings the text lists.")
    ] = Show.ROUNDING,
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
) -> None:
    """Recompute every published total and percentage, and compare the sources."""
    from rbm.engine.reconcile.findings import FindingClass
    from rbm.engine.reconcile.run import reconcile as run_reconcile
    from rbm.engine.reconcile.settings import Settings
    from rbm.engine.transfers_report import transfer_report

    settings = settings_of(ctx)
    lang = settings.lang
    dataset = stored_dataset(settings, biennium)
    options = Settings.of(
        dataset.biennium.settings,
        tolerance=None if tolerance is None else Decimal(str(tolerance)),
        transfer_basis=basis,
    )
    result = run_reconcile(dataset, options)
    transfers = transfer_report(dataset)
    if format == OutputFormat.JSON:
        payload = {
            "summary": result.summary(),
            "findings": [_finding_json(f, dataset.biennium.currency) for f in result.findings],
            "unchecked": list(result.unchecked),
            "transfers": transfers.to_dict(options.transfer_basis),
        }
        write_json(payload)
        return
    summary = result.summary()
    out.print(t("reconcile.summary", lang, **summary), highlight=False)
    wanted = {
        Show.DIFFERENCES: {FindingClass.DIFFERENCE},
        Show.ROUNDING: {FindingClass.DIFFERENCE, FindingClass.ROUNDING},
        Show.ALL: set(FindingClass),
    }[show]
    for klass in (FindingClass.DIFFERENCE, FindingClass.ROUNDING, FindingClass.EXACT):
        chosen = [f for f in result.findings if f.klass == klass]
        if klass in wanted and chosen:
            out.print(_findings_table(dataset, chosen, klass, lang))
    out.print(_transfers_table(dataset, transfers, options.transfer_basis, lang))
    if result.unchecked:
        out.print(t("reconcile.unchecked", lang, count=len(result.unchecked)), highlight=False)


def _side_json(side: Side) -> dict[str, Any]:
    return {
        "value": float(side.value),
        "source": side.source,
        "how": side.how,
        "ref": side.ref,
    }


def _finding_json(finding: Finding, currency: str) -> dict[str, Any]:
    return {
        "check": finding.check,
        "subject": finding.subject,
        "left": _side_json(finding.left),
        "right": _side_json(finding.right),
        "difference": float(finding.difference),
        "unit": unit_label(finding.unit, currency),
        "class": finding.klass.value,
        "params": finding.params,
    }


def _findings_table(
    dataset: Dataset, findings: list[Finding], klass: FindingClass, lang: Lang
) -> Table:
    from rbm.engine.reconcile.describe import describe, number_text, side_text

    table = Table(title=t(f"reconcile.class.{klass.value}", lang, count=len(findings)))
    for key in ("check", "what", "left", "right", "difference"):
        table.add_column(
            t(f"reconcile.column.{key}", lang), justify="right" if key == "difference" else "left"
        )
    for f in findings:
        unit = unit_label(f.unit, dataset.biennium.currency)
        table.add_row(
            t(f"check.{f.check}", lang),
            describe(dataset, f.subject, lang),
            side_text(f.left, unit),
            side_text(f.right, unit),
            number_text(f.difference),
        )
    return table


def _transfers_table(
    dataset: Dataset, report: TransferReport, basis: TransferBasis, lang: Lang
) -> Table:
    """Transfers per sector; the limit and breach columns only when the package has a rule."""
    from rbm.engine.reconcile.describe import number_text

    sectors = {s.code: s.name.get(lang) for s in dataset.sectors}
    table = Table(title=t("reconcile.transfers.title", lang, basis=t(f"basis.{basis.value}", lang)))
    keys = ["sector", "in", "out", "net", "pct_sector", "pct_total"]
    if report.rule is not None:
        keys += ["limit", "breach_net", "breach_gross"]
    for key in keys:
        table.add_column(
            t(f"reconcile.transfers.{key}", lang), justify="left" if key == "sector" else "right"
        )
    breaches = {b.value: {x.sector for x in report.breaches[b]} for b in TransferBasis}
    for line in report.lines:
        limit = report.limits.get(line.sector)
        cells = {
            "sector": sectors.get(line.sector, line.sector),
            "in": number_text(line.transfers_in),
            "out": number_text(line.transfers_out),
            "net": number_text(line.net),
            "pct_sector": "-" if line.pct_sector is None else f"{line.pct_sector}%",
            "pct_total": "-" if line.pct_total is None else f"{line.pct_total}%",
            "limit": "-" if limit is None else number_text(limit),
            "breach_net": "✗" if line.sector in breaches["net"] else "",
            "breach_gross": "✗" if line.sector in breaches["gross"] else "",
        }
        table.add_row(*(cells[key] for key in keys))
    return table
