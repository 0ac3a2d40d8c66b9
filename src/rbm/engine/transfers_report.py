"""Transfers per sector and the limit of the package's transfer rule on both bases, from a
dataset; a package without a transfer rule has no limits and no breaches."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase
from rbm.domain.finance import BudgetFact
from rbm.domain.settings import TransferBasis
from rbm.engine.finance.grain import Cube
from rbm.engine.finance.rollup import rollup
from rbm.engine.finance.transfers import (
    Breach,
    TransferLimit,
    TransferLine,
    breaches,
    transfer_lines,
)


@dataclass(frozen=True)
class TransferReport:
    lines: tuple[TransferLine, ...]
    approved: dict[str, Decimal]  # each sector's P&B (its biennial allotment), in thousands
    limits: dict[str, Decimal]  # empty when there is no transfer rule
    breaches: dict[TransferBasis, tuple[Breach, ...]]  # on each basis; () without a rule
    rule: TransferLimit | None = None

    @property
    def basis(self) -> TransferBasis:
        """The basis the rule compares on (net without a rule)."""
        return TransferBasis.NET if self.rule is None else self.rule.basis

    def to_dict(self, basis: TransferBasis | None = None) -> dict[str, Any]:
        basis = basis or self.basis
        return {
            "basis": basis.value,
            "rule": None
            if self.rule is None
            else {
                "sector_share": float(self.rule.sector_share),
                "total_share": float(self.rule.total_share),
                "basis": self.rule.basis.value,
            },
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
    aside, unless the package has no other: a ledger at a finer grain is rolled up to each
    sector (`grain.Cube`)."""
    by_sector: dict[str, dict[str, list[BudgetFact]]] = defaultdict(lambda: defaultdict(list))
    for fact in dataset.all_budget_facts:
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
    if not chosen:
        cube = Cube(dataset.all_budget_facts)
        sectors = dict.fromkeys(
            f.sector for f in dataset.all_budget_facts if f.phase == phase and f.sector is not None
        )
        cells = {sector: cube.cell(phase, {"sector": sector}).value for sector in sectors}
        return {sector: value for sector, value in cells.items() if value is not None}
    return {str(sector): total for (sector,), total in rollup(chosen, ("sector",)).items()}


def transfer_report(dataset: Dataset, rule: TransferLimit | None = None) -> TransferReport:
    """Transfers against `rule`, or the package's transfer rule when none is given; without
    either there are no limits and no breaches."""
    package_rule = dataset.biennium.settings.transfer_rule
    if rule is None and package_rule is not None:
        rule = TransferLimit.of(package_rule)
    approved = by_sector(dataset)
    lines = tuple(transfer_lines(dataset.transfers, approved))
    if rule is None:
        return TransferReport(lines, approved, {}, {b: () for b in TransferBasis})
    total = sum(approved.values(), Decimal(0))
    limits = {sector: rule.limit(amount, total) for sector, amount in approved.items()}
    found = {b: tuple(breaches(lines, approved, b, rule)) for b in TransferBasis}
    return TransferReport(lines, approved, limits, found, rule)
