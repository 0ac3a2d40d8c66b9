"""The financial headline figures: the key financial lines of the whole organization, and the
budget, final budget, expenditure and utilization over all sectors."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, FinancialPhase, Unit
from rbm.domain.money import convert
from rbm.engine.finance.identities import derive
from rbm.engine.finance.ratios import utilization
from rbm.engine.transfers_report import by_sector


@dataclass(frozen=True)
class Headlines:
    lines: dict[str, Decimal]  # key financial lines, actual, in thousands of the currency
    approved: Decimal
    adjusted: Decimal
    executed: Decimal
    utilization: Decimal | None


def key_lines(
    dataset: Dataset, phase: FinancialPhase = FinancialPhase.ACTUAL
) -> dict[str, Decimal]:
    """The organization's stored lines (in thousands of the currency) and every line the
    identities derive from them."""
    lines: dict[str, Decimal] = {}
    for fact in dataset.key_financials:
        if fact.union is None and fact.phase == phase and fact.year is None:
            lines.setdefault(fact.line, convert(fact.amount, fact.unit, Unit.THOUSAND))
    return derive(dataset.financial_lines, lines)


def _chosen(dataset: Dataset) -> tuple[str, ...]:
    """The lines the package's settings lead with; every line of the package without them."""
    return dataset.biennium.settings.headlines or tuple(
        line.code for line in dataset.financial_lines
    )


def headlines(dataset: Dataset) -> Headlines:
    totals = {phase: sum(by_sector(dataset, phase).values(), Decimal(0)) for phase in BudgetPhase}
    lines = key_lines(dataset)
    return Headlines(
        {name: lines[name] for name in _chosen(dataset) if name in lines},
        totals[BudgetPhase.APPROVED],
        totals[BudgetPhase.ADJUSTED],
        totals[BudgetPhase.EXECUTED],
        utilization(totals[BudgetPhase.EXECUTED], totals[BudgetPhase.ADJUSTED]),
    )
