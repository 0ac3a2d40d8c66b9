from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.enums import Unit
from rbm.domain.money import convert, round_half_up


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        ("0.5", 0, "1"),
        ("1.5", 0, "2"),
        ("2.5", 0, "3"),  # half up, not banker's rounding
        ("-2.5", 0, "-3"),
        ("90.49", 0, "90"),
        ("0.905", 2, "0.91"),
        ("28901.5", 0, "28902"),
    ],
)
def test_round_half_up(value: str, places: int, expected: str) -> None:
    assert round_half_up(Decimal(value), places) == Decimal(expected)


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        ("976.4", Unit.MILLION, Unit.THOUSAND, "976400"),
        ("214036", Unit.THOUSAND, Unit.MILLION, "214.036"),
        ("10596.46", Unit.ONE, Unit.THOUSAND, "10.59646"),
        ("1", Unit.ONE, Unit.ONE, "1"),
    ],
)
def test_convert(amount: str, source: Unit, target: Unit, expected: str) -> None:
    assert convert(Decimal(amount), source, target) == Decimal(expected)


@given(
    st.decimals(min_value=-(10**12), max_value=10**12, places=2, allow_nan=False),
    st.sampled_from(list(Unit)),
    st.sampled_from(list(Unit)),
)
def test_conversion_is_exact_and_reversible(amount: Decimal, source: Unit, target: Unit) -> None:
    assert convert(convert(amount, source, target), target, source) == amount
