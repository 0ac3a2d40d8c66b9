"""One PIE: the engine's rating beside the assessor's, its workflow state, version, the
validator's last comment and its history; the edit form and the workflow actions the rules
allow the user (`engine.workflow.decide`), and their JSON twins.

    GET  /pies/{id}            PATCH /api/pies/{id}           (fields + version + reason)
    POST /pies/{id}            POST  /api/pies/{id}/actions   (submit, validate, return)
    POST /pies/{id}/actions    GET   /api/pies/{id}

Edits and actions go through `rbm.web.editing`: the store decides and refuses (403 with the
reason, 409 with the current values and who changed them, 422 for a value that does not
fit); the pages show those refusals with what the user typed.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from rbm.domain.enums import Rating, TargetKind
from rbm.domain.text import Lang
from rbm.domain.workflow import Action, Role, User
from rbm.engine.rating.messages import Message
from rbm.engine.workflow import Decision
from rbm.i18n import keys, t
from rbm.report.render.tables_json import text_dict
from rbm.store.audit import AuditEntry
from rbm.store.workflow import RecordState
from rbm.web.auth import SignedIn, allow
from rbm.web.editing import apply_action, apply_edit, record_state
from rbm.web.errors import ApiError
from rbm.web.labels import field_label
from rbm.web.language import language
from rbm.web.pies import (
    PIE,
    STEPS,
    Board,
    PieLine,
    changed_fields,
    editable_fields,
    entry_dict,
    form_values,
    history,
    line_dict,
    lock_dict,
    permissions,
    validator_note,
)
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.state import Current, Snapshot, app_state

router = APIRouter()

Editor = Annotated[User, allow(Role.FOCAL_POINT, Role.PLANNER, Role.ADMINISTRATOR)]
Actor = Annotated[User, allow(Role.FOCAL_POINT, Role.PLANNER, Role.ADMINISTRATOR, Role.VALIDATOR)]
PieId = Annotated[str, Path(min_length=1, max_length=64)]
Notice = Literal["saved", "unchanged", "submit", "validate", "return"]
StepName = Literal["submit", "validate", "return"]

MAX_TEXT = 20_000
MAX_NOTE = 2_000


class PieEdit(BaseModel):
    """New values for some fields of a PIE read at `version`, as text (\"\" clears)."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=0, le=2**31)
    changes: dict[
        Annotated[str, Field(max_length=64)], Annotated[str, Field(max_length=MAX_TEXT)]
    ] = Field(min_length=1, max_length=32)
    reason: str | None = Field(default=None, max_length=MAX_NOTE)


class PieStep(BaseModel):
    """A workflow action on a PIE read at `version`; returning it needs a comment."""

    model_config = ConfigDict(extra="forbid")
    action: StepName
    version: int = Field(ge=0, le=2**31)
    comment: str | None = Field(default=None, max_length=MAX_NOTE)


def _label(key: str, lang: Lang, fallback: str) -> str:
    return t(key, lang) if key in keys(lang) else fallback


def _value_label(field: str, value: str | None, lang: Lang) -> str | None:
    """An audit value as a reader knows it: states and ratings by their names."""
    if value is None:
        return None
    if field == "state":
        return _label(f"web.state.{value}", lang, value)
    if field == "assessor_rating":
        return _label(f"rating.{value}", lang, value)
    if field == "target_kind":
        return _label(f"rating.kind.{value}", lang, value)
    return value


def _history_rows(trail: list[AuditEntry], lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "entry": entry,
            "field": t("web.pie.history.state", lang)
            if entry.field == "state"
            else field_label(entry.field, lang),
            "old": _value_label(entry.field, entry.old, lang),
            "new": _value_label(entry.field, entry.new, lang),
        }
        for entry in trail
    ]


def _explanation(line: PieLine, lang: Lang) -> str:
    """The engine's account of its computed rating alone (the assessor's is shown beside)."""
    a = line.assessment
    rated = Message.of(
        "rating.explain.rated",
        detail=a.achievement.detail,
        rating=Message.of(f"rating.{a.computed.value}"),
    )
    return rated.text(lang)


def _refusal(allowed: dict[Action, Decision]) -> str | None:
    """Why the user cannot edit the performance data, when it is not a matter of role."""
    reason = allowed[Action.EDIT_PERFORMANCE].reason
    return None if reason in (None, "workflow.refused.role") else reason


def _pie_context(
    request: Request,
    user: User,
    board: Board,
    id: str,
    typed: dict[str, str] | None = None,
) -> dict[str, Any]:
    state = app_state(request)
    lang = language(request)
    line = board.line(id)
    pie = line.assessment.pie
    indicator = board.indicator(pie.indicator)
    result = board.result(indicator.result)
    allowed = permissions(user, line, board.locked)
    trail = history(state.engine, board.biennium, id)
    current = form_values(state.engine, board.biennium, id, board.langs)
    return {
        "line": line,
        "a": line.assessment,
        "pie": pie,
        "indicator": indicator,
        "result": result,
        "pillar": board.pillar(result.pillar),
        "sectors": board.sector_names(line.assessment.sectors),
        "footnotes": board.footnotes(line),
        "explanation": _explanation(line, lang),
        "allowed": {action.value: d.allowed for action, d in allowed.items()},
        "steps": [s.value for s in STEPS if allowed[s].allowed],
        "refusal": _refusal(allowed),
        "fields": editable_fields(allowed, board.langs),
        "langs": board.langs,
        "values": {**current, **(typed or {})},
        "current": current,
        "history": _history_rows(trail, lang),
        "note": validator_note(trail),
        "target_kinds": list(TargetKind),
        "rating_choices": list(Rating),
        "lock": board.lock,
        "api_href": f"/api/pies/{id}",
        "notice": None,
        "error": None,
        "invalid": None,
        "conflict": None,
        "comment": {},
        "reason": "",
    }


def _pie_page(
    request: Request,
    user: User,
    id: str,
    status: int = 200,
    typed: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    state = app_state(request)
    board = Board.read(state, state.snapshot())
    context = _pie_context(request, user, board, id, typed)
    context.update(extra)
    return page(request, "web/pie.html", status, **context)


@router.get("/pies/{id}", include_in_schema=False)
def pie_page(
    request: Request,
    id: PieId,
    user: SignedIn,
    snap: Current,
    notice: Annotated[Notice | None, Query()] = None,
) -> Response:
    return _pie_page(request, user, id, notice=notice)


@router.get("/api/pies/{id}", response_model=dict[str, Any])
def pie_api(request: Request, id: PieId, user: SignedIn, snap: Current) -> Response:
    """One PIE: baseline, target, actual, the engine's computed rating and its explanation,
    the assessor's rating, the final rating, its workflow state and version, the validator's
    last comment, its history, and what the signed-in user may do to it."""
    lang = language(request)
    # what the user may do is theirs: one answer per user
    return cached_json(request, snap, lambda: _pie_dict(request, user, snap, id, lang), user)


def _pie_dict(request: Request, user: User, snap: Snapshot, id: str, lang: Lang) -> dict[str, Any]:
    board = Board.of(request, snap)
    line = board.line(id)
    indicator = board.indicator(line.assessment.pie.indicator)
    result = board.result(indicator.result)
    pillar = board.pillar(result.pillar)
    allowed = permissions(user, line, board.locked)
    trail = history(app_state(request).engine, board.biennium, id)
    note = validator_note(trail)
    return {
        **line_dict(line, lang),
        "lang": lang,
        "computed_explanation": _explanation(line, lang),
        "framework": {
            "pillar": {"code": pillar.code, "name": text_dict(pillar.name)},
            "result": {"code": result.code, "title": text_dict(result.title)},
            "indicator": {"id": indicator.id, "text": text_dict(indicator.text)},
        },
        "footnotes": [
            {"id": f.id, "scope": f.scope.value, "number": f.number, "text": text_dict(f.text)}
            for f in board.footnotes(line)
        ],
        "locked": lock_dict(board.lock),
        "validator_comment": None
        if note is None
        else {
            "by": note.user,
            "at": note.at.isoformat(),
            "state": note.new,
            "comment": note.reason,
        },
        "history": [entry_dict(e) for e in trail],
        "allowed": {action.value: d.allowed for action, d in allowed.items()},
        "refused": {action.value: d.reason for action, d in allowed.items() if d.reason},
        "editable_fields": editable_fields(allowed, board.langs),
    }


def _edit_failed(
    request: Request, user: User, id: str, error: ApiError, typed: dict[str, str], reason: str
) -> Response:
    """The PIE page again with what the user typed and why it was not saved."""
    lang = language(request)
    message = t(error.key, lang, **error.params)
    if error.key == "web.error.value":  # name the field as the form labels it
        field = str(error.details.get("field", ""))
        label = field_label(field, lang)
        message = t(error.key, lang, field=label, value=error.details.get("value", ""))
    if error.status == 422:
        invalid = error.details.get("field")
        return _pie_page(
            request, user, id, 422, typed, error=message, invalid=invalid, reason=reason
        )
    if error.status == 409:
        state = app_state(request)
        biennium = state.snapshot().dataset.biennium
        current = form_values(state.engine, biennium.code, id, biennium.settings.languages)
        differs = [
            (f, current.get(f, ""), v)
            for f, v in typed.items()
            if v.strip() != current.get(f, "").strip()
        ]
        conflict = {
            "by": error.details.get("updated_by"),
            "version": error.details.get("version"),
            "fields": differs,
        }
        return _pie_page(
            request, user, id, 409, typed, error=message, conflict=conflict, reason=reason
        )
    return _pie_page(request, user, id, error.status, error=message)


def _save_form(
    request: Request, user: User, id: str, typed: dict[str, str], version: int, reason: str
) -> Response:
    state = app_state(request)
    board = Board.read(state, state.snapshot())
    board.line(id)  # 404 before anything else
    changes = changed_fields(typed, form_values(state.engine, board.biennium, id, board.langs))
    if not changes:
        return RedirectResponse(f"/pies/{id}?notice=unchanged", 303)
    try:
        apply_edit(request, user, PIE, id, changes, version, reason)
    except ApiError as error:
        return _edit_failed(request, user, id, error, typed, reason)
    return RedirectResponse(f"/pies/{id}?notice=saved", 303)


@router.post("/pies/{id}", include_in_schema=False)
async def pie_edit_form(
    request: Request,
    id: PieId,
    user: Editor,
    version: Annotated[int, Form(ge=0, le=2**31)],
    reason: Annotated[str, Form(max_length=MAX_NOTE)] = "",
) -> Response:
    form = await request.form()
    langs = app_state(request).snapshot().dataset.biennium.settings.languages
    typed = {f: str(form[f]) for f in PIE.fields(langs) if f in form}
    if any(len(v) > MAX_TEXT for v in typed.values()):
        raise ApiError(422, "web.error.422")
    return await run_in_threadpool(_save_form, request, user, id, typed, version, reason)


@router.patch("/api/pies/{id}")
def pie_edit_api(request: Request, id: PieId, user: Editor, edit: PieEdit) -> dict[str, Any]:
    """Change fields of a PIE read at `version` (`changes`: column → text, "" clears); 403
    with the reason when refused, 409 with the current values and who changed them when
    the version is stale, 422 when a value does not fit its field."""
    saved = apply_edit(request, user, PIE, id, edit.changes, edit.version, edit.reason)
    return {"id": id, **record_state(saved), "href": f"/api/pies/{id}"}


def _step(
    request: Request, user: User, id: str, name: str, version: int, comment: str
) -> RecordState:
    action = Action(name)
    if action == Action.RETURN and not comment.strip():
        raise ApiError(422, "web.pie.comment_required", {"field": "comment"})
    return apply_action(request, user, id, action, version, comment.strip() or None)


def _step_form(
    request: Request, user: User, id: str, name: str, version: int, comment: str
) -> Response:
    try:
        _step(request, user, id, name, version, comment)
    except ApiError as error:
        if error.status == 404:
            raise
        message = t(error.key, language(request), **error.params)
        return _pie_page(request, user, id, error.status, error=message, comment={name: comment})
    return RedirectResponse(f"/pies/{id}?notice={name}", 303)


@router.post("/pies/{id}/actions", include_in_schema=False)
def pie_action_form(
    request: Request,
    id: PieId,
    user: Actor,
    action: Annotated[StepName, Form()],
    version: Annotated[int, Form(ge=0, le=2**31)],
    comment: Annotated[str, Form(max_length=MAX_NOTE)] = "",
) -> Response:
    return _step_form(request, user, id, action, version, comment)


@router.post("/api/pies/{id}/actions")
def pie_action_api(request: Request, id: PieId, user: Actor, step: PieStep) -> dict[str, Any]:
    """Submit (focal point, planner), validate or return (validator, with a comment) a PIE
    read at `version`; 403 with the reason when the workflow refuses, 409 when stale."""
    saved = _step(request, user, id, step.action, step.version, step.comment or "")
    return {"id": id, **record_state(saved), "href": f"/api/pies/{id}"}
