"""Key financial data (whole and by union), income (by category, shares, estimates by year)
and demand for the registration systems."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from rbm.domain.enums import FinancialPhase, IncomePhase, Unit
from rbm.domain.money import convert
from rbm.domain.text import Text
from rbm.engine.finance.identities import derive
from rbm.engine.finance.ratios import percent
from rbm.engine.headlines import key_lines
from rbm.i18n import text
from rbm.report.build import lines
from rbm.report.build.context import Context
from rbm.report.build.lines import TOTAL, Derived, Figures, Line
from rbm.report.build.pivot import Series, depths
from rbm.report.build.pivot import columns as pivot_columns
from rbm.report.build.spec import Spec
from rbm.report.model import ChartView, Row, TableView

PHASES = (FinancialPhase.BUDGET, FinancialPhase.ACTUAL)


def _implicit(items: list[Line], rows: tuple[Row, ...]) -> tuple[Row, ...]:
    """Lines the package lists by default print only where they have a figure."""
    return tuple(
        row
        for line, row in zip(items, rows, strict=True)
        if line.item is None or any(v is not None for v in row.values)
    )


def table_1(ctx: Context, b: Spec) -> TableView:
    """Key financial data: the lines a specification lists (every line of the source by
    default), stored or derived by the identities, as the source prints them where it does
    (millions); then the closing lines (net assets, actual figures only) when it lists them."""
    source = b.source or ""
    names = {line.code: line.name for line in ctx.dataset.financial_lines}
    items = lines.parse(b, "items")
    implicit = items is None
    if items is None:
        items = [
            Line(None, f.code)
            for f in ctx.dataset.financial_lines
            if not source or f.source == source
        ]
    closing = lines.parse(b, "closing_items") or []
    printed = {p: lines.printed_figures(ctx, source, "key_financial", p.value) for p in PHASES}
    budget, actual = (
        Figures(
            text(f"report.column.phase.{p.value}"),
            key_lines(ctx.dataset, p),
            printed[p],
            "decimal1",
        )
        for p in PHASES
    )
    shown = lines.ratios(lines.printed_figures(ctx, source, "variance_pct", None))
    # where the source prints its ratios, a line it prints none for shows none
    ratio = Derived(text("report.column.actual_vs_budget"), "ratio", 1, 0, shown, bool(shown))
    body = lines.rows(items, [budget, actual, ratio], names, "million")
    if implicit:
        body = _implicit(items, body)
    if closing:
        actual_only: list[lines.Spec_] = [Figures(budget.label, {}, {}, "decimal1"), actual, ratio]
        heading = Row(text("report.row.net_assets"), (None, None, None), kind="heading")
        body = (*body, heading, *lines.rows(closing, actual_only, names, "million"))
    return TableView(
        "key-financials",
        text("report.table.1"),
        ctx.unit("million"),
        text("report.stub.line"),
        lines.columns([budget, actual, ratio]),
        body,
        source or ", ".join(dict.fromkeys(f.source for f in ctx.dataset.key_financials)),
    )


def _income(
    ctx: Context, source: str, phase: IncomePhase, year: int | None = None
) -> dict[str, Decimal]:
    """Income per category, every parent category and the total (TOTAL), in thousands of
    the currency."""
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
    found = dict(out)
    if found:
        found[TOTAL] = _total_income(found, ctx)
    return found


def _levels(ctx: Context) -> dict[str, int]:
    return depths({c.code: c.parent for c in ctx.dataset.income_categories})


def _category_names(ctx: Context) -> dict[str, Text]:
    return {c.code: c.name for c in ctx.dataset.income_categories}


def _category_lines(ctx: Context) -> list[Line]:
    """Every category in the package's order, indented by its depth, then the total."""
    levels = _levels(ctx)
    found = [Line(None, c.code, level=levels[c.code]) for c in ctx.dataset.income_categories]
    return [*found, Line(text("report.row.total"), TOTAL, "total")]


def _total_income(amounts: dict[str, Decimal], ctx: Context) -> Decimal:
    roots = {c.code for c in ctx.dataset.income_categories if c.parent is None}
    return sum((v for k, v in amounts.items() if k in roots), Decimal(0))


def table_2(ctx: Context, b: Spec) -> TableView:
    """Income by source, estimate against actual (millions of the currency): the lines a
    specification lists (every category and the total by default), as the source prints
    its subtotals, totals and ratios where it does."""
    source = b.source or ""
    specs: list[lines.Spec_] = [
        Figures(
            text(f"report.column.phase.{phase.value}"),
            _income(ctx, source, phase),
            lines.printed_figures(ctx, source, "income", phase.value),
            "decimal1",
        )
        for phase in (IncomePhase.ESTIMATE, IncomePhase.ACTUAL)
    ]
    shown = lines.ratios(lines.printed_figures(ctx, source, "variance_pct", None))
    specs.append(
        Derived(text("report.column.actual_vs_estimate"), "ratio", 1, 0, shown, bool(shown))
    )
    items = lines.parse(b, "items")
    body = lines.rows(items or _category_lines(ctx), specs, _category_names(ctx), "million")
    if items is None:
        body = _implicit(_category_lines(ctx), body)
    return TableView(
        "income",
        text("report.table.2"),
        ctx.unit("million"),
        text("report.stub.income"),
        lines.columns(specs),
        body,
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
        pivot_columns([Series(text("report.column.share"), {}, "percent1")]),
        data,
        source,
    )
    return ChartView("income-shares", table.title, text("report.figure.1.desc"), "donut", table)


def table_3(ctx: Context, b: Spec) -> TableView:
    """Demand for the registration systems, estimate against actual: the lines a
    specification lists (each union's measures and printed subtotals by default), with the
    subtotals and ratios the source prints."""
    source = b.source or ""
    unions = {u.code: u.name for u in ctx.dataset.unions}
    computed: dict[str, dict[str, Decimal]] = {"estimate": {}, "actual": {}}
    codes: list[str] = []
    for v in ctx.dataset.demand_volumes:
        if v.source != source or v.year is not None:
            continue
        code = f"{v.union}:{v.measure}"
        if code not in codes:
            codes.append(code)
        computed[v.phase.value][code] = v.value
    printed = {
        phase: lines.printed_figures(ctx, source, "demand", phase, unions=True)
        for phase in computed
    }
    for found in printed.values():
        for code in found:
            if code not in codes and ":" in code:  # a subtotal printed after its union's lines
                union = code.split(":")[0]
                last = max(i for i, c in enumerate(codes) if c.startswith(f"{union}:"))
                codes.insert(last + 1, code)
    names = {}
    for code in codes:
        union, measure = code.split(":")
        names[code] = Text.join(" ", unions[union], text(f"report.demand.{measure}"))
    shown = lines.ratios(lines.printed_figures(ctx, source, "variance_pct", None, unions=True))
    specs: list[lines.Spec_] = [
        Figures(text(f"report.column.phase.{phase}"), computed[phase], printed[phase])
        for phase in computed
    ]
    specs.append(
        Derived(text("report.column.actual_vs_estimate"), "ratio", 1, 0, shown, bool(shown))
    )
    items = lines.parse(b, "items")
    implicit = [Line(None, code) for code in codes]
    body = lines.rows(items or implicit, specs, names)
    return TableView(
        "demand",
        text("report.table.3"),
        text("report.unit.count"),
        text("report.stub.demand"),
        lines.columns(specs),
        body if items else _implicit(implicit, body),
        source,
    )


def annex_2(ctx: Context, b: Spec) -> TableView:
    """Income estimates by year and for the whole period, original and updated (thousands
    of the currency), as the source prints its subtotals and totals where it does."""
    source = b.source or ""
    specs: list[lines.Spec_] = []
    years = ctx.dataset.biennium.years
    for phase in (IncomePhase.ESTIMATE, IncomePhase.UPDATED):
        label = text(f"report.column.phase.{phase.value}")
        by_year = []
        for year in years:
            by_year.append(_income(ctx, source, phase, year))
            specs.append(
                Figures(
                    text("report.column.phase_year", phase=label, year=str(year)),
                    by_year[-1],
                    lines.printed_figures(ctx, source, "income", phase.value, year),
                )
            )
        period: dict[str, Decimal] = defaultdict(Decimal)
        for amounts in by_year:
            for code, amount in amounts.items():
                period[code] += amount
        specs.append(
            Figures(
                text("report.column.phase_biennium", phase=label),
                dict(period),
                lines.printed_figures(ctx, source, "income", phase.value),
            )
        )
    items = lines.parse(b, "items")
    body = lines.rows(items or _category_lines(ctx), specs, _category_names(ctx), "thousand")
    return TableView(
        "income-estimates",
        text("report.annex.2"),
        ctx.unit("thousand"),
        text("report.stub.income"),
        lines.columns(specs),
        body if items else _implicit(_category_lines(ctx), body),
        source,
    )


def _derive(ctx: Context, stored: dict[str, Decimal]) -> dict[str, Decimal]:
    """The stored lines and every line the identities derive from them."""
    return derive(ctx.dataset.financial_lines, stored)


def annex_6(ctx: Context, b: Spec) -> TableView:
    """Key financial data by union and for all unions together, budget and actual
    (thousands of the currency): stored, derived by the identities, or as the source prints
    them; the lines a specification lists (every line the source has figures for by
    default)."""
    source = b.source or ""
    names = {line.code: line.name for line in ctx.dataset.financial_lines}
    facts = [k for k in ctx.dataset.key_financials if k.source == source and k.year is None]
    specs: list[lines.Spec_] = []
    for union in ctx.dataset.unions:
        for phase in PHASES:
            stored = {
                k.line: lines.in_thousands(k.amount, k.unit)
                for k in facts
                if k.union == union.code and k.phase == phase
            }
            label = text(f"report.column.phase.{phase.value}")
            printed = lines.printed_figures(
                ctx, source, "key_financial", phase.value, union=union.code
            )
            specs.append(Figures(label, _derive(ctx, stored), printed, group=union.name))
    for phase in PHASES:
        together: dict[str, Decimal] = defaultdict(Decimal)
        for k in facts:  # the unions' facts and those of no union (printed in the total only)
            if k.phase == phase:
                together[k.line] += lines.in_thousands(k.amount, k.unit)
        label = text(f"report.column.phase.{phase.value}")
        printed = lines.printed_figures(ctx, source, "key_financial", phase.value)
        total = text("report.column.total")
        specs.append(Figures(label, _derive(ctx, dict(together)), printed, group=total))
    items = lines.parse(b, "items")
    if items is None:
        seen = list(dict.fromkeys(k.line for k in facts))
        items = [Line(None, code) for code in seen]
    return TableView(
        "union-financials",
        text("report.annex.6"),
        ctx.unit("thousand"),
        text("report.stub.line"),
        lines.columns(specs),
        lines.rows(items, specs, names, "thousand"),
        source,
    )
