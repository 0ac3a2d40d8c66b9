"""Capital projects and trust funds: the report's capital master plan section (its summary,
and a page per project report) and its trust-fund section."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from rbm.report.model import Section
from rbm.report.render.tables_json import text_dict
from rbm.web.auth import SignedIn
from rbm.web.errors import ApiError
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.sections import find_section, section_dict
from rbm.web.state import Current, Snapshot

router = APIRouter()

ProjectCode = Annotated[str, Path(min_length=1, max_length=60)]
PREFIX = "cmp-"  # the report's section of project "CMP 36" is "cmp-cmp-36"


def slug(project_id: str) -> str:
    """A project's code in URLs, as the report names its section: "CMP 36" → "cmp-36"."""
    return project_id.lower().replace(" ", "-")


def _sections(snap: Snapshot) -> tuple[Section, Section | None]:
    cmp = find_section(snap.report, "cmp")
    funds = next((s for s in snap.report.walk() if s.id == "trust-funds"), None)
    return cmp, funds


def project_links(cmp: Section) -> dict[str, str]:
    """Each project section's id → its page in the application."""
    return {child.id: f"/projects/{child.id.removeprefix(PREFIX)}" for child in cmp.children}


def project_section(snap: Snapshot, code: str) -> Section:
    """One project's own section; `code` is its slug ("cmp-36") or its id ("CMP 36")."""
    cmp = find_section(snap.report, "cmp")
    wanted = f"{PREFIX}{slug(code)}"
    for child in cmp.children:
        if child.id == wanted:
            return child
    raise ApiError(404, "web.projects.unknown", {"project": code}, code=code)


@router.get("/projects", include_in_schema=False)
def projects_page(request: Request, user: SignedIn, snap: Current) -> Response:
    cmp, funds = _sections(snap)
    return page(
        request,
        "web/projects.html",
        cmp=replace(cmp, children=()),
        projects=cmp.children,
        links=project_links(cmp),
        funds=funds,
        api_href="/api/projects",
    )


@router.get("/api/projects", response_model=dict[str, Any])
def projects_api(request: Request, user: SignedIn, snap: Current) -> Response:
    """The capital master plan (its summary table and one subsection per project report)
    and the trust funds, as the report builds them."""
    return cached_json(request, snap, lambda: _projects_dict(snap))


def _projects_dict(snap: Snapshot) -> dict[str, Any]:
    cmp, funds = _sections(snap)
    links = project_links(cmp)
    return {
        "cmp": section_dict(cmp),
        "projects": [
            {
                "code": href.rsplit("/", 1)[1],
                "title": text_dict(child.title),
                "href": href,
                "api_href": f"/api{href}",
            }
            for child in cmp.children
            for href in (links[child.id],)
        ],
        "trust_funds": section_dict(funds) if funds else None,
    }


@router.get("/projects/{code}", include_in_schema=False)
def project_page(request: Request, code: ProjectCode, user: SignedIn, snap: Current) -> Response:
    section = project_section(snap, code)
    return page(
        request,
        "web/project.html",
        section=section,
        api_href=f"/api/projects/{section.id.removeprefix(PREFIX)}",
    )


@router.get("/api/projects/{code}", response_model=dict[str, Any])
def project_api(request: Request, code: ProjectCode, user: SignedIn, snap: Current) -> Response:
    """One capital project's report section (deliverables, benefits, risks); `code` as in
    /api/projects, e.g. `cmp-36`."""
    return cached_json(request, snap, lambda: section_dict(project_section(snap, code)))
