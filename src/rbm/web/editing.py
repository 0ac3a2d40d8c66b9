"""Saving an edit or a workflow action from a request: store refusals become the one error
shape (403 refused, 404 missing, 409 stale with the current values and who changed them,
422 a value that does not fit its field)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from starlette.requests import Request

from rbm.datapackage.cells import CellContext
from rbm.domain.text import forbidden_character
from rbm.domain.workflow import Action, User
from rbm.store.records import ENTITIES, Entity, InvalidValue, parse_changes
from rbm.store.workflow import (
    Conflict,
    Missing,
    RecordState,
    WorkflowError,
    act,
    save,
    values_of,
)
from rbm.web.errors import ApiError
from rbm.web.state import AppState, app_state


def entity_named(name: str) -> Entity:
    if name not in ENTITIES:
        raise ApiError(404, "web.error.404")
    return ENTITIES[name]


def canonical_record(entity: Entity, record: str) -> str:
    """`record` itself when it is the record's one id; any other spelling of an id (a row
    number with leading zeros or in other digits) is no record, 404."""
    if not entity.is_canonical(record):
        raise ApiError(404, "web.error.404")
    return record


def json_value(value: object) -> object:
    """A stored value as JSON: decimals as strings, so no precision is lost."""
    if value is None or isinstance(value, bool | int | str | dict | list):
        return value
    return str(value)


def record_state(state: RecordState) -> dict[str, Any]:
    return {
        "state": state.state.value,
        "version": state.version,
        "updated_by": state.updated_by,
        "updated_at": state.updated_at.isoformat() if state.updated_at else None,
        "comment": state.comment,
    }


@contextmanager
def refusals(
    state: AppState, biennium: str, entity: Entity, record: str, fields: list[str]
) -> Iterator[None]:
    try:
        yield
    except Missing:
        raise ApiError(404, "web.error.404") from None
    except WorkflowError as refused:
        raise ApiError(403, refused.key, {"reason": refused.key}) from None
    except Conflict as stale:
        current = values_of(state.engine, biennium, entity, record, fields)
        details = {
            "version": stale.version,
            "updated_by": stale.updated_by,
            "current": {k: json_value(v) for k, v in current.items()},
        }
        raise ApiError(409, "web.error.stale", details, user=stale.updated_by or "?") from None


def plain_note(note: str | None) -> str | None:
    """An edit's reason or an action's comment as stored: refused (422) when it holds a
    character no text may hold (a NUL is stored by SQLite and refused by PostgreSQL)."""
    found = forbidden_character(note) if note else None
    if found is not None:
        details = {"field": "reason", "value": note, "problem": "control-character"}
        raise ApiError(422, "web.error.value", details, field="reason", value=found[1])
    return note or None


def apply_edit(
    request: Request,
    user: User,
    entity: Entity,
    record: str,
    raw: Mapping[str, str],
    version: int,
    reason: str | None,
) -> RecordState:
    """Parse the submitted text of each field and save it as one new version."""
    canonical_record(entity, record)
    state = app_state(request)
    dataset = state.snapshot().dataset
    biennium = dataset.biennium
    try:
        changes = parse_changes(entity, raw, CellContext.of(biennium))
    except InvalidValue as bad:
        details = {
            "field": bad.field,
            "value": bad.value,
            "problem": bad.problem.type,
            **bad.problem.params,
        }
        raise ApiError(422, "web.error.value", details, field=bad.field, value=bad.value) from None
    with refusals(state, biennium.code, entity, record, list(raw)):
        return save(
            state.engine,
            user,
            biennium.code,
            entity,
            record,
            changes,
            version,
            state.config.clock(),
            plain_note(reason),
        )


def apply_action(
    request: Request, user: User, pie: str, action: Action, version: int, comment: str | None
) -> RecordState:
    """Submit, validate or return a PIE read at `version`."""
    state = app_state(request)
    biennium = state.snapshot().dataset.biennium.code
    entity = ENTITIES["pie"]
    canonical_record(entity, pie)
    with refusals(state, biennium, entity, pie, []):
        return act(
            state.engine,
            user,
            biennium,
            pie,
            action,
            version,
            state.config.clock(),
            plain_note(comment),
        )
