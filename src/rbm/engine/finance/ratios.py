"""Utilization, variance and shares, as the report computes them (rounded half up)."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.money import round_half_up

HUNDRED = Decimal(100)


def percent(part: Decimal, whole: Decimal, places: int = 0) -> Decimal | None:
    """`part` as a percentage of `whole`, rounded half up; None when `whole` is zero."""
    if whole == 0:
        return None
    value = round_half_up(part / whole * HUNDRED, places)
    return abs(value) if value == 0 else value  # no "-0.0%"


def utilization(expenditure: Decimal, budget: Decimal) -> Decimal | None:
    """Expenditure as a whole percentage of the budget (final budget unless a table says P&B)."""
    return percent(expenditure, budget)


def variance(budget: Decimal, expenditure: Decimal) -> Decimal:
    """Annex IV's variance: what is left of the budget."""
    return budget - expenditure


def percent_range(
    part: Decimal, part_half: Decimal, whole: Decimal, whole_half: Decimal, places: int = 0
) -> tuple[Decimal, Decimal] | None:
    """The rounded percentages that inputs known to ± their half units can give."""
    low_whole, high_whole = whole - whole_half, whole + whole_half
    if low_whole <= 0 <= high_whole:
        return None
    ratios = [
        (part + dp) / (whole + dw) * HUNDRED
        for dp in (-part_half, part_half)
        for dw in (-whole_half, whole_half)
    ]
    return round_half_up(min(ratios), places), round_half_up(max(ratios), places)
