"""Pages made of the report's own sections and tables, and their JSON twins."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from rbm.report.model import Block, ChartView, Paragraph, ReportView, Section, TableView
from rbm.report.render.tables_json import table_dict, text_dict
from rbm.web.errors import ApiError
from rbm.web.render import page
from rbm.web.state import Snapshot


def find_section(report: ReportView, section_id: str) -> Section:
    for section in report.walk():
        if section.id == section_id:
            return section
    raise ApiError(404, "web.error.404")


def blocks_by_id(snap: Snapshot, ids: Iterable[str]) -> tuple[Block, ...]:
    """The blocks with these ids, in the order asked (those the report lacks are skipped)."""
    return tuple(snap.blocks[i] for i in ids if i in snap.blocks)


def role_of(block: Block) -> str:
    """What the specification's block is (`budget_table:sector`, `transfers` …)."""
    if isinstance(block, ChartView):
        return block.table.role
    return block.role if isinstance(block, TableView) else ""


def blocks_by_role(snap: Snapshot, roles: Iterable[str]) -> tuple[Block, ...]:
    """The report's tables and charts of these roles, in the report's order."""
    wanted = set(roles)
    return tuple(b for b in snap.blocks.values() if role_of(b) in wanted)


def first_by_role(snap: Snapshot, *choices: tuple[str, ...]) -> tuple[Block, ...]:
    """For each choice of roles, the report's first table or chart of one of them."""
    found = (blocks_by_role(snap, roles)[:1] for roles in choices)
    return tuple(block for blocks in found for block in blocks)


def block_dict(block: Block) -> dict[str, Any]:
    if isinstance(block, TableView):
        return {"kind": "table", **table_dict(block)}
    if isinstance(block, ChartView):
        return {
            "kind": "chart",
            "chart": block.kind,
            "id": block.id,
            "title": text_dict(block.title),
            "description": text_dict(block.description),
            "table": table_dict(block.table),
        }
    assert isinstance(block, Paragraph)
    return {"kind": "paragraph", "text": text_dict(block.text)}


def section_dict(section: Section) -> dict[str, Any]:
    """A section as JSON: its title, its blocks and its subsections, numbers in table units."""
    return {
        "id": section.id,
        "title": text_dict(section.title),
        "blocks": [block_dict(b) for b in section.blocks],
        "sections": [section_dict(child) for child in section.children],
    }


def section_page(request: Request, section: Section, api_href: str, **context: Any) -> Response:
    return page(request, "web/section.html", section=section, api_href=api_href, **context)
