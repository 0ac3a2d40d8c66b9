"""Reconciliation of the capital master plan and the trust funds:
summary lines against their arithmetic, subtotals against their projects, deliverable
tables against their totals, the CMP total against the unions' reserve-funded projects, and
each fund's balance."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from rbm.domain.dataset import Dataset
from rbm.domain.enums import FigureUnit, Unit
from rbm.domain.money import convert
from rbm.engine.finance.ratios import percent_range
from rbm.engine.projects import ProjectFigures, fund_figures, project_figures, total_figures
from rbm.engine.reconcile.facts import Figure
from rbm.engine.reconcile.findings import Finding, FindingClass, Side, classify, half_unit
from rbm.engine.reconcile.settings import Settings

PERCENT = FigureUnit.PERCENT

SUMMARY = {
    "project_budget": "budget",
    "project_expenditure_total": "expenditure",
    "project_remaining": "remaining",
    "project_utilization": "utilization",
}


def _published(fig: Figure) -> Side:
    p = fig.figure
    return Side(p.value, p.source, "published", p.id, half_unit(p.value))


def _finding(
    check: str,
    subject: dict[str, str],
    left: Side,
    right: Side,
    unit: FigureUnit,
    settings: Settings,
) -> Finding:
    if unit == FigureUnit.PERCENT:
        diff = abs(left.value - right.value)
        klass = FindingClass.EXACT if diff == 0 else FindingClass.DIFFERENCE
        return Finding(check, subject, left, right, unit, klass)
    return Finding(check, subject, left, right, unit, classify(left, right, settings.tolerance))


def projects(
    dataset: Dataset, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """Each printed summary figure against the project's (or group's) stored line."""
    by_id = {p.id: p for p in dataset.capital_projects}
    groups = {p.category.value for p in dataset.capital_projects}
    for fig in figures:
        p = fig.figure
        field = SUMMARY.get(p.measure)
        if field is None:
            continue
        item = p.item or ""
        members = (
            [by_id[item]]
            if item in by_id
            else [x for x in dataset.capital_projects if x.category.value == item]
            if item in groups
            else list(dataset.capital_projects)
            if not item
            else []
        )
        if not members:
            continue
        line: ProjectFigures = (
            project_figures(members[0]) if item in by_id else total_figures(item, members)
        )
        subject = {"measure": p.measure, "item": item or "total"}
        how = f"{field} of {len(members)} projects"
        if field == "utilization":
            yield _utilization(subject, fig, line, how, len(members), settings), fig
            continue
        parts = len(members) * (1 if field == "budget" else 2)
        computed = Side(getattr(line, field), p.source, "computed", how, Decimal("0.5") * parts)
        yield _finding("project", subject, _published(fig), computed, fig.unit, settings), fig


def _utilization(
    subject: dict[str, str],
    fig: Figure,
    line: ProjectFigures,
    how: str,
    projects: int,
    settings: Settings,
) -> Finding:
    """A printed utilization against expenditure ÷ budget, within what rounding allows."""
    printed = _published(fig)
    computed = Side(line.utilization or Decimal(0), fig.figure.source, "computed", how)
    if printed.value == computed.value:
        return Finding("project", subject, printed, computed, PERCENT, FindingClass.EXACT)
    bounds = percent_range(
        line.expenditure, Decimal("0.5") * 2 * projects, line.budget, Decimal("0.5") * projects
    )
    inside = bounds is not None and bounds[0] <= printed.value <= bounds[1]
    if settings.tolerance is not None:
        inside = abs(printed.value - computed.value) <= settings.tolerance
    klass = FindingClass.ROUNDING if inside else FindingClass.DIFFERENCE
    return Finding("project", subject, printed, computed, PERCENT, klass)


def deliverables(
    dataset: Dataset, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """A deliverable table's printed totals against the sum of its deliverables."""
    fields = {
        "deliverables_budget_total": "budget",
        "deliverables_adjusted_budget_total": "adjusted_budget",
        "deliverables_expenditure_total": "expenditure",
    }
    for fig in figures:
        p = fig.figure
        field = fields.get(p.measure)
        if field is None or not p.item:
            continue
        rows = [
            d
            for d in dataset.project_deliverables
            if d.project == p.item and getattr(d, field) is not None
        ]
        if not rows:
            continue
        amount = sum(
            (convert(getattr(d, field), d.unit, Unit(p.unit.value)) for d in rows), Decimal(0)
        )
        half = sum((half_unit(getattr(d, field)) for d in rows), Decimal(0))
        computed = Side(amount, p.source, "facts", f"{len(rows)} deliverables", half)
        yield (
            _finding(
                "deliverables",
                {"measure": p.measure, "item": p.item},
                _published(fig),
                computed,
                p.unit,
                settings,
            ),
            fig,
        )


def cmp_against_annex_6(dataset: Dataset, settings: Settings) -> Iterator[Finding]:
    """The capital projects' expenditure in the period against the reserve-funded projects
    of the key financial data by union."""
    if not dataset.capital_projects:
        return
    spent = sum(
        (convert(p.expenditure_current, p.unit, Unit.THOUSAND) for p in dataset.capital_projects),
        Decimal(0),
    )
    annex = [
        k
        for k in dataset.key_financials
        if k.line == "reserve_projects" and k.phase.value == "actual" and k.union is not None
    ]
    if not annex:
        return
    total = sum((convert(k.amount, k.unit, Unit.THOUSAND) for k in annex), Decimal(0))
    left = Side(
        spent,
        dataset.capital_projects[0].source,
        "facts",
        f"{len(dataset.capital_projects)} projects",
        Decimal("0.5") * len(dataset.capital_projects),
    )
    right = Side(
        total, annex[0].source, "facts", f"{len(annex)} unions", Decimal("0.5") * len(annex)
    )
    yield _finding(
        "cmp_reserve_projects",
        {"measure": "expenditure", "item": "reserve_projects"},
        left,
        right,
        FigureUnit.THOUSAND,
        settings,
    )


def trust_funds(dataset: Dataset, settings: Settings) -> Iterator[Finding]:
    """Opening + income − expenditure = closing, to the centime, for every fund."""
    for fund in dataset.trust_funds:
        figures = fund_figures(fund)
        printed = Side(fund.closing_balance, fund.source, "facts", f"{fund.code} closing")
        computed = Side(figures.closing, fund.source, "computed", "opening + income − expenditure")
        klass = FindingClass.EXACT if figures.difference == 0 else FindingClass.DIFFERENCE
        unit = FigureUnit(fund.unit.value)
        yield Finding("trust_fund_balance", {"item": fund.code}, printed, computed, unit, klass)


def balances_returned(
    dataset: Dataset, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """A balance returned to the accumulated surplus (in units of the currency, in a project
    report) against the remaining balance of the project's summary line (in thousands)."""
    by_id = {p.id: p for p in dataset.capital_projects}
    for fig in figures:
        p = fig.figure
        project = by_id.get(p.item or "")
        if p.measure != "project_balance_returned" or project is None:
            continue
        line = project_figures(project)
        remaining = convert(line.remaining, project.unit, Unit.ONE)
        half = convert(Decimal("1.5"), project.unit, Unit.ONE)  # three rounded summary figures
        computed = Side(remaining, p.source, "computed", "summary: budget − expenditure", half)
        printed = Side(p.value, p.source, "published", p.id, half_unit(p.value))
        subject = {"measure": p.measure, "item": project.id}
        yield _finding("project_balance", subject, printed, computed, FigureUnit.ONE, settings), fig


def utilization_bases(dataset: Dataset, figures: list[Figure]) -> Iterator[tuple[Finding, Figure]]:
    """A project report's utilization (on the adjusted budget of its deliverables) against
    the summary's (on the project budget): a difference means the two use other bases."""
    printed = {
        (f.figure.measure, f.figure.item): f
        for f in figures
        if f.figure.measure in ("deliverables_utilization_total", "project_utilization")
    }
    for (measure, item), fig in printed.items():
        summary = printed.get(("project_utilization", item))
        if measure != "deliverables_utilization_total" or summary is None:
            continue
        left, right = _published(summary), _published(fig)
        klass = FindingClass.EXACT if left.value == right.value else FindingClass.DIFFERENCE
        subject = {"measure": "project_utilization", "item": item or ""}
        yield Finding("project_utilization_basis", subject, left, right, PERCENT, klass), fig


FUND_COLUMNS = (
    "opening_balance",
    "receipts",
    "interest",
    "other_income",
    "staff_costs",
    "other_direct_costs",
    "admin_support",
    "closing_balance",
)


def fund_totals(
    dataset: Dataset, figures: list[Figure], settings: Settings
) -> Iterator[tuple[Finding, Figure]]:
    """Each fund's printed income and expenditure totals, and the 总计 row's columns."""
    funds = {f.code: f for f in dataset.trust_funds}
    for fig in figures:
        p = fig.figure
        item = p.item or ""
        if p.measure in ("trust_fund_income", "trust_fund_expenditure") and item in funds:
            f = fund_figures(funds[item])
            value = f.income if p.measure == "trust_fund_income" else f.expenditure
            how = (
                "receipts + interest + other"
                if p.measure == "trust_fund_income"
                else "staff + other direct + support"
            )
        elif p.measure == "trust_fund_total" and item in FUND_COLUMNS:
            value = sum((getattr(f, item) for f in dataset.trust_funds), Decimal(0))
            how = f"{len(funds)} funds"
        else:
            continue
        computed = Side(value, p.source, "computed", how)
        subject = {"measure": p.measure, "item": item}
        yield (
            _finding("trust_fund_total", subject, _published(fig), computed, p.unit, settings),
            fig,
        )
