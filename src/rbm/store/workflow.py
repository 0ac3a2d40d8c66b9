"""The workflow against the store: records change only through these functions, each in one
transaction with optimistic locking (a version per record) and an audit entry per change.

The rules themselves (who may do what, in which state) are `rbm.engine.workflow`; which
fields of which records may be edited is `rbm.store.records`; the clock is passed in."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from rbm.domain.enums import WorkflowState
from rbm.domain.workflow import Action, User
from rbm.engine.workflow import can_lock, decide, next_state, state_after_edit
from rbm.store.audit import utc
from rbm.store.records import ENTITIES, Entity
from rbm.store.tables import (
    BIENNIUM,
    TABLES,
    audit_log,
    biennium_locks,
    pie_states,
    record_versions,
)

PIE = ENTITIES["pie"]


class WorkflowError(Exception):
    """A refused change; `key` is the catalogue key of the reason."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Missing(Exception):
    """No record of that kind and id in the biennium."""


class Conflict(Exception):
    """The record changed since the caller read it: its current version and who changed it."""

    def __init__(self, version: int, updated_by: str | None) -> None:
        super().__init__(version, updated_by)
        self.version = version
        self.updated_by = updated_by


@dataclass(frozen=True)
class RecordState:
    """A record's workflow state (draft for records without one), version and last editor."""

    state: WorkflowState
    version: int
    updated_by: str | None = None
    comment: str | None = None
    updated_at: datetime | None = None


def _version_key(entity: Entity, biennium: str, record: str) -> tuple[sa.Table, dict[str, Any]]:
    """Where a record's version is kept: a PIE's with its state, any other's in
    record_versions; and the key of its row there."""
    if entity.stateful:
        return pie_states, {BIENNIUM: biennium, "pie": record}
    return record_versions, {BIENNIUM: biennium, "entity": entity.name, "record": record}


def _record_state(row: sa.RowMapping, stateful: bool) -> RecordState:
    return RecordState(
        WorkflowState(row["state"]) if stateful else WorkflowState.DRAFT,
        row["version"],
        row["updated_by"],
        row["comment"] if stateful else None,
        row["updated_at"],
    )


def state_of(
    connection: sa.Connection, biennium: str, record: str, entity: Entity = PIE
) -> RecordState:
    table, key = _version_key(entity, biennium, record)
    where = sa.and_(*(table.c[k] == v for k, v in key.items()))
    row = connection.execute(sa.select(table).where(where)).mappings().first()
    return (
        RecordState(WorkflowState.DRAFT, 0) if row is None else _record_state(row, entity.stateful)
    )


def states(engine: sa.Engine, biennium: str) -> dict[str, RecordState]:
    """The state of every PIE that has left draft or been edited, by PIE id."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(pie_states).where(pie_states.c[BIENNIUM] == biennium)
        ).mappings()
        return {row["pie"]: _record_state(row, True) for row in rows}


@dataclass(frozen=True)
class Lock:
    """Who locked the biennium, and when."""

    by: str
    at: datetime


def lock_of(engine: sa.Engine, biennium: str) -> Lock | None:
    query = sa.select(biennium_locks).where(biennium_locks.c[BIENNIUM] == biennium)
    with engine.connect() as connection:
        row = connection.execute(query).mappings().first()
    return None if row is None else Lock(row["locked_by"], utc(row["locked_at"]))


def locked(connection: sa.Connection, biennium: str) -> bool:
    query = sa.select(biennium_locks.c[BIENNIUM]).where(biennium_locks.c[BIENNIUM] == biennium)
    return connection.execute(query).first() is not None


def _current(
    connection: sa.Connection, biennium: str, entity: Entity, record: str, version: int
) -> RecordState:
    """The record's state, if it exists and is still at the version the caller read."""
    key = entity.table.c[entity.key]
    if connection.execute(sa.select(key).where(entity.where(biennium, record))).first() is None:
        raise Missing(record)
    current = state_of(connection, biennium, record, entity)
    if current.version != version:
        raise Conflict(current.version, current.updated_by)
    return current


def _allow(
    connection: sa.Connection,
    user: User,
    actions: set[Action],
    biennium: str,
    entity: Entity,
    record: str,
    current: RecordState,
) -> None:
    sectors = entity.sectors(connection, biennium, record)
    is_locked = locked(connection, biennium)
    for action in sorted(actions):
        decision = decide(user, action, current.state, sectors, is_locked)
        if not decision.allowed:
            raise WorkflowError(decision.reason or "workflow.refused.role")


def _insert(dialect: str) -> Any:
    """The dialect's INSERT, which can skip a row whose key is taken (ON CONFLICT DO NOTHING)."""
    return postgresql.insert if dialect == "postgresql" else sqlite.insert


def _bump(
    connection: sa.Connection,
    biennium: str,
    entity: Entity,
    record: str,
    current: RecordState,
    user: User,
    now: datetime,
    state: WorkflowState,
    comment: str | None,
) -> None:
    """Write the next version; a writer that got in between makes this raise Conflict."""
    values: dict[str, Any] = {
        "version": current.version + 1,
        "updated_by": user.name,
        "updated_at": now,
    }
    table, keys = _version_key(entity, biennium, record)
    if entity.stateful:
        values |= {"state": state.value, "comment": comment}
    if current.version == 0:
        # no savepoint: SQLite's driver would commit one taken before the first write
        insert = _insert(connection.dialect.name)(table).values({**keys, **values})
        inserted = insert.on_conflict_do_nothing().returning(table.c.version)
        if connection.execute(inserted).first() is None:
            latest = state_of(connection, biennium, record, entity)  # another writer was first
            raise Conflict(latest.version, latest.updated_by)
        return
    where = sa.and_(*(table.c[k] == v for k, v in keys.items()), table.c.version == current.version)
    if connection.execute(table.update().where(where).values(values)).rowcount != 1:
        latest = state_of(connection, biennium, record, entity)
        raise Conflict(latest.version, latest.updated_by)


def _audit(
    connection: sa.Connection,
    user: User,
    now: datetime,
    entity: str,
    entity_id: str,
    field: str,
    old: Any,
    new: Any,
    reason: str | None,
) -> None:
    connection.execute(
        audit_log.insert().values(
            at=now,
            user=user.name,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=None if old is None else _audit_text(old),
            new=None if new is None else _audit_text(new),
            reason=reason,
        )
    )


def _audit_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def act(
    engine: sa.Engine,
    user: User,
    biennium: str,
    pie: str,
    action: Action,
    version: int,
    now: datetime,
    comment: str | None = None,
) -> RecordState:
    """Submit, validate or return a PIE read at `version`; raises Conflict or WorkflowError."""
    with engine.begin() as connection:
        current = _current(connection, biennium, PIE, pie, version)
        _allow(connection, user, {action}, biennium, PIE, pie, current)
        after = next_state(current.state, action)
        if after is None:
            raise WorkflowError("workflow.refused.state")
        _bump(connection, biennium, PIE, pie, current, user, now, after, comment)
        entity_id = f"{biennium}/{pie}"
        _audit(
            connection,
            user,
            now,
            "pie",
            entity_id,
            "state",
            current.state.value,
            after.value,
            comment,
        )
        return state_of(connection, biennium, pie)


def save(
    engine: sa.Engine,
    user: User,
    biennium: str,
    entity: Entity,
    record: str,
    changes: Mapping[str, object],
    version: int,
    now: datetime,
    reason: str | None = None,
) -> RecordState:
    """Change fields of a record read at `version`, as one new version with an audit entry
    for each field whose value changes; raises Missing, Conflict or WorkflowError. Saving
    unchanged values is allowed only to whoever may edit the record at all. A validated PIE
    whose baseline or target changes is submitted again (one more audit entry, `state`)."""
    resolved = {name: entity.resolve(name) for name in changes}
    if not changes or None in resolved.values():
        raise WorkflowError("workflow.refused.field")
    table = entity.table
    with engine.begin() as connection:
        current = _current(connection, biennium, entity, record, version)
        where = entity.where(biennium, record)
        columns = {table.c[field] for field, _ in filter(None, resolved.values())}
        row = connection.execute(sa.select(*columns).where(where)).mappings().one()
        before = {name: _named(row, entity, name) for name in changes}
        changed = {f: v for f, v in changes.items() if before[f] != v}
        _allow(
            connection, user, _needed(entity, changes, changed), biennium, entity, record, current
        )
        if not changed:
            return current
        connection.execute(table.update().where(where).values(_updates(row, entity, changed)))
        after = current.state
        if entity.stateful:
            after = state_after_edit(current.state, {entity.action(f) for f in changed})
        _bump(connection, biennium, entity, record, current, user, now, after, current.comment)
        entity_id = f"{biennium}/{record}"
        for field, value in changed.items():
            _audit(
                connection, user, now, entity.name, entity_id, field, before[field], value, reason
            )
        if after != current.state:  # a validated PIE's baseline or target changed
            _audit(
                connection,
                user,
                now,
                entity.name,
                entity_id,
                "state",
                current.state.value,
                after.value,
                reason,
            )
        return state_of(connection, biennium, record, entity)


def _named(row: sa.RowMapping, entity: Entity, name: str) -> object:
    """The value an edited name reads: a field's, or a text field's in one language."""
    field, lang = entity.resolve(name) or (name, None)
    value = row[field]
    return value if lang is None else (value or {}).get(lang)


def _updates(row: sa.RowMapping, entity: Entity, changed: Mapping[str, object]) -> dict[str, Any]:
    """The columns to write: a text field's languages merged into what it holds."""
    out: dict[str, Any] = {}
    for name, value in changed.items():
        field, lang = entity.resolve(name) or (name, None)
        if lang is None:
            out[field] = value
            continue
        texts = dict(out.get(field) or row[field] or {})
        if value is None:
            texts.pop(lang, None)
        else:
            texts[lang] = value
        out[field] = texts or None
    return out


def _needed(
    entity: Entity, changes: Mapping[str, object], changed: Mapping[str, object]
) -> set[Action]:
    """The actions a save needs: those of the fields it changes (a form sends back fields the
    user cannot edit, unchanged); saving nothing new still needs the right to edit at all."""
    if changed:
        return {entity.action(f) for f in changed}
    actions = {entity.action(f) for f in changes}
    return {Action.EDIT_PERFORMANCE} if Action.EDIT_PERFORMANCE in actions else actions


def edit(
    engine: sa.Engine,
    user: User,
    biennium: str,
    pie: str,
    field: str,
    value: object,
    version: int,
    now: datetime,
    reason: str | None = None,
) -> RecordState:
    """Change one field of a PIE read at `version`."""
    return save(engine, user, biennium, PIE, pie, {field: value}, version, now, reason)


def values_of(
    engine: sa.Engine, biennium: str, entity: Entity, record: str, fields: list[str]
) -> dict[str, object]:
    """The current values of some editable fields of a record (for a 409's details); a text
    field's name in one language (`risk_en`) reads that language."""
    names = [f for f in fields if entity.resolve(f) is not None]
    columns = {entity.table.c[field] for field, _ in filter(None, map(entity.resolve, names))}
    if not columns:
        return {}
    with engine.connect() as connection:
        row = (
            connection.execute(sa.select(*columns).where(entity.where(biennium, record)))
            .mappings()
            .first()
        )
    return {name: _named(row, entity, name) for name in names} if row is not None else {}


def lock(engine: sa.Engine, user: User, biennium: str, now: datetime) -> None:
    """Lock a biennium whose every PIE is validated; afterwards every change is refused."""
    with engine.begin() as connection:
        decision = decide(
            user, Action.LOCK, WorkflowState.VALIDATED, locked=locked(connection, biennium)
        )
        if not decision.allowed:
            raise WorkflowError(decision.reason or "workflow.refused.role")
        pies = TABLES["pies"]
        ids = connection.execute(sa.select(pies.c.id).where(pies.c[BIENNIUM] == biennium)).scalars()
        if not can_lock(state_of(connection, biennium, pie).state for pie in ids):
            raise WorkflowError("workflow.refused.not_validated")
        connection.execute(
            biennium_locks.insert().values(
                {BIENNIUM: biennium, "locked_by": user.name, "locked_at": now}
            )
        )
        _audit(connection, user, now, "biennium", biennium, "locked", "false", "true", None)
