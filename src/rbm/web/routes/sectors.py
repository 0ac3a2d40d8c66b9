"""Sector dashboards: the list of sectors with their budget, expenditure, utilization and PIE
ratings, and each sector's dashboard as the report builds it, with the PIEs it contributes to.

The figures are the report's and the engine's, never recomputed here: budget, final budget,
expenditure and utilization come from the report's budget by sector (the first budget table
whose rows are the sectors: WIPO's Table 5); the PIE counts are the rating engine's by
sector, the same counts the dashboard's chart shows."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from rbm.domain.enums import Rating, Unit
from rbm.domain.framework import Sector
from rbm.domain.money import unit_label
from rbm.domain.text import Text
from rbm.engine.rating.assess import Assessment
from rbm.report.model import Row, Section, TableView
from rbm.report.render.tables_json import number, text_dict
from rbm.web.auth import SignedIn
from rbm.web.errors import ApiError
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.routes.exchange import may_take_template
from rbm.web.sections import first_by_role, section_dict
from rbm.web.state import Current, Snapshot

router = APIRouter()

PHASES = ("approved", "adjusted", "executed")
SectorCode = Annotated[str, Path(min_length=1, max_length=40)]


@dataclass(frozen=True)
class SectorLine:
    """One sector of the list: the budget by sector's figures (in thousands of the currency) and the
    engine's PIE counts."""

    sector: Sector
    amounts: dict[str, Decimal | None]  # approved, adjusted, executed
    utilization: Decimal | None
    pies: dict[Rating, int]
    dashboard: bool

    @property
    def href(self) -> str:
        return f"/sectors/{self.sector.code}"


def _table(snap: Snapshot) -> TableView | None:
    """The report's budget by sector: approved, final budget, expenditure, utilization."""
    found = first_by_role(snap, ("budget_table:sector",))
    return found[0] if found and isinstance(found[0], TableView) else None


def _dashboards(snap: Snapshot) -> dict[str, Section]:
    return {s.id: s for s in snap.report.walk() if s.id.startswith("dashboard-")}


def _amounts(row: Row | None) -> tuple[dict[str, Decimal | None], Decimal | None]:
    values = [v if isinstance(v, Decimal) else None for v in row.values] if row else []
    values += [None] * (4 - len(values))
    return dict(zip(PHASES, values[:3], strict=True)), values[3]


def sector_lines(snap: Snapshot) -> tuple[list[SectorLine], Row | None]:
    """Every sector in order, and the budget by sector's total row."""
    table = _table(snap)
    rows = {row.label: row for row in table.rows if row.kind == "data"} if table else {}
    total = next((r for r in table.rows if r.kind == "total"), None) if table else None
    dashboards = _dashboards(snap)
    by_sector = snap.ratings.totals.by_sector
    lines = []
    for sector in sorted(snap.dataset.sectors, key=lambda s: s.order):
        amounts, rate = _amounts(rows.get(sector.name))
        counts = by_sector.get(sector.code, {})
        lines.append(
            SectorLine(
                sector,
                amounts,
                rate,
                {r: counts.get(r, 0) for r in Rating},
                f"dashboard-{sector.code}" in dashboards,
            )
        )
    return lines, total


def _line_dict(line: SectorLine) -> dict[str, Any]:
    return {
        "code": line.sector.code,
        "name": text_dict(line.sector.name),
        "short": text_dict(line.sector.short),
        "unallocated": line.sector.unallocated,
        "budget": {p: number(v) for p, v in line.amounts.items()},
        "utilization": number(line.utilization),
        "pies": {r.value: n for r, n in line.pies.items()},
        "href": line.href if line.dashboard else None,
        "api_href": f"/api{line.href}",
    }


def find_sector(snap: Snapshot, code: str) -> Sector:
    for sector in snap.dataset.sectors:
        if sector.code == code:
            return sector
    raise ApiError(404, "web.sectors.unknown", {"sector": code}, code=code)


def sector_pies(snap: Snapshot, code: str) -> list[Assessment]:
    """The PIEs whose indicator the sector contributes to, in the report's order."""
    return [a for a in snap.ratings.assessments if code in a.sectors]


def _pie_dict(a: Assessment, indicators: dict[str, Text]) -> dict[str, Any]:
    indicator = indicators.get(a.pie.indicator)
    return {
        "id": a.pie.id,
        "indicator_id": a.pie.indicator,
        "indicator": text_dict(indicator) if indicator else None,
        "expected_result": a.result,
        "segment": text_dict(a.pie.segment),
        "computed_rating": a.computed.value,
        "final_rating": a.final.value,
        "href": f"/pies/{a.pie.id}",
    }


def _sector_context(snap: Snapshot, code: str) -> dict[str, Any]:
    return {
        "sector": find_sector(snap, code),
        "section": _dashboards(snap).get(f"dashboard-{code}"),
        "pies": sector_pies(snap, code),
        "indicators": {i.id: i.text for i in snap.dataset.indicators},
    }


@router.get("/sectors", include_in_schema=False)
def sectors_page(request: Request, user: SignedIn, snap: Current) -> Response:
    lines, total = sector_lines(snap)
    total_amounts, total_rate = _amounts(total)
    return page(
        request,
        "web/sectors.html",
        lines=lines,
        ratings=list(Rating),
        total=total_amounts if total else None,
        total_rate=total_rate,
        api_href="/api/sectors",
    )


@router.get("/api/sectors", response_model=dict[str, Any])
def sectors_api(request: Request, user: SignedIn, snap: Current) -> Response:
    """Every sector with its budget, final budget, expenditure (in thousands of the currency,
    `unit`), utilization (%) and the ratings of the PIEs it contributes to."""
    return cached_json(request, snap, lambda: _sectors_dict(snap))


def _sectors_dict(snap: Snapshot) -> dict[str, Any]:
    lines, total = sector_lines(snap)
    total_amounts, total_rate = _amounts(total)
    return {
        "unit": unit_label(Unit.THOUSAND, snap.dataset.biennium.currency),
        "source": table.id if (table := _table(snap)) else None,
        "sectors": [_line_dict(line) for line in lines],
        "total": {
            "budget": {p: number(v) for p, v in total_amounts.items()},
            "utilization": number(total_rate),
        },
    }


@router.get("/sectors/{code}", include_in_schema=False)
def sector_page(request: Request, code: SectorCode, user: SignedIn, snap: Current) -> Response:
    return page(
        request,
        "web/sector.html",
        **_sector_context(snap, code),
        template_href=f"/exchange/template/{code}" if may_take_template(user, code) else None,
        api_href=f"/api/sectors/{code}",
    )


@router.get("/api/sectors/{code}", response_model=dict[str, Any])
def sector_api(request: Request, code: SectorCode, user: SignedIn, snap: Current) -> Response:
    """One sector's dashboard (the report's section `dashboard-<code>`, null when the report
    has none for it) and the PIEs it contributes to, with computed and final ratings."""
    return cached_json(request, snap, lambda: _sector_dict(snap, code))


def _sector_dict(snap: Snapshot, code: str) -> dict[str, Any]:
    context = _sector_context(snap, code)
    sector: Sector = context["sector"]
    section: Section | None = context["section"]
    return {
        "code": sector.code,
        "name": text_dict(sector.name),
        "dashboard": section_dict(section) if section else None,
        "pies": [_pie_dict(a, context["indicators"]) for a in context["pies"]],
    }
