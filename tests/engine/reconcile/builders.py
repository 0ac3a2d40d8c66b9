"""Small datasets for reconciliation tests."""

from __future__ import annotations

from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, FigureUnit, SourceKind, Unit
from rbm.domain.finance import BudgetFact, PublishedFigure
from rbm.domain.framework import Sector
from rbm.domain.organization import Source
from rbm.domain.text import Text
from tests.strategies import BIENNIUM


def source(id: str, kind: SourceKind = SourceKind.TABLE, part_of: str | None = None) -> Source:
    return Source(id, kind, Text.of(zh=id, en=id), None, part_of)


def sector(code: str, unallocated: bool = False) -> Sector:
    return Sector(code, Text.of(zh=code, en=code), Text.of(zh=code, en=code), 1, unallocated, "T")


def fact(
    amount: str,
    source: str = "T",
    phase: BudgetPhase = BudgetPhase.EXECUTED,
    sector: str | None = None,
    result: str | None = None,
    cost_category: str | None = None,
) -> BudgetFact:
    return BudgetFact(
        phase,
        None,
        sector,
        result,
        cost_category,
        None,
        None,
        Decimal(amount),
        Unit.THOUSAND,
        source,
    )


def figure(
    id: str,
    value: str,
    source: str = "T",
    measure: str = "expenditure",
    phase: str | None = "executed",
    sector: str | None = None,
    result: str | None = None,
    unit: FigureUnit = FigureUnit.THOUSAND,
    excludes: str | None = None,
    note: str | None = None,
) -> PublishedFigure:
    return PublishedFigure(
        id,
        measure,
        phase,
        None,
        sector,
        result,
        None,
        None,
        None,
        excludes,
        Decimal(value),
        unit,
        note,
        source,
    )


def dataset(
    *records: object, sources: tuple[Source, ...] = (), sectors: tuple[Sector, ...] = ()
) -> Dataset:
    facts = tuple(r for r in records if isinstance(r, BudgetFact))
    figures = tuple(r for r in records if isinstance(r, PublishedFigure))
    names = {f.source for f in facts} | {p.source for p in figures}
    known = {s.id for s in sources}
    all_sources = sources + tuple(source(n) for n in sorted(names - known))
    return Dataset(
        BIENNIUM,
        sources=all_sources,
        sectors=sectors,
        budget_facts=facts,
        published_figures=figures,
    )
