"""Capital master plan projects and trust funds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.enums import DeliverableStatus, ProjectCategory, ReportKind, Unit
from rbm.domain.text import Text


@dataclass(frozen=True, slots=True)
class CapitalProject:
    """A reserve-funded project; summaries of its report are in our own words."""

    id: str  # e.g. "CMP 36"
    order: int
    name: Text
    category: ProjectCategory
    report_kind: ReportKind | None  # None: no report in this document
    business_case: str | None  # the document holding the business case
    budget: Decimal
    expenditure_prior: Decimal  # to the end of the previous biennium
    expenditure_current: Decimal  # in this biennium
    completed: bool
    closed: bool
    balance_returned: Decimal | None  # to the accumulated surplus
    annual_recurring_cost: Decimal | None
    overall_progress: Decimal | None  # percent, as published (not a weighted average)
    objectives: Text
    achievements: Text
    timeline: Text
    lessons: Text
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class Deliverable:
    project: str
    id: str
    order: int
    name: Text
    status: DeliverableStatus
    budget: Decimal | None
    adjusted_budget: Decimal | None
    expenditure: Decimal | None
    progress: Decimal | None
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class Benefit:
    project: str
    id: str
    order: int
    result: str | None
    description: Text
    kpi: Text
    baseline: Text  # each as printed
    target: Text
    performance: Text
    source: str


@dataclass(frozen=True, slots=True)
class ProjectRisk:
    project: str
    id: str
    order: int
    risk: Text
    mitigation: Text
    source: str


@dataclass(frozen=True, slots=True)
class TrustFund:
    """A trust fund; opening + income − expenditure = closing, to the centime."""

    code: str
    name: Text
    donor: Text
    sector: str | None
    opening_balance: Decimal
    receipts: Decimal
    interest: Decimal
    other_income: Decimal
    staff_costs: Decimal
    other_direct_costs: Decimal
    admin_support: Decimal
    closing_balance: Decimal
    unit: Unit
    source: str


@dataclass(frozen=True, slots=True)
class TrustFundResult:
    """One row of a trust fund's results table."""

    fund: str
    id: str
    order: int
    result: str | None  # the expected result the row is grouped under
    indicator: Text
    outcome: Text  # the main results of the year, in our own words
    beneficiaries: Text  # beneficiary countries by region
    source: str
