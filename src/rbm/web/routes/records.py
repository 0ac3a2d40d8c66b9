"""Editing any editable record — risks (a focal point's own sectors), budget amounts (the
planner), PIEs — as a form page and as `PATCH /api/records/{entity}/{record}`.

A record has one id: another spelling of it (`/records/budget_fact/00`) is 404, except that
the form page redirects to the canonical address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rbm.domain.workflow import Role, User
from rbm.store.records import Entity
from rbm.store.workflow import state_of, values_of
from rbm.web.auth import allow
from rbm.web.editing import (
    apply_edit,
    canonical_record,
    entity_named,
    json_value,
    record_state,
)
from rbm.web.errors import ApiError
from rbm.web.render import page
from rbm.web.state import app_state

router = APIRouter()

Editor = Annotated[User, allow(Role.FOCAL_POINT, Role.PLANNER, Role.ADMINISTRATOR)]
EntityName = Annotated[str, Path(max_length=32, pattern=r"^[a-z_]+$")]
RecordId = Annotated[str, Path(max_length=200)]


class Edit(BaseModel):
    version: int = Field(ge=0, le=2**31)
    changes: dict[str, Annotated[str, Field(max_length=20_000)]] = Field(max_length=32)
    reason: str | None = Field(default=None, max_length=2_000)


@dataclass(frozen=True)
class Input:
    """A form control for one field: its column, the kind of control and its choices."""

    column: str
    control: str  # text, textarea, number, select
    value: str
    choices: tuple[tuple[str, str], ...] = ()  # (value, catalogue key of its label)


# where the labels of each kind of choice are in the catalogue
CHOICE_LABELS: dict[str, str] = {
    "Rating": "rating",
    "TargetKind": "rating.kind",
    "Exposure": "report.exposure",
    "Effectiveness": "web.choice.effectiveness",
    "Impact": "web.choice.impact",
    "boolean": "web.choice",
}
NONE = ("", "web.choice.none")


def _record(request: Request, entity: Entity, record: str) -> dict[str, Any]:
    """A record's editable fields, their current values and its version."""
    canonical_record(entity, record)
    state = app_state(request)
    b = state.snapshot().dataset.biennium
    biennium = b.code
    names = list(entity.fields(b.settings.languages))
    values = values_of(state.engine, biennium, entity, record, names)
    if not values:
        raise ApiError(404, "web.error.404")
    with state.engine.connect() as connection:
        current = state_of(connection, biennium, record, entity)
    return {
        "entity": entity.name,
        "record": record,
        "fields": {f: json_value(values[f]) for f in names},
        **record_state(current),
    }


def _inputs(entity: Entity, fields: dict[str, Any]) -> list[Input]:
    inputs = []
    for column, value in fields.items():
        spec = entity.spec((entity.resolve(column) or (column, None))[0])
        shown = (
            ""
            if value is None
            else ("true" if value is True else "false" if value is False else str(value))
        )
        if spec.enum is not None:
            prefix = CHOICE_LABELS[spec.enum.__name__]
            choices = tuple((m.value, f"{prefix}.{m.value}") for m in spec.enum)
            inputs.append(Input(column, "select", shown, (NONE, *choices)))
        elif spec.kind == "boolean":
            choices = (("true", "web.choice.true"), ("false", "web.choice.false"))
            inputs.append(Input(column, "select", shown, (NONE, *choices)))
        elif spec.kind == "text" or spec.kind == "object":
            inputs.append(Input(column, "textarea", shown))
        elif spec.kind == "number":
            inputs.append(Input(column, "number", shown))
        else:
            inputs.append(Input(column, "text", shown))
    return inputs


@router.get("/api/records/{entity}/{record}")
def record_api(
    request: Request, user: Editor, entity: EntityName, record: RecordId
) -> dict[str, Any]:
    """An editable record: its fields, current values and version (to send back with an edit)."""
    return _record(request, entity_named(entity), record)


@router.patch("/api/records/{entity}/{record}")
def edit_api(
    request: Request, user: Editor, entity: EntityName, record: RecordId, edit: Edit
) -> dict[str, Any]:
    """Change fields of a record read at `version`; a stale version gets 409."""
    kind = entity_named(entity)
    apply_edit(request, user, kind, record, edit.changes, edit.version, edit.reason)
    return _record(request, kind, record)


@router.get("/records/{entity}/{record}", include_in_schema=False)
def edit_page(request: Request, user: Editor, entity: EntityName, record: RecordId) -> Response:
    kind = entity_named(entity)
    canonical = kind.canonical(record)
    if canonical is not None and canonical != record:
        return RedirectResponse(f"/records/{entity}/{canonical}", 301)
    current = _record(request, kind, record)
    return page(
        request,
        "web/record.html",
        record=current,
        inputs=_inputs(kind, current["fields"]),
        saved=request.query_params.get("saved") == "1",
        api_href=f"/api/records/{entity}/{record}",
    )


@router.post("/records/{entity}/{record}", include_in_schema=False)
async def edit_form(
    request: Request,
    user: Editor,
    entity: EntityName,
    record: RecordId,
    version: Annotated[int, Form(ge=0, le=2**31)],
    reason: Annotated[str, Form(max_length=2_000)] = "",
) -> Response:
    kind = entity_named(entity)
    form = await request.form()
    langs = app_state(request).snapshot().dataset.biennium.settings.languages
    changes = {f: str(form[f]) for f in kind.fields(langs) if f in form}
    await run_in_threadpool(apply_edit, request, user, kind, record, changes, version, reason)
    return RedirectResponse(f"/records/{entity}/{record}?saved=1", 303)
