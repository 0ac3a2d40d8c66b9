"""Expenditure by strategic pillar, the chart of the overview."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.enums import BudgetPhase
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.model import ChartView, Column, Row, TableView


def pillar_expenditure(ctx: Context, source: str, facts_source: str) -> ChartView:
    """Expenditure by strategic pillar, rolled up from the expenditure by result."""
    facts = ctx.facts(facts_source, BudgetPhase.EXECUTED)
    by_result = ctx.by(facts, "result")
    pillar_of = {r.code: r.pillar for r in ctx.dataset.results}
    rows = []
    for pillar in ctx.dataset.pillars:
        amount = sum(
            (v for (code,), v in by_result.items() if pillar_of.get(str(code)) == pillar.code),
            Decimal(0),
        )
        rows.append(Row(pillar.name, (amount,)))
    table = TableView(
        "expenditure-by-pillar",
        text("report.figure.pillars"),
        ctx.unit("thousand"),
        text("report.stub.pillar"),
        (Column(text("report.column.phase.executed")),),
        tuple(rows),
        source,
    )
    return ChartView(
        "expenditure-by-pillar", table.title, text("report.figure.pillars.desc"), "bar", table
    )
