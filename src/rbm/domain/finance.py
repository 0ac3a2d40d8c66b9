"""Finance facts, each at the grain its source gives it; totals are computed, not stored."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.enums import (
    BudgetPhase,
    DemandPhase,
    FigureUnit,
    FinancialPhase,
    IncomePhase,
    PostPhase,
    Unit,
)
from rbm.domain.text import Text


@dataclass(frozen=True, slots=True)
class FundingUnion:
    """A union or financing source (contribution-financed, PCT, Madrid, Hague, Lisbon)."""

    code: str
    name: Text
    order: int
    source: str


@dataclass(frozen=True, slots=True)
class CostCategory:
    """A node of the cost-category hierarchy (A personnel, B non-personnel, groups, items)."""

    code: str
    parent: str | None
    name: Text
    order: int
    personnel: bool | None
    source: str


@dataclass(frozen=True, slots=True)
class BudgetFact:
    """An amount in one phase; a dimension left empty means 'all' at this fact's grain."""

    phase: BudgetPhase
    year: int | None
    sector: str | None
    result: str | None
    cost_category: str | None
    union: str | None
    funding: str | None
    amount: Decimal
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class Transfer:
    """Budget transferred into and out of a sector during the period."""

    sector: str
    transfers_in: Decimal
    transfers_out: Decimal
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class IncomeCategory:
    code: str
    parent: str | None
    name: Text
    order: int
    source: str


@dataclass(frozen=True, slots=True)
class IncomeFact:
    phase: IncomePhase
    year: int | None
    category: str
    union: str | None
    amount: Decimal
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class DemandVolume:
    """Demand for a registration system (applications, registrations, renewals)."""

    union: str
    measure: str
    phase: DemandPhase
    year: int | None
    value: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class FinancialLine:
    """A line of the key financial data (income, expenditure, IPSAS adjustments...)."""

    code: str
    name: Text
    order: int
    source: str
    formula: str | None = None  # `a + b - c` of other lines' codes; `;` between alternatives


@dataclass(frozen=True, slots=True)
class KeyFinancial:
    """A key financial figure for the organization (union empty) or one union."""

    line: str
    union: str | None
    phase: FinancialPhase
    year: int | None
    amount: Decimal
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class PostCount:
    sector: str
    grade: str  # DG/DDG/ADG, D, P, G
    phase: PostPhase
    count: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class DevelopmentExpenditure:
    """Development expenditure (A/55/4 definition) at the grain the source gives it."""

    phase: BudgetPhase
    result: str | None
    sector: str | None
    item: Text  # a development-agenda project or trust-fund line; empty for plain facts
    amount: Decimal
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class PublishedFigure:
    """A total or percentage exactly as the source prints it, kept only for reconciliation."""

    id: str
    measure: str
    phase: str | None
    year: int | None
    sector: str | None
    result: str | None
    cost_category: str | None
    union: str | None
    item: str | None  # a line, category, grade or measure code the figure is about
    excludes: str | None  # ";"-separated sector codes a total leaves out (the unallocated line)
    value: Decimal
    unit: FigureUnit
    note: str | None
    source: str


@dataclass(frozen=True, slots=True)
class SystemIndicator:
    """A registration-system indicator (PCT, Madrid, Hague, Lisbon annexes) for one period."""

    union: str
    measure: str
    segment: Text  # e.g. a receiving office; empty for the system as a whole
    period: str  # a year or a biennium, as the source prints it
    value: Decimal
    unit: str  # count, percent, or a money unit
    source: str
