"""Key financial data (whole and by union), income (by category, shares, estimates by year)
and demand for the registration systems."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
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


def _in_millions(lines: dict[str, Decimal]) -> dict[str, Decimal]:
    return {k: convert(v, Unit.THOUSAND, Unit.MILLION) for k, v in lines.items()}


def table_1(
    ctx: Context, source: str, items: list[str] | None, closing: list[str] | None
) -> TableView:
    """Key financial data: the lines a specification lists (every line of the source by
    default), stored or derived by the identities, as the source prints them where it does
    (millions); then the closing lines (net assets) when it lists them."""
    names = {line.code: line.name for line in ctx.dataset.financial_lines}
    if items is None:
        items = [f.code for f in ctx.dataset.financial_lines if not source or f.source == source]
    amounts = {
        phase: _in_millions(
            {**key_lines(ctx.dataset, phase), **_printed(ctx, source, "key_financial", phase.value)}
        )
        for phase in (FinancialPhase.BUDGET, FinancialPhase.ACTUAL)
    }
    ratios = _printed(ctx, source, "variance_pct")
    specs: list[Spec] = [
        Series(text("report.column.phase.budget"), amounts[FinancialPhase.BUDGET], "decimal1"),
        Series(text("report.column.phase.actual"), amounts[FinancialPhase.ACTUAL], "decimal1"),
        Ratio(text("report.column.actual_vs_budget"), 1, 0),
    ]
    body = [_with_ratio(r, code, ratios) for code, r in _line_rows(items, names, specs)]
    if closing:
        actual_only: list[Spec] = [
            Series(text("report.column.phase.budget"), {}, "decimal1"),
            Series(text("report.column.phase.actual"), amounts[FinancialPhase.ACTUAL], "decimal1"),
            Ratio(text("report.column.actual_vs_budget"), 1, 0),
        ]
        body.append(Row(text("report.row.net_assets"), (None, None, None), kind="heading"))
        body.extend(r for _, r in _line_rows(closing, names, actual_only))
    return TableView(
        "key-financials",
        text("report.table.1"),
        ctx.unit("million"),
        text("report.stub.line"),
        columns(specs),
        tuple(body),
        source or ", ".join(dict.fromkeys(f.source for f in ctx.dataset.key_financials)),
    )


def _line_rows(
    codes: list[str], names: dict[str, Text], specs: list[Spec]
) -> list[tuple[str, Row]]:
    found = rows(((code, names.get(code, Text.plain(code))) for code in codes), specs)
    shown = [
        code for code in codes if any(code in s.amounts for s in specs if isinstance(s, Series))
    ]
    return list(zip(shown, found, strict=True))


def _printed(
    ctx: Context, source: str, measure: str, phase: str | None = None
) -> dict[str, Decimal]:
    """The figures a source prints of one measure, by item ("union:item" for a union's;
    "" for the total), in thousands for money: they win over the ones computed."""
    out: dict[str, Decimal] = {}
    for f in ctx.printed.values():
        p = f.figure
        if p.source != source or p.measure != measure or p.phase != phase:
            continue
        if p.sector or p.result or p.cost_category or p.year or p.excludes:
            continue
        key = f"{p.union}:{p.item}" if p.union else (p.item or "")
        out.setdefault(key, f.amount if f.unit != "percent" else p.value)
    return out


def _with_ratio(row: Row, code: str, printed: dict[str, Decimal]) -> Row:
    """Where the source prints its ratios, the line shows the printed one or none."""
    if not printed:
        return row
    return replace(row, values=(*row.values[:-1], printed.get(code)))


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
    """Income by source, estimate against actual (millions of the currency), as the source
    prints its subtotals, totals and ratios where it does."""
    amounts = {
        phase: {
            **_income(ctx, source, phase),
            **{k: v for k, v in _printed(ctx, source, "income", phase.value).items() if k},
        }
        for phase in (IncomePhase.ESTIMATE, IncomePhase.ACTUAL)
    }
    estimate, actual = (
        {k: convert(v, Unit.THOUSAND, Unit.MILLION) for k, v in amounts[phase].items()}
        for phase in (IncomePhase.ESTIMATE, IncomePhase.ACTUAL)
    )
    specs: list[Spec] = [
        Series(text("report.column.phase.estimate"), estimate, "decimal1"),
        Series(text("report.column.phase.actual"), actual, "decimal1"),
        Ratio(text("report.column.actual_vs_estimate"), 1, 0),
    ]
    ratios = _printed(ctx, source, "variance_pct")
    items = _category_items(ctx)
    body = list(rows(items, specs, levels=_levels(ctx)))
    shown = [code for code, _ in items if code in estimate or code in actual]
    body = [_with_ratio(r, code, ratios) for code, r in zip(shown, body, strict=True)]
    totals = []
    for phase, values in ((IncomePhase.ESTIMATE, estimate), (IncomePhase.ACTUAL, actual)):
        printed = _printed(ctx, source, "income", phase.value).get("")
        totals.append(
            _total_income(values, ctx)
            if printed is None
            else convert(printed, Unit.THOUSAND, Unit.MILLION)
        )
    rate = ratios.get("", percent(totals[1], totals[0]))
    body.append(Row(text("report.row.total"), (*totals, rate), kind="total"))
    return TableView(
        "income",
        text("report.table.2"),
        ctx.unit("million"),
        text("report.stub.income"),
        columns(specs),
        tuple(body),
        source or ", ".join(dict.fromkeys(f.source for f in ctx.dataset.income_facts)),
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
        "income-shares",
        text("report.figure.1"),
        text("report.unit.percent"),
        text("report.stub.income"),
        columns([Series(text("report.column.share"), {}, "percent1")]),
        data,
        source,
    )
    return ChartView("income-shares", table.title, text("report.figure.1.desc"), "donut", table)


def table_3(ctx: Context, source: str) -> TableView:
    """Demand for the registration systems, estimate against actual, with the subtotals and
    ratios the source prints."""
    unions = {u.code: u.name for u in ctx.dataset.unions}
    estimate: dict[str, Decimal] = {}
    actual: dict[str, Decimal] = {}
    codes: list[str] = []
    for v in ctx.dataset.demand_volumes:
        if v.source != source or v.year is not None:
            continue
        code = f"{v.union}:{v.measure}"
        if code not in codes:
            codes.append(code)
        (estimate if v.phase.value == "estimate" else actual)[code] = v.value
    for phase, values in (("estimate", estimate), ("actual", actual)):
        for code, value in _printed(ctx, source, "demand", phase).items():
            if code not in codes:  # a subtotal the source prints after its union's lines
                union = code.split(":")[0]
                last = max(i for i, c in enumerate(codes) if c.startswith(f"{union}:"))
                codes.insert(last + 1, code)
            values.setdefault(code, value)
    items = []
    for code in codes:
        union, measure = code.split(":")
        label = text(f"report.demand.{measure}")
        name = unions[union]
        items.append((code, Text.join(" ", name, label)))
    specs: list[Spec] = [
        Series(text("report.column.phase.estimate"), estimate),
        Series(text("report.column.phase.actual"), actual),
        Ratio(text("report.column.actual_vs_estimate"), 1, 0),
    ]
    ratios = _printed(ctx, source, "variance_pct")
    body = rows(items, specs)
    shown = [c for c, _ in items if c in estimate or c in actual]
    return TableView(
        "demand",
        text("report.table.3"),
        text("report.unit.count"),
        text("report.stub.demand"),
        columns(specs),
        tuple(_with_ratio(r, c, ratios) for c, r in zip(shown, body, strict=True)),
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
        "income-estimates",
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
    items = [(code, names.get(code, Text.plain(code))) for code in seen]
    return TableView(
        "union-financials",
        text("report.annex.6"),
        ctx.unit("thousand"),
        text("report.stub.line"),
        columns(specs),
        rows(items, specs),
        source,
    )
