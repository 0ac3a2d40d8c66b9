"""Rolling budget facts up along any dimensions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from rbm.domain.enums import Unit
from rbm.domain.finance import BudgetFact
from rbm.domain.money import convert

DIMENSIONS = ("phase", "year", "sector", "result", "cost_category", "union", "funding", "source")

Key = tuple[object, ...]


def rollup(
    facts: Iterable[BudgetFact], by: tuple[str, ...], unit: Unit = Unit.THOUSAND
) -> dict[Key, Decimal]:
    """The sum of `facts` (in `unit`) for each combination of the `by` dimensions' values.

    The caller chooses facts of one grain: summing a table's result rows together with its
    personnel/non-personnel rows would count the same money twice.
    """
    unknown = set(by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"not dimensions of a budget fact: {sorted(unknown)}")
    sums: dict[Key, Decimal] = defaultdict(Decimal)
    for fact in facts:
        sums[tuple(getattr(fact, d) for d in by)] += convert(fact.amount, fact.unit, unit)
    return dict(sums)
