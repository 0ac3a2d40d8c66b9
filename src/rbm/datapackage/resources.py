"""The resources of an rbm data package: one definition drives the CSV reader, the
Table Schema in datapackage.json, the store's tables and the domain objects."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, cached_property

from rbm.datapackage.fields import Field, ForeignKey
from rbm.domain import enums as e
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
from rbm.domain.organization import Source
from rbm.domain.projects import (
    Benefit,
    CapitalProject,
    Deliverable,
    ProjectRisk,
    TrustFund,
    TrustFundResult,
)
from rbm.domain.risks import Risk

CODE = r"^[A-Za-z0-9](?:[A-Za-z0-9_. /-]*[A-Za-z0-9])?$"
ZERO = Decimal(0)


@cache
def _columns(resource: Resource, langs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for f in resource.fields for c in f.columns(langs))


@dataclass(frozen=True)
class Resource:
    """A table of the package: `data/NAME.csv` with these fields, keys and references."""

    name: str
    model: type
    fields: tuple[Field, ...]
    title: str
    primary_key: tuple[str, ...] = ()
    unique: tuple[tuple[str, ...], ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def path(self) -> str:
        return f"data/{self.name}.csv"

    def columns(self, langs: Sequence[str]) -> tuple[str, ...]:
        """The package's columns for a package in `langs` (a text field has one a language)."""
        return _columns(self, tuple(langs))

    def keys(self, langs: Sequence[str]) -> tuple[tuple[str, ...], ...]:
        """The primary key and unique keys as columns; a key with a text field is checked in
        each language."""
        keys = [self.primary_key, *self.unique] if self.primary_key else list(self.unique)
        out = []
        for key in keys:
            for lang in langs if any(self.by_name[n].kind == "text" for n in key) else langs[:1]:
                out.append(tuple(self.by_name[n].columns((lang,))[0] for n in key))
        return tuple(out)

    @cached_property
    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}


def _source() -> Field:
    return Field("source", description="where the fact comes from, an id of `sources`")


def _fk(name: str, resource: str, key: str = "code") -> ForeignKey:
    return ForeignKey((name,), resource, (key,))


_SOURCE_FK = _fk("source", "sources", "id")


def _amount(name: str = "amount", required: bool = True, minimum: Decimal | None = None) -> Field:
    return Field(name, "number", required=required, minimum=minimum)


_UNIT = (
    "a money unit is the package's currency (`rbm.currency`) after a scale prefix: none "
    "(units), `k` (thousands) or `M` (millions), as the source prints the amount"
)


def _unit() -> Field:
    return Field("unit", enum=e.Unit, description=_UNIT)


RESOURCES: tuple[Resource, ...] = (
    Resource(
        "sources",
        Source,
        (
            Field("id", max_length=64),
            Field("kind", enum=e.SourceKind),
            Field("title", "text"),
            Field("lines", required=False, description="line range in the source text"),
            Field("part_of", required=False, description="the section or table it belongs to"),
            Field(
                "label",
                "text",
                required=False,
                description="how a report cites it (`Table 2`): its id where left out",
            ),
        ),
        "Source references: the tables, figures and annexes that facts cite",
        primary_key=("id",),
        foreign_keys=(_fk("part_of", "sources", "id"),),
    ),
    Resource(
        "pillars",
        Pillar,
        (
            Field("code", pattern=CODE),
            Field("order", "integer"),
            Field("name", "text"),
            _source(),
        ),
        "Strategic pillars and the Foundation",
        primary_key=("code",),
        foreign_keys=(_SOURCE_FK,),
    ),
    Resource(
        "results",
        ExpectedResult,
        (
            Field("code", pattern=CODE),
            Field("pillar"),
            Field("order", "integer"),
            Field("title", "text"),
            _source(),
        ),
        "Expected results",
        primary_key=("code",),
        foreign_keys=(_fk("pillar", "pillars"), _SOURCE_FK),
    ),
    Resource(
        "sectors",
        Sector,
        (
            Field("code", pattern=CODE),
            Field("short", "text"),
            Field("name", "text"),
            Field("order", "integer"),
            Field("unallocated", "boolean"),
            _source(),
        ),
        "Sectors, and the unallocated pseudo-sector",
        primary_key=("code",),
        unique=(("short",), ("name",)),
        foreign_keys=(_SOURCE_FK,),
    ),
    Resource(
        "unions",
        FundingUnion,
        (Field("code", pattern=CODE), Field("name", "text"), Field("order", "integer"), _source()),
        "Unions and financing sources",
        primary_key=("code",),
        foreign_keys=(_SOURCE_FK,),
    ),
    Resource(
        "cost_categories",
        CostCategory,
        (
            Field("code", pattern=CODE),
            Field("parent", required=False),
            Field("name", "text"),
            Field("order", "integer"),
            Field("personnel", "boolean", required=False),
            _source(),
        ),
        "Cost-category hierarchy",
        primary_key=("code",),
        foreign_keys=(_fk("parent", "cost_categories"), _SOURCE_FK),
    ),
    Resource(
        "indicators",
        Indicator,
        (
            Field("id", pattern=CODE),
            Field("result"),
            Field("order", "integer"),
            Field("text", "text"),
            _source(),
        ),
        "Performance indicators",
        primary_key=("id",),
        foreign_keys=(_fk("result", "results"), _SOURCE_FK),
    ),
    Resource(
        "indicator_sectors",
        IndicatorSector,
        (Field("indicator"), Field("sector"), _source()),
        "Sectors contributing to an indicator",
        primary_key=("indicator", "sector"),
        foreign_keys=(
            _fk("indicator", "indicators", "id"),
            _fk("sector", "sectors"),
            _SOURCE_FK,
        ),
    ),
    Resource(
        "pies",
        Pie,
        (
            Field("id", pattern=CODE),
            Field("indicator"),
            Field("order", "integer"),
            Field("segment", "text", required=False),
            # as the source prints them, in its language; a translation is optional
            Field("baseline_text", "text", required=False),
            Field("baseline_value", "number", required=False),
            Field("baseline_unit", required=False),
            Field("baseline_period", required=False),
            Field("target_text", "text", translated=False),
            Field("target_kind", enum=e.TargetKind),
            Field("target_params", "object", required=False),
            Field("actual_text", "text", required=False),
            Field("actual_value", "number", required=False),
            Field("actual_unit", required=False),
            Field("actual_period", required=False),
            Field("actual_flags", required=False),
            Field("response_rate", "number", required=False, minimum=ZERO),
            Field("confidence_interval", required=False),
            Field(
                "published_mark",
                required=False,
                description="the rating mark as printed, a key of the `marks` setting",
            ),
            Field("assessor_rating", required=False, enum=e.Rating),
            Field("assessor_justification", "text", required=False),
            Field(
                "assessor_basis",
                required=False,
                enum=e.AssessorBasis,
                description="what the assessor rating rests on; empty: a review",
            ),
            Field("reading_note", required=False),
            _source(),
        ),
        "Performance indicator evaluations: one target of an indicator each",
        primary_key=("id",),
        foreign_keys=(_fk("indicator", "indicators", "id"), _SOURCE_FK),
    ),
    Resource(
        "footnotes",
        Footnote,
        (
            Field("id", pattern=CODE),
            Field("scope", enum=e.FootnoteScope),
            Field("ref"),
            Field("number", "integer", required=False),
            Field("kind", enum=e.FootnoteKind),
            Field("text", "text"),
            _source(),
        ),
        "Footnotes attached to indicators, PIEs, risks, sources or projects",
        primary_key=("id",),
        foreign_keys=(_SOURCE_FK,),
    ),
    Resource(
        "narratives",
        Narrative,
        (
            Field("id", pattern=CODE),
            Field("ref", description="the id of the report section or block it introduces"),
            Field("order", "integer"),
            Field("heading", "text", required=False),
            Field("text", "text"),
            _source(),
        ),
        "Narratives in our own words, a paragraph a row, placed by the report part they belong to",
        primary_key=("id",),
        foreign_keys=(_SOURCE_FK,),
    ),
    Resource(
        "narrative_figures",
        NarrativeFigure,
        (
            Field("id", pattern=CODE),
            Field("narrative"),
            Field("value", "number"),
            Field("half", "number", required=False, minimum=ZERO),
            Field("compares", enum=e.NarrativeRef),
            Field("ref", description="the PIE's or the printed figure's id"),
            _source(),
        ),
        "Figures the narratives quote, each against the table cell that gives it",
        primary_key=("id",),
        foreign_keys=(_fk("narrative", "narratives", "id"), _SOURCE_FK),
    ),
    Resource(
        "highlights",
        Highlight,
        (
            Field("id", pattern=CODE),
            Field("pillar"),
            Field("order", "integer"),
            Field("figure"),
            Field("text", "text"),
            _source(),
        ),
        "Results at a glance, per pillar",
        primary_key=("id",),
        foreign_keys=(_fk("pillar", "pillars"), _SOURCE_FK),
    ),
    Resource(
        "risks",
        Risk,
        (
            Field("id", pattern=CODE),
            Field("kind", enum=e.RiskKind),
            Field("result", required=False),
            Field("owner_sector", required=False),
            Field("order", "integer"),
            Field("risk", "text"),
            Field("mitigation", "text"),
            Field("materialized", "boolean", required=False),
            Field("exposure", required=False, enum=e.Exposure),
            Field("effectiveness", required=False, enum=e.Effectiveness),
            Field("impact", required=False, enum=e.Impact),
            Field("appetite", required=False, enum=e.Appetite),
            _source(),
        ),
        "Risks per expected result and organizational risks",
        primary_key=("id",),
        foreign_keys=(_fk("result", "results"), _fk("owner_sector", "sectors"), _SOURCE_FK),
    ),
    Resource(
        "budget_facts",
        BudgetFact,
        (
            Field("phase", enum=e.BudgetPhase),
            Field("year", "year", required=False),
            Field("sector", required=False),
            Field("result", required=False),
            Field("cost_category", required=False),
            Field("union", required=False),
            Field("funding", required=False),
            _amount(),
            _unit(),
            _source(),
        ),
        "Budget and expenditure facts; an empty dimension means all",
        unique=(
            (
                "phase",
                "year",
                "sector",
                "result",
                "cost_category",
                "union",
                "funding",
                "source",
            ),
        ),
        foreign_keys=(
            _fk("sector", "sectors"),
            _fk("result", "results"),
            _fk("cost_category", "cost_categories"),
            _fk("union", "unions"),
            _SOURCE_FK,
        ),
    ),
    Resource(
        "transfers",
        Transfer,
        (
            Field("sector"),
            _amount("transfers_in", minimum=ZERO),
            _amount("transfers_out", minimum=ZERO),
            _unit(),
            _source(),
        ),
        "Budget transfers into and out of each sector",
        primary_key=("sector",),
        foreign_keys=(_fk("sector", "sectors"), _SOURCE_FK),
    ),
    Resource(
        "income_categories",
        IncomeCategory,
        (
            Field("code", pattern=CODE),
            Field("parent", required=False),
            Field("name", "text"),
            Field("order", "integer"),
            _source(),
        ),
        "Income sources hierarchy",
        primary_key=("code",),
        foreign_keys=(_fk("parent", "income_categories"), _SOURCE_FK),
    ),
    Resource(
        "income_facts",
        IncomeFact,
        (
            Field("phase", enum=e.IncomePhase),
            Field("year", "year", required=False),
            Field("category"),
            Field("union", required=False),
            _amount(),
            _unit(),
            _source(),
        ),
        "Income estimates and actuals",
        unique=(("phase", "year", "category", "union", "source"),),
        foreign_keys=(
            _fk("category", "income_categories"),
            _fk("union", "unions"),
            _SOURCE_FK,
        ),
    ),
    Resource(
        "demand_volumes",
        DemandVolume,
        (
            Field("union"),
            Field("measure", pattern=CODE),
            Field("phase", enum=e.DemandPhase),
            Field("year", "year", required=False),
            Field("value", "number", minimum=ZERO),
            _source(),
        ),
        "Demand for the registration systems",
        unique=(("union", "measure", "phase", "year", "source"),),
        foreign_keys=(_fk("union", "unions"), _SOURCE_FK),
    ),
    Resource(
        "financial_lines",
        FinancialLine,
        (
            Field("code", pattern=CODE),
            Field("name", "text"),
            Field("order", "integer"),
            _source(),
            Field(
                "formula",
                required=False,
                description="the line as a sum of others (`a + b - c`; `;` between ways)",
            ),
        ),
        "Lines of the key financial data",
        primary_key=("code",),
        foreign_keys=(_SOURCE_FK,),
    ),
    Resource(
        "key_financials",
        KeyFinancial,
        (
            Field("line"),
            Field("union", required=False),
            Field("phase", enum=e.FinancialPhase),
            Field("year", "year", required=False),
            _amount(),
            _unit(),
            _source(),
        ),
        "Key financial data for the organization or a union",
        unique=(("line", "union", "phase", "year", "source"),),
        foreign_keys=(_fk("line", "financial_lines"), _fk("union", "unions"), _SOURCE_FK),
    ),
    Resource(
        "posts",
        PostCount,
        (
            Field("sector"),
            Field("grade"),
            Field("phase", enum=e.PostPhase),
            Field("count", "number", minimum=ZERO),
            _source(),
        ),
        "Posts by sector and grade",
        primary_key=("sector", "grade", "phase"),
        foreign_keys=(_fk("sector", "sectors"), _SOURCE_FK),
    ),
    Resource(
        "development_expenditure",
        DevelopmentExpenditure,
        (
            Field("phase", enum=e.BudgetPhase),
            Field("result", required=False),
            Field("sector", required=False),
            Field("item", "text", required=False),
            _amount(minimum=ZERO),
            _unit(),
            _source(),
        ),
        "Development expenditure",
        unique=(("phase", "result", "sector", "item", "source"),),
        foreign_keys=(_fk("result", "results"), _fk("sector", "sectors"), _SOURCE_FK),
    ),
    Resource(
        "published_figures",
        PublishedFigure,
        (
            Field("id", pattern=CODE),
            Field("measure", pattern=CODE),
            Field("phase", required=False),
            Field("year", "year", required=False),
            Field("sector", required=False),
            Field("result", required=False),
            Field("cost_category", required=False),
            Field("union", required=False),
            Field("item", required=False, description="line, category, grade or measure code"),
            Field("excludes", required=False, description="sector codes left out, ;-separated"),
            Field("value", "number"),
            Field("unit", enum=e.FigureUnit, description=_UNIT),
            Field("note", required=False),
            _source(),
        ),
        "Totals and percentages as the source prints them, kept for reconciliation",
        primary_key=("id",),
        foreign_keys=(
            _fk("sector", "sectors"),
            _fk("result", "results"),
            _fk("cost_category", "cost_categories"),
            _fk("union", "unions"),
            _SOURCE_FK,
        ),
    ),
    Resource(
        "system_indicators",
        SystemIndicator,
        (
            Field("union"),
            Field("measure", pattern=CODE),
            Field("segment", "text", required=False),
            Field("period"),
            Field("value", "number"),
            Field("unit"),
            _source(),
        ),
        "Registration-system indicators (PCT, Madrid, Hague, Lisbon)",
        unique=(("union", "measure", "segment", "period", "source"),),
        foreign_keys=(_fk("union", "unions"), _SOURCE_FK),
    ),
    Resource(
        "capital_projects",
        CapitalProject,
        (
            Field("id", pattern=CODE),
            Field("order", "integer"),
            Field("name", "text"),
            Field("category", enum=e.ProjectCategory),
            Field("report_kind", required=False, enum=e.ReportKind),
            Field("business_case", required=False),
            _amount("budget", minimum=ZERO),
            _amount("expenditure_prior", minimum=ZERO),
            _amount("expenditure_current", minimum=ZERO),
            Field("completed", "boolean"),
            Field("closed", "boolean"),
            _amount("balance_returned", required=False),
            _amount("annual_recurring_cost", required=False, minimum=ZERO),
            Field("overall_progress", "number", required=False, minimum=ZERO),
            Field("objectives", "text", required=False),
            Field("achievements", "text", required=False),
            Field("timeline", "text", required=False),
            Field("lessons", "text", required=False),
            _unit(),
            _source(),
        ),
        "Capital master plan projects",
        primary_key=("id",),
        foreign_keys=(_SOURCE_FK,),
    ),
    Resource(
        "project_deliverables",
        Deliverable,
        (
            Field("project"),
            Field("id", pattern=CODE),
            Field("order", "integer"),
            Field("name", "text"),
            Field("status", enum=e.DeliverableStatus),
            _amount("budget", required=False, minimum=ZERO),
            _amount("adjusted_budget", required=False, minimum=ZERO),
            _amount("expenditure", required=False, minimum=ZERO),
            Field("progress", "number", required=False, minimum=ZERO),
            _unit(),
            _source(),
        ),
        "Deliverables of capital projects",
        primary_key=("project", "id"),
        foreign_keys=(_fk("project", "capital_projects", "id"), _SOURCE_FK),
    ),
    Resource(
        "project_benefits",
        Benefit,
        (
            Field("project"),
            Field("id", pattern=CODE),
            Field("order", "integer"),
            Field("result", required=False),
            Field("description", "text"),
            Field("kpi", "text", required=False),
            Field("baseline", "text", required=False),  # each as printed
            Field("target", "text", required=False),
            Field("performance", "text", required=False),
            _source(),
        ),
        "Benefits of capital projects",
        primary_key=("project", "id"),
        foreign_keys=(
            _fk("project", "capital_projects", "id"),
            _fk("result", "results"),
            _SOURCE_FK,
        ),
    ),
    Resource(
        "project_risks",
        ProjectRisk,
        (
            Field("project"),
            Field("id", pattern=CODE),
            Field("order", "integer"),
            Field("risk", "text"),
            Field("mitigation", "text"),
            _source(),
        ),
        "Risks of capital projects",
        primary_key=("project", "id"),
        foreign_keys=(_fk("project", "capital_projects", "id"), _SOURCE_FK),
    ),
    Resource(
        "trust_funds",
        TrustFund,
        (
            Field("code", pattern=CODE),
            Field("name", "text"),
            Field("donor", "text"),
            Field("sector", required=False),
            _amount("opening_balance"),
            _amount("receipts"),
            _amount("interest"),
            _amount("other_income"),
            _amount("staff_costs"),
            _amount("other_direct_costs"),
            _amount("admin_support"),
            _amount("closing_balance"),
            _unit(),
            _source(),
        ),
        "Trust funds and their financial statements",
        primary_key=("code",),
        foreign_keys=(_fk("sector", "sectors"), _SOURCE_FK),
    ),
    Resource(
        "trust_fund_results",
        TrustFundResult,
        (
            Field("fund"),
            Field("id", pattern=CODE),
            Field("order", "integer"),
            Field("result", required=False),
            Field("indicator", "text"),
            Field("outcome", "text"),
            Field("beneficiaries", "text", required=False),
            _source(),
        ),
        "Results of the trust funds",
        primary_key=("fund", "id"),
        foreign_keys=(_fk("fund", "trust_funds"), _fk("result", "results"), _SOURCE_FK),
    ),
)

BY_NAME: dict[str, Resource] = {r.name: r for r in RESOURCES}

# A package without these has nothing to report on.
REQUIRED_RESOURCES: tuple[str, ...] = ("sources", "pillars", "results", "sectors")
