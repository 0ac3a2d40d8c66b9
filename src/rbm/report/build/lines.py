"""Tables of explicit lines: a specification lists the lines a source prints, each the item
whose figures it shows (a financial line, an income category, a demand measure), a heading,
a subtotal or the total, with the source's own label; figures as the source prints them at
the line's unit where it does, else as stored or computed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any, Literal

from rbm.domain.enums import FootnoteScope, Unit
from rbm.domain.finance import PublishedFigure
from rbm.domain.money import convert
from rbm.domain.text import Text
from rbm.engine.finance.ratios import percent
from rbm.report.build.context import Context
from rbm.report.build.spec import Spec, spec_text
from rbm.report.model import Column, Note, NumberFormat, Row, RowKind, TableView, Value

TOTAL = ""  # the item of a table's total line
PLACES: dict[str, int] = {"percent1": 1, "decimal1": 1, "decimal2": 2}
# a money unit's size in thousands of the currency (the unit figures are compared in)
SIZES = {"one": Decimal("0.001"), "thousand": Decimal(1), "million": Decimal(1000)}
FIGURE_UNITS = {
    Unit.ONE.value: "one",
    Unit.THOUSAND.value: "thousand",
    Unit.MILLION.value: "million",
}


@dataclass(frozen=True)
class Line:
    """A line of the table: the item it prints (None: a heading), its kind, indentation, the
    unit it prints in when not the table's, and the footnotes it cites (their ids)."""

    label: Text | None
    item: str | None
    kind: RowKind = "data"
    level: int = 0
    unit: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Printed:
    """A figure the source prints: in thousands for money, and the unit it is printed in."""

    amount: Decimal
    unit: str | None = None


@dataclass(frozen=True)
class Figures:
    """A column of figures by item: stored or computed (thousands of the currency for
    money), and those the source prints, which win at the unit they are printed in."""

    label: Text
    computed: Mapping[str, Decimal]
    printed: Mapping[str, Printed] = field(default_factory=dict)
    format: NumberFormat = "integer"
    group: Text | None = None


@dataclass(frozen=True)
class Derived:
    """A column of two earlier ones: `left` as a percentage of `right`, or `left` − `right`;
    the source's printed figure wins, and with `only_printed` a line without one is nil."""

    label: Text
    how: Literal["ratio", "difference"]
    left: int
    right: int
    printed: Mapping[str, Decimal] = field(default_factory=dict)
    only_printed: bool = False
    format: NumberFormat = "percent"
    group: Text | None = None


Spec_ = Figures | Derived


def parse(b: Spec, key: str = "items") -> list[Line] | None:
    """The block's lines: each entry an item's code, or a line with its own label, item,
    `row` kind, `level`, `unit` and `notes`; None when the block lists none."""
    raw = b.get(key)
    if raw is None:
        return None
    return [_line(b, entry) for entry in raw]


def _line(b: Spec, entry: str | Mapping[str, Any]) -> Line:
    if isinstance(entry, str):
        return Line(None, entry)
    kind: RowKind = entry.get("row", "data")
    item = entry.get("item")
    if item is None and kind == "total":
        item = TOTAL
    return Line(
        b.fill(spec_text(entry["label"])) if "label" in entry else None,
        None if kind == "heading" else item,
        kind,
        int(entry.get("level", 0)),
        entry.get("unit"),
        # the footnotes a line cites print with the block's footnotes only
        tuple(entry.get("notes", ())) if b.get("footnotes") else (),
    )


def printed_figures(
    ctx: Context,
    source: str,
    measure: str,
    phase: str | None,
    year: int | None = None,
    union: str | None = None,
    unions: bool = False,
) -> dict[str, Printed]:
    """The figures of one measure a source prints by item (TOTAL for the whole), at one
    year (None: the period) and union (None: every union together); with `unions`, every
    union's, by "union:item"."""
    out: dict[str, Printed] = {}
    for f in ctx.printed.values():
        p = f.figure
        if p.source != source or p.measure != measure or p.phase != phase:
            continue
        if p.year != year or (p.union != union and not unions) or _other_dims(p):
            continue
        amount = p.value if f.unit == "percent" else f.amount
        key = f"{p.union}:{p.item or TOTAL}" if p.union and unions else (p.item or TOTAL)
        out.setdefault(key, Printed(amount, FIGURE_UNITS.get(str(p.unit))))
    return out


def _other_dims(p: PublishedFigure) -> bool:
    return bool(p.sector or p.result or p.cost_category or p.excludes)


def ratios(printed: Mapping[str, Printed]) -> dict[str, Decimal]:
    """Printed percentages by item."""
    return {k: v.amount for k, v in printed.items()}


def rows(
    lines: Sequence[Line],
    specs: Sequence[Spec_],
    names: Mapping[str, Text],
    unit: str | None = None,
) -> tuple[Row, ...]:
    """One row per line; money in the table's `unit` (None: counts, printed as they are)."""
    out = []
    for line in lines:
        label = line.label or names.get(line.item or "", Text.plain(line.item or ""))
        if line.item is None:
            out.append(Row(label, (None,) * len(specs), "heading", line.level, line.notes))
            continue
        out.append(
            Row(label, values(line, specs, line.unit or unit), line.kind, line.level, line.notes)
        )
    return tuple(out)


def values(line: Line, specs: Sequence[Spec_], unit: str | None) -> tuple[Value, ...]:
    """A line's figures: printed at its unit where the source prints them, else computed;
    then the derived columns."""
    item = line.item or TOTAL
    size = SIZES[unit] if unit else Decimal(1)
    numbers: list[Decimal | None] = []
    for spec in specs:
        if isinstance(spec, Figures):
            found = spec.printed.get(item)
            if found is not None and (unit is None or found.unit in (None, unit)):
                numbers.append(found.amount / size)
            else:
                amount = spec.computed.get(item)
                numbers.append(None if amount is None else amount / size)
            continue
        numbers.append(_derived(spec, item, numbers))
    return tuple(numbers)


def _derived(spec: Derived, item: str, numbers: list[Decimal | None]) -> Decimal | None:
    if item in spec.printed or spec.only_printed:
        return spec.printed.get(item)
    left, right = numbers[spec.left], numbers[spec.right]
    if spec.how == "difference":  # a nil beside a figure counts as nothing
        if left is None and right is None:
            return None
        return (left or Decimal(0)) - (right or Decimal(0))
    if left is None or right is None:
        return None
    return percent(left, right, PLACES.get(spec.format, 0))


def columns(specs: Sequence[Spec_]) -> tuple[Column, ...]:
    return tuple(Column(s.label, s.format, s.group) for s in specs)


def in_thousands(amount: Decimal, unit: Unit) -> Decimal:
    return convert(amount, unit, Unit.THOUSAND)


def footnoted(ctx: Context, table: TableView) -> TableView:
    """The table with the footnotes the package attaches to its source as notes: those its
    rows cite numbered as the source numbers them, every other one ("n1", "n2"…) after; a
    row's citation of a footnote the package lacks is dropped."""
    found = [
        f
        for f in ctx.dataset.footnotes
        if f.scope == FootnoteScope.SOURCE and f.ref == table.source
    ]
    cited = {n for row in table.rows for n in row.notes}
    ids: dict[str, str] = {}
    for f in found:
        if f.id in cited and f.number is not None and str(f.number) not in ids.values():
            ids[f.id] = str(f.number)
    general = [f for f in found if f.id not in ids]
    ids.update({f.id: f"n{i}" for i, f in enumerate(general, start=1)})
    ordered = sorted(found, key=lambda f: (f.id not in cited, found.index(f)))
    notes = tuple(Note(ids[f.id], f.text) for f in ordered)
    own = {note.id for note in table.notes}  # notes the builder made keep their ids
    rows_ = tuple(
        replace(r, notes=tuple(ids.get(n, n) for n in r.notes if n in ids or n in own))
        for r in table.rows
    )
    return replace(table, rows=rows_, notes=(*notes, *table.notes))


def headed(table: TableView, b: Spec) -> TableView:
    """The table with the column headers the specification gives (`headers`, in order, as
    the source prints them); columns it gives none for keep theirs."""
    given = [b.fill(spec_text(h)) for h in b.get("headers") or ()]
    if not given:
        return table
    found = tuple(
        replace(c, label=given[i]) if i < len(given) else c for i, c in enumerate(table.columns)
    )
    return replace(table, columns=found)
