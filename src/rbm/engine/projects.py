"""Capital master plan projects and trust funds: utilization, balances, progress, and the
trust-fund identity (opening + income − expenditure = closing, to the centime)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.enums import DeliverableStatus
from rbm.domain.money import round_half_up
from rbm.domain.projects import CapitalProject, Deliverable, TrustFund
from rbm.engine.finance.ratios import percent


@dataclass(frozen=True)
class ProjectFigures:
    """A project's summary line as the CMP table computes it (in the project's unit)."""

    project: str
    budget: Decimal
    expenditure: Decimal  # to the end of the previous biennium and in this one
    remaining: Decimal
    utilization: Decimal | None  # expenditure ÷ budget, whole percent


def project_figures(project: CapitalProject) -> ProjectFigures:
    spent = project.expenditure_prior + project.expenditure_current
    return ProjectFigures(
        project.id,
        project.budget,
        spent,
        project.budget - spent,
        percent(spent, project.budget),
    )


def total_figures(name: str, projects: Iterable[CapitalProject]) -> ProjectFigures:
    """A subtotal or total line: sums of the projects' lines, utilization of the sums."""
    chosen = list(projects)
    budget = sum((p.budget for p in chosen), Decimal(0))
    spent = sum((p.expenditure_prior + p.expenditure_current for p in chosen), Decimal(0))
    return ProjectFigures(name, budget, spent, budget - spent, percent(spent, budget))


def deliverable_utilization(deliverable: Deliverable) -> Decimal | None:
    """Expenditure ÷ adjusted budget (the budget when the report gives no adjusted one)."""
    basis = deliverable.adjusted_budget or deliverable.budget
    if deliverable.expenditure is None or not basis:
        return None
    return percent(deliverable.expenditure, basis)


def weighted_progress(deliverables: Sequence[Deliverable]) -> Decimal | None:
    """Progress weighted by adjusted budget, shown beside the published overall progress
    (which is a judgement, not this average)."""
    weighted = [
        (d.progress, d.adjusted_budget or d.budget)
        for d in deliverables
        if d.progress is not None and (d.adjusted_budget or d.budget)
    ]
    weight = sum((w for _, w in weighted if w), Decimal(0))
    if not weight:
        return None
    return round_half_up(sum((p * w for p, w in weighted if w), Decimal(0)) / weight, 1)


def status_distribution(deliverables: Iterable[Deliverable]) -> dict[DeliverableStatus, int]:
    counts = Counter(d.status for d in deliverables)
    return {status: counts.get(status, 0) for status in DeliverableStatus}


@dataclass(frozen=True)
class FundFigures:
    code: str
    income: Decimal  # receipts + interest + other income
    expenditure: Decimal  # staff + other direct costs + administrative support
    closing: Decimal  # opening + income − expenditure
    difference: Decimal  # the printed closing balance − the computed one
    admin_rate: Decimal | None  # administrative support ÷ direct costs, one decimal


def fund_figures(fund: TrustFund) -> FundFigures:
    income = fund.receipts + fund.interest + fund.other_income
    direct = fund.staff_costs + fund.other_direct_costs
    expenditure = direct + fund.admin_support
    closing = fund.opening_balance + income - expenditure
    return FundFigures(
        fund.code,
        income,
        expenditure,
        closing,
        fund.closing_balance - closing,
        percent(fund.admin_support, direct, 1) if direct else None,
    )
