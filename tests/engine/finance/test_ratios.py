from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbm.engine.finance.ratios import percent, percent_range, utilization, variance


@pytest.mark.parametrize(
    ("spent", "budget", "expected"),
    [
        ("200837", "223250", "90"),  # 表5 专利和技术
        ("31380", "33872", "93"),  # 表5 版权和创意产业
        ("778365", "857300", "91"),  # 表5 总计
        ("1", "2", "50"),
        ("0.5", "100", "1"),  # 0.5% rounds half up to 1%
        ("0.49", "100", "0"),
        ("150", "100", "150"),
    ],
)
def test_utilization(spent: str, budget: str, expected: str) -> None:
    assert utilization(D(spent), D(budget)) == D(expected)


def test_utilization_of_a_zero_budget_is_undefined() -> None:
    assert utilization(D(5), D(0)) is None


def test_percent_with_places_and_no_negative_zero() -> None:
    assert percent(D("9214"), D("214036"), 1) == D("4.3")  # 附件一 专利和技术
    assert percent(D("-361"), D("857300"), 1) == D("0.0")
    assert str(percent(D("-361"), D("857300"), 1)) == "0.0"


def test_variance_is_budget_minus_expenditure() -> None:
    assert variance(D("16789"), D("15206")) == D("1583")  # 附件四 4.5


def test_percent_range_admits_what_rounding_can_explain() -> None:
    # 449.4 / 512.2 = 87.7%: inputs ± 0.05 keep it at 88%
    assert percent_range(D("449.4"), D("0.05"), D("512.2"), D("0.05")) == (D(88), D(88))
    low, high = percent_range(D("1"), D("0.5"), D("2"), D("0.5")) or (None, None)
    assert low == D(20) and high == D(100)  # 0.5 ÷ 2.5 to 1.5 ÷ 1.5


@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.decimals(min_value=1, max_value=10**9, places=2),
    st.integers(min_value=2, max_value=10),
)
def test_utilization_does_not_depend_on_the_unit(spent: D, budget: D, scale: int) -> None:
    assert utilization(spent, budget) == utilization(spent * scale, budget * scale)
