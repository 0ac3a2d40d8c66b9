"""A whole data package as plain domain objects: what the engine computes over."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from functools import cached_property
from typing import Any

from rbm.domain.finance import (
    BudgetFact,
    CostCategory,
    DemandVolume,
    DevelopmentExpenditure,
    FinancialLine,
    FundingUnion,
    IncomeCategory,
    IncomeFact,
    KeyFinancial,
    PostCount,
    PublishedFigure,
    SystemIndicator,
    Transfer,
)
from rbm.domain.framework import (
    ExpectedResult,
    Footnote,
    Highlight,
    Indicator,
    IndicatorSector,
    Narrative,
    NarrativeFigure,
    Pie,
    Pillar,
    Sector,
)
from rbm.domain.organization import Biennium, Source
from rbm.domain.projects import (
    Benefit,
    CapitalProject,
    Deliverable,
    ProjectRisk,
    TrustFund,
    TrustFundResult,
)
from rbm.domain.risks import Risk


@dataclass(frozen=True)
class Dataset:
    """One organization's biennium; each field after `biennium` is one package resource."""

    biennium: Biennium
    sources: tuple[Source, ...] = ()
    pillars: tuple[Pillar, ...] = ()
    results: tuple[ExpectedResult, ...] = ()
    sectors: tuple[Sector, ...] = ()
    unions: tuple[FundingUnion, ...] = ()
    cost_categories: tuple[CostCategory, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    indicator_sectors: tuple[IndicatorSector, ...] = ()
    pies: tuple[Pie, ...] = ()
    footnotes: tuple[Footnote, ...] = ()
    narratives: tuple[Narrative, ...] = ()
    narrative_figures: tuple[NarrativeFigure, ...] = ()
    highlights: tuple[Highlight, ...] = ()
    risks: tuple[Risk, ...] = ()
    budget_facts: tuple[BudgetFact, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    income_categories: tuple[IncomeCategory, ...] = ()
    income_facts: tuple[IncomeFact, ...] = ()
    demand_volumes: tuple[DemandVolume, ...] = ()
    financial_lines: tuple[FinancialLine, ...] = ()
    key_financials: tuple[KeyFinancial, ...] = ()
    posts: tuple[PostCount, ...] = ()
    development_expenditure: tuple[DevelopmentExpenditure, ...] = ()
    published_figures: tuple[PublishedFigure, ...] = ()
    system_indicators: tuple[SystemIndicator, ...] = ()
    capital_projects: tuple[CapitalProject, ...] = ()
    project_deliverables: tuple[Deliverable, ...] = ()
    project_benefits: tuple[Benefit, ...] = ()
    project_risks: tuple[ProjectRisk, ...] = ()
    trust_funds: tuple[TrustFund, ...] = ()
    trust_fund_results: tuple[TrustFundResult, ...] = ()
    report_spec: Mapping[str, Any] | None = None  # the package's report layout, when it has one
    # executed facts the store summed from the expenditure ledger, at its finest grain
    ledger_facts: tuple[BudgetFact, ...] = ()

    def records(self, resource: str) -> tuple[object, ...]:
        """The objects of one resource, by its name."""
        value: tuple[object, ...] = getattr(self, resource)
        return value

    @cached_property
    def all_budget_facts(self) -> tuple[BudgetFact, ...]:
        """The package's budget facts, then those summed from its ledger."""
        return self.budget_facts + self.ledger_facts

    def counts(self) -> dict[str, int]:
        return {name: len(self.records(name)) for name in resource_names()}

    def with_records(self, **records: tuple[object, ...]) -> Dataset:
        return replace(self, **records)  # type: ignore[arg-type]

    @classmethod
    def build(
        cls,
        biennium: Biennium,
        records: Mapping[str, tuple[object, ...]],
        report_spec: Mapping[str, Any] | None = None,
    ) -> Dataset:
        """A dataset from resource name → records, as the reader and the store produce them."""
        unknown = set(records) - set(resource_names())
        if unknown:
            raise KeyError(f"not resources: {sorted(unknown)}")
        return cls(biennium, **records, report_spec=report_spec)  # type: ignore[arg-type]


def resource_names() -> tuple[str, ...]:
    """Dataset fields that hold resources, in dependency order."""
    return tuple(f.name for f in fields(Dataset) if f.name not in _NOT_RESOURCES)


_NOT_RESOURCES = ("biennium", "report_spec", "ledger_facts")
