"""The work queue: PIEs by workflow state, filtered by state, pillar and sector (a focal
point's own sectors by default), with the counts per state; and locking the biennium once
every PIE is validated (planner, administrator).

    GET /workflow  GET /api/workflow  POST /workflow/lock  POST /api/workflow/lock
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from rbm.domain.enums import WorkflowState
from rbm.domain.workflow import Action, Role, User
from rbm.engine.workflow import can_lock, decide
from rbm.i18n import t, text
from rbm.store.workflow import WorkflowError, lock
from rbm.web.auth import SignedIn, allow
from rbm.web.editing import record_state
from rbm.web.errors import ApiError
from rbm.web.filters import Option, checked
from rbm.web.language import language
from rbm.web.pies import (
    QUEUE_ORDER,
    STATES,
    Board,
    Counts,
    PieLine,
    lock_dict,
)
from rbm.web.render import page
from rbm.web.representations import cached_json
from rbm.web.state import Current, app_state

router = APIRouter()

Locker = Annotated[User, allow(Role.PLANNER, Role.ADMINISTRATOR)]
Filter = Annotated[str | None, Query(max_length=40)]
Notice = Literal["locked"]
MINE = "mine"  # the sector filter meaning "my own sectors"


def _options(board: Board, user: User) -> dict[str, list[Option]]:
    sectors = [Option(s.code, s.name) for s in board.sectors()]
    if user.sectors:
        sectors.insert(0, Option(MINE, text("web.workflow.mine")))
    return {
        "state": [Option(s.value, text(f"web.state.{s.value}")) for s in STATES],
        "pillar": [Option(p.code, p.name) for p in board.pillars()],
        "sector": sectors,
    }


def _queue(
    board: Board, user: User, state: str | None, pillar: str | None, sector: str | None
) -> dict[str, Any]:
    options = _options(board, user)
    if sector is None and user.sectors:
        sector = MINE  # a focal point sees its own sectors' PIEs unless it asks for others
    chosen = {
        "state": checked("state", state, options["state"]),
        "pillar": checked("pillar", pillar, options["pillar"]),
        "sector": checked("sector", sector, options["sector"]),
    }
    codes = None
    if chosen["sector"] == MINE:
        codes = list(user.sectors)
    elif chosen["sector"] is not None:
        codes = [chosen["sector"]]
    lines = board.lines_of(pillar=chosen["pillar"], sectors=codes)
    counts = Counts.of(lines)
    order = QUEUE_ORDER["validator" if user.role == Role.VALIDATOR else "editor"]
    shown = [s for s in order if chosen["state"] in (None, s.value)]
    everything = [line.state for line in board.lines]
    return {
        "options": options,
        "chosen": chosen,
        "counts": counts,
        "groups": [(s, [line for line in lines if line.state == s]) for s in shown],
        "may_lock": decide(user, Action.LOCK, WorkflowState.VALIDATED, locked=board.locked).allowed,
        "lockable": can_lock(everything),
        "not_validated": sum(1 for s in everything if s != WorkflowState.VALIDATED),
    }


def _queue_line(line: PieLine) -> dict[str, Any]:
    a = line.assessment
    return {
        "id": line.id,
        "indicator_id": a.pie.indicator,
        "expected_result": a.result,
        "pillar": a.pillar,
        "sectors": list(a.sectors),
        "computed_rating": a.computed.value,
        "final_rating": a.final.value,
        "workflow": record_state(line.record),
        "href": line.href,
        "api_href": f"/api/pies/{line.id}",
    }


def _workflow_page(
    request: Request,
    user: User,
    status: int = 200,
    state: str | None = None,
    pillar: str | None = None,
    sector: str | None = None,
    **extra: Any,
) -> Response:
    app = app_state(request)
    board = Board.read(app, app.snapshot())
    return page(
        request,
        "web/workflow.html",
        status,
        **_queue(board, user, state, pillar, sector),
        indicators={i.id: i.text for i in board.snap.dataset.indicators},
        sector_names={s.code: s for s in board.sectors()},
        biennium=board.biennium,
        api_href="/api/workflow",
        **board.basics(),
        **{"notice": None, "error": None, **extra},
    )


@router.get("/workflow", include_in_schema=False)
def workflow_page(
    request: Request,
    user: SignedIn,
    snap: Current,
    state: Filter = None,
    pillar: Filter = None,
    sector: Filter = None,
    notice: Annotated[Notice | None, Query()] = None,
) -> Response:
    return _workflow_page(request, user, 200, state, pillar, sector, notice=notice)


@router.get("/api/workflow", response_model=dict[str, Any])
def workflow_api(
    request: Request,
    user: SignedIn,
    snap: Current,
    state: Filter = None,
    pillar: Filter = None,
    sector: Filter = None,
) -> Response:
    """The work queue: PIEs by workflow state, filtered by state, pillar and sector (a focal
    point's own sectors unless `sector` is given; "" for all), with the counts per state and
    whether the biennium can be locked."""
    # a focal point's queue is their sectors', and may_lock is the role's: one per user
    return cached_json(
        request,
        snap,
        lambda: _workflow_dict(Board.of(request, snap), user, state, pillar, sector),
        user,
    )


def _workflow_dict(
    board: Board, user: User, state: str | None, pillar: str | None, sector: str | None
) -> dict[str, Any]:
    queue = _queue(board, user, state, pillar, sector)
    return {
        "biennium": board.biennium,
        "locked": lock_dict(board.lock),
        "filters": queue["chosen"],
        **queue["counts"].to_dict(),
        "groups": [
            {"state": s.value, "pies": [_queue_line(line) for line in lines]}
            for s, lines in queue["groups"]
        ],
        "may_lock": queue["may_lock"],
        "lockable": queue["lockable"],
        "not_validated": queue["not_validated"],
    }


class LockRequest(BaseModel):
    """The biennium to lock, as the caller saw it (so a newer load is not locked unseen)."""

    model_config = ConfigDict(extra="forbid")
    biennium: str = Field(min_length=1, max_length=32)


def _lock(request: Request, user: User, biennium: str) -> Board:
    app = app_state(request)
    current = app.snapshot().dataset.biennium.code
    if biennium != current:
        details = {"biennium": biennium, "current": current}
        raise ApiError(409, "web.workflow.other_biennium", details, current=current)
    try:
        lock(app.engine, user, current, app.config.clock())
    except WorkflowError as refused:
        raise ApiError(403, refused.key, {"reason": refused.key}) from None
    return Board.read(app, app.snapshot())


@router.post("/workflow/lock", include_in_schema=False)
def lock_form(
    request: Request, user: Locker, biennium: Annotated[str, Form(min_length=1, max_length=32)]
) -> Response:
    try:
        _lock(request, user, biennium)
    except ApiError as refused:
        message = t(refused.key, language(request), **refused.params)
        return _workflow_page(request, user, refused.status, error=message)
    return RedirectResponse("/workflow?notice=locked", 303)


@router.post("/api/workflow/lock")
def lock_api(request: Request, user: Locker, body: LockRequest) -> dict[str, Any]:
    """Lock the biennium named in the body (planner, administrator): refused with 403 and
    the reason `workflow.refused.not_validated` until every PIE is validated, 409 when it
    is not the current biennium; afterwards every change is refused."""
    board = _lock(request, user, body.biennium)
    return {"biennium": board.biennium, "locked": lock_dict(board.lock)}
