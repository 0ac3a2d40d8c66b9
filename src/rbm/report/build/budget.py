"""Budget tables: by cost category, the personnel chart, by sector and year, by expected
result, posts, promotion resources by union, transfers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from rbm.domain.enums import BudgetPhase, PostPhase
from rbm.domain.text import Text
from rbm.engine.transfers_report import transfer_report
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.build.lines import TOTAL, Derived, Figures, Line, Spec_
from rbm.report.build.lines import columns as line_columns
from rbm.report.build.lines import rows as line_rows
from rbm.report.build.pivot import Series, Spec, columns, rows
from rbm.report.model import ChartView, Column, NumberFormat, Row, TableView, Value

PHASES = (BudgetPhase.APPROVED, BudgetPhase.ADJUSTED, BudgetPhase.EXECUTED)


def figure_2(ctx: Context, source: str, dashboards: list[str]) -> ChartView:
    """Personnel and non-personnel expenditure, from the sector dashboards."""
    spent = ctx.by(
        [f for f in ctx.facts(dashboards, BudgetPhase.EXECUTED) if f.cost_category], "cost_category"
    )
    names = {c.code: c.name for c in ctx.dataset.cost_categories}
    data = tuple(
        Row(names.get(str(k[0]), Text.plain(str(k[0]))), (v,))
        for k, v in sorted(spent.items(), key=lambda kv: str(kv[0][0]))
    )
    table = TableView(
        "personnel-share",
        text("report.figure.2"),
        ctx.unit("thousand"),
        text("report.stub.cost_category"),
        (Column(text("report.column.phase.executed")),),
        data,
        source,
    )
    return ChartView("personnel-share", table.title, text("report.figure.2.desc"), "donut", table)


def annex_1(ctx: Context, source: str) -> TableView:
    """Transfers by sector, their share of the P&B and of the total, and the transfer rule's
    limit when the package has a rule; figures as the source prints them where it does."""
    report = transfer_report(ctx.dataset)

    def printed(measure: str, phase: str | None, dims: Mapping[str, object]) -> Decimal | None:
        fig = ctx.printed_figure([source], measure, phase, dims)
        return None if fig is None else fig.amount

    def pick(found: Decimal | None, computed: Decimal | None) -> Decimal | None:
        return computed if found is None else found

    rows_ = []
    for line in report.lines:
        approved = report.approved.get(line.sector)
        at = {"sector": line.sector}
        # the unallocated budget has no budget of its own to transfer against
        shares: tuple[Value, Value] = (
            (text("report.value.not_applicable"),) * 2
            if line.sector in ctx.unallocated
            else (
                pick(printed("transfers_net_pct_sector", None, at), line.pct_sector),
                pick(printed("transfers_net_pct_total", None, at), line.pct_total),
            )
        )
        rows_.append(
            Row(
                ctx.sectors.get(line.sector, Text.plain(line.sector)),
                (
                    pick(printed("budget", "approved", at), approved),
                    line.transfers_in,
                    -line.transfers_out,
                    pick(printed("transfers_net", None, at), line.net),
                    pick(
                        printed("budget", "adjusted", at),
                        None if approved is None else approved + line.net,
                    ),
                    *shares,
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
        "transfers",
        text("report.annex.1"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        tuple(Column(text(f"report.column.{k}"), f) for k, f in zip(labels, formats, strict=True))[
            :keep
        ],
        tuple(replace(r, values=r.values[:keep]) for r in rows_),
        source,
    )


def annex_5(ctx: Context, source: str) -> TableView:
    """Posts by sector and grade, P&B and after transfers, each with its total over the
    grades, then the difference of the two per grade and in total."""
    grades = list(dict.fromkeys(p.grade for p in ctx.dataset.posts))
    specs: list[Spec_] = []
    for phase in (PostPhase.APPROVED, PostPhase.ADJUSTED):
        label = text(f"report.column.phase.{phase.value}")
        total: dict[str, Decimal] = {}
        for grade in grades:
            amounts = {
                p.sector: p.count
                for p in ctx.dataset.posts
                if p.phase == phase and p.grade == grade
            }
            for code, count in amounts.items():
                total[code] = total.get(code, Decimal(0)) + count
            amounts[TOTAL] = sum(amounts.values(), Decimal(0))
            specs.append(Figures(Text.plain(grade), amounts, group=label))
        total[TOTAL] = sum(total.values(), Decimal(0))
        grade_total = text("report.column.total")
        specs.append(Figures(grade_total, total, group=label))
    width = len(grades) + 1
    difference = text("report.column.difference")
    for i in range(width):
        which = Text.plain(grades[i]) if i < len(grades) else text("report.column.total")
        specs.append(Derived(which, "difference", width + i, i, format="integer", group=difference))
    sectors = [Line(s.name, s.code) for s in ctx.dataset.sectors]
    body = line_rows([*sectors, Line(text("report.row.total"), TOTAL, "total")], specs, {})
    return TableView(
        "posts",
        text("report.annex.5"),
        text("report.unit.posts"),
        text("report.stub.sector"),
        line_columns(specs),
        tuple(r for r in body if r.kind == "total" or any(v is not None for v in r.values)),
        source,
    )


def annex_7(ctx: Context, source: str) -> TableView:
    """Resources for promoting the services, by sector and union (approved and spent)."""
    unions = {u.code: u.name for u in ctx.dataset.unions}
    specs: list[Spec] = []
    for phase in (BudgetPhase.APPROVED, BudgetPhase.EXECUTED):
        amounts = {f"{f.sector}:{f.union or ''}": f.amount for f in ctx.facts(source, phase)}
        specs.append(Series(text(f"report.column.phase.{phase.value}"), amounts))
    items = []
    for f in ctx.facts(source, BudgetPhase.APPROVED):
        sector = ctx.sectors.get(f.sector or "", Text.plain(""))
        union = unions.get(f.union or "")
        label = Text.join(" ", sector, union) if union else sector
        items.append((f"{f.sector}:{f.union or ''}", label))
    return TableView(
        "promotion",
        text("report.annex.7"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        columns(specs),
        rows(items, specs, text("report.row.total")),
        source,
    )
