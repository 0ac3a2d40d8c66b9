"""Finance: the report's finance tables in groups, and the budget facts as a filterable table
with CSV and XLSX downloads.

The downloads answer at two places with the same filters: `/finance/budget.csv|.xlsx` (linked
from the page; errors as a page) and `/api/finance/budget.csv|.xlsx` (for scripts; errors in
the API's JSON shape)."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import quote, urlencode

import xlsxwriter
from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rbm.datapackage.cells import format_cell
from rbm.datapackage.resources import RESOURCES
from rbm.datapackage.writer import record_cells, record_values
from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.domain.money import unit_label
from rbm.domain.text import Text
from rbm.domain.workflow import Role
from rbm.engine.finance.rollup import rollup
from rbm.i18n import text
from rbm.report.model import Block, ChartView, NumberFormat, Section, TableView
from rbm.report.render.tables_json import number
from rbm.web.auth import SignedIn
from rbm.web.filters import Option, checked, options_dict
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.sections import blocks_by_role, section_dict
from rbm.web.spreadsheet import neutralised
from rbm.web.state import Current, Snapshot

router = APIRouter()

# (group id, catalogue key of its heading, the roles of the report's blocks in it)
GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "income",
        "web.finance.group.income",
        ("income", "income_shares", "demand", "income_estimates", "union_financials"),
    ),
    (
        "budget",
        "web.finance.group.budget",
        (
            "budget_table",  # explicit lines
            *(f"budget_table:{d}" for d in ("result", "sector", "cost_category", "year", "pillar")),
            "personnel_chart",
            "posts",
        ),
    ),
    ("transfers", "web.finance.group.transfers", ("transfers",)),
    (
        "development",
        "web.finance.group.development",
        ("development", "development_share", "development_by_result"),
    ),
    ("promotion", "web.finance.group.promotion", ("promotion",)),
)

BUDGET = next(r for r in RESOURCES if r.name == "budget_facts")
BUDGET_COLUMNS = BUDGET.columns(())  # it has no text field, so no column per language
# the filters, in the order of the form; each is a column of the budget_facts resource
FILTERS = ("phase", "year", "sector", "result", "cost_category", "union", "funding", "source")
FILTER_LABELS = {name: f"web.finance.budget.{name}" for name in FILTERS}
PHASES = tuple(BudgetPhase)


# ---- the finance tables --------------------------------------------------------------------


def finance_section(snap: Snapshot) -> Section:
    """The report's finance tables and charts, one subsection per group (empty groups left
    out). Where two tables of one page have the same title (the development share is in
    Table 7 and in Annex XII), the later one's title names its source, so each table has
    its own name."""
    groups = []
    seen: set[Text] = set()
    for group_id, key, ids in GROUPS:
        blocks = tuple(_distinct(b, seen) for b in blocks_by_role(snap, ids))
        if blocks:
            groups.append(Section(f"finance-{group_id}", text(key), blocks))
    return Section("finance", text("web.finance.title"), (), tuple(groups))


def _distinct(block: Block, seen: set[Text]) -> Block:
    if not isinstance(block, TableView | ChartView):
        return block
    if block.title in seen:
        source = block.table.source if isinstance(block, ChartView) else block.source
        title = text("web.finance.title_source", title=block.title, source=source)
        block = replace(block, title=title)
        if isinstance(block, ChartView):
            block = replace(block, table=replace(block.table, title=title))
    seen.add(block.title)
    return block


@router.get("/finance", include_in_schema=False)
def finance_page(request: Request, user: SignedIn, snap: Current) -> Response:
    return page(request, "web/finance.html", section=finance_section(snap), api_href="/api/finance")


@router.get("/api/finance", response_model=dict[str, Any])
def finance_api(request: Request, user: SignedIn, snap: Current) -> Response:
    """The report's finance tables (in the WIPO report: Tables 2–7, Annexes I–VII and XII),
    grouped: income, budget and expenditure, transfers, development expenditure, promotion."""
    return cached_json(request, snap, lambda: section_dict(finance_section(snap)))


# ---- budget facts --------------------------------------------------------------------------


def budget_options(snap: Snapshot) -> dict[str, list[Option]]:
    """What each filter can take: the dataset's codes, and the years, funding sources and
    sources the facts use."""
    ds = snap.dataset
    facts = ds.budget_facts
    depth: dict[str, int] = {}
    for c in ds.cost_categories:  # parents come before their children in the package
        depth[c.code] = depth.get(c.parent or "", -1) + 1
    titles = {s.id: s.title for s in ds.sources}
    rank = {s.id: i for i, s in enumerate(ds.sources)}
    sources = sorted({f.source for f in facts}, key=lambda s: (rank.get(s, len(rank)), s))
    years = sorted({f.year for f in facts if f.year is not None})
    return {
        "phase": [Option(p.value, text(f"report.column.phase.{p.value}")) for p in PHASES],
        "year": [Option(str(y), Text.plain(str(y))) for y in years],
        "sector": [Option(s.code, s.name) for s in sorted(ds.sectors, key=lambda s: s.order)],
        "result": [
            Option(r.code, r.title.prefixed(f"{r.code} "))
            for r in sorted(ds.results, key=lambda r: r.order)
        ],
        "cost_category": [
            Option(c.code, _indented(c.code, c.name, depth.get(c.code, 0)))
            for c in ds.cost_categories
        ],
        "union": [Option(u.code, u.name) for u in sorted(ds.unions, key=lambda u: u.order)],
        "funding": [
            Option(f, Text.plain(f)) for f in sorted({f.funding for f in facts if f.funding})
        ],
        "source": [
            Option(
                s,
                titles[s].prefixed(f"{s} ") if s in titles else Text.plain(s),
            )
            for s in sources
        ],
    }


def _indented(code: str, name: Text, depth: int) -> Text:
    pad = "\u00a0\u00a0" * depth
    return name.prefixed(f"{pad}{code} ")


@dataclass(frozen=True)
class BudgetSelection:
    """The budget facts a request selects, with its filters and what they could be."""

    filters: dict[str, str]
    options: dict[str, list[Option]]
    facts: tuple[BudgetFact, ...]
    currency: str  # the dataset's, which units name (kEUR)

    def totals(self) -> dict[BudgetPhase, Decimal]:
        """The engine's sum of the selected facts per phase, in thousands of the currency."""
        sums = rollup(self.facts, ("phase",), Unit.THOUSAND)
        return {p: sums[(p,)] for p in PHASES if (p,) in sums}

    def query(self) -> str:
        return urlencode(self.filters)

    def file_name(self, biennium: str, extension: str) -> str:
        parts = [f"budget-facts-{biennium}", *(f"{k}-{v}" for k, v in self.filters.items())]
        return "_".join(parts) + f".{extension}"


def budget_filters(
    phase: Annotated[
        str | None, Query(max_length=100, description="approved, adjusted or executed")
    ] = None,
    year: Annotated[str | None, Query(max_length=100, description="a year of the biennium")] = None,
    sector: Annotated[str | None, Query(max_length=100, description="a sector code")] = None,
    result: Annotated[str | None, Query(max_length=100, description="an expected result")] = None,
    cost_category: Annotated[
        str | None, Query(max_length=100, description="a cost category code")
    ] = None,
    union: Annotated[str | None, Query(max_length=100, description="a union code")] = None,
    funding: Annotated[str | None, Query(max_length=100, description="a funding source")] = None,
    source: Annotated[str | None, Query(max_length=100, description="a source id")] = None,
) -> dict[str, str | None]:
    """The filters as given, checked against the data by `select_budget`."""
    return {
        "phase": phase,
        "year": year,
        "sector": sector,
        "result": result,
        "cost_category": cost_category,
        "union": union,
        "funding": funding,
        "source": source,
    }


Filters = Annotated[dict[str, str | None], Depends(budget_filters)]


def select_budget(snap: Snapshot, given: dict[str, str | None]) -> BudgetSelection:
    """The facts matching every filter given; an unknown value is refused with 422."""
    options = budget_options(snap)
    filters: dict[str, str] = {}
    for name in FILTERS:
        value = checked(name, given[name], options[name])
        if value is not None:
            filters[name] = value
    facts = tuple(
        f
        for f in snap.dataset.budget_facts
        if all(_cell(getattr(f, name)) == value for name, value in filters.items())
    )
    return BudgetSelection(filters, options, facts, snap.dataset.biennium.currency)


def budget_selection(snap: Current, given: Filters) -> BudgetSelection:
    return select_budget(snap, given)


Selection = Annotated[BudgetSelection, Depends(budget_selection)]


def _cell(value: object) -> str:
    return "" if value is None else str(value)


def amount_format(value: Decimal) -> NumberFormat:
    """How an amount prints: whole, or with the decimals it has (at most two)."""
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "integer" if places == 0 else "decimal1" if places == 1 else "decimal2"


@router.get("/finance/budget", include_in_schema=False)
def budget_page(request: Request, user: SignedIn, snap: Current, selection: Selection) -> Response:
    ds = snap.dataset
    query = selection.query()
    return page(
        request,
        "web/budget.html",
        selection=selection,
        filter_names=FILTERS,
        filter_labels=FILTER_LABELS,
        totals=selection.totals(),
        names={
            "sector": {s.code: s.short for s in ds.sectors},
            "cost_category": {c.code: c.name for c in ds.cost_categories},
            "union": {u.code: u.name for u in ds.unions},
        },
        amount_format=amount_format,
        # where each figure is in the package: its record id for the edit form
        positions={fact: i for i, fact in enumerate(ds.budget_facts)},
        may_edit=user.role in (Role.PLANNER, Role.ADMINISTRATOR),
        query=f"?{query}" if query else "",
        api_href=f"/api/finance/budget{'?' + query if query else ''}",
    )


@router.get("/api/finance/budget", response_model=dict[str, Any])
def budget_api(request: Request, user: SignedIn, snap: Current, given: Filters) -> Response:
    """Budget facts (the data package's `budget_facts`), filtered by phase, year, sector,
    expected result, cost category, union, funding and source; totals per phase in thousands
    of the currency. Facts of different sources can describe the same money at different
    grains."""
    return cached_json(request, snap, lambda: _budget_dict(select_budget(snap, given)))


def _budget_dict(selection: BudgetSelection) -> dict[str, Any]:
    return {
        "filters": selection.filters,
        "count": len(selection.facts),
        "totals_unit": unit_label(Unit.THOUSAND, selection.currency),
        "totals": {p.value: number(v) for p, v in selection.totals().items()},
        "facts": [_fact_dict(f, selection.currency) for f in selection.facts],
        "options": {name: options_dict(opts) for name, opts in selection.options.items()},
    }


def _fact_dict(fact: BudgetFact, currency: str) -> dict[str, Any]:
    """A fact with the data package's column names and cells: amount and year as numbers."""
    return {k: _json_value(v, currency) for k, v in record_values(BUDGET, fact).items()}


def _json_value(value: object, currency: str) -> Any:
    if value is None or isinstance(value, int):
        return value
    if isinstance(value, Decimal):
        return number(value)
    return format_cell(value, currency)


# ---- downloads -----------------------------------------------------------------------------


# a spreadsheet takes a cell starting with one of these for a formula (OWASP "CSV injection");
# the full-width forms too, as some spreadsheets read them as the ASCII ones
def budget_csv(selection: BudgetSelection) -> bytes:
    """The selected facts as the data package writes them: UTF-8, header row of its columns;
    text cells that a spreadsheet would run as formulas are neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(BUDGET_COLUMNS)
    for fact in selection.facts:
        cells = record_cells(BUDGET, fact, selection.currency, ())
        writer.writerow([neutralised(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")


def budget_xlsx(selection: BudgetSelection) -> bytes:
    """The selected facts in one worksheet: the package's columns, numbers as numbers."""
    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        sheet = workbook.add_worksheet(BUDGET.name)
        bold = workbook.add_format({"bold": True})
        columns = BUDGET_COLUMNS
        for col, name in enumerate(columns):
            sheet.write_string(0, col, name, bold)
        for row, fact in enumerate(selection.facts, start=1):
            for col, value in enumerate(record_values(BUDGET, fact).values()):
                if value is None:
                    continue
                if isinstance(value, Decimal | int):  # amount and year
                    sheet.write_number(row, col, float(value))
                else:
                    sheet.write_string(row, col, format_cell(value, selection.currency))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(len(selection.facts), 1), len(columns) - 1)
        sheet.set_column(0, len(columns) - 1, 14)
    return buffer.getvalue()


def _download(snap: Snapshot, selection: BudgetSelection, extension: str) -> Response:
    name = selection.file_name(snap.dataset.biennium.code, extension)
    ascii_name = re.sub(r"[^A-Za-z0-9._-]+", "-", name)
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    if extension == "csv":
        body, media = budget_csv(selection), "text/csv; charset=utf-8"
    else:
        body = budget_xlsx(selection)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})


@router.get("/finance/budget.csv", include_in_schema=False)
def budget_csv_page(user: SignedIn, snap: Current, selection: Selection) -> Response:
    return _download(snap, selection, "csv")


@router.get("/finance/budget.xlsx", include_in_schema=False)
def budget_xlsx_page(user: SignedIn, snap: Current, selection: Selection) -> Response:
    return _download(snap, selection, "xlsx")


@router.get("/api/finance/budget.csv", response_class=Response)
def budget_csv_api(user: SignedIn, snap: Current, selection: Selection) -> Response:
    """The filtered budget facts as CSV (UTF-8, the data package's columns)."""
    return _download(snap, selection, "csv")


@router.get("/api/finance/budget.xlsx", response_class=Response)
def budget_xlsx_api(user: SignedIn, snap: Current, selection: Selection) -> Response:
    """The filtered budget facts as an XLSX workbook (numbers as numbers)."""
    return _download(snap, selection, "xlsx")
