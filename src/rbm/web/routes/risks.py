"""Risks: the report's risk tables (organizational risks and the risks of each expected
result) and the engine's risk summary, optionally for one expected result or owner sector."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from rbm.domain.risks import Risk
from rbm.domain.text import Text
from rbm.domain.workflow import Role, User
from rbm.engine.rating.risks import ORGANIZATIONAL, UNASSIGNED, RiskSummary, summarize_risks
from rbm.i18n import text
from rbm.report.model import TableView
from rbm.report.render.tables_json import table_dict
from rbm.web.auth import SignedIn
from rbm.web.filters import Option, checked, options_dict
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.sections import blocks_by_id
from rbm.web.state import Current, Snapshot

router = APIRouter()

FILTERS = ("result", "owner")


@dataclass(frozen=True)
class RiskSelection:
    """The risks a request selects: the report's tables (rows of other owners left out) and
    the engine's summary of the same risks."""

    filters: dict[str, str]
    options: dict[str, list[Option]]
    risks: tuple[Risk, ...]
    summary: RiskSummary
    tables: tuple[TableView, ...]


def risk_options(snap: Snapshot) -> dict[str, list[Option]]:
    ds = snap.dataset
    return {
        "result": [
            Option(r.code, r.title.prefixed(f"{r.code} "))
            for r in sorted(ds.results, key=lambda r: r.order)
        ]
        + [Option(ORGANIZATIONAL, text("web.risks.organizational"))],
        "owner": [Option(s.code, s.name) for s in sorted(ds.sectors, key=lambda s: s.order)]
        + [Option(UNASSIGNED, text("assess.unassigned"))],
    }


def _owner(risk: Risk) -> str:
    return risk.owner_sector or UNASSIGNED


def _result(risk: Risk) -> str:
    return risk.result or ORGANIZATIONAL


def risk_filters(
    result: Annotated[
        str | None,
        Query(max_length=100, description="an expected result, or `organizational`"),
    ] = None,
    owner: Annotated[
        str | None, Query(max_length=100, description="an owner sector code, or `unassigned`")
    ] = None,
) -> dict[str, str | None]:
    """The filters as given, checked against the data by `select_risks`."""
    return {"result": result, "owner": owner}


Filters = Annotated[dict[str, str | None], Depends(risk_filters)]


def select_risks(snap: Snapshot, given: dict[str, str | None]) -> RiskSelection:
    options = risk_options(snap)
    filters = {
        name: value
        for name in FILTERS
        if (value := checked(name, given[name], options[name])) is not None
    }
    risks = tuple(
        r
        for r in snap.dataset.risks
        if filters.get("result", _result(r)) == _result(r)
        and filters.get("owner", _owner(r)) == _owner(r)
    )
    if filters:
        sectors = [s.code for s in sorted(snap.dataset.sectors, key=lambda s: s.order)]
        results = [r.code for r in sorted(snap.dataset.results, key=lambda r: r.order)]
        summary = summarize_risks(risks, sectors, results)
    else:
        summary = snap.ratings.risks
    return RiskSelection(filters, options, risks, summary, _tables(snap, risks, filters))


def risk_selection(snap: Current, given: Filters) -> RiskSelection:
    return select_risks(snap, given)


def _tables(
    snap: Snapshot, risks: tuple[Risk, ...], filters: dict[str, str]
) -> tuple[TableView, ...]:
    """The report's risk tables that hold a selected risk; with an owner filter, only the
    rows of the selected risks (a row is labelled with its risk's text)."""
    results = [r.code for r in sorted(snap.dataset.results, key=lambda r: r.order)]
    ids = ["risks-organizational", *(f"risks-{code}" for code in results)]
    wanted = {_table_id(r) for r in risks}
    labels = {r.risk for r in risks}
    tables = []
    for block in blocks_by_id(snap, [i for i in ids if i in wanted]):
        if not isinstance(block, TableView):
            continue
        if "owner" in filters:
            block = replace(block, rows=tuple(row for row in block.rows if row.label in labels))
        if block.rows:
            tables.append(block)
    return tuple(tables)


def _table_id(risk: Risk) -> str:
    return f"risks-{risk.result}" if risk.result else "risks-organizational"


Selection = Annotated[RiskSelection, Depends(risk_selection)]


def _names(snap: Snapshot) -> dict[str, dict[str, Text]]:
    ds = snap.dataset
    return {
        "owner": {s.code: s.name for s in ds.sectors} | {UNASSIGNED: text("assess.unassigned")},
        "result": {r.code: r.title.prefixed(f"{r.code} ") for r in ds.results}
        | {ORGANIZATIONAL: text("web.risks.organizational")},
    }


def editable_risks(user: User, snap: Snapshot) -> list[Risk]:
    """The risks whose evolution this user may update: a focal point those its sectors own,
    planners and administrators all (the store decides again when they save)."""
    if user.role in (Role.PLANNER, Role.ADMINISTRATOR):
        return list(snap.dataset.risks)
    if user.role == Role.FOCAL_POINT:
        return [r for r in snap.dataset.risks if r.owner_sector in user.sectors]
    return []


@router.get("/risks", include_in_schema=False)
def risks_page(request: Request, user: SignedIn, snap: Current, selection: Selection) -> Response:
    return page(
        request,
        "web/risks.html",
        selection=selection,
        filter_names=FILTERS,
        names=_names(snap),
        editable=editable_risks(user, snap),
        api_href=f"/api{request.url.path}" + (f"?{request.url.query}" if request.url.query else ""),
    )


@router.get("/api/risks", response_model=dict[str, Any])
def risks_api(request: Request, user: SignedIn, snap: Current, given: Filters) -> Response:
    """The report's risk tables and the engine's risk summary (materialized, exposure and
    mitigation effectiveness by owner sector and by expected result), optionally for one
    expected result (`organizational` for the organizational risks) or owner sector."""
    return cached_json(request, snap, lambda: _risks_dict(select_risks(snap, given)))


def _risks_dict(selection: RiskSelection) -> dict[str, Any]:
    return {
        "filters": selection.filters,
        "summary": selection.summary.to_dict(),
        "tables": [table_dict(t) for t in selection.tables],
        "options": {name: options_dict(opts) for name, opts in selection.options.items()},
    }
