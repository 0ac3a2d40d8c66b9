"""三 Sector dashboards: budget by result, personnel / non-personnel with utilization, the
ratings of the PIEs the sector contributes to, and a utilization gauge."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.enums import BudgetPhase, Rating
from rbm.domain.framework import Sector
from rbm.engine.finance.ratios import utilization
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.build.pivot import Ratio, Series, Spec, columns, rows
from rbm.report.model import ChartView, Column, Row, Section, TableView

PHASES = (BudgetPhase.APPROVED, BudgetPhase.ADJUSTED, BudgetPhase.EXECUTED)


def _source_of(ctx: Context, sector: Sector, sources: list[str]) -> str | None:
    for fact in ctx.dataset.budget_facts:
        if fact.sector == sector.code and fact.source in sources:
            return fact.source
    return None


def dashboard(ctx: Context, sector: Sector, sources: list[str]) -> Section | None:
    source = _source_of(ctx, sector, sources)
    if source is None:
        return None
    by_result = {
        p: {
            str(k[0]): v
            for k, v in ctx.by([f for f in ctx.facts(source, p) if f.result], "result").items()
        }
        for p in PHASES
    }
    by_cost = {
        p: {
            str(k[0]): v
            for k, v in ctx.by(
                [f for f in ctx.facts(source, p) if f.cost_category], "cost_category"
            ).items()
        }
        for p in PHASES
    }
    results: list[Spec] = [
        Series(text(f"report.column.phase.{p.value}"), by_result[p]) for p in PHASES
    ]
    items = ctx.result_items
    code = sector.code
    budget = TableView(
        f"dashboard-{code}-results",
        text("report.dashboard.by_result", sector=sector.name),
        ctx.unit("thousand"),
        text("report.stub.result"),
        columns(results),
        rows(items, results, text("report.row.total")),
        source,
    )
    costs: list[Spec] = [
        *(Series(text(f"report.column.phase.{p.value}"), by_cost[p]) for p in PHASES),
        Ratio(text("report.column.utilization"), 2, 1),
    ]
    names = [(c.code, c.name) for c in ctx.dataset.cost_categories if c.parent is None]
    personnel = TableView(
        f"dashboard-{code}-costs",
        text("report.dashboard.by_cost", sector=sector.name),
        ctx.unit("thousand"),
        text("report.stub.cost_category"),
        columns(costs),
        rows(names, costs, text("report.row.total")),
        source,
    )
    spent = sum(by_cost[BudgetPhase.EXECUTED].values(), Decimal(0))
    final = sum(by_cost[BudgetPhase.ADJUSTED].values(), Decimal(0))
    rate = utilization(spent, final)
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
