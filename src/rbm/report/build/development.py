"""Development expenditure and the development share."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from rbm.domain.enums import BudgetPhase
from rbm.domain.text import Text
from rbm.engine.finance.ratios import percent
from rbm.engine.reconcile.facts import item_code
from rbm.i18n import text
from rbm.report.build.context import Context, grain_key
from rbm.report.build.pivot import Series, Spec, columns, rows
from rbm.report.model import Column, Row, TableView, Value


def _by_sector(
    ctx: Context, source: str, phase: BudgetPhase, split: str | None = None, inside: bool = True
) -> dict[str, Decimal]:
    """Development expenditure of each sector: all of it, or with `split` the item of that
    code (`inside`) or the rest."""
    out: dict[str, Decimal] = {}
    for d in ctx.dataset.development_expenditure:
        if d.source != source or d.phase != phase or d.sector is None or d.result is not None:
            continue
        if split is not None and (item_code(d.item) == split) != inside:
            continue
        out[d.sector] = out.get(d.sector, Decimal(0)) + d.amount
    return out


def _split_items(ctx: Context, source: str, split: str) -> tuple[Text, str | None]:
    """The split item's name, and the code of the rest when the rest is one item."""
    names = {
        item_code(d.item): d.item
        for d in ctx.dataset.development_expenditure
        if d.source == source and d.sector is not None
    }
    rest = [code for code in names if code != split]
    return names.get(split, Text.plain(split)), rest[0] if len(rest) == 1 else None


def _outside(ctx: Context, source: str) -> str | None:
    """The items of the lines outside the sectors (which a printed total leaves out)."""
    found = sorted(
        {
            item_code(d.item)
            for d in ctx.dataset.development_expenditure
            if d.source == source and d.sector is None and d.result is None
        }
    )
    return ", ".join(found) or None


def table_7(
    ctx: Context, source: str, table_id: str, split: str | None = None, label: Text | None = None
) -> TableView:
    """Development expenditure by sector per phase; with `split` (an item's code), the rest
    and that item in columns of their own before the total. Totals as the source prints
    them, and lines outside the sectors (e.g. trust funds) below."""
    specs: list[Spec] = []
    kinds: list[tuple[BudgetPhase, bool | None]] = []  # each column's phase, inside the split
    name, rest = _split_items(ctx, source, split) if split else (Text(), None)
    choices: tuple[tuple[str, bool | None], ...] = (
        (("without", False), ("with", True), ("total", None)) if split else (("total", None),)
    )
    for phase in (BudgetPhase.APPROVED, BudgetPhase.EXECUTED):
        for key, inside in choices:
            heading = text(
                f"report.column.dev_{key}",
                phase=text(f"report.column.phase.{phase.value}"),
                item=label or name,
            )
            amounts = (
                _by_sector(ctx, source, phase)
                if inside is None
                else _by_sector(ctx, source, phase, split, inside)
            )
            specs.append(Series(heading, amounts))
            kinds.append((phase, inside))
    items = [(s.code, s.name) for s in ctx.dataset.sectors]
    body = list(rows(items, specs, text("report.row.total")))
    series = [s for s in specs if isinstance(s, Series)]
    codes = [code for code, _ in items if any(code in s.amounts for s in series)]
    for i, row in enumerate(body):
        values = list(row.values)
        for j, (phase, inside) in enumerate(kinds):
            if row.kind == "total":
                item = None if inside is None else (split if inside else rest)
                if inside is not None and item is None:
                    continue
                dims: dict[str, object] = {} if item is None else {"item": item}
                excludes = _outside(ctx, source) if inside is None else None
            elif inside is None:
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
            line[kinds.index((d.phase, False if split else None))] = d.amount
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
        total = sum(_by_sector(ctx, source, phase).values(), Decimal(0))
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
        "development-by-result",
        text("report.annex.12.results"),
        ctx.unit("thousand"),
        text("report.stub.result"),
        columns(specs),
        rows(items, specs, text("report.row.total")),
        source,
    )
