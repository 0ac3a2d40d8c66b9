"""Transfers per sector and the FR 3.4 limit on both bases, from a dataset."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase
from rbm.domain.finance import BudgetFact
from rbm.engine.finance.rollup import rollup
from rbm.engine.finance.transfers import (
    Breach,
    Fr34Rule,
    TransferBasis,
    TransferLine,
    fr34_breaches,
    transfer_lines,
)


@dataclass(frozen=True)
class TransferReport:
    lines: tuple[TransferLine, ...]
    approved: dict[str, Decimal]  # each sector's P&B (its biennial allotment), in thousands
    limits: dict[str, Decimal]
    breaches: dict[TransferBasis, tuple[Breach, ...]]

    def to_dict(self, basis: TransferBasis) -> dict[str, Any]:
        return {
            "basis": basis.value,
            "lines": [
                {
                    "sector": line.sector,
                    "in": float(line.transfers_in),
                    "out": float(line.transfers_out),
                    "net": float(line.net),
                    "pct_sector": None if line.pct_sector is None else float(line.pct_sector),
                    "pct_total": None if line.pct_total is None else float(line.pct_total),
                    "limit": float(self.limits[line.sector])
                    if line.sector in self.limits
                    else None,
                }
                for line in self.lines
            ],
            "breaches": {
                b.value: [
                    {"sector": x.sector, "amount": float(x.amount), "limit": float(x.limit)}
                    for x in self.breaches[b]
                ]
                for b in TransferBasis
            },
        }


def by_sector(dataset: Dataset, phase: BudgetPhase = BudgetPhase.APPROVED) -> dict[str, Decimal]:
    """Each sector's budget or expenditure (in thousands of the currency) in `phase`, from one
    source: the first that splits it by result, else the first that gives it whole. Facts by
    year, cost category or funding are other breakdowns of the same amounts and are left
    aside."""
    by_sector: dict[str, dict[str, list[BudgetFact]]] = defaultdict(lambda: defaultdict(list))
    for fact in dataset.budget_facts:
        if (
            fact.phase == phase
            and fact.sector is not None
            and fact.year is None
            and fact.cost_category is None
            and fact.funding is None
        ):
            by_sector[fact.sector][fact.source].append(fact)
    chosen = [
        fact
        for sources in by_sector.values()
        for fact in next(
            (facts for facts in sources.values() if any(f.result for f in facts)),
            next(iter(sources.values())),
        )
    ]
    return {str(sector): total for (sector,), total in rollup(chosen, ("sector",)).items()}


FR34 = Fr34Rule()


def transfer_report(dataset: Dataset, rule: Fr34Rule = FR34) -> TransferReport:
    approved = by_sector(dataset)
    lines = tuple(transfer_lines(dataset.transfers, approved))
    total = sum(approved.values(), Decimal(0))
    limits = {
        sector: max(amount * rule.sector_share, total * rule.total_share)
        for sector, amount in approved.items()
    }
    breaches = {b: tuple(fr34_breaches(lines, approved, b, rule)) for b in TransferBasis}
    return TransferReport(lines, approved, limits, breaches)
