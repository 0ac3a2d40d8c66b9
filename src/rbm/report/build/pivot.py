"""Tables that pivot stored facts: rows are the codes of one dimension, columns are
selections of facts (a phase, a year, a union...); totals and ratios are computed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.text import Text
from rbm.engine.finance.ratios import percent
from rbm.report.model import Column, NumberFormat, Row, Value

Amounts = dict[str, Decimal]  # row code → amount of one column


@dataclass(frozen=True)
class Series:
    """A column of numbers: its label, format and the amounts of each row code."""

    label: Text
    amounts: Amounts
    format: NumberFormat = "integer"


@dataclass(frozen=True)
class Ratio:
    """A column computed from two series per row: part ÷ whole as a percentage."""

    label: Text
    part: int
    whole: int
    format: NumberFormat = "percent"


Spec = Series | Ratio


def columns(specs: Sequence[Spec]) -> tuple[Column, ...]:
    return tuple(Column(s.label, s.format) for s in specs)


def _places(fmt: NumberFormat) -> int:
    return {"percent1": 1, "decimal1": 1, "decimal2": 2}.get(fmt, 0)


def values(specs: Sequence[Spec], amounts: Callable[[Series], Decimal | None]) -> tuple[Value, ...]:
    """A row's values: each series' amount, then ratios of those."""
    numbers: list[Decimal | None] = []
    for spec in specs:
        if isinstance(spec, Series):
            numbers.append(amounts(spec))
        else:
            part, whole = numbers[spec.part], numbers[spec.whole]
            ratio = (
                None
                if part is None or whole is None
                else percent(part, whole, _places(spec.format))
            )
            numbers.append(ratio)
    return tuple(numbers)


def rows(
    items: Iterable[tuple[str, Text]],
    specs: Sequence[Spec],
    total: Text | None = None,
    skip_empty: bool = True,
    levels: Mapping[str, int] | None = None,
) -> tuple[Row, ...]:
    """One row per (code, label) with an amount, and a computed total row; `levels` indents
    the rows of a hierarchy."""
    out = []
    for code, label in items:
        found = values(specs, lambda s, c=code: s.amounts.get(c))  # type: ignore[misc]
        if skip_empty and all(v is None for v in found):
            continue
        level = (levels or {}).get(code, 0)
        out.append(Row(label, found, level=level))
    if total is not None:
        sums = values(
            specs,
            lambda s: sum(s.amounts.values(), Decimal(0)) if s.amounts else None,
        )
        out.append(Row(total, sums, kind="total"))
    return tuple(out)


def depths(parents: Mapping[str, str | None]) -> dict[str, int]:
    """Each code's depth in a hierarchy given as code → parent."""
    out: dict[str, int] = {}
    for code in parents:
        depth, parent = 0, parents[code]
        while parent is not None and depth < len(parents):
            depth, parent = depth + 1, parents.get(parent)
        out[code] = depth
    return out
