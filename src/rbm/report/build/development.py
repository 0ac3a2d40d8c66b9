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
from rbm.report.build.lines import TOTAL, Figures, Line, Printed, Spec_
from rbm.report.build.lines import columns as line_columns
from rbm.report.build.lines import rows as line_rows
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
        if d.source == source and d.sector is not None and d.result is None
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
    ctx: Context,
    source: str,
    table_id: str,
    split: str | None = None,
    label: Text | None = None,
    difference: bool = False,
) -> TableView:
    """Development expenditure by sector per phase; with `split` (an item's code), the rest
    and that item in columns of their own before the total; with `difference`, expenditure
    less the budget for each. Totals and differences as the source prints them, and lines
    outside the sectors (e.g. trust funds) below."""
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
    out_columns = columns(specs)
    if difference:
        body, added = _differences(ctx, source, body, codes, choices, split, rest, label or name)
        out_columns = (*out_columns, *added)
    return TableView(
        table_id,
        text("report.table.7"),
        ctx.unit("thousand"),
        text("report.stub.sector"),
        out_columns,
        tuple(body),
        source,
    )


def _differences(
    ctx: Context,
    source: str,
    body: list[Row],
    codes: list[str],
    choices: tuple[tuple[str, bool | None], ...],
    split: str | None,
    rest: str | None,
    name: Text,
) -> tuple[list[Row], tuple[Column, ...]]:
    """A column per split column: expenditure less the budget (P&B), as the source prints
    it where it does; the rows outside the sectors have none."""
    added = tuple(
        Column(text(f"report.column.dev_{key}", phase=text("report.column.difference"), item=name))
        for key, _ in choices
    )
    out = []
    for i, row in enumerate(body):
        sector = codes[i] if i < len(codes) else None
        if row.kind != "total" and sector is None:
            out.append(replace(row, values=(*row.values, *(None,) * len(choices))))
            continue
        found: list[Value] = []
        for j, (_, inside) in enumerate(choices):
            item = None if inside is None else (split if inside else rest)
            dims: dict[str, object] = {} if item is None else {"item": item}
            if sector is not None:
                dims["sector"] = sector
            fig = ctx.printed.get(
                (source, "development_expenditure_difference", None, grain_key(dims), None)
            )
            spent, budget = row.values[len(choices) + j], row.values[j]
            if fig is not None:
                found.append(fig.amount)
            elif isinstance(spent, Decimal) or isinstance(budget, Decimal):
                # a nil beside a figure counts as nothing
                found.append(_amount(spent) - _amount(budget))
            else:
                found.append(None)
        out.append(replace(row, values=(*row.values, *found)))
    return out, added


def _amount(value: Value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(0)


def development_share(
    ctx: Context, source: str, table_id: str, difference: bool = False
) -> TableView:
    """Development expenditure as a share of the total budget (P&B) and of expenditure;
    with `difference`, the second less the first (as the source prints it where it does)."""
    found = []
    shares: list[Decimal | None] = []
    for phase, measure in ((BudgetPhase.APPROVED, "budget"), (BudgetPhase.EXECUTED, "expenditure")):
        total = sum(_by_sector(ctx, source, phase).values(), Decimal(0))
        whole = ctx.headline(measure)
        shares.append(percent(total, whole, 1) if whole else None)
        found.append(Row(text(f"report.row.dev_share_{measure}"), (shares[-1],)))
    if difference:
        fig = ctx.printed.get((source, "development_share", None, (), None))
        budget, spent = shares
        computed = None if budget is None or spent is None else spent - budget
        value = fig.figure.value if fig is not None else computed
        found.append(Row(text("report.row.dev_share_difference"), (value,)))
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
    """Development expenditure by expected result × sector, with each result's total and
    each sector's, as the source prints them where it does."""
    sectors = [s for s in ctx.dataset.sectors if not s.unallocated]
    amounts: dict[str, dict[str, Decimal]] = {s.code: {} for s in sectors}
    for d in ctx.dataset.development_expenditure:
        if d.source == source and d.result and d.sector in amounts:
            amounts[d.sector][d.result] = amounts[d.sector].get(d.result, Decimal(0)) + d.amount

    def printed(dims: dict[str, object]) -> Printed | None:
        fig = ctx.printed.get(
            (source, "development_expenditure", "executed", grain_key(dims), None)
        )
        return None if fig is None else Printed(fig.amount)

    specs: list[Spec_] = []
    together: dict[str, Decimal] = {}
    for s in sectors:
        column = amounts[s.code]
        for code, amount in column.items():
            together[code] = together.get(code, Decimal(0)) + amount
        found = printed({"sector": s.code})
        specs.append(
            Figures(
                s.short,
                {**column, TOTAL: sum(column.values(), Decimal(0))},
                {} if found is None else {TOTAL: found},
            )
        )
    by_result = {
        code: fig for code, _ in ctx.result_items if (fig := printed({"result": code})) is not None
    }
    whole = printed({})
    specs.append(
        Figures(
            text("report.column.total"),
            {**together, TOTAL: sum(together.values(), Decimal(0))},
            {**by_result, **({} if whole is None else {TOTAL: whole})},
        )
    )
    items = [Line(label, code) for code, label in ctx.result_items]
    body = line_rows([*items, Line(text("report.row.total"), TOTAL, "total")], specs, {})
    return TableView(
        "development-by-result",
        text("report.annex.12.results"),
        ctx.unit("thousand"),
        text("report.stub.result"),
        line_columns(specs),
        tuple(r for r in body if r.kind == "total" or any(v is not None for v in r.values)),
        source,
    )
