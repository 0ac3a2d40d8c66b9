"""What reconciliation reports: findings with two sides, their difference and a class."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from rbm.domain.enums import FigureUnit


class FindingClass(StrEnum):
    EXACT = "exact"
    ROUNDING = "rounding"  # within what rounding each printed figure can explain
    DIFFERENCE = "difference"  # a real difference


@dataclass(frozen=True)
class Side:
    """One of the two values compared: where it comes from and how it was obtained."""

    value: Decimal
    source: str
    how: str  # "published" (a printed figure), "facts" (a sum of stored facts), "computed"
    ref: str | None = None  # the published figure's id, or a description of the parts
    half: Decimal = Decimal(0)  # how far rounding of the printed inputs can move the value
    parts: int = 1  # how many figures the value adds up (a sum of parts, or one figure)


@dataclass(frozen=True)
class Finding:
    """One check: `check` names its kind; `subject` says what the two sides measure."""

    check: str
    subject: dict[str, str]
    left: Side
    right: Side
    unit: FigureUnit  # of both sides; money is in thousands of the dataset's currency
    klass: FindingClass
    note: str | None = None
    params: dict[str, str] = field(default_factory=dict)

    @property
    def difference(self) -> Decimal:
        return self.left.value - self.right.value


def classify(left: Side, right: Side, tolerance: Decimal | None = None) -> FindingClass:
    """Exact, within rounding (the sides' rounding bounds, or `tolerance` when given), or not."""
    diff = abs(left.value - right.value)
    if diff == 0:
        return FindingClass.EXACT
    bound = tolerance if tolerance is not None else left.half + right.half
    return FindingClass.ROUNDING if diff <= bound else FindingClass.DIFFERENCE


def half_unit(value: Decimal) -> Decimal:
    """Half of the last printed digit's unit: 214036 → 0.5, 976.4 → 0.05."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal(5).scaleb(-(places + 1))


@dataclass(frozen=True)
class Reconciliation:
    findings: tuple[Finding, ...]
    unchecked: tuple[str, ...]  # ids of published figures no check could recompute

    def count(self, klass: FindingClass) -> int:
        return sum(f.klass == klass for f in self.findings)

    def summary(self) -> dict[str, int]:
        return {
            "checks": len(self.findings),
            "exact": self.count(FindingClass.EXACT),
            "rounding": self.count(FindingClass.ROUNDING),
            "differences": self.count(FindingClass.DIFFERENCE),
            "unchecked": len(self.unchecked),
        }
