"""Achievement of one target: the percent of its target a PIE reached, by target kind.

    kind               params                   achievement (percent of target)
    at_least           threshold                actual ÷ threshold
    at_most            threshold                threshold ÷ actual (lower is better)
    growth_pct         pct                      (actual − baseline) ÷ (baseline × pct/100)
    annual_growth_pct  pct, years = 1           (actual − baseline) ÷ (target − baseline),
                                                target = baseline × (1 + pct/100)^years
    increase           amount                   (actual − baseline) ÷ amount
    new_in_period      amount, cumulative       new ÷ amount; new = actual, or actual − baseline
                                                when the actual is cumulative
    count              count                    actual ÷ count
    x_of_y             x, y, actual_y = y       (actual ÷ actual_y) ÷ (x ÷ y)
    maintain           lower_is_better          actual ÷ baseline (inverted when lower is better)
    decrease           pct | amount | to        (baseline − actual) ÷ (baseline − target)
    per_year           values, actuals,         each year's actual ÷ its value; the minimum (or the
                       lower_is_better          mean, a methodology setting) of the years
    milestone          (none)                   none: an assessor's judgement

Change targets (growth, increase, decrease) measure the progress from the baseline toward the
target, so an actual at the baseline is 0% and one at the target 100%. With the methodology's
`ThresholdBasis.PROGRESS`, thresholds that the baseline does not yet meet are measured the
same way. Any PIE may carry `"discontinued": true` in its params.

A function that cannot compute returns a not-assessable `Achievement` with its reason (one of
`REASONS`); it never raises. Parameters come from JSON, so numbers may be int, float or str:
each is read as `Decimal(str(value))`, and an invalid parameter makes the PIE not assessable.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rbm.domain.enums import TargetKind
from rbm.domain.framework import Footnote, Pie
from rbm.engine.rating.messages import Message, number, percent, quantity
from rbm.engine.rating.methodology import Methodology, NotComparable, PerYear, ThresholdBasis

ZERO = Decimal(0)
HUNDRED = Decimal(100)
MAX_YEARS = 50

REASONS = (
    "milestone",
    "missing_actual",
    "missing_baseline",
    "zero_baseline",
    "missing_year",
    "invalid_params",
    "not_comparable",
    "discontinued",
)

# Kinds whose formula compares the actual with the baseline.
BASELINE_KINDS = frozenset(
    {
        TargetKind.GROWTH_PCT,
        TargetKind.ANNUAL_GROWTH_PCT,
        TargetKind.INCREASE,
        TargetKind.MAINTAIN,
        TargetKind.DECREASE,
    }
)
LOWER_IS_BETTER = frozenset({TargetKind.AT_MOST, TargetKind.DECREASE})


@dataclass(frozen=True, slots=True)
class Achievement:
    """A percent of the target (exact, not rounded) and how it was found; `percent` is None
    when the PIE is not assessable (or discontinued), and `reason` says why."""

    percent: Decimal | None
    detail: Message
    target: Decimal | None = None  # the level the actual is compared with, when there is one
    reason: str | None = None

    @property
    def assessable(self) -> bool:
        return self.percent is not None


class _NotAssessable(Exception):
    def __init__(self, reason: str, message: Message) -> None:
        super().__init__(reason)
        self.reason = reason
        self.message = message


def _invalid(key: str, **params: str) -> _NotAssessable:
    problem = Message.of(key, **params)
    return _NotAssessable(
        "invalid_params", Message.of("rating.reason.invalid_params", problem=problem)
    )


def achieve(
    pie: Pie, methodology: Methodology | None = None, not_comparable: Footnote | None = None
) -> Achievement:
    """The achievement of `pie`; `not_comparable` is a footnote saying its data are not
    comparable with the baseline (on the PIE or its indicator), if there is one."""
    m = methodology or Methodology()
    try:
        params = _Params(pie.target_params)
        if params.flag("discontinued"):
            return Achievement(None, Message.of("rating.reason.discontinued"), None, "discontinued")
        if pie.target_kind == TargetKind.MILESTONE:
            raise _NotAssessable("milestone", Message.of("rating.reason.milestone"))
        if not_comparable is not None and _blocked_by(pie, params, m):
            raise _NotAssessable(
                "not_comparable",
                Message.of("rating.reason.not_comparable", number=str(not_comparable.number or "")),
            )
        formula = FORMULAS.get(pie.target_kind)
        if formula is None:
            raise _invalid("rating.param.unknown_kind", kind=str(pie.target_kind))
        return formula(pie, params, m)
    except _NotAssessable as exc:
        return Achievement(None, exc.message, None, exc.reason)
    except ArithmeticError:  # e.g. an overflow from absurd parameters
        return Achievement(
            None,
            Message.of(
                "rating.reason.invalid_params", problem=Message.of("rating.param.arithmetic")
            ),
            None,
            "invalid_params",
        )


def uses_baseline(pie: Pie, methodology: Methodology) -> bool:
    """Whether the formula of `pie` compares its actual with its baseline."""
    try:
        return _uses_baseline(pie, _Params(pie.target_params), methodology)
    except _NotAssessable:
        return False


def _uses_baseline(pie: Pie, params: _Params, m: Methodology) -> bool:
    kind = pie.target_kind
    if kind in BASELINE_KINDS:
        return True
    if kind == TargetKind.NEW_IN_PERIOD:
        return params.flag("cumulative")
    baseline = pie.baseline_value
    thresholds = (TargetKind.AT_LEAST, TargetKind.AT_MOST)
    if kind not in thresholds or m.threshold_basis != ThresholdBasis.PROGRESS or baseline is None:
        return False
    threshold = params.number("threshold", positive=False)
    # progress is measured only from a baseline that does not yet meet the threshold
    return baseline < threshold if kind == TargetKind.AT_LEAST else baseline > threshold


def _blocked_by(pie: Pie, params: _Params, m: Methodology) -> bool:
    if m.not_comparable == NotComparable.ALL:
        return True
    return m.not_comparable == NotComparable.BASELINE and _uses_baseline(pie, params, m)


# --- parameters -------------------------------------------------------------------------


class _Params:
    """The target_params dict, read defensively."""

    def __init__(self, raw: object) -> None:
        if raw is None:
            raw = {}
        if not isinstance(raw, Mapping):
            raise _invalid("rating.param.not_object")
        self.raw: Mapping[object, object] = raw

    def has(self, name: str) -> bool:
        return self.raw.get(name) is not None

    def number(self, name: str, *, positive: bool = True) -> Decimal:
        if not self.has(name):
            raise _invalid("rating.param.missing", name=name)
        return _decimal(self.raw[name], name, positive)

    def whole(self, name: str, default: int, low: int, high: int) -> int:
        if not self.has(name):
            return default
        value = _decimal(self.raw[name], name, positive=True)
        if value != value.to_integral_value() or not low <= value <= high:
            raise _invalid("rating.param.out_of_range", name=name, low=str(low), high=str(high))
        return int(value)

    def flag(self, name: str) -> bool:
        value = self.raw.get(name, False)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        if value is None:
            return False
        raise _invalid("rating.param.not_flag", name=name)

    def years(self, name: str) -> dict[str, Decimal]:
        value = self.raw.get(name)
        if value is None:
            raise _invalid("rating.param.missing", name=name)
        if not isinstance(value, Mapping) or not value:
            raise _invalid("rating.param.not_years", name=name)
        return {
            str(year).strip(): _decimal(v, f"{name}.{year}", positive=False)
            for year, v in value.items()
        }


def _decimal(value: object, name: str, positive: bool) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise _invalid("rating.param.not_number", name=name, value=_clip(repr(value)))
    try:
        result = Decimal(str(value).strip())
    except InvalidOperation:
        raise _invalid("rating.param.not_number", name=name, value=_clip(str(value))) from None
    if not result.is_finite():
        raise _invalid("rating.param.not_number", name=name, value=_clip(str(value)))
    if positive and result <= ZERO:
        raise _invalid("rating.param.not_positive", name=name)
    return result


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- the data a formula needs -----------------------------------------------------------


def _actual(pie: Pie) -> Decimal:
    if pie.actual_value is None:
        raise _NotAssessable("missing_actual", Message.of("rating.reason.missing_actual"))
    return pie.actual_value


def _baseline(pie: Pie) -> Decimal:
    if pie.baseline_value is None:
        raise _NotAssessable("missing_baseline", Message.of("rating.reason.missing_baseline"))
    return pie.baseline_value


def _unit(pie: Pie) -> str | None:
    return pie.actual_unit or pie.baseline_unit


def _q(pie: Pie, value: Decimal) -> str:
    """A value in the PIE's unit (a percent sign for percentages)."""
    return quantity(value, _unit(pie))


def _share(actual: Decimal, target: Decimal) -> Decimal:
    """actual ÷ target in percent; at or below zero there is no ratio, only met or not."""
    if target <= ZERO:
        return HUNDRED if actual >= target else ZERO
    return actual / target * HUNDRED


def _inverse_share(actual: Decimal, target: Decimal) -> Decimal:
    """target ÷ actual in percent (lower is better)."""
    if actual <= ZERO or target <= ZERO:
        return HUNDRED if actual <= target else ZERO
    return target / actual * HUNDRED


def _progress(baseline: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    """How far the actual went from the baseline toward the target, in percent."""
    span = target - baseline
    if span == ZERO:
        return HUNDRED if actual == target else ZERO
    return (actual - baseline) / span * HUNDRED


def _shown(value: Decimal, m: Methodology) -> str:
    return percent(value, m.display_places)


# --- the formulas -----------------------------------------------------------------------

Formula = Callable[[Pie, _Params, Methodology], Achievement]


def _at_least(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    threshold = p.number("threshold", positive=False)
    actual = _actual(pie)
    baseline = pie.baseline_value
    if (
        m.threshold_basis == ThresholdBasis.PROGRESS
        and baseline is not None
        and baseline < threshold
    ):
        value = _progress(baseline, threshold, actual)
        key, extra = "rating.explain.at_least_progress", {"baseline": _q(pie, baseline)}
    else:
        value = _share(actual, threshold)
        key, extra = "rating.explain.at_least", {}
    detail = Message.of(
        key,
        actual=_q(pie, actual),
        threshold=_q(pie, threshold),
        achievement=_shown(value, m),
        **extra,
    )
    return Achievement(value, detail, threshold)


def _at_most(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    threshold = p.number("threshold", positive=False)
    actual = _actual(pie)
    baseline = pie.baseline_value
    if (
        m.threshold_basis == ThresholdBasis.PROGRESS
        and baseline is not None
        and baseline > threshold
    ):
        value = _progress(baseline, threshold, actual)
        key, extra = "rating.explain.at_most_progress", {"baseline": _q(pie, baseline)}
    else:
        value = _inverse_share(actual, threshold)
        edge = actual <= ZERO or threshold <= ZERO
        key, extra = ("rating.explain.at_most_edge" if edge else "rating.explain.at_most"), {}
    detail = Message.of(
        key,
        actual=_q(pie, actual),
        threshold=_q(pie, threshold),
        achievement=_shown(value, m),
        **extra,
    )
    return Achievement(value, detail, threshold)


def _growth(pie: Pie, p: _Params, m: Methodology, years: int | None) -> Achievement:
    pct = p.number("pct")
    baseline = _baseline(pie)
    actual = _actual(pie)
    if baseline <= ZERO:
        raise _NotAssessable("zero_baseline", Message.of("rating.reason.zero_baseline"))
    factor = (1 + pct / HUNDRED) ** (years or 1)
    target = baseline * factor
    value = _progress(baseline, target, actual)
    growth = (actual - baseline) / baseline * HUNDRED
    common = {
        "actual": _q(pie, actual),
        "baseline": _q(pie, baseline),
        "target": _q(pie, target),
        "pct": number(pct),
        "growth": percent(growth, 0),
        "achievement": _shown(value, m),
    }
    if years is None:
        detail = Message.of("rating.explain.growth_pct", **common)
    else:
        detail = Message.of("rating.explain.annual_growth_pct", years=str(years), **common)
    return Achievement(value, detail, target)


def _growth_pct(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    return _growth(pie, p, m, None)


def _annual_growth_pct(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    return _growth(pie, p, m, p.whole("years", 1, 1, MAX_YEARS))


def _increase(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    amount = p.number("amount")
    baseline = _baseline(pie)
    actual = _actual(pie)
    target = baseline + amount
    value = _progress(baseline, target, actual)
    detail = Message.of(
        "rating.explain.increase",
        actual=_q(pie, actual),
        baseline=_q(pie, baseline),
        amount=_q(pie, amount),
        target=_q(pie, target),
        achievement=_shown(value, m),
    )
    return Achievement(value, detail, target)


def _new_in_period(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    amount = p.number("amount")
    actual = _actual(pie)
    if p.flag("cumulative"):
        baseline = _baseline(pie)
        new = actual - baseline
        value = _share(new, amount)
        detail = Message.of(
            "rating.explain.new_in_period_cumulative",
            actual=_q(pie, actual),
            baseline=_q(pie, baseline),
            new=_q(pie, new),
            amount=_q(pie, amount),
            achievement=_shown(value, m),
        )
    else:
        value = _share(actual, amount)
        detail = Message.of(
            "rating.explain.new_in_period",
            new=_q(pie, actual),
            amount=_q(pie, amount),
            achievement=_shown(value, m),
        )
    return Achievement(value, detail, amount)


def _count(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    count = p.number("count")
    actual = _actual(pie)
    value = _share(actual, count)
    detail = Message.of(
        "rating.explain.count",
        actual=_q(pie, actual),
        count=_q(pie, count),
        achievement=_shown(value, m),
    )
    return Achievement(value, detail, count)


def _x_of_y(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    x, y = p.number("x"), p.number("y")
    if x > y:
        raise _invalid("rating.param.x_above_y")
    actual_y = p.number("actual_y") if p.has("actual_y") else y
    actual = _actual(pie)
    value = (actual / actual_y) / (x / y) * HUNDRED
    detail = Message.of(
        "rating.explain.x_of_y",
        actual=number(actual),
        actual_y=number(actual_y),
        x=number(x),
        y=number(y),
        achievement=_shown(value, m),
    )
    return Achievement(value, detail, x)


def _maintain(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    lower = p.flag("lower_is_better")
    baseline = _baseline(pie)
    actual = _actual(pie)
    value = _inverse_share(actual, baseline) if lower else _share(actual, baseline)
    key = "rating.explain.maintain_lower" if lower else "rating.explain.maintain"
    detail = Message.of(
        key, actual=_q(pie, actual), baseline=_q(pie, baseline), achievement=_shown(value, m)
    )
    return Achievement(value, detail, baseline)


def _decrease(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    shapes = [name for name in ("pct", "amount", "to") if p.has(name)]
    if len(shapes) != 1:
        raise _invalid("rating.param.decrease_shape")
    baseline = _baseline(pie)
    actual = _actual(pie)
    if shapes == ["pct"]:
        pct = p.number("pct")
        if pct > HUNDRED:
            raise _invalid("rating.param.out_of_range", name="pct", low="0", high="100")
        target = baseline * (1 - pct / HUNDRED)
    elif shapes == ["amount"]:
        target = baseline - p.number("amount")
    else:
        target = p.number("to", positive=False)
    if target >= baseline:
        raise _invalid(
            "rating.param.not_below_baseline", target=_q(pie, target), baseline=_q(pie, baseline)
        )
    value = _progress(baseline, target, actual)
    detail = Message.of(
        "rating.explain.decrease",
        actual=_q(pie, actual),
        baseline=_q(pie, baseline),
        target=_q(pie, target),
        achievement=_shown(value, m),
    )
    return Achievement(value, detail, target)


def _per_year(pie: Pie, p: _Params, m: Methodology) -> Achievement:
    values = p.years("values")
    if not p.has("actuals"):
        raise _NotAssessable("missing_actual", Message.of("rating.reason.missing_actual"))
    actuals = p.years("actuals")
    lower = p.flag("lower_is_better")
    shares: list[Decimal] = []
    items: list[Message] = []
    for year in sorted(values):
        if year not in actuals:
            raise _NotAssessable(
                "missing_year", Message.of("rating.reason.missing_year", year=year)
            )
        actual, target = actuals[year], values[year]
        share = _inverse_share(actual, target) if lower else _share(actual, target)
        shares.append(share)
        items.append(
            Message.of(
                "rating.explain.year",
                year=year,
                actual=_q(pie, actual),
                target=_q(pie, target),
                achievement=_shown(share, m),
            )
        )
    if m.per_year == PerYear.MEAN:
        value = sum(shares, ZERO) / len(shares)
    else:
        value = min(shares)
    detail = Message.of(
        "rating.explain.per_year",
        years=tuple(items),
        aggregate=Message.of(f"rating.aggregate.{m.per_year.value}"),
        achievement=_shown(value, m),
    )
    return Achievement(value, detail, None)


FORMULAS: dict[TargetKind, Formula] = {
    TargetKind.AT_LEAST: _at_least,
    TargetKind.AT_MOST: _at_most,
    TargetKind.GROWTH_PCT: _growth_pct,
    TargetKind.ANNUAL_GROWTH_PCT: _annual_growth_pct,
    TargetKind.INCREASE: _increase,
    TargetKind.NEW_IN_PERIOD: _new_in_period,
    TargetKind.COUNT: _count,
    TargetKind.X_OF_Y: _x_of_y,
    TargetKind.MAINTAIN: _maintain,
    TargetKind.DECREASE: _decrease,
    TargetKind.PER_YEAR: _per_year,
}
