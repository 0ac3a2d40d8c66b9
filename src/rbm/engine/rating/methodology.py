"""The rating methodology: settings of the package (its `rbm.rating` block), not constants.

    achievement (percent of target)   rating
    >= fully_at (default 100)         fully achieved       完全实现
    >= partially_at (default 60)      partially achieved   部分实现
    below partially_at                not achieved         未实现
    cannot be computed                not assessable       无法评估
    indicator no longer used          discontinued         终止

`methodology_of(settings)` reads a package's methodology; a key it does not set keeps the
default of `Methodology` (the generic bands above).

Bands printed in whole percents ("100%", "60% to 99%", "below 60%") leave 99–100% (and
59–60%) open. `places` closes the gap: the achievement is rounded half up to that many
decimal places before it is compared with the bands, so with the default 0 99.5% counts as
100% (fully) and 59.5% as 60% (partially); `places=None` compares the exact value, so
anything below 100% is at most partially achieved.

>>> from decimal import Decimal
>>> rate(Decimal("99.5"), Methodology())
<Rating.FULLY: 'fully'>
>>> rate(Decimal("99.5"), Methodology(places=None))
<Rating.PARTIALLY: 'partially'>
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from rbm.domain.enums import Rating
from rbm.domain.money import round_half_up
from rbm.domain.settings import FULLY_AT, PARTIALLY_AT, Settings


class ThresholdBasis(StrEnum):
    """How a threshold target (≥ x, ≤ x) turns into an achievement."""

    RATIO = "ratio"  # actual ÷ threshold (threshold ÷ actual when lower is better)
    PROGRESS = "progress"  # progress from the baseline toward the threshold, when it starts short


class PerYear(StrEnum):
    """How the per-year achievements of one per_year target combine."""

    MINIMUM = "minimum"  # the weakest year decides
    MEAN = "mean"  # the average of the years


class NotComparable(StrEnum):
    """What a "not comparable" footnote on a PIE or its indicator does to the rating."""

    BASELINE = "baseline"  # not assessable when the formula compares with the baseline
    ALL = "all"  # not assessable whatever the formula
    IGNORE = "ignore"  # rated as if the footnote were not there


@dataclass(frozen=True, slots=True)
class Methodology:
    """The settings of the rating: the bands, rounding, and the choices each formula leaves."""

    fully_at: Decimal = FULLY_AT
    partially_at: Decimal = PARTIALLY_AT
    places: int | None = 0
    threshold_basis: ThresholdBasis = ThresholdBasis.RATIO
    per_year: PerYear = PerYear.MINIMUM
    not_comparable: NotComparable = NotComparable.BASELINE

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.partially_at <= self.fully_at:
            raise ValueError("need 0 <= partially_at <= fully_at")
        if self.places is not None and self.places < 0:
            raise ValueError("places must be 0 or more")

    def rounded(self, percent: Decimal) -> Decimal:
        """The achievement as the bands see it."""
        return percent if self.places is None else round_half_up(percent, self.places)

    @property
    def display_places(self) -> int:
        """Decimal places shown in explanations: the rating's, or 2 when it compares exactly."""
        return 2 if self.places is None else self.places

    def to_dict(self) -> dict[str, object]:
        return {
            "fully_at": str(self.fully_at),
            "partially_at": str(self.partially_at),
            "places": self.places,
            "threshold_basis": self.threshold_basis.value,
            "per_year": self.per_year.value,
            "not_comparable": self.not_comparable.value,
        }


def rate(percent: Decimal, methodology: Methodology) -> Rating:
    """The rating of an achievement (a percent of the target)."""
    value = methodology.rounded(percent)
    if value >= methodology.fully_at:
        return Rating.FULLY
    if value >= methodology.partially_at:
        return Rating.PARTIALLY
    return Rating.NOT_ACHIEVED


def methodology_of(settings: Settings) -> Methodology:
    """The methodology a package's settings give (checked when the package was read); each
    key they leave out keeps its default.

    >>> m = methodology_of(Settings(rating={"partially_at": Decimal(75), "places": None}))
    >>> m.fully_at, m.partially_at, m.places
    (Decimal('100'), Decimal('75'), None)
    """
    r, default = settings.rating, Methodology()
    places = r.get("places", default.places)
    return Methodology(
        fully_at=Decimal(str(r.get("fully_at", default.fully_at))),
        partially_at=Decimal(str(r.get("partially_at", default.partially_at))),
        places=places if places is None else int(str(places)),
        threshold_basis=ThresholdBasis(str(r.get("threshold_basis", default.threshold_basis))),
        per_year=PerYear(str(r.get("per_year", default.per_year))),
        not_comparable=NotComparable(str(r.get("not_comparable", default.not_comparable))),
    )
