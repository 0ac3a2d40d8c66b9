"""The IATI organisation file: the total budget and total expenditure of each year of the
package's period, with a line per sector, in the package's currency.

Approved budgets are `total-budget` (status 2, committed) with the budget after transfers
as `rbm:adjusted`; execution is `total-expenditure`. A phase that has no yearly figures is
written once, over the whole period. Amounts are in units of the currency."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

from rbm.datapackage.cells import CellContext
from rbm.domain.dataset import Dataset
from rbm.domain.enums import BudgetPhase, Unit
from rbm.engine.finance.grain import Cell, Cube
from rbm.exchange.iati.extension import write_record
from rbm.exchange.iati.xml import (
    LANG,
    ORGANISATION_TYPE,
    VERSION,
    end_date,
    narratives,
    number,
    rbm,
    sub,
)

COMMITTED = "2"  # IATI BudgetStatus
PHASES = (
    (BudgetPhase.APPROVED, "total-budget", "budget-line"),
    (BudgetPhase.EXECUTED, "total-expenditure", "expense-line"),
)


def organisation_tree(dataset: Dataset) -> ET.Element:
    """The `iati-organisations` element of `dataset`'s organization."""
    b = dataset.biennium
    langs = b.settings.languages
    root = ET.Element("iati-organisations", version=VERSION)
    root.set(rbm("biennium"), b.code)
    org = sub(root, "iati-organisation", default_currency=b.currency)
    org.set(LANG, langs[0])
    sub(org, "organisation-identifier").text = b.organization
    narratives(sub(org, "name"), b.organization_name, langs)
    reporting = sub(org, "reporting-org", ref=b.organization, type=ORGANISATION_TYPE)
    narratives(reporting, b.organization_name, langs)
    cube = Cube(dataset.all_budget_facts, unit=Unit.ONE)
    for phase, tag, line in PHASES:
        for period in _periods(dataset, phase):
            _total(org, tag, line, dataset, cube, phase, period)
    context = CellContext.of(b)
    for sector in dataset.sectors:
        write_record(org, "sectors", sector, context)
    return root


Period = tuple[int, int, int | None]  # first year, last year, the year of yearly facts


def _periods(dataset: Dataset, phase: BudgetPhase) -> list[Period]:
    """Each year of the period when `phase` has yearly facts, else the whole period."""
    b = dataset.biennium
    facts = [f for f in dataset.all_budget_facts if f.phase == phase]
    if not facts:
        return []
    years = sorted({f.year for f in facts if f.year is not None})
    if years:
        return [(year, year, year) for year in years]
    return [(b.start_year, b.end_year, None)]


def _total(
    org: ET.Element,
    tag: str,
    line_tag: str,
    dataset: Dataset,
    cube: Cube,
    phase: BudgetPhase,
    period: Period,
) -> None:
    first, last, year = period
    grain: dict[str, object] = {} if year is None else {"year": year}
    lines = {s.code: cube.cell(phase, {**grain, "sector": s.code}).value for s in dataset.sectors}
    total = _total_of(cube.cell(phase, grain), lines)
    if total is None:
        return
    langs = dataset.biennium.settings.languages
    element = sub(org, tag, status=COMMITTED if phase == BudgetPhase.APPROVED else None)
    sub(element, "period-start", iso_date=f"{first:04d}-01-01")
    sub(element, "period-end", iso_date=end_date(last))
    _value(element, total, first)
    adjusted = phase == BudgetPhase.APPROVED
    revised: dict[str, Decimal | None] = {}
    for sector in dataset.sectors:
        amount = lines[sector.code]
        if amount is None:
            continue
        line = sub(element, line_tag, ref=sector.code)
        _value(line, amount, first)
        narratives(line, sector.name, langs)
        if adjusted:
            revised[sector.code] = cube.cell(
                BudgetPhase.ADJUSTED, {**grain, "sector": sector.code}
            ).value
            _adjusted(line, revised[sector.code])
    if adjusted:
        _adjusted(element, _total_of(cube.cell(BudgetPhase.ADJUSTED, grain), revised))


def _total_of(cell: Cell, lines: dict[str, Decimal | None]) -> Decimal | None:
    """A total as stored at its grain; otherwise the sum of the sector lines (a rollup of
    one breakdown can leave out a sector whose facts have another grain)."""
    amounts = [a for a in lines.values() if a is not None]
    if cell.how == "stored" or not amounts:
        return cell.value
    return sum(amounts, Decimal(0))


def _value(parent: ET.Element, amount: Decimal, year: int) -> None:
    sub(parent, "value", value_date=f"{year:04d}-01-01").text = number(amount)


def _adjusted(parent: ET.Element, amount: Decimal | None) -> None:
    """The budget after transfers, beside the approved one (IATI has no phase for it)."""
    if amount is not None:
        sub(parent, rbm("adjusted")).text = number(amount)
