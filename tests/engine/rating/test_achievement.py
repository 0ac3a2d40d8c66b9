"""One formula per target kind: a table of cases, the edges, bad parameters, and properties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rbm.domain.enums import Rating, TargetKind
from rbm.engine.rating.achievement import REASONS, achieve
from rbm.engine.rating.assess import assess_pie
from rbm.engine.rating.methodology import Methodology, PerYear, ThresholdBasis
from tests.engine.rating.pies import pie
from tests.languages import LANGS

K = TargetKind

# kind, params, baseline, actual, expected achievement (percent, to 2 places)
CASES: list[tuple[TargetKind, dict[str, Any], Any, Any, str]] = [
    (K.AT_LEAST, {"threshold": 85}, 71, 75, "88.24"),  # 75 ÷ 85
    (K.AT_LEAST, {"threshold": 85}, None, 85, "100"),
    (K.AT_LEAST, {"threshold": "3.5"}, None, "3.6", "102.86"),  # str params are read too
    (K.AT_LEAST, {"threshold": 0}, None, 0, "100"),  # no ratio at zero: met
    (K.AT_MOST, {"threshold": 576}, 598, 616, "93.51"),  # 576 ÷ 616, lower is better
    (K.AT_MOST, {"threshold": 565}, 555, 548, "103.1"),  # 565 ÷ 548
    (K.AT_MOST, {"threshold": 1}, 0, 0, "100"),  # 0 days vs at most 1: met
    (K.AT_MOST, {"threshold": 0}, None, 1, "0"),
    (K.GROWTH_PCT, {"pct": 20}, 100, 120, "100"),  # exactly at the target
    (K.GROWTH_PCT, {"pct": 20}, 100, 110, "50"),  # half way
    (K.GROWTH_PCT, {"pct": 20}, 100, 90, "-50"),  # went backwards
    (K.GROWTH_PCT, {"pct": 10.0}, 91, 93, "21.98"),  # (93 − 91) ÷ 9.1
    (K.ANNUAL_GROWTH_PCT, {"pct": 5}, 116619, 120941, "74.12"),  # 4,322 ÷ 5,830.95
    (K.ANNUAL_GROWTH_PCT, {"pct": 10, "years": 2}, 100, 121, "100"),  # 100 × 1.1²
    (K.INCREASE, {"amount": 10}, 50, 55, "50"),
    (K.INCREASE, {"amount": 10}, 50, 62, "120"),
    (K.NEW_IN_PERIOD, {"amount": 6}, 114, 2, "33.33"),  # 2 new of 6
    (K.NEW_IN_PERIOD, {"amount": 25, "cumulative": True}, 34, 87, "212"),  # 87 − 34 = 53 new
    (K.COUNT, {"count": 4}, 0, 0, "0"),
    (K.COUNT, {"count": 80}, 75, 83, "103.75"),
    (K.X_OF_Y, {"x": 6, "y": 6}, 4, 6, "100"),
    (K.X_OF_Y, {"x": 3, "y": 4}, None, 2, "66.67"),  # 2/4 vs 3/4
    (K.X_OF_Y, {"x": 3, "y": 4, "actual_y": 8}, None, 6, "100"),  # 6/8 = 3/4
    (K.MAINTAIN, {}, 94, 96, "102.13"),
    (K.MAINTAIN, {}, 669, 600, "89.69"),
    (K.MAINTAIN, {"lower_is_better": True}, "0.40", "0.47", "85.11"),  # 0.40 ÷ 0.47
    (K.DECREASE, {"to": 50}, 68, 65, "16.67"),  # (68 − 65) ÷ (68 − 50)
    (K.DECREASE, {"pct": 10}, 100, 90, "100"),
    (K.DECREASE, {"amount": 4}, 20, 18, "50"),
    (K.DECREASE, {"to": 50}, 68, 70, "-11.11"),  # went up
    (
        K.PER_YEAR,
        {"values": {"2024": 72900, "2025": 75000}, "actuals": {"2024": 65115, "2025": 64150}},
        64257,
        None,
        "85.53",  # min(65,115 ÷ 72,900 = 89.32, 64,150 ÷ 75,000 = 85.53)
    ),
    (
        K.PER_YEAR,
        {"values": {"2024": 10, "2025": 10}, "actuals": {"2024": 12, "2025": 9}},
        None,
        None,
        "90",
    ),
    (
        K.PER_YEAR,
        {"values": {"2024": 10}, "actuals": {"2024": 8}, "lower_is_better": "true"},
        None,
        None,
        "125",
    ),
]


@pytest.mark.parametrize(("kind", "params", "baseline", "actual", "expected"), CASES)
def test_each_kind(
    kind: TargetKind, params: dict[str, Any], baseline: Any, actual: Any, expected: str
) -> None:
    result = achieve(pie(kind, params, baseline=baseline, actual=actual))
    assert result.percent is not None, result.detail.text("en")
    assert result.percent.quantize(Decimal("0.01")).normalize() == Decimal(expected).normalize()
    for lang in LANGS:
        assert result.detail.text(lang)  # every explanation renders in both languages


def test_per_year_mean_is_a_setting() -> None:
    params = {"values": {"2024": 10, "2025": 10}, "actuals": {"2024": 12, "2025": 9}}
    mean = Methodology(per_year=PerYear.MEAN)
    assert achieve(pie(K.PER_YEAR, params)).percent == Decimal(90)  # the weakest year
    assert achieve(pie(K.PER_YEAR, params), mean).percent == Decimal(105)  # (120 + 90) ÷ 2


def test_threshold_progress_basis() -> None:
    progress = Methodology(threshold_basis=ThresholdBasis.PROGRESS)
    gbd = pie(K.AT_LEAST, {"threshold": 85}, baseline=71, actual=75, unit="%")
    result = achieve(gbd, progress)
    assert result.percent is not None and round(result.percent) == 29  # (75 − 71) ÷ (85 − 71)
    assert result.detail.text("en") == "75% vs ≥85% from 71%: 29% of the way"
    assert assess_pie(gbd, progress).computed == Rating.NOT_ACHIEVED
    assert assess_pie(gbd).computed == Rating.PARTIALLY  # 88% of target by ratio
    # a baseline that already meets the threshold falls back to the ratio
    apdex = pie(K.AT_LEAST, {"threshold": 80}, baseline=81, actual=74)
    assert achieve(apdex, progress).percent == Decimal("92.5")
    madrid = pie(K.AT_MOST, {"threshold": 576}, baseline=598, actual=616)
    result = achieve(madrid, progress)
    assert result.percent is not None and round(result.percent) == -82  # (598 − 616) ÷ 22


@pytest.mark.parametrize(
    ("kind", "params", "baseline", "actual", "reason"),
    [
        (K.MILESTONE, {}, None, None, "milestone"),
        (K.MILESTONE, {}, 73, 76, "milestone"),  # numbers do not make a judgement
        (K.AT_LEAST, {"threshold": 85}, 80, None, "missing_actual"),
        (K.GROWTH_PCT, {"pct": 20}, None, 120, "missing_baseline"),
        (K.GROWTH_PCT, {"pct": 20}, 0, 120, "zero_baseline"),
        (K.MAINTAIN, {}, None, 3, "missing_baseline"),
        (K.DECREASE, {"to": 50}, None, 40, "missing_baseline"),
        (K.PER_YEAR, {"values": {"2024": 1, "2025": 1}}, None, None, "missing_actual"),
        (
            K.PER_YEAR,
            {"values": {"2024": 1, "2025": 1}, "actuals": {"2024": 1}},
            None,
            None,
            "missing_year",
        ),
        (K.AT_LEAST, {}, None, 1, "invalid_params"),
        (K.AT_LEAST, {"threshold": "85%"}, None, 1, "invalid_params"),
        (K.AT_LEAST, {"threshold": True}, None, 1, "invalid_params"),
        (K.AT_LEAST, {"threshold": [85]}, None, 1, "invalid_params"),
        (K.AT_LEAST, {"threshold": "NaN"}, None, 1, "invalid_params"),
        (K.AT_LEAST, ["threshold", 85], None, 1, "invalid_params"),
        (K.GROWTH_PCT, {"pct": -5}, 100, 1, "invalid_params"),
        (K.ANNUAL_GROWTH_PCT, {"pct": 5, "years": 1.5}, 100, 1, "invalid_params"),
        (K.COUNT, {"count": 0}, None, 1, "invalid_params"),
        (K.X_OF_Y, {"x": 7, "y": 6}, None, 1, "invalid_params"),
        (K.DECREASE, {"pct": 10, "to": 5}, 10, 1, "invalid_params"),
        (K.DECREASE, {"to": 12}, 10, 1, "invalid_params"),  # not below the baseline
        (K.DECREASE, {"pct": 150}, 10, 1, "invalid_params"),
        (K.MAINTAIN, {"lower_is_better": "perhaps"}, 1, 1, "invalid_params"),
        (K.PER_YEAR, {"values": [1, 2], "actuals": {}}, None, None, "invalid_params"),
        (K.COUNT, {"count": 4, "discontinued": True}, None, 1, "discontinued"),
    ],
)
def test_what_cannot_be_computed_is_not_assessable(
    kind: TargetKind, params: Any, baseline: Any, actual: Any, reason: str
) -> None:
    result = achieve(pie(kind, params, baseline=baseline, actual=actual))
    assert (result.percent, result.reason) == (None, reason)
    for lang in LANGS:
        assert result.detail.text(lang)
    expected = Rating.DISCONTINUED if reason == "discontinued" else Rating.NOT_ASSESSABLE
    assert assess_pie(pie(kind, params, baseline=baseline, actual=actual)).computed == expected


def test_explanation_of_a_threshold() -> None:
    gbd = assess_pie(pie(K.AT_LEAST, {"threshold": 85}, baseline=71, actual=75, unit="%"))
    assert gbd.explain("en") == "75% vs ≥85%: 88% of target → partially achieved"
    assert gbd.explain("zh") == "75%，目标 ≥85%：达到目标的 88% → 部分实现"


positive = st.decimals(min_value=Decimal("0.01"), max_value=10**9, places=2)
ORDER = [Rating.NOT_ACHIEVED, Rating.PARTIALLY, Rating.FULLY]


@given(positive, positive, positive)
def test_at_least_is_monotonic_in_the_actual(threshold: Decimal, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    lo = achieve(pie(K.AT_LEAST, {"threshold": str(threshold)}, actual=str(low))).percent
    hi = achieve(pie(K.AT_LEAST, {"threshold": str(threshold)}, actual=str(high))).percent
    assert lo is not None and hi is not None and lo <= hi


@given(positive, positive, positive)
def test_at_most_is_inverted(threshold: Decimal, a: Decimal, b: Decimal) -> None:
    low, high = sorted((a, b))
    lo = assess_pie(pie(K.AT_MOST, {"threshold": str(threshold)}, actual=str(low)))
    hi = assess_pie(pie(K.AT_MOST, {"threshold": str(threshold)}, actual=str(high)))
    assert lo.achievement.percent is not None and hi.achievement.percent is not None
    assert lo.achievement.percent >= hi.achievement.percent
    assert ORDER.index(lo.computed) >= ORDER.index(hi.computed)


@given(positive, st.decimals(min_value=Decimal("0.1"), max_value=500, places=1))
def test_growth_at_exactly_the_target_is_fully_achieved(baseline: Decimal, pct: Decimal) -> None:
    actual = baseline * (1 + pct / 100)
    assessed = assess_pie(
        pie(K.GROWTH_PCT, {"pct": float(pct)}, baseline=str(baseline), actual=str(actual))
    )
    assert assessed.achievement.percent == 100
    assert assessed.computed == Rating.FULLY


@given(positive, st.decimals(min_value=Decimal("0.1"), max_value=99, places=1))
def test_decrease_at_exactly_the_target_is_fully_achieved(baseline: Decimal, pct: Decimal) -> None:
    actual = baseline * (1 - pct / 100)
    assessed = assess_pie(
        pie(K.DECREASE, {"pct": str(pct)}, baseline=str(baseline), actual=str(actual))
    )
    assert assessed.computed == Rating.FULLY


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
param_names = st.sampled_from(
    ["threshold", "pct", "amount", "count", "x", "y", "to", "years", "values", "actuals",
     "cumulative", "lower_is_better", "discontinued", "actual_y"]
)  # fmt: skip
numbers = st.none() | st.decimals(allow_nan=False, allow_infinity=False, places=3)


@given(
    st.sampled_from(list(TargetKind)),
    st.dictionaries(param_names, json_values, max_size=5) | json_values,
    numbers,
    numbers,
)
def test_never_raises(
    kind: TargetKind, params: Any, baseline: Decimal | None, actual: Decimal | None
) -> None:
    result = assess_pie(pie(kind, params, baseline=baseline, actual=actual))
    assert result.achievement.reason is None or result.achievement.reason in REASONS
    assert (result.achievement.percent is None) == (result.achievement.reason is not None)
    for lang in LANGS:
        assert result.explain(lang)
