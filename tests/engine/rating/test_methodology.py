"""The rating bands and their settings: boundaries, the 99–100% gap, monotonicity."""

from __future__ import annotations

import doctest
import importlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.enums import Rating
from rbm.engine.rating.methodology import Methodology, rate

ROUNDED = Methodology()  # half up to whole percents, as the report prints them
EXACT = Methodology(places=None)  # the unrounded achievement against the bands

ORDER = [Rating.NOT_ACHIEVED, Rating.PARTIALLY, Rating.FULLY]


@pytest.mark.parametrize(
    ("percent", "rounded", "exact"),
    [
        ("0", Rating.NOT_ACHIEVED, Rating.NOT_ACHIEVED),
        ("59.49", Rating.NOT_ACHIEVED, Rating.NOT_ACHIEVED),
        ("59.5", Rating.PARTIALLY, Rating.NOT_ACHIEVED),
        ("59.99", Rating.PARTIALLY, Rating.NOT_ACHIEVED),
        ("60", Rating.PARTIALLY, Rating.PARTIALLY),
        ("99", Rating.PARTIALLY, Rating.PARTIALLY),
        ("99.49", Rating.PARTIALLY, Rating.PARTIALLY),
        ("99.5", Rating.FULLY, Rating.PARTIALLY),
        ("99.99", Rating.FULLY, Rating.PARTIALLY),
        ("100", Rating.FULLY, Rating.FULLY),
        ("250", Rating.FULLY, Rating.FULLY),
        ("-110", Rating.NOT_ACHIEVED, Rating.NOT_ACHIEVED),
    ],
)
def test_bands_at_their_boundaries(percent: str, rounded: Rating, exact: Rating) -> None:
    assert rate(Decimal(percent), ROUNDED) == rounded
    assert rate(Decimal(percent), EXACT) == exact


def test_bands_are_settings() -> None:
    strict = Methodology(fully_at=Decimal(95), partially_at=Decimal(50), places=1)
    assert rate(Decimal("94.95"), strict) == Rating.FULLY  # 95.0 after rounding to 1 place
    assert rate(Decimal("94.94"), strict) == Rating.PARTIALLY
    assert rate(Decimal("49.96"), strict) == Rating.PARTIALLY
    assert rate(Decimal("49.94"), strict) == Rating.NOT_ACHIEVED


@pytest.mark.parametrize(
    "settings",
    [
        {"fully_at": Decimal(50), "partially_at": Decimal(60)},
        {"partially_at": Decimal(-1)},
        {"places": -1},
    ],
)
def test_inconsistent_settings_are_refused(settings: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Methodology(**settings)  # type: ignore[arg-type]


percents = st.decimals(min_value=-1000, max_value=1000, places=3, allow_nan=False)


@given(percents, percents, st.sampled_from([ROUNDED, EXACT]))
def test_rating_is_monotonic_in_achievement(a: Decimal, b: Decimal, m: Methodology) -> None:
    low, high = sorted((a, b))
    assert ORDER.index(rate(low, m)) <= ORDER.index(rate(high, m))


def test_docstring_examples() -> None:
    for name in ("methodology", "messages", "assess", "achievement"):
        module = importlib.import_module(f"rbm.engine.rating.{name}")
        assert doctest.testmod(module).failed == 0, module.__name__
