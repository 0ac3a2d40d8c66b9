"""The audit trail: every change, filterable by user, entity, record, field and date, a page at
a time, and the filtered list as CSV. Read only: there is no route that changes an entry.

Dates are whole days in UTC, both ends included; `entity_id` matches a prefix, so
`?entity_id=2030-31/1.1-06.1` is everything about that PIE.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from pydantic import BaseModel, BeforeValidator, StringConstraints

from rbm.domain.workflow import Role, User
from rbm.store import audit
from rbm.web.auth import allow
from rbm.web.render import page
from rbm.web.spreadsheet import neutralised
from rbm.web.state import app_state

router = APIRouter()

Reader = Annotated[User, allow(Role.ADMINISTRATOR, Role.PLANNER, Role.VALIDATOR)]
PAGE_SIZE = 100
MAX_LIMIT = 500
CSV_COLUMNS = ("id", "at", "user", "entity", "entity_id", "field", "old", "new", "reason")
# a cell starting with one of these is a formula to a spreadsheet: it gets a leading quote


def _blank(value: object) -> object:
    """An empty form field means "no filter"."""
    return None if value == "" else value


# the bounds sit on the text, so that a blank (None by then) passes them; no NUL, which
# PostgreSQL refuses in a text
NO_NUL = r"^[^\x00]*$"
Name = Annotated[
    Annotated[str, StringConstraints(max_length=64, pattern=NO_NUL)] | None,
    BeforeValidator(_blank),
]
Prefix = Annotated[
    Annotated[str, StringConstraints(max_length=200, pattern=NO_NUL)] | None,
    BeforeValidator(_blank),
]
Day = Annotated[date | None, BeforeValidator(_blank)]


@dataclass(frozen=True)
class Filters:
    user: str | None = None
    entity: str | None = None
    entity_id: str | None = None
    field: str | None = None
    since: date | None = None
    until: date | None = None

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """[since, until) as instants: the start of `since` and the end of `until`, in UTC."""
        start = datetime.combine(self.since, time.min, UTC) if self.since else None
        end = None
        if self.until is not None and self.until < date.max:
            end = datetime.combine(self.until + timedelta(days=1), time.min, UTC)
        return start, end

    def query(self) -> list[tuple[str, str]]:
        """The filters given, as query parameters (for links that keep them)."""
        return [(k, str(v)) for k, v in asdict(self).items() if v is not None]


def filters(
    user: Annotated[Name, Query(description="Who made the change.")] = None,
    entity: Annotated[Name, Query(description="The kind of record: pie, biennium, …")] = None,
    entity_id: Annotated[Prefix, Query(description="A record id or its beginning.")] = None,
    field: Annotated[Name, Query(description="The field changed.")] = None,
    since: Annotated[Day, Query(description="From this day (UTC), included.")] = None,
    until: Annotated[Day, Query(description="To this day (UTC), included.")] = None,
) -> Filters:
    return Filters(user, entity, entity_id, field, since, until)


Chosen = Annotated[Filters, Depends(filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Query(ge=0, le=10**9)]


def _read(request: Request, chosen: Filters, limit: int | None, offset: int) -> audit.AuditPage:
    since, until = chosen.bounds()
    return audit.entries(
        app_state(request).engine,
        user=chosen.user,
        entity=chosen.entity,
        entity_id=chosen.entity_id,
        field=chosen.field,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )


def _href(path: str, chosen: Filters, **extra: int) -> str:
    query = chosen.query() + [(k, str(v)) for k, v in extra.items()]
    return f"{path}?{urlencode(query)}" if query else path


def _neighbours(
    path: str, chosen: Filters, found: audit.AuditPage, limit: int
) -> tuple[str | None, str | None]:
    """The links to the previous and the next page, None at either end."""
    offset = found.offset
    previous = (
        _href(path, chosen, limit=limit, offset=max(offset - limit, 0)) if offset > 0 else None
    )
    following = offset + limit
    after = _href(path, chosen, limit=limit, offset=following) if following < found.total else None
    return previous, after


class AuditList(BaseModel):
    entries: list[audit.AuditEntry]  # the store's own record
    total: int
    limit: int
    offset: int
    previous: str | None
    next: str | None
    csv: str


@router.get("/api/audit", response_model=AuditList)
def audit_api(
    request: Request, user: Reader, chosen: Chosen, limit: Limit = PAGE_SIZE, offset: Offset = 0
) -> AuditList:
    """The audit trail, newest first, filtered and a page at a time (`total` counts all)."""
    found = _read(request, chosen, limit, offset)
    previous, after = _neighbours("/api/audit", chosen, found, limit)
    return AuditList(
        entries=list(found.entries),
        total=found.total,
        limit=limit,
        offset=offset,
        previous=previous,
        next=after,
        csv=_href("/api/audit.csv", chosen),
    )


@router.get("/audit", include_in_schema=False)
def audit_page(
    request: Request, user: Reader, chosen: Chosen, limit: Limit = PAGE_SIZE, offset: Offset = 0
) -> Response:
    found = _read(request, chosen, limit, offset)
    previous, after = _neighbours("/audit", chosen, found, limit)
    choices = audit.facets(app_state(request).engine)

    def options(values: tuple[str, ...], current: str | None) -> list[str]:
        return sorted({*values, current}) if current else list(values)

    context: dict[str, Any] = {
        "filters": chosen,
        "found": found,
        "first": found.offset + 1,
        "last": found.offset + len(found.entries),
        "users": options(choices.users, chosen.user),
        "entities": options(choices.entities, chosen.entity),
        "fields": options(choices.fields, chosen.field),
        "previous": previous,
        "next": after,
        "csv_href": _href("/audit.csv", chosen),
        "clear_href": "/audit",
        "api_href": _href("/api/audit", chosen, limit=limit, offset=offset),
    }
    return page(request, "web/audit.html", **context)


def _cell(value: object) -> str:
    if value is None:
        return ""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    return neutralised(text)


def _csv_lines(found: audit.AuditPage) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    yield "\ufeff"  # so that spreadsheets read the file as UTF-8 (Chinese names and reasons)
    writer.writerow(CSV_COLUMNS)
    for entry in found.entries:
        writer.writerow([_cell(getattr(entry, column)) for column in CSV_COLUMNS])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@router.get("/audit.csv", include_in_schema=False)
@router.get(
    "/api/audit.csv", response_class=Response, responses={200: {"content": {"text/csv": {}}}}
)
def audit_csv(request: Request, user: Reader, chosen: Chosen) -> Response:
    """The filtered audit trail as CSV (UTF-8 with a byte-order mark), every matching entry,
    newest first; a text that a spreadsheet would take for a formula starts with a quote."""
    found = _read(request, chosen, None, 0)
    stamp = app_state(request).config.clock().strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(
        _csv_lines(found),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'},
    )
