"""Money is Decimal; units convert exactly, and rounding is half up as the source does."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from rbm.domain.enums import FigureUnit, Unit

FACTORS: dict[Unit, Decimal] = {
    Unit.ONE: Decimal(1),
    Unit.THOUSAND: Decimal(1_000),
    Unit.MILLION: Decimal(1_000_000),
}

# what a scale puts before the currency's code when a unit is printed: "kEUR"
_PREFIXES: dict[str, str] = {Unit.ONE: "", Unit.THOUSAND: "k", Unit.MILLION: "M"}


def unit_label(unit: Unit | FigureUnit, currency: str) -> str:
    """A unit as packages and outputs print it: the scale's prefix and the ISO code of the
    currency (`EUR`, `kEUR`, `MEUR`); `percent` and `count` as they are."""
    prefix = _PREFIXES.get(unit.value)
    return unit.value if prefix is None else prefix + currency


def convert(amount: Decimal, source: Unit, target: Unit) -> Decimal:
    """`amount` in `source` units expressed in `target` units, exactly."""
    if source == target:
        return amount
    return amount * FACTORS[source] / FACTORS[target]


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round as the source report does: 0.5 goes away from zero."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
