"""Key financial data (whole and by union), income (by category, shares, estimates by year)
and demand for the registration systems."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from rbm.domain.enums import FinancialPhase, IncomePhase, Unit
from rbm.domain.money import convert
from rbm.domain.text import Text
from rbm.engine.finance.ratios import percent
from rbm.engine.headlines import key_lines
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.build.pivot import Ratio, Series, Spec, columns, depths, rows
from rbm.report.model import ChartView, Row, TableView

TABLE_1_LINES = (
    "income",
    "personnel_expenditure",
    "non_personnel_expenditure",
    "expenditure_before_ipsas",
    "ipsas_adjustment_expenditure",
    "expenditure_after_ipsas",
    "operating_result",
    "reserve_projects",
    "ipsas_adjustment_reserve_projects",
    "reserve_projects_after_ipsas",
    "special_accounts_net",
    "investment_income",
    "surplus",
)
NET_ASSETS_LINES = (
    "net_assets_opening_excl_actuarial",
    "actuarial_opening",
    "net_assets_opening",
    "surplus",
    "net_assets_closing_excl_actuarial",
    "actuarial_closing",
    "net_assets_closing",
)


def _in_millions(lines: dict[str, Decimal]) -> dict[str, Decimal]:
    return {k: convert(v, Unit.THOUSAND, Unit.MILLION) for k, v in lines.items()}


def table_1(ctx: Context, source: str) -> TableView:
    """Key financial data: stored lines and the lines the identities derive (millions)."""
    names = {line.code: line.name for line in ctx.dataset.financial_lines}
    budget = _in_millions(key_lines(ctx.dataset, FinancialPhase.BUDGET))
    actual = _in_millions(key_lines(ctx.dataset, FinancialPhase.ACTUAL))
    specs: list[Spec] = [
        Series(text("report.column.phase.budget"), budget, "decimal1"),
        Series(text("report.column.phase.actual"), actual, "decimal1"),
        Ratio(text("report.column.actual_vs_budget"), 1, 0),
    ]
    body = rows(((code, names.get(code, Text(code, code))) for code in TABLE_1_LINES), specs)
    assets: list[Spec] = [
        Series(text("report.column.phase.budget"), {}, "decimal1"),
        Series(text("report.column.phase.actual"), actual, "decimal1"),
        Ratio(text("report.column.actual_vs_budget"), 1, 0),
    ]
    heading = Row(text("report.row.net_assets"), (None, None, None), kind="heading")
    net = rows(((code, names.get(code, Text(code, code))) for code in NET_ASSETS_LINES), assets)
    return TableView(
        "table-1",
        text("report.table.1"),
        ctx.unit("million"),
        text("report.stub.line"),
        columns(specs),
        (*body, heading, *net),
        source,
    )


def _income(
    ctx: Context, source: str, phase: IncomePhase, year: int | None = None
) -> dict[str, Decimal]:
    """Income per category and every parent category (thousands of the currency)."""
    parents = {c.code: c.parent for c in ctx.dataset.income_categories}
    out: dict[str, Decimal] = defaultdict(Decimal)
    for fact in ctx.dataset.income_facts:
        if (
            (source and fact.source != source)
            or fact.phase != phase
            or fact.year != year
            or fact.union
        ):
            continue
        amount = convert(fact.amount, fact.unit, Unit.THOUSAND)
        code: str | None = fact.category
        while code is not None:
            out[code] += amount
            code = parents.get(code)
    return dict(out)


def _levels(ctx: Context) -> dict[str, int]:
    return depths({c.code: c.parent for c in ctx.dataset.income_categories})


def _category_items(ctx: Context) -> list[tuple[str, Text]]:
    return [(c.code, c.name) for c in ctx.dataset.income_categories]


def _total_income(amounts: dict[str, Decimal], ctx: Context) -> Decimal:
    roots = {c.code for c in ctx.dataset.income_categories if c.parent is None}
    return sum((v for k, v in amounts.items() if k in roots), Decimal(0))


def table_2(ctx: Context, source: str) -> TableView:
    """Income by source, estimate against actual (millions of the currency)."""
    estimate = {
        k: convert(v, Unit.THOUSAND, Unit.MILLION)
        for k, v in _income(ctx, source, IncomePhase.ESTIMATE).items()
    }
    actual = {
        k: convert(v, Unit.THOUSAND, Unit.MILLION)
        for k, v in _income(ctx, source, IncomePhase.ACTUAL).items()
    }
    specs: list[Spec] = [
        Series(text("report.column.phase.estimate"), estimate, "decimal1"),
        Series(text("report.column.phase.actual"), actual, "decimal1"),
        Ratio(text("report.column.actual_vs_estimate"), 1, 0),
    ]
    body = list(rows(_category_items(ctx), specs, levels=_levels(ctx)))
    total_estimate, total_actual = _total_income(estimate, ctx), _total_income(actual, ctx)
    body.append(
        Row(
            text("report.row.total"),
            (total_estimate, total_actual, percent(total_actual, total_estimate)),
            kind="total",
        )
    )
    return TableView(
        "table-2",
        text("report.table.2"),
        ctx.unit("million"),
        text("report.stub.income"),
        columns(specs),
        tuple(body),
        source,
    )


def figure_1(ctx: Context, source: str, facts_source: str) -> ChartView:
    """Shares of actual income by source, one decimal."""
    actual = _income(ctx, facts_source, IncomePhase.ACTUAL)
    total = _total_income(actual, ctx)
    roots = [c for c in ctx.dataset.income_categories if c.parent is None]
    children = [c for c in ctx.dataset.income_categories if c.parent in {r.code for r in roots}]
    shown = [c for c in children if c.code in actual]
    data = tuple(Row(c.name, (percent(actual[c.code], total, 1),)) for c in shown)
    table = TableView(
        "figure-1",
        text("report.figure.1"),
        text("report.unit.percent"),
        text("report.stub.income"),
        columns([Series(text("report.column.share"), {}, "percent1")]),
        data,
        source,
    )
    return ChartView("figure-1", table.title, text("report.figure.1.desc"), "donut", table)


def table_3(ctx: Context, source: str) -> TableView:
    """Demand for the global IP systems: estimate against actual."""
    unions = {u.code: u.name for u in ctx.dataset.unions}
    estimate: dict[str, Decimal] = {}
    actual: dict[str, Decimal] = {}
    items: list[tuple[str, Text]] = []
    for v in ctx.dataset.demand_volumes:
        if v.source != source or v.year is not None:
            continue
        code = f"{v.union}:{v.measure}"
        if code not in estimate and code not in actual:
            label = text(f"report.demand.{v.measure}")
            items.append(
                (code, Text(f"{unions[v.union].zh} {label.zh}", f"{unions[v.union].en} {label.en}"))
            )
        (estimate if v.phase.value == "estimate" else actual)[code] = v.value
    specs: list[Spec] = [
        Series(text("report.column.phase.estimate"), estimate),
        Series(text("report.column.phase.actual"), actual),
        Ratio(text("report.column.actual_vs_estimate"), 1, 0),
    ]
    return TableView(
        "table-3",
        text("report.table.3"),
        text("report.unit.count"),
        text("report.stub.demand"),
        columns(specs),
        rows(items, specs),
        source,
    )


def annex_2(ctx: Context, source: str) -> TableView:
    """Income estimates by year, original and updated (thousands of the currency)."""
    series = [
        Series(
            text(
                "report.column.phase_year",
                phase=text(f"report.column.phase.{phase.value}"),
                year=str(year),
            ),
            _income(ctx, source, phase, year),
        )
        for phase in (IncomePhase.ESTIMATE, IncomePhase.UPDATED)
        for year in ctx.dataset.biennium.years
    ]
    specs: list[Spec] = list(series)
    body = list(rows(_category_items(ctx), specs, levels=_levels(ctx)))
    body.append(
        Row(
            text("report.row.total"),
            tuple(_total_income(s.amounts, ctx) for s in series),
            kind="total",
        )
    )
    return TableView(
        "annex-2",
        text("report.annex.2"),
        ctx.unit("thousand"),
        text("report.stub.income"),
        columns(specs),
        tuple(body),
        source,
    )


def annex_6(ctx: Context, source: str) -> TableView:
    """Key financial data by union, budget and actual (thousands of the currency)."""
    names = {line.code: line.name for line in ctx.dataset.financial_lines}
    specs: list[Spec] = []
    for union in ctx.dataset.unions:
        for phase in (FinancialPhase.BUDGET, FinancialPhase.ACTUAL):
            amounts = {
                k.line: convert(k.amount, k.unit, Unit.THOUSAND)
                for k in ctx.dataset.key_financials
                if k.union == union.code and k.phase == phase and k.source == source
            }
            label = text(
                "report.column.union_phase",
                union=union.name,
                phase=text(f"report.column.phase.{phase.value}"),
            )
            specs.append(Series(label, amounts))
    seen: list[str] = []
    for k in ctx.dataset.key_financials:
        if k.source == source and k.line not in seen:
            seen.append(k.line)
    items = [(code, names.get(code, Text(code, code))) for code in seen]
    return TableView(
        "annex-6",
        text("report.annex.6"),
        ctx.unit("thousand"),
        text("report.stub.line"),
        columns(specs),
        rows(items, specs),
        source,
    )
