"""Budget tables from a specification: rows are the members of a dimension, columns are a
phase at a grain (or the members of another dimension), each cell found by its grain."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rbm.domain.enums import BudgetPhase
from rbm.domain.text import Text
from rbm.engine.finance.grain import ALLOCATED, ANY
from rbm.engine.finance.ratios import percent
from rbm.i18n import text
from rbm.report.build.context import Context
from rbm.report.build.spec import Spec, members, short_label, spec_text
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
    printed: bool = True  # a derived column prints the source's figure where it has one
    above: Decimal | None = None  # a percentage over this prints as ">above%"


def budget_table(ctx: Context, b: Spec) -> TableView | None:
    """The table a `budget_table` block describes; None when it has no figure."""
    specs = _columns(ctx, b)
    scale = Decimal(SCALES[b.get("unit", "thousand")]) / 1000
    rows: list[Row] = []
    if isinstance(b.get("rows"), list):
        dimension = str(b.get("stub", "line"))
        for line in b.get("rows"):
            rows.append(_line(ctx, b, specs, line, scale))
    else:
        dimension = str(b.get("rows"))
        for code, label, level in members(ctx, dimension, b.get("levels")):
            values = _values(ctx, b, specs, {dimension: code}, scale)
            if all(v is None for v in values):
                continue
            rows.append(Row(label, values, level=level))
    if not rows:
        return None
    if b.get("total", True):
        label = b.text("total_label") or text("report.row.total")
        rows.append(Row(label, _total(ctx, b, specs, rows, scale), "total"))
    rows.extend(_line(ctx, b, specs, line, scale) for line in b.get("lines", []))
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
        label = b.fill(spec_text(raw["label"])) if "label" in raw else None
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
            printed=raw.get("printed", True),
            above=None if raw.get("above") is None else Decimal(str(raw["above"])),
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


def _line(
    ctx: Context, b: Spec, specs: list[ColumnSpec], line: dict[str, Any], scale: Decimal
) -> Row:
    """An explicit line: its own label and grain; a heading has no figures."""
    label = b.fill(spec_text(line["label"]))
    kind = line.get("row", "data")
    if kind == "heading":
        return Row(label, (None,) * len(specs), "heading", line.get("level", 0))
    grain: dict[str, object] = {k: b.fill_id(str(v)) for k, v in line.get("filter", {}).items()}
    if line.get("allocated"):
        grain[ALLOCATED] = ANY
    return Row(label, _values(ctx, b, specs, grain, scale), kind, line.get("level", 0))


def _empty_member(ctx: Context, b: Spec, phase: BudgetPhase, dim: str, code: str) -> bool:
    return ctx.cube.cell(phase, {**b.filter(), dim: code}, b.prefer, only=True).value is None


def _total(
    ctx: Context, b: Spec, specs: list[ColumnSpec], rows: list[Row], scale: Decimal
) -> tuple[Value, ...]:
    """The total row: the members' total as the source prints it (a total that leaves out
    the unallocated lines, or the table's whole when it agrees with its rows up to
    rounding), else the sum of the top-level rows."""
    top = [r for r in rows if r.level == 0]
    numbers: list[Decimal | None] = []
    allocated = False  # the total is printed without the unallocated lines
    for i, spec in enumerate(specs):
        dims = {**b.filter(), **dict(spec.grain)}
        if spec.phase is None:
            grain = {**dims, ALLOCATED: ANY} if allocated else dims
            numbers.append(_derived(ctx, b, spec, numbers, grain, scale))
            continue
        found = [v for r in top if isinstance(v := r.values[i], Decimal)]
        summed = sum(found, Decimal(0)) if found else None
        measure = "expenditure" if spec.phase == BudgetPhase.EXECUTED else "budget"
        members = ctx.printed_figure(b.prefer, measure, spec.phase.value, {**dims, ALLOCATED: ANY})
        whole = ctx.printed_figure(b.prefer, measure, spec.phase.value, dims)
        if members is not None:
            allocated = True
            numbers.append(members.amount / scale)
        elif whole is not None and (
            summed is None or abs(whole.amount / scale - summed) <= Decimal("0.5") * len(found)
        ):
            numbers.append(whole.amount / scale)
        else:
            numbers.append(summed)
    return _capped(specs, numbers)


def _values(
    ctx: Context, b: Spec, specs: list[ColumnSpec], grain: dict[str, object], scale: Decimal
) -> tuple[Value, ...]:
    numbers: list[Decimal | None] = []
    for spec in specs:
        if spec.phase is not None:
            numbers.append(_cell(ctx, b, spec, grain, scale))
        else:
            numbers.append(_derived(ctx, b, spec, numbers, {**b.filter(), **grain}, scale))
    return _capped(specs, numbers)


def _capped(specs: list[ColumnSpec], numbers: list[Decimal | None]) -> tuple[Value, ...]:
    """Percentages over a column's cap print as the source does (">100%")."""
    return tuple(
        Text.plain(f">{spec.above:f}%")
        if spec.above is not None and value is not None and value > spec.above
        else value
        for spec, value in zip(specs, numbers, strict=True)
    )


def _derived(
    ctx: Context,
    b: Spec,
    spec: ColumnSpec,
    numbers: list[Decimal | None],
    dims: dict[str, object],
    scale: Decimal,
) -> Decimal | None:
    """A ratio or a difference of earlier columns, as the source prints it where it does;
    shares are filled once the total row is known."""
    if spec.ratio is not None:
        printed = _printed(ctx, b, "utilization", dims) if spec.printed else None
        if printed is not None:
            return printed
        part, whole = numbers[spec.ratio[0]], numbers[spec.ratio[1]]
        if part is None or whole is None or part == 0:  # nothing spent prints nil
            return None
        return percent(part, whole, PLACES.get(spec.format, 0))
    if spec.difference is not None:
        printed = _printed(ctx, b, "variance", dims)
        if printed is not None:
            return printed / scale
        left, right = numbers[spec.difference[0]], numbers[spec.difference[1]]
        return None if left is None or right is None else left - right
    return None


def _cell(
    ctx: Context, b: Spec, spec: ColumnSpec, grain: dict[str, object], scale: Decimal
) -> Decimal | None:
    """The stored figure at the cell's grain (a fact, or a total the source prints), else the
    rollup of the facts below it."""
    assert spec.phase is not None
    dims = {**b.filter(), **dict(spec.grain), **grain}
    plain = {k: v for k, v in dims.items() if k != ALLOCATED}
    without = {"sector": ctx.unallocated} if ALLOCATED in dims else None
    cell = ctx.cube.cell(spec.phase, plain, b.prefer, only=True, without=without)
    if cell.how != "stored":
        measure = "expenditure" if spec.phase == BudgetPhase.EXECUTED else "budget"
        printed = ctx.printed_figure(b.prefer, measure, spec.phase.value, dims)
        if printed is not None:
            return printed.amount / scale
    return None if cell.value is None else cell.value / scale


def _printed(ctx: Context, b: Spec, measure: str, dims: dict[str, object]) -> Decimal | None:
    """A derived figure (a utilization, a variance) as the source prints it at `dims`, in
    its own unit (percent, or thousands of the currency)."""
    fig = ctx.printed_figure(b.prefer, measure, None, dims)
    if fig is None:
        return None
    return fig.figure.value if fig.unit == "percent" else fig.amount


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
    facts = ctx.dataset.all_budget_facts
    return list(dict.fromkeys(f.source for f in facts))[:3]
