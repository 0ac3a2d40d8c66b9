"""Sector dashboards: budget by result, personnel / non-personnel with utilization, the
ratings of the PIEs the sector contributes to, and a utilization gauge."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rbm.domain.enums import BudgetPhase, Rating
from rbm.domain.framework import Sector
from rbm.i18n import text
from rbm.report.build import grid
from rbm.report.build.context import Context
from rbm.report.build.spec import Spec
from rbm.report.model import ChartView, Column, Row, Section, TableView

PHASES = (BudgetPhase.APPROVED, BudgetPhase.ADJUSTED, BudgetPhase.EXECUTED)


def _source_of(ctx: Context, sector: Sector, sources: list[str]) -> str | None:
    for fact in ctx.dataset.all_budget_facts:
        if fact.sector == sector.code and fact.source in sources:
            return fact.source
    return None


def dashboard(ctx: Context, sector: Sector, sources: list[str]) -> Section | None:
    source = _source_of(ctx, sector, sources)
    if source is None:
        return None
    code = sector.code
    phases = [{"phase": p.value} for p in PHASES]
    common = {"kind": "budget_table", "source": source, "filter": {"sector": code}}
    budget = grid.budget_table(
        ctx,
        Spec(
            {**common, "id": f"dashboard-{code}-results", "rows": "result", "columns": phases}, ctx
        ),
    )
    personnel = grid.budget_table(
        ctx,
        Spec(
            {
                **common,
                "id": f"dashboard-{code}-costs",
                "rows": "cost_category",
                "levels": 1,
                "columns": [*phases, {"ratio": [2, 1]}],
            },
            ctx,
        ),
    )
    if budget is None or personnel is None:
        return None
    budget = replace(budget, title=text("report.dashboard.by_result", sector=sector.name))
    personnel = replace(personnel, title=text("report.dashboard.by_cost", sector=sector.name))
    rate = personnel.rows[-1].values[-1]
    gauge_table = TableView(
        f"dashboard-{code}-gauge",
        text("report.dashboard.gauge", sector=sector.name),
        text("report.unit.percent"),
        text("report.stub.sector"),
        (Column(text("report.column.utilization"), "percent"),),
        (Row(sector.name, (rate,)),),
        source,
    )
    counts = ctx.ratings.totals.by_sector.get(code, {})
    pie_rows = tuple(Row(text(f"rating.{r.value}"), (Decimal(counts.get(r, 0)),)) for r in Rating)
    pie_table = TableView(
        f"dashboard-{code}-pies",
        text("report.dashboard.pies", sector=sector.name),
        text("report.unit.pies"),
        text("report.stub.rating"),
        (Column(text("report.column.pies")),),
        pie_rows,
        source,
    )
    blocks = (
        ChartView(
            gauge_table.id,
            gauge_table.title,
            text("report.dashboard.gauge.desc", sector=sector.name),
            "gauge",
            gauge_table,
        ),
        budget,
        personnel,
        ChartView(
            pie_table.id,
            pie_table.title,
            text("report.dashboard.pies.desc", sector=sector.name),
            "bar",
            pie_table,
        ),
    )
    return Section(f"dashboard-{code}", sector.name, blocks)


def dashboards(ctx: Context, sources: list[str]) -> list[Section]:
    """A dashboard per sector that one of `sources` describes."""
    return [d for s in ctx.dataset.sectors if (d := dashboard(ctx, s, sources)) is not None]
