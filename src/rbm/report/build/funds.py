"""Trust funds: the funds a report covers with their sectors, every fund's statement with
the columns the source prints, and each fund's results grouped by expected result."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from rbm.domain.projects import TrustFund
from rbm.domain.text import Text
from rbm.engine.projects import fund_figures
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.build.printed import printed_value
from rbm.report.build.spec import Spec
from rbm.report.model import Column, Row, Section, TableView, Value

# a statement's columns: its key (the catalogue's column and the printed total's item) and
# the fund's value in it
STATEMENT: tuple[tuple[str, Callable[[TrustFund], Decimal]], ...] = (
    ("opening_balance", lambda f: f.opening_balance),
    ("receipts", lambda f: f.receipts),
    ("interest", lambda f: f.interest),
    ("other_income", lambda f: f.other_income),
    ("income_total", lambda f: fund_figures(f).income),
    ("staff_costs", lambda f: f.staff_costs),
    ("other_direct_costs", lambda f: f.other_direct_costs),
    ("admin_support", lambda f: f.admin_support),
    ("expenditure_total", lambda f: fund_figures(f).expenditure),
    ("closing_balance", lambda f: f.closing_balance),
)
# a fund's own printed totals, by column
PRINTED = {"income_total": "trust_fund_income", "expenditure_total": "trust_fund_expenditure"}


def trust_fund_section(ctx: Context, b: Spec) -> Section | None:
    if not ctx.dataset.trust_funds:
        return None
    source = b.source or ""
    return Section(
        "trust-funds",
        text("report.section.trust_funds"),
        (*fund_list(ctx, source), trust_funds(ctx, source), *trust_fund_results(ctx)),
    )


def reported(ctx: Context) -> list[TrustFund]:
    """The funds whose results the report gives, in their order, then any other fund a
    sector is responsible for."""
    by_code = {f.code: f for f in ctx.dataset.trust_funds}
    codes = dict.fromkeys(r.fund for r in ctx.dataset.trust_fund_results if r.fund in by_code)
    funds = [by_code[c] for c in codes]
    return funds + [f for f in ctx.dataset.trust_funds if f.sector and f.code not in codes]


def fund_list(ctx: Context, source: str) -> tuple[TableView, ...]:
    """The funds the report covers and the sector responsible for each."""
    funds = reported(ctx)
    if not any(f.sector for f in funds):
        return ()
    rows = tuple(Row(f.name, (ctx.sectors.get(f.sector) if f.sector else None,)) for f in funds)
    return (
        TableView(
            "trust-fund-list",
            text("report.trust_fund.list"),
            text("report.unit.none"),
            text("report.stub.fund"),
            (Column(text("report.stub.sector"), "text"),),
            rows,
            source,
        ),
    )


def trust_funds(ctx: Context, source: str) -> TableView:
    """Each fund's statement in the source's columns: its code, the opening balance, income
    and expenditure with their totals, and the closing balance, each as printed; a printed
    closing balance that its parts do not give is noted."""
    rows = []
    for fund in ctx.dataset.trust_funds:
        f = fund_figures(fund)
        notes: tuple[str, ...] = ()
        if f.difference:
            notes = (
                ctx.add_note(
                    "trust-funds",
                    text(
                        "report.note.computed",
                        value=f"{f.closing:,}",
                        source=fund.source,
                    ),
                ),
            )
        values: list[Value] = [Text.plain(fund.code)]
        for key, value in STATEMENT:
            printed = printed_value(ctx, fund.source, PRINTED.get(key, ""), fund.code, fund.unit)
            values.append(value(fund) if printed is None else printed)
        rows.append(Row(fund.name, tuple(values), notes=notes))
    unit = ctx.dataset.trust_funds[0].unit
    totals: list[Value] = [None]
    for key, value in STATEMENT:
        printed = printed_value(ctx, source, "trust_fund_total", key, unit)
        summed = sum((value(f) for f in ctx.dataset.trust_funds), Decimal(0))
        totals.append(summed if printed is None else printed)
    rows.append(Row(text("report.row.total"), tuple(totals), kind="total"))
    columns = (
        Column(text("report.column.fund_code"), "text"),
        *(
            Column(text(f"report.column.fund.{key}", **ctx.dates), "decimal2")
            for key, _ in STATEMENT
        ),
    )
    return TableView(
        "trust-funds",
        text("report.trust_funds", **ctx.dates),
        ctx.unit("one"),
        text("report.stub.fund"),
        columns,
        tuple(rows),
        source,
        ctx.table_notes("trust-funds"),
    )


def trust_fund_results(ctx: Context) -> tuple[TableView, ...]:
    """Each reported fund's results: its indicators under the expected result they serve,
    the year's main results and the beneficiary countries by region."""
    tables = []
    for fund in reported(ctx):
        results = [r for r in ctx.dataset.trust_fund_results if r.fund == fund.code]
        if not results:
            continue
        rows: list[Row] = []
        heading: str | None = None
        for r in results:
            if r.result and r.result != heading and r.result in ctx.results:
                rows.append(Row(ctx.result_label(r.result), (None, None), kind="heading"))
                heading = r.result
            rows.append(Row(r.indicator, (r.outcome, r.beneficiaries), level=1 if heading else 0))
        tables.append(
            TableView(
                f"trust-fund-{fund.code.lower().replace('_', '-')}",
                text("report.trust_fund.results", fund=fund.name, **ctx.dates),
                text("report.unit.none"),
                text("report.stub.indicator"),
                (
                    Column(text("report.column.outcome", **ctx.dates), "text"),
                    Column(text("report.column.beneficiaries"), "text"),
                ),
                tuple(rows),
                fund.source,
            )
        )
    return tuple(tables)
