"""Printed percentages recomputed from their inputs: utilization, variance as a percentage,
shares of income, development shares and transfer percentages."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from decimal import Decimal

from rbm.domain.enums import FigureUnit
from rbm.engine.finance.ratios import percent, percent_range
from rbm.engine.reconcile.facts import Figure
from rbm.engine.reconcile.findings import Finding, FindingClass, Side
from rbm.engine.reconcile.lookup import Lookup
from rbm.engine.reconcile.settings import Settings
from rbm.engine.reconcile.sums import subject

PHASES = {
    "key_financial": ("actual", "budget"),
    "income": ("actual", "estimate"),
    "demand": ("actual", "estimate"),
}


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _percent_finding(
    check: str,
    fig: Figure,
    part: Side,
    whole: Side,
    settings: Settings,
    params: dict[str, str] | None = None,
) -> Finding | None:
    p = fig.figure
    places = _places(p.value)
    value = percent(part.value, whole.value, places)
    if value is None:
        return None
    computed = Side(
        value, f"{part.source} ÷ {whole.source}", "computed", f"{part.ref} ÷ {whole.ref}"
    )
    printed = Side(p.value, p.source, "published", p.id)
    diff = abs(p.value - value)
    if _capped(p.note, p.value, value):
        diff = Decimal(0)
    if diff == 0:
        klass = FindingClass.EXACT
    elif settings.tolerance is not None:
        klass = FindingClass.ROUNDING if diff <= settings.tolerance else FindingClass.DIFFERENCE
    else:
        bounds = percent_range(part.value, part.half, whole.value, whole.half, places)
        inside = bounds is not None and bounds[0] <= p.value <= bounds[1]
        klass = FindingClass.ROUNDING if inside else FindingClass.DIFFERENCE
    return Finding(
        check,
        subject(p.measure, p.phase, fig.dims),
        printed,
        computed,
        FigureUnit.PERCENT,
        klass,
        params=params or {},
    )


def _capped(note: str | None, printed: Decimal, computed: Decimal) -> bool:
    """A table that prints ">100%" stores 100 and says so in the note."""
    return bool(note) and ">100%" in (note or "") and printed == 100 and computed > 100


def utilization(
    lookup: Lookup, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    for fig in figures:
        p = fig.figure
        if p.measure != "utilization":
            continue
        dims, excludes = fig.dims, fig.excludes
        basis = settings.utilization_basis.get(p.source, settings.default_basis)
        spent = lookup.value("expenditure", "executed", dims, p.source, excludes)
        budget = lookup.value("budget", basis, dims, p.source, excludes)
        if spent is None or budget is None:
            continue
        found = _percent_finding("utilization", fig, spent, budget, settings, {"basis": basis})
        if found is not None:
            yield found, fig


def utilization_basis(
    lookup: Lookup, figures: list[Figure], settings: Settings
) -> Iterator[Finding]:
    """Per table, how many printed utilizations reproduce on P&B and on the final budget;
    a table whose percentages reproduce only on a basis other than the default is flagged."""
    counts: dict[str, Counter[str]] = {}
    for fig in figures:
        p = fig.figure
        if p.measure != "utilization":
            continue
        spent = lookup.value("expenditure", "executed", fig.dims, p.source, fig.excludes)
        for basis in ("approved", "adjusted"):
            budget = lookup.value("budget", basis, fig.dims, p.source, fig.excludes)
            if spent is None or budget is None:
                continue
            value = percent(spent.value, budget.value, _places(p.value))
            tally = counts.setdefault(p.source, Counter())
            tally[f"{basis}_total"] += 1
            tally[basis] += value == p.value
    for source, tally in counts.items():
        if tally["approved"] > tally["adjusted"]:
            left = Side(Decimal(tally["approved"]), source, "computed", "approved")
            right = Side(Decimal(tally["adjusted"]), source, "computed", "adjusted")
            yield Finding(
                "utilization_basis",
                {"source": source},
                left,
                right,
                FigureUnit.COUNT,
                FindingClass.DIFFERENCE,
                params={"total": str(tally["approved_total"])},
            )


def variance_pct(
    lookup: Lookup, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """Tables 1–3: actual ÷ estimate (or budget) as a percentage."""
    for fig in figures:
        p = fig.figure
        if p.measure != "variance_pct":
            continue
        for measure, (actual, planned) in PHASES.items():
            got = lookup.value(measure, actual, fig.dims, p.source, fig.excludes)
            plan = lookup.value(measure, planned, fig.dims, p.source, fig.excludes)
            if got is not None and plan is not None:
                found = _percent_finding("variance_pct", fig, got, plan, settings)
                if found is not None:
                    yield found, fig
                break


def shares(
    lookup: Lookup, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """Income shares and development shares."""
    for fig in figures:
        p = fig.figure
        if p.measure == "income_share":
            part = lookup.value("income", "actual", fig.dims, p.source)
            whole_dims = {k: v for k, v in fig.dims.items() if k != "item"}
            whole = lookup.value("income", "actual", whole_dims, p.source)
        elif p.measure == "development_share" and p.phase in ("approved", "executed"):
            part = lookup.value(
                "development_expenditure", p.phase, fig.dims, p.source, fig.excludes
            )
            measure = "expenditure" if p.phase == "executed" else "budget"
            whole = lookup.value(measure, p.phase, fig.dims, p.source, fig.excludes)
        else:
            continue
        if part is None or whole is None:
            continue
        found = _percent_finding(p.measure, fig, part, whole, settings)
        if found is not None:
            yield found, fig
