"""一 Financial and results overview: the finance tables and charts of the first section."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.enums import BudgetPhase
from rbm.engine.finance.ratios import utilization
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.model import ChartView, Column, Row, TableView, Value


def table_4(ctx: Context, source: str) -> TableView:
    """Expenditure by expected result × sector: the stored cells, totals computed."""
    table_id = "table-4"
    facts = ctx.facts(source, BudgetPhase.EXECUTED)
    cells = ctx.by(facts, "result", "sector")
    sectors = [s for s in ctx.dataset.sectors if not s.unallocated]
    by_result = ctx.by(facts, "result")
    by_sector = ctx.by(facts, "sector")
    rows = []
    for result in ctx.dataset.results:
        values: list[Value] = [cells.get((result.code, s.code)) for s in sectors]
        total = by_result.get((result.code,), Decimal(0))
        notes = ctx.check(
            table_id,
            source,
            "expenditure",
            "executed",
            {"result": result.code},
            total,
            len(sectors),
        )
        rows.append(Row(ctx.result_label(result.code), (*values, total), notes=notes))
    grand = sum(by_result.values(), Decimal(0))
    totals: list[Value] = [by_sector.get((s.code,), Decimal(0)) for s in sectors]
    rows.append(
        Row(
            text("report.row.total"),
            (*totals, grand),
            kind="total",
            notes=ctx.check(table_id, source, "expenditure", "executed", {}, grand, len(facts)),
        )
    )
    columns = (*(Column(s.short) for s in sectors), Column(text("report.column.total")))
    return TableView(
        table_id,
        text("report.table.4"),
        ctx.unit("thousand"),
        text("report.stub.result"),
        columns,
        tuple(rows),
        source,
        ctx.table_notes(table_id),
    )


def table_5(ctx: Context, source: str, dashboards: list[str]) -> TableView:
    """Budget and expenditure by sector, from the sector dashboards (and the unallocated line)."""
    table_id = "table-5"
    phases = (BudgetPhase.APPROVED, BudgetPhase.ADJUSTED, BudgetPhase.EXECUTED)
    per_phase = {
        phase: ctx.by([f for f in ctx.facts(dashboards, phase) if f.result is not None], "sector")
        for phase in phases
    }
    for phase in phases:  # the unallocated line is the table's own
        for (sector,), amount in ctx.by(ctx.facts(source, phase), "sector").items():
            per_phase[phase].setdefault((sector,), amount)
    rows = []
    totals = dict.fromkeys(phases, Decimal(0))
    for s in ctx.dataset.sectors:
        values: list[Value] = []
        notes: tuple[str, ...] = ()
        for phase in phases:
            found = per_phase[phase].get((s.code,))
            values.append(found)
            if found is not None:
                totals[phase] += found
                measure = "expenditure" if phase == BudgetPhase.EXECUTED else "budget"
                dims = {"sector": s.code}
                notes += ctx.check(table_id, source, measure, phase.value, dims, found, 20)
        spent, budget = values[2], values[1]
        rate = (
            utilization(spent, budget)
            if isinstance(spent, Decimal) and isinstance(budget, Decimal)
            else None
        )
        rows.append(Row(s.name, (*values, rate), notes=notes))
    rate = utilization(totals[BudgetPhase.EXECUTED], totals[BudgetPhase.ADJUSTED])
    rows.append(Row(text("report.row.total"), (*totals.values(), rate), kind="total"))
    columns = (
        Column(text("report.column.phase.approved")),
        Column(text("report.column.phase.adjusted")),
        Column(text("report.column.phase.executed")),
        Column(text("report.column.utilization"), "percent"),
    )
    return TableView(
        table_id,
        text("report.table.5"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        columns,
        tuple(rows),
        source,
        ctx.table_notes(table_id),
    )


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
        "figure-pillars",
        text("report.figure.pillars"),
        ctx.unit("thousand"),
        text("report.stub.pillar"),
        (Column(text("report.column.phase.executed")),),
        tuple(rows),
        source,
    )
    return ChartView(
        "figure-pillars", table.title, text("report.figure.pillars.desc"), "bar", table
    )
