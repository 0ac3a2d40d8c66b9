"""A figure the source prints for one item of a table (a project's, a fund's or a total
line's), looked up by source, measure and item, in the unit the table prints."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.enums import FigureUnit, Unit
from rbm.domain.money import convert
from rbm.report.build.context import Context

MONEY = (FigureUnit.ONE, FigureUnit.THOUSAND, FigureUnit.MILLION)


def printed_value(
    ctx: Context, source: str, measure: str, item: str | None, unit: Unit | None = None
) -> Decimal | None:
    """The printed figure of `measure` for `item` (None or "" for a table's grand total),
    converted to `unit` when it is an amount; None when the source prints none."""
    for p in ctx.dataset.published_figures:
        if p.source == source and p.measure == measure and (p.item or "") == (item or ""):
            if unit is not None and p.unit in MONEY:
                return convert(p.value, Unit(p.unit.value), unit)
            return p.value
    return None
