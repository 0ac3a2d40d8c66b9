"""The overview: headline finance, PIE ratings by pillar, budget utilization by sector."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from rbm.i18n import text
from rbm.report.model import Section
from rbm.web.auth import SignedIn
from rbm.web.representations import cached_json
from rbm.web.sections import first_by_role, section_dict, section_page
from rbm.web.state import Current, Snapshot

router = APIRouter()

# what the overview shows: for each, the report's first block of one of these roles
BLOCKS: tuple[tuple[str, ...], ...] = (
    ("key_financials",),
    ("ratings_by_pillar",),
    ("budget_table:sector",),
    ("pillar_expenditure", "budget_table:pillar"),
)


def overview_section(snap: Snapshot) -> Section:
    return Section("overview", text("web.overview.title"), first_by_role(snap, *BLOCKS))


@router.get("/", include_in_schema=False)
def overview_page(request: Request, user: SignedIn, snap: Current) -> Response:
    return section_page(request, overview_section(snap), "/api/overview")


@router.get("/api/overview", response_model=dict[str, Any])
def overview_api(request: Request, user: SignedIn, snap: Current) -> Response:
    """Headline finance, PIE ratings by pillar and budget utilization by sector."""
    return cached_json(request, snap, lambda: section_dict(overview_section(snap)))
