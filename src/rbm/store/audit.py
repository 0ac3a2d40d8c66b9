"""Reading the audit trail: who changed what, when, from which value to which, and why.

A pure read: rows are written only by `rbm.store.workflow` and `rbm.store.load`, in the
transaction of the change they record, and nothing here updates or deletes them.

    >>> page = entries(engine, entity_id="2030-31/1.1-06", since=datetime(2026, 1, 1, tzinfo=UTC))
    >>> page.total, [e.field for e in page.entries]
    (2, ['state', 'actual_value'])

Entries come newest first (by time, then by id). `entity_id` matches a prefix, so
"2030-31/1.1-06.1" is everything about that PIE and "2030-31" everything in the biennium.
Times are returned in UTC whatever the backend keeps (SQLite keeps no offset).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from rbm.store.tables import audit_log

DEFAULT_LIMIT = 100


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One change: `old` and `new` as the text the store keeps (None for no value)."""

    id: int
    at: datetime
    user: str
    entity: str
    entity_id: str
    field: str
    old: str | None
    new: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class AuditPage:
    """One page of entries and how many match the filters in all."""

    entries: tuple[AuditEntry, ...]
    total: int
    limit: int | None
    offset: int


@dataclass(frozen=True, slots=True)
class Facets:
    """The distinct users, entities and fields in the trail, to offer as filter choices."""

    users: tuple[str, ...]
    entities: tuple[str, ...]
    fields: tuple[str, ...]


def utc(moment: datetime) -> datetime:
    """A stored or given time in UTC; a time without an offset is taken to be UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _conditions(
    user: str | None,
    entity: str | None,
    entity_id: str | None,
    field: str | None,
    since: datetime | None,
    until: datetime | None,
) -> list[sa.ColumnElement[bool]]:
    c = audit_log.c
    where: list[sa.ColumnElement[bool]] = []
    if user is not None:
        where.append(c.user == user)
    if entity is not None:
        where.append(c.entity == entity)
    if entity_id:
        # substr, not LIKE: no wildcards to escape, and case-sensitive on both backends
        where.append(sa.func.substr(c.entity_id, 1, len(entity_id)) == entity_id)
    if field is not None:
        where.append(c.field == field)
    if since is not None:
        where.append(c.at >= utc(since))
    if until is not None:
        where.append(c.at < utc(until))
    return where


def _entry(row: sa.RowMapping) -> AuditEntry:
    return AuditEntry(
        id=row["id"],
        at=utc(row["at"]),
        user=row["user"],
        entity=row["entity"],
        entity_id=row["entity_id"],
        field=row["field"],
        old=row["old"],
        new=row["new"],
        reason=row["reason"],
    )


def entries(
    engine: sa.Engine,
    *,
    user: str | None = None,
    entity: str | None = None,
    entity_id: str | None = None,
    field: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = DEFAULT_LIMIT,
    offset: int = 0,
) -> AuditPage:
    """The entries matching every filter given, newest first: `since` inclusive, `until`
    exclusive, `entity_id` a prefix; `limit=None` returns them all."""
    if (limit is not None and limit < 0) or offset < 0:
        raise ValueError("limit and offset must not be negative")
    where = _conditions(user, entity, entity_id, field, since, until)
    query = (
        sa.select(audit_log)
        .where(*where)
        .order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    count = sa.select(sa.func.count()).select_from(audit_log).where(*where)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
        total = connection.execute(count).scalar_one()
    return AuditPage(tuple(_entry(row) for row in rows), int(total), limit, offset)


def facets(engine: sa.Engine) -> Facets:
    """The distinct values of the trail's user, entity and field columns, sorted."""
    c = audit_log.c

    def distinct(column: sa.Column[str]) -> tuple[str, ...]:
        query = sa.select(column).distinct().order_by(column)
        return tuple(connection.execute(query).scalars())

    with engine.connect() as connection:
        return Facets(distinct(c.user), distinct(c.entity), distinct(c.field))
