"""Money is Decimal; units convert exactly, and rounding is half up as the source does."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from rbm.domain.enums import Unit

FACTORS: dict[Unit, Decimal] = {
    Unit.CHF: Decimal(1),
    Unit.KCHF: Decimal(1_000),
    Unit.MCHF: Decimal(1_000_000),
}


def convert(amount: Decimal, source: Unit, target: Unit) -> Decimal:
    """`amount` in `source` units expressed in `target` units, exactly."""
    if source == target:
        return amount
    return amount * FACTORS[source] / FACTORS[target]


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round as the source report does: 0.5 goes away from zero."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
