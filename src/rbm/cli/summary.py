"""The summary command: counts per entity and computed totals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from rbm.cli.app import OutputFormat, app, out, settings_of, stored_dataset
from rbm.cli.json_output import write_json
from rbm.domain.enums import Unit
from rbm.domain.money import unit_label
from rbm.domain.text import Lang, Text
from rbm.i18n import t

if TYPE_CHECKING:
    from rbm.engine.headlines import Headlines


@app.command()
def summary(
    ctx: typer.Context,
    format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.TEXT,
    biennium: Annotated[str | None, typer.Option("--biennium")] = None,
) -> None:
    """Counts per entity, and the totals that can be computed from the stored facts."""
    from rbm.engine.headlines import headlines
    from rbm.engine.summary import summarize

    settings = settings_of(ctx)
    lang = settings.lang
    dataset = stored_dataset(settings, biennium)
    result = summarize(dataset)
    heads = headlines(dataset)
    currency = dataset.biennium.currency
    if format == OutputFormat.JSON:
        from rbm.datapackage.cells import format_decimal

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
                    "unit": unit_label(g.unit, currency),
                }
                for g in result.totals
            ],
            "headlines": _headlines_json(heads, currency),
        }
        write_json(payload)
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
    names = {line.code: line.name for line in dataset.financial_lines}
    out.print(_headlines_table(heads, names, lang, currency))
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
                f"{g.total:,.0f} {unit_label(g.unit, currency)}",
            )
        out.print(totals)


def _headlines_json(heads: Headlines, currency: str) -> dict[str, Any]:
    from rbm.datapackage.cells import format_decimal

    return {
        "unit": unit_label(Unit.THOUSAND, currency),
        "lines": {name: format_decimal(value) for name, value in heads.lines.items()},
        "approved": format_decimal(heads.approved),
        "adjusted": format_decimal(heads.adjusted),
        "executed": format_decimal(heads.executed),
        "utilization": None if heads.utilization is None else format_decimal(heads.utilization),
    }


def _headlines_table(heads: Headlines, names: dict[str, Text], lang: Lang, currency: str) -> Table:
    """The key lines in millions and the budget in thousands of the currency."""
    millions, thousands = (unit_label(u, currency) for u in (Unit.MILLION, Unit.THOUSAND))
    table = Table(title=t("cli.summary.headlines", lang))
    table.add_column(t("cli.summary.figure", lang))
    table.add_column(t("cli.summary.value", lang), justify="right")
    for name, value in heads.lines.items():
        table.add_row(names[name].get(lang), f"{value / 1000:,.1f} {millions}")
    for phase, value in (
        ("approved", heads.approved),
        ("adjusted", heads.adjusted),
        ("executed", heads.executed),
    ):
        table.add_row(t(f"phase.{phase}", lang), f"{value:,.0f} {thousands}")
    if heads.utilization is not None:
        table.add_row(t("measure.utilization", lang), f"{heads.utilization}%")
    return table
