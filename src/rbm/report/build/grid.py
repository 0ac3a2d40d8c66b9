"""Budget tables from a specification: rows are the members of a dimension, columns are a
phase at a grain (or the members of another dimension), each cell found by its grain."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rbm.domain.enums import BudgetPhase
from rbm.domain.text import Text
from rbm.engine.finance.ratios import percent
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.build.spec import Spec, members, short_label
from rbm.report.model import Column, NumberFormat, Row, TableView, Value

PLACES: dict[str, int] = {"percent1": 1, "decimal1": 1, "decimal2": 2}
SCALES = {"one": "1", "thousand": "1000", "million": "1000000"}


@dataclass(frozen=True)
class ColumnSpec:
    label: Text
    format: NumberFormat
    phase: BudgetPhase | None = None
    grain: tuple[tuple[str, object], ...] = ()
    ratio: tuple[int, int] | None = None
    difference: tuple[int, int] | None = None
    share: int | None = None


def budget_table(ctx: Context, b: Spec) -> TableView | None:
    """The table a `budget_table` block describes; None when it has no figure."""
    dimension = str(b.get("rows"))
    specs = _columns(ctx, b)
    scale = Decimal(SCALES[b.get("unit", "thousand")]) / 1000
    rows: list[Row] = []
    for code, label, level in members(ctx, dimension, b.get("levels")):
        values = _values(ctx, b, specs, {dimension: code}, scale)
        if all(v is None for v in values):
            continue
        rows.append(Row(label, values, level=level))
    if not rows:
        return None
    if b.get("total", True):
        rows.append(Row(text("report.row.total"), _values(ctx, b, specs, {}, scale), "total"))
    rows = _shares(specs, rows)
    return TableView(
        b.id(f"table-{dimension}"),
        b.text("title") or text(f"report.grid.by_{dimension}"),
        ctx.unit(b.get("unit", "thousand")),
        text(f"report.stub.{dimension}"),
        tuple(Column(s.label, s.format) for s in specs),
        tuple(rows),
        b.source or ", ".join(_sources(ctx, b)),
    )


def _columns(ctx: Context, b: Spec) -> list[ColumnSpec]:
    fmt: NumberFormat = b.get("format", "integer")
    across = b.get("across")
    if across is not None:
        phase = BudgetPhase(b.get("phase"))
        out = [
            ColumnSpec(short_label(ctx, across, code, label), fmt, phase, ((across, code),))
            for code, label, _ in members(ctx, across, 1 if across == "cost_category" else None)
            if not _empty_member(ctx, b, phase, across, code)
        ]
        if b.get("total_column", True):
            out.append(ColumnSpec(text("report.column.total"), fmt, phase))
        return out
    out = []
    for raw in b.get("columns"):
        label = b.fill(Text(raw["label"]["zh"], raw["label"]["en"])) if "label" in raw else None
        out.append(_column(raw, label, fmt, b))
    return out


def _column(raw: dict[str, Any], label: Text | None, fmt: NumberFormat, b: Spec) -> ColumnSpec:
    if "phase" in raw:
        phase = BudgetPhase(raw["phase"])
        grain = tuple((k, b.fill_id(str(v))) for k, v in raw.get("filter", {}).items())
        return ColumnSpec(
            label or text(f"report.column.phase.{phase.value}"),
            raw.get("format", fmt),
            phase,
            grain,
        )
    if "ratio" in raw:
        return ColumnSpec(
            label or text("report.column.utilization"),
            raw.get("format", "percent"),
            ratio=(raw["ratio"][0], raw["ratio"][1]),
        )
    if "difference" in raw:
        left, right = raw["difference"]
        return ColumnSpec(
            label or text("report.column.variance"),
            raw.get("format", fmt),
            difference=(left, right),
        )
    return ColumnSpec(
        label or text("report.column.share"), raw.get("format", "percent1"), share=raw["share"]
    )


def _empty_member(ctx: Context, b: Spec, phase: BudgetPhase, dim: str, code: str) -> bool:
    return ctx.cube.cell(phase, {**b.filter(), dim: code}, b.prefer).value is None


def _values(
    ctx: Context, b: Spec, specs: list[ColumnSpec], grain: dict[str, object], scale: Decimal
) -> tuple[Value, ...]:
    numbers: list[Decimal | None] = []
    for spec in specs:
        if spec.phase is not None:
            numbers.append(_cell(ctx, b, spec, grain, scale))
        elif spec.ratio is not None:
            part, whole = numbers[spec.ratio[0]], numbers[spec.ratio[1]]
            numbers.append(
                None
                if part is None or whole is None
                else percent(part, whole, PLACES.get(spec.format, 0))
            )
        elif spec.difference is not None:
            left, right = numbers[spec.difference[0]], numbers[spec.difference[1]]
            numbers.append(None if left is None or right is None else left - right)
        else:
            numbers.append(None)  # shares are filled once the total row is known
    return tuple(numbers)


def _cell(
    ctx: Context, b: Spec, spec: ColumnSpec, grain: dict[str, object], scale: Decimal
) -> Decimal | None:
    """The stored figure at the cell's grain (a fact, or a total the source prints), else the
    rollup of the facts below it."""
    assert spec.phase is not None
    dims = {**b.filter(), **dict(spec.grain), **grain}
    cell = ctx.cube.cell(spec.phase, dims, b.prefer)
    if cell.how != "stored":
        printed = ctx.printed_figure(b.prefer, spec.phase, dims)
        if printed is not None:
            return printed.amount / scale
    return None if cell.value is None else cell.value / scale


def _shares(specs: list[ColumnSpec], rows: list[Row]) -> list[Row]:
    """Share columns: each row's value as a percentage of the total row's."""
    if not any(s.share is not None for s in specs) or rows[-1].kind != "total":
        return rows
    total = rows[-1].values
    out = []
    for row in rows:
        values = list(row.values)
        for i, spec in enumerate(specs):
            if spec.share is None:
                continue
            part, whole = row.values[spec.share], total[spec.share]
            if isinstance(part, Decimal) and isinstance(whole, Decimal):
                values[i] = percent(part, whole, PLACES.get(spec.format, 0))
        out.append(Row(row.label, tuple(values), row.kind, row.level, row.notes))
    return out


def _sources(ctx: Context, b: Spec) -> list[str]:
    facts = ctx.dataset.budget_facts
    return list(dict.fromkeys(f.source for f in facts))[:3]
