"""Every fact and published figure as a comparable value: a measure, a phase, dimensions,
an amount in a common unit, and the bound of its rounding."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, FigureUnit, Unit
from rbm.domain.finance import PublishedFigure
from rbm.domain.money import convert
from rbm.domain.text import Text
from rbm.engine.reconcile.findings import half_unit

DIMS: tuple[str, ...] = ("year", "sector", "result", "cost_category", "union", "item")
MONEY = FigureUnit.THOUSAND  # the common unit of amounts: thousands of the currency
COUNT = FigureUnit.COUNT


@dataclass(frozen=True)
class Fact:
    """A stored fact as reconciliation sees it; `dims` maps dimension names to codes."""

    measure: str
    phase: str | None
    dims: Mapping[str, object]
    amount: Decimal  # in thousands of the currency for money
    half: Decimal
    unit: FigureUnit
    source: str
    index: int  # its row in the resource, to name the parts of a sum


@dataclass(frozen=True)
class Figure:
    """A published figure with its amount in the common unit."""

    figure: PublishedFigure
    amount: Decimal
    half: Decimal
    unit: FigureUnit

    @property
    def dims(self) -> dict[str, object]:
        return {d: getattr(self.figure, d) for d in DIMS if getattr(self.figure, d) is not None}

    @property
    def excludes(self) -> frozenset[str]:
        raw = self.figure.excludes or ""
        return frozenset(x.strip() for x in raw.split(";") if x.strip())


def _money(amount: Decimal, unit: Unit) -> tuple[Decimal, Decimal]:
    return convert(amount, unit, Unit.THOUSAND), convert(half_unit(amount), unit, Unit.THOUSAND)


def item_code(name: Text) -> str:
    """An item known by its name only, as a code: its English name (or its first language's)
    in lower case, "Trust funds" → trust_funds."""
    return re.sub(r"[^\w]+", "_", name.get("en").lower()).strip("_")


def _dims(**dims: object) -> dict[str, object]:
    return {k: v for k, v in dims.items() if v is not None}


def facts(dataset: Dataset) -> list[Fact]:
    """The additive facts of every finance resource, in a common shape."""
    out: list[Fact] = []
    for i, b in enumerate(dataset.budget_facts):
        amount, half = _money(b.amount, b.unit)
        measure = "expenditure" if b.phase == BudgetPhase.EXECUTED else "budget"
        dims = _dims(
            year=b.year,
            sector=b.sector,
            result=b.result,
            cost_category=b.cost_category,
            union=b.union,
            item=b.funding,
        )
        out.append(Fact(measure, b.phase.value, dims, amount, half, MONEY, b.source, i))
    for i, d in enumerate(dataset.development_expenditure):
        amount, half = _money(d.amount, d.unit)
        dims = _dims(sector=d.sector, result=d.result, item=item_code(d.item) or None)
        out.append(
            Fact("development_expenditure", d.phase.value, dims, amount, half, MONEY, d.source, i)
        )
    for i, n in enumerate(dataset.income_facts):
        amount, half = _money(n.amount, n.unit)
        dims = _dims(year=n.year, union=n.union, item=n.category)
        out.append(Fact("income", n.phase.value, dims, amount, half, MONEY, n.source, i))
    for i, k in enumerate(dataset.key_financials):
        amount, half = _money(k.amount, k.unit)
        dims = _dims(year=k.year, union=k.union, item=k.line)
        out.append(Fact("key_financial", k.phase.value, dims, amount, half, MONEY, k.source, i))
    for i, v in enumerate(dataset.demand_volumes):
        dims = _dims(year=v.year, union=v.union, item=v.measure)
        out.append(
            Fact("demand", v.phase.value, dims, v.value, half_unit(v.value), COUNT, v.source, i)
        )
    for i, p in enumerate(dataset.posts):
        dims = _dims(sector=p.sector, item=p.grade)
        out.append(
            Fact("posts", p.phase.value, dims, p.count, half_unit(p.count), COUNT, p.source, i)
        )
    return out


# Dimensions a sum may never run over: key financial lines and demand measures are not
# additive across lines; everything else adds up.
NON_ADDITIVE: dict[str, frozenset[str]] = {
    "key_financial": frozenset({"item"}),
    "demand": frozenset({"item"}),
}


def figure(published: PublishedFigure) -> Figure:
    unit = published.unit
    if unit in (FigureUnit.ONE, FigureUnit.THOUSAND, FigureUnit.MILLION):
        money = Unit(unit.value)
        return Figure(
            published,
            convert(published.value, money, Unit.THOUSAND),
            convert(half_unit(published.value), money, Unit.THOUSAND),
            MONEY,
        )
    return Figure(published, published.value, half_unit(published.value), unit)


def figures(dataset: Dataset) -> list[Figure]:
    return [figure(p) for p in dataset.published_figures]


def ancestors(parents: Mapping[str, str | None], code: str) -> list[str]:
    """`code` and every code above it in a hierarchy, nearest first."""
    chain = [code]
    seen = {code}
    while (parent := parents.get(chain[-1])) is not None and parent not in seen:
        chain.append(parent)
        seen.add(parent)
    return chain


def hierarchies(dataset: Dataset) -> dict[str, dict[str, str | None]]:
    """Parent maps of the hierarchical dimensions."""
    return {
        "cost_category": {c.code: c.parent for c in dataset.cost_categories},
        "item": {c.code: c.parent for c in dataset.income_categories},
    }
