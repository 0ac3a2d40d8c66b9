"""The workflow against the store: a PIE's state and data change only through these
functions, each in one transaction with optimistic locking and an audit entry.

The rules themselves (who may do what, in which state) are `rbm.engine.workflow`; the clock
is passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from rbm.domain.enums import WorkflowState
from rbm.domain.workflow import Action, User
from rbm.engine.workflow import can_lock, decide, next_state
from rbm.store.tables import BIENNIUM, TABLES, audit_log, biennium_locks, pie_states

EDITABLE_FIELDS = (
    "actual_text",
    "actual_value",
    "actual_period",
    "assessor_rating",
    "assessor_justification_zh",
    "assessor_justification_en",
)


class WorkflowError(Exception):
    """A refused change; `key` is the catalogue key of the reason."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


class Conflict(Exception):
    """The record changed since the caller read it: its current version and who changed it."""

    def __init__(self, version: int, updated_by: str | None) -> None:
        super().__init__(version, updated_by)
        self.version = version
        self.updated_by = updated_by


@dataclass(frozen=True)
class PieState:
    state: WorkflowState
    version: int
    updated_by: str | None = None
    comment: str | None = None


def state_of(connection: sa.Connection, biennium: str, pie: str) -> PieState:
    row = (
        connection.execute(
            sa.select(pie_states).where(pie_states.c[BIENNIUM] == biennium, pie_states.c.pie == pie)
        )
        .mappings()
        .first()
    )
    if row is None:
        return PieState(WorkflowState.DRAFT, 0)
    return PieState(WorkflowState(row["state"]), row["version"], row["updated_by"], row["comment"])


def _locked(connection: sa.Connection, biennium: str) -> bool:
    query = sa.select(biennium_locks.c[BIENNIUM]).where(biennium_locks.c[BIENNIUM] == biennium)
    return connection.execute(query).first() is not None


def _sectors(connection: sa.Connection, biennium: str, pie: str) -> list[str]:
    pies, links = TABLES["pies"], TABLES["indicator_sectors"]
    query = (
        sa.select(links.c.sector)
        .join(
            pies, (pies.c.indicator == links.c.indicator) & (pies.c[BIENNIUM] == links.c[BIENNIUM])
        )
        .where(pies.c[BIENNIUM] == biennium, pies.c.id == pie)
    )
    return list(connection.execute(query).scalars())


def _check(
    connection: sa.Connection, user: User, action: Action, biennium: str, pie: str, version: int
) -> PieState:
    current = state_of(connection, biennium, pie)
    if current.version != version:
        raise Conflict(current.version, current.updated_by)
    decision = decide(
        user,
        action,
        current.state,
        _sectors(connection, biennium, pie),
        _locked(connection, biennium),
    )
    if not decision.allowed:
        raise WorkflowError(decision.reason or "workflow.refused.role")
    return current


def _save(
    connection: sa.Connection,
    biennium: str,
    pie: str,
    current: PieState,
    state: WorkflowState,
    user: User,
    now: datetime,
    comment: str | None,
) -> None:
    values = {
        "state": state.value,
        "version": current.version + 1,
        "updated_by": user.name,
        "updated_at": now,
        "comment": comment,
    }
    if current.version == 0:
        connection.execute(pie_states.insert().values({BIENNIUM: biennium, "pie": pie, **values}))
        return
    done = connection.execute(
        pie_states.update()
        .where(
            pie_states.c[BIENNIUM] == biennium,
            pie_states.c.pie == pie,
            pie_states.c.version == current.version,  # another writer in between loses
        )
        .values(values)
    )
    if done.rowcount != 1:
        latest = state_of(connection, biennium, pie)
        raise Conflict(latest.version, latest.updated_by)


def _audit(
    connection: sa.Connection,
    user: User,
    now: datetime,
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
            entity="pie",
            entity_id=entity_id,
            field=field,
            old=None if old is None else str(old),
            new=None if new is None else str(new),
            reason=reason,
        )
    )


def act(
    engine: sa.Engine,
    user: User,
    biennium: str,
    pie: str,
    action: Action,
    version: int,
    now: datetime,
    comment: str | None = None,
) -> PieState:
    """Submit, validate or return a PIE read at `version`; raises Conflict or WorkflowError."""
    with engine.begin() as connection:
        current = _check(connection, user, action, biennium, pie, version)
        after = next_state(current.state, action)
        if after is None:
            raise WorkflowError("workflow.refused.state")
        _save(connection, biennium, pie, current, after, user, now, comment)
        _audit(
            connection,
            user,
            now,
            f"{biennium}/{pie}",
            "state",
            current.state.value,
            after.value,
            comment,
        )
        return state_of(connection, biennium, pie)


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
) -> PieState:
    """Change one field of a PIE's performance data read at `version`."""
    if field not in EDITABLE_FIELDS:
        raise WorkflowError("workflow.refused.field")
    table = TABLES["pies"]
    with engine.begin() as connection:
        current = _check(connection, user, Action.EDIT_PERFORMANCE, biennium, pie, version)
        where = (table.c[BIENNIUM] == biennium) & (table.c.id == pie)
        old = connection.execute(sa.select(table.c[field]).where(where)).scalar_one()
        connection.execute(table.update().where(where).values({field: value}))
        _save(connection, biennium, pie, current, current.state, user, now, reason)
        _audit(connection, user, now, f"{biennium}/{pie}", field, old, value, reason)
        return state_of(connection, biennium, pie)


def lock(engine: sa.Engine, user: User, biennium: str, now: datetime) -> None:
    """Lock a biennium whose every PIE is validated; afterwards every change is refused."""
    with engine.begin() as connection:
        decision = decide(
            user, Action.LOCK, WorkflowState.VALIDATED, locked=_locked(connection, biennium)
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
        connection.execute(
            audit_log.insert().values(
                at=now, user=user.name, entity="biennium", entity_id=biennium, field="locked",
                old="false", new="true", reason=None,
            )
        )  # fmt: skip
