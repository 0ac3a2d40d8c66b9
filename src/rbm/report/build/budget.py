"""Budget tables: by cost category, the personnel chart, by sector and year, by expected
result, posts, promotion resources by union, transfers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from rbm.domain.enums import BudgetPhase, PostPhase
from rbm.domain.text import Text
from rbm.engine.finance.ratios import percent
from rbm.engine.transfers_report import transfer_report
from rbm.i18n import text
from rbm.report.build.context import Context, grain_key
from rbm.report.build.pivot import Difference, Ratio, Series, Spec, columns, depths, rows
from rbm.report.model import ChartView, Column, NumberFormat, Row, TableView

PHASES = (BudgetPhase.APPROVED, BudgetPhase.ADJUSTED, BudgetPhase.EXECUTED)


def _phase_series(amounts: dict[BudgetPhase, dict[str, Decimal]]) -> list[Spec]:
    return [Series(text(f"report.column.phase.{p.value}"), amounts[p]) for p in PHASES]


def _amounts(ctx: Context, source: str, phase: BudgetPhase, dim: str) -> dict[str, Decimal]:
    return {
        str(k[0]): v for k, v in ctx.by(ctx.facts(source, phase), dim).items() if k[0] is not None
    }


def table_6(ctx: Context, source: str) -> TableView:
    """Budget and expenditure by cost category, every level rolled up from the items; the
    unallocated lines as printed; utilization on the P&B, as the table computes it."""
    parents = {c.code: c.parent for c in ctx.dataset.cost_categories}
    per_phase: dict[BudgetPhase, dict[str, Decimal]] = {}
    for phase in PHASES:
        totals: dict[str, Decimal] = {}
        for fact in ctx.facts(source, phase):
            if fact.cost_category is None or fact.sector is not None:
                continue
            code: str | None = fact.cost_category
            while code is not None:
                totals[code] = totals.get(code, Decimal(0)) + fact.amount
                code = parents.get(code)
        per_phase[phase] = totals
    specs = [*_phase_series(per_phase), Ratio(text("report.column.utilization_pb"), 2, 0)]
    items = [(c.code, c.name) for c in ctx.dataset.cost_categories]
    body = list(rows(items, specs, levels=depths(parents)))
    unallocated = {
        p: {
            str(k[0]): v
            for k, v in ctx.by(
                [f for f in ctx.facts(source, p) if f.sector], "cost_category"
            ).items()
        }
        for p in PHASES
    }
    un_specs = [*_phase_series(unallocated), Ratio(text("report.column.utilization_pb"), 2, 0)]
    for code, name in items:
        if code in unallocated[BudgetPhase.APPROVED] or code in unallocated[BudgetPhase.ADJUSTED]:
            label = text("report.row.unallocated_of", name=name)
            body.extend(rows([(code, label)], un_specs))
    grand = {
        p: sum(
            per_phase[p].get(c.code, Decimal(0))
            for c in ctx.dataset.cost_categories
            if c.parent is None
        )
        + sum(unallocated[p].values(), Decimal(0))
        for p in PHASES
    }
    body.append(
        Row(
            text("report.row.total"),
            (*grand.values(), percent(grand[BudgetPhase.EXECUTED], grand[BudgetPhase.APPROVED])),
            kind="total",
        )
    )
    return TableView(
        "table-6",
        text("report.table.6"),
        ctx.unit("thousand"),
        text("report.stub.cost_category"),
        columns(specs),
        tuple(body),
        source,
    )


def figure_2(ctx: Context, source: str, dashboards: list[str]) -> ChartView:
    """Personnel and non-personnel expenditure, from the sector dashboards."""
    spent = ctx.by(
        [f for f in ctx.facts(dashboards, BudgetPhase.EXECUTED) if f.cost_category], "cost_category"
    )
    names = {c.code: c.name for c in ctx.dataset.cost_categories}
    data = tuple(
        Row(names.get(str(k[0]), Text(str(k[0]), str(k[0]))), (v,))
        for k, v in sorted(spent.items(), key=lambda kv: str(kv[0][0]))
    )
    table = TableView(
        "figure-2",
        text("report.figure.2"),
        ctx.unit("thousand"),
        text("report.stub.cost_category"),
        (Column(text("report.column.phase.executed")),),
        data,
        source,
    )
    return ChartView("figure-2", table.title, text("report.figure.2.desc"), "donut", table)


def annex_1(ctx: Context, source: str) -> TableView:
    """Transfers by sector, their share of the P&B and of the total, and the transfer rule's
    limit when the package has a rule; figures as the source prints them where it does."""
    report = transfer_report(ctx.dataset)

    def printed(measure: str, phase: str | None, dims: Mapping[str, object]) -> Decimal | None:
        fig = ctx.printed.get((source, measure, phase, grain_key(dims), None))
        return None if fig is None else fig.amount

    def pick(found: Decimal | None, computed: Decimal | None) -> Decimal | None:
        return computed if found is None else found

    rows_ = []
    for line in report.lines:
        approved = report.approved.get(line.sector)
        at = {"sector": line.sector}
        rows_.append(
            Row(
                ctx.sectors.get(line.sector, Text(line.sector, line.sector)),
                (
                    pick(printed("budget", "approved", at), approved),
                    line.transfers_in,
                    -line.transfers_out,
                    pick(printed("transfers_net", None, at), line.net),
                    pick(
                        printed("budget", "adjusted", at),
                        None if approved is None else approved + line.net,
                    ),
                    pick(printed("transfers_net_pct_sector", None, at), line.pct_sector),
                    pick(printed("transfers_net_pct_total", None, at), line.pct_total),
                    report.limits.get(line.sector),
                ),
            )
        )
    summed = [
        sum((v for r in rows_ if isinstance(v := r.values[i], Decimal)), Decimal(0))
        for i in range(5)
    ]
    out = printed("transfers_out", None, {})
    totals = [
        pick(printed("budget", "approved", {}), summed[0]),
        pick(printed("transfers_in", None, {}), summed[1]),
        pick(None if out is None else -out, summed[2]),
        pick(printed("transfers_net", None, {}), summed[3]),
        pick(printed("budget", "adjusted", {}), summed[4]),
    ]
    rows_.append(Row(text("report.row.total"), (*totals, None, None, None), kind="total"))
    labels = (
        "approved",
        "transfers_in",
        "transfers_out",
        "transfers_net",
        "adjusted_computed",
        "pct_sector",
        "pct_total",
        "transfer_limit",
    )
    formats: tuple[NumberFormat, ...] = ("integer",) * 5 + ("percent1", "percent1", "integer")
    keep = len(labels) if report.limits else len(labels) - 1  # no rule, no limit column
    return TableView(
        "annex-1",
        text("report.annex.1"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        tuple(Column(text(f"report.column.{k}"), f) for k, f in zip(labels, formats, strict=True))[
            :keep
        ],
        tuple(replace(r, values=r.values[:keep]) for r in rows_),
        source,
    )


def annex_3(ctx: Context, source: str) -> TableView:
    """Approved and final budget by sector and year."""
    specs: list[Spec] = []
    for phase in (BudgetPhase.APPROVED, BudgetPhase.ADJUSTED):
        facts = ctx.facts(source, phase)
        for year in ctx.dataset.biennium.years:
            amounts = {
                str(k[0]): v
                for k, v in ctx.by([f for f in facts if f.year == year], "sector").items()
            }
            label = text(
                "report.column.phase_year",
                phase=text(f"report.column.phase.{phase.value}"),
                year=str(year),
            )
            specs.append(Series(label, amounts))
        specs.append(
            Series(
                text(
                    "report.column.phase_biennium", phase=text(f"report.column.phase.{phase.value}")
                ),
                _amounts(ctx, source, phase, "sector"),
            )
        )
    items = [(s.code, s.name) for s in ctx.dataset.sectors]
    return TableView(
        "annex-3",
        text("report.annex.3"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        columns(specs),
        rows(items, specs, text("report.row.total")),
        source,
    )


def annex_4(ctx: Context, source: str) -> TableView:
    """Budget and utilization by expected result: P&B, final budget, expenditure on personnel
    and non-personnel, variance and utilization."""
    facts = {p: ctx.facts(source, p) for p in PHASES}
    approved = _amounts(ctx, source, BudgetPhase.APPROVED, "result")
    adjusted = _amounts(ctx, source, BudgetPhase.ADJUSTED, "result")
    spent = facts[BudgetPhase.EXECUTED]
    personnel = {
        str(k[0]): v
        for k, v in ctx.by([f for f in spent if f.cost_category == "A"], "result").items()
        if k[0]
    }
    other = {
        str(k[0]): v
        for k, v in ctx.by([f for f in spent if f.cost_category == "B"], "result").items()
        if k[0]
    }
    total_spent = {
        k: personnel.get(k, Decimal(0)) + other.get(k, Decimal(0))
        for k in set(personnel) | set(other)
    }
    specs: list[Spec] = [
        Series(text("report.column.phase.approved"), approved),
        Series(text("report.column.phase.adjusted"), adjusted),
        Series(text("report.column.personnel"), personnel),
        Series(text("report.column.non_personnel"), other),
        Series(text("report.column.phase.executed"), total_spent),
        Difference(text("report.column.variance"), 1, 4),
        Ratio(text("report.column.utilization"), 4, 1),
    ]
    items = ctx.result_items
    return TableView(
        "annex-4",
        text("report.annex.4"),
        ctx.unit("thousand"),
        text("report.stub.result"),
        columns(specs),
        rows(items, specs, text("report.row.subtotal_results")),
        source,
    )


def annex_5(ctx: Context, source: str) -> TableView:
    """Posts by sector and grade, P&B and after transfers."""
    grades = list(dict.fromkeys(p.grade for p in ctx.dataset.posts))
    specs: list[Spec] = []
    for phase in (PostPhase.APPROVED, PostPhase.ADJUSTED):
        for grade in grades:
            amounts = {
                p.sector: p.count
                for p in ctx.dataset.posts
                if p.phase == phase and p.grade == grade
            }
            label = text(
                "report.column.phase_grade",
                phase=text(f"report.column.phase.{phase.value}"),
                grade=grade,
            )
            specs.append(Series(label, amounts))
    items = [(s.code, s.name) for s in ctx.dataset.sectors]
    return TableView(
        "annex-5",
        text("report.annex.5"),
        text("report.unit.posts"),
        text("report.stub.sector"),
        columns(specs),
        rows(items, specs, text("report.row.total")),
        source,
    )


def annex_7(ctx: Context, source: str) -> TableView:
    """Resources for promoting the global IP systems under expected result 3.1."""
    unions = {u.code: u.name for u in ctx.dataset.unions}
    specs: list[Spec] = []
    for phase in (BudgetPhase.APPROVED, BudgetPhase.EXECUTED):
        amounts = {f"{f.sector}:{f.union or ''}": f.amount for f in ctx.facts(source, phase)}
        specs.append(Series(text(f"report.column.phase.{phase.value}"), amounts))
    items = []
    for f in ctx.facts(source, BudgetPhase.APPROVED):
        sector = ctx.sectors.get(f.sector or "", Text("", ""))
        union = unions.get(f.union or "")
        label = Text(
            f"{sector.zh} {union.zh}" if union else sector.zh,
            f"{sector.en} {union.en}" if union else sector.en,
        )
        items.append((f"{f.sector}:{f.union or ''}", label))
    return TableView(
        "annex-7",
        text("report.annex.7"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        columns(specs),
        rows(items, specs, text("report.row.total")),
        source,
    )
