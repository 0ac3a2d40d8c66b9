"""Development expenditure and the development share."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rbm.domain.enums import BudgetPhase
from rbm.domain.text import Text
from rbm.engine.finance.ratios import percent
from rbm.i18n import text
from rbm.report.build.context import Context, grain_key
from rbm.report.build.pivot import Series, Spec, columns, rows
from rbm.report.model import Column, Row, TableView, Value

DA = "Development Agenda projects"
_ITEM = {False: "other_than_development_agenda_projects", True: "development_agenda_projects"}


def _by_sector(
    ctx: Context, source: str, phase: BudgetPhase, da: bool | None
) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    for d in ctx.dataset.development_expenditure:
        if d.source != source or d.phase != phase or d.sector is None or d.result is not None:
            continue
        if da is not None and (d.item.get("en") == DA) != da:
            continue
        out[d.sector] = out.get(d.sector, Decimal(0)) + d.amount
    return out


def table_7(ctx: Context, source: str, table_id: str) -> TableView:
    """Development expenditure by sector, without and with the Development Agenda projects;
    totals as the source prints them, and lines outside the sectors (trust funds) below."""
    specs: list[Spec] = []
    kinds: list[tuple[BudgetPhase, bool | None]] = []  # each column's phase and DA choice
    for phase in (BudgetPhase.APPROVED, BudgetPhase.EXECUTED):
        for key, da in (("excl_da", False), ("da", True), ("incl_da", None)):
            label = text(
                f"report.column.dev_{key}", phase=text(f"report.column.phase.{phase.value}")
            )
            specs.append(Series(label, _by_sector(ctx, source, phase, da)))
            kinds.append((phase, da))
    items = [(s.code, s.name) for s in ctx.dataset.sectors]
    body = list(rows(items, specs, text("report.row.total")))
    series = [s for s in specs if isinstance(s, Series)]
    codes = [code for code, _ in items if any(code in s.amounts for s in series)]
    for i, row in enumerate(body):
        values = list(row.values)
        for j, (phase, da) in enumerate(kinds):
            if row.kind == "total":
                dims: dict[str, object] = {} if da is None else {"item": _ITEM[da]}
                excludes = "trust_funds" if da is None else None
            elif da is None:
                dims, excludes = {"sector": codes[i]}, None
            else:
                continue
            fig = ctx.printed.get(
                (source, "development_expenditure", phase.value, grain_key(dims), excludes)
            )
            if fig is not None:
                values[j] = fig.amount
        body[i] = replace(row, values=tuple(values))
    lines: dict[Text, list[Value]] = {}  # lines outside the sectors, one row per item
    for d in ctx.dataset.development_expenditure:
        if d.source == source and d.sector is None and d.result is None:
            line = lines.setdefault(d.item, [None] * len(specs))
            line[kinds.index((d.phase, False))] = d.amount
    body.extend(Row(item, tuple(values)) for item, values in lines.items())
    return TableView(
        table_id,
        text("report.table.7"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        columns(specs),
        tuple(body),
        source,
    )


def development_share(ctx: Context, source: str, table_id: str) -> TableView:
    """Development expenditure as a share of the total budget (P&B) and of expenditure."""
    found = []
    for phase, measure in ((BudgetPhase.APPROVED, "budget"), (BudgetPhase.EXECUTED, "expenditure")):
        total = sum(_by_sector(ctx, source, phase, None).values(), Decimal(0))
        whole = ctx.headline(measure)
        found.append(
            Row(
                text(f"report.row.dev_share_{measure}"),
                (percent(total, whole, 1) if whole else None,),
            )
        )
    return TableView(
        table_id,
        text("report.table.7.share"),
        text("report.unit.percent"),
        text("report.stub.share"),
        (Column(text("report.column.share"), "percent1"),),
        tuple(found),
        source,
    )


def annex_12_results(ctx: Context, source: str) -> TableView:
    """Development expenditure by expected result × sector."""
    sectors = [s for s in ctx.dataset.sectors if not s.unallocated]
    amounts: dict[str, dict[str, Decimal]] = {s.code: {} for s in sectors}
    for d in ctx.dataset.development_expenditure:
        if d.source == source and d.result and d.sector in amounts:
            amounts[d.sector][d.result] = amounts[d.sector].get(d.result, Decimal(0)) + d.amount
    specs: list[Spec] = [Series(s.short, amounts[s.code]) for s in sectors]
    items = ctx.result_items
    return TableView(
        "annex-12-results",
        text("report.annex.12.results"),
        ctx.unit("thousand"),
        text("report.stub.result"),
        columns(specs),
        rows(items, specs, text("report.row.total")),
        source,
    )
