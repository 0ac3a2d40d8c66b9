"""Counts per entity and the totals that can be computed from facts without double counting."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from rbm.domain.dataset import Dataset
from rbm.domain.enums import Unit
from rbm.domain.money import convert

GRAIN_DIMENSIONS = ("year", "sector", "result", "cost_category", "union", "funding", "category")


class _Fact(Protocol):
    @property
    def source(self) -> str: ...
    @property
    def phase(self) -> str: ...
    @property
    def amount(self) -> Decimal: ...
    @property
    def unit(self) -> Unit: ...


@dataclass(frozen=True)
class GrainTotal:
    """The sum of one source's facts of one phase at one grain (set of dimensions)."""

    resource: str
    source: str
    phase: str
    grain: tuple[str, ...]
    facts: int
    total: Decimal
    unit: Unit


@dataclass(frozen=True)
class Summary:
    counts: dict[str, int]
    totals: tuple[GrainTotal, ...]


def summarize(dataset: Dataset, unit: Unit = Unit.THOUSAND) -> Summary:
    """Row counts of every resource, and per source, phase and grain the sum of its amounts."""
    totals = [
        *_grain_totals("budget_facts", dataset.all_budget_facts, unit),
        *_grain_totals("income_facts", dataset.income_facts, unit),
        *_grain_totals("key_financials", dataset.key_financials, unit),
    ]
    return Summary(dataset.counts(), tuple(totals))


def _grain_totals(resource: str, facts: Iterable[_Fact], unit: Unit) -> list[GrainTotal]:
    sums: dict[tuple[str, str, tuple[str, ...]], list[Decimal]] = defaultdict(list)
    for fact in facts:
        grain = tuple(d for d in GRAIN_DIMENSIONS if getattr(fact, d, None) is not None)
        sums[(fact.source, str(fact.phase), grain)].append(convert(fact.amount, fact.unit, unit))
    return [
        GrainTotal(resource, source, phase, grain, len(values), sum(values, Decimal(0)), unit)
        for (source, phase, grain), values in sums.items()
    ]
