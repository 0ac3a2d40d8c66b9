"""A PIE factory for the rating tests: only what a test cares about is spelled out."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.enums import Rating, TargetKind
from rbm.domain.framework import Pie
from rbm.domain.text import Text


def pie(
    kind: TargetKind | str = TargetKind.AT_LEAST,
    params: object = None,
    *,
    baseline: str | int | None = None,
    actual: str | int | None = None,
    unit: str | None = None,
    id: str = "1.1-01.1",
    indicator: str = "1.1-01",
    mark: str | None = None,
    assessor: Rating | None = None,
    justification: str = "",
) -> Pie:
    return Pie(
        id=id,
        indicator=indicator,
        order=1,
        segment=Text.of(zh=""),
        baseline_text=Text(),
        baseline_value=None if baseline is None else Decimal(str(baseline)),
        baseline_unit=unit,
        baseline_period=None,
        target_text=Text.of(zh="target"),
        target_kind=TargetKind(kind),
        target_params={} if params is None else params,  # type: ignore[arg-type]
        actual_text=Text(),
        actual_value=None if actual is None else Decimal(str(actual)),
        actual_unit=unit,
        actual_period=None,
        actual_flags=None,
        response_rate=None,
        confidence_interval=None,
        published_mark=mark,
        assessor_rating=assessor,
        assessor_justification=Text.of(zh=justification),
        assessor_basis=None,
        reading_note=None,
        source="S",
    )
