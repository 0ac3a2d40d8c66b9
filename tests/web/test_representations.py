"""The /api answers kept on the snapshot are the answers built afresh: built once per
snapshot, path, query, language (and user where it matters), rebuilt when the data change,
never shared between users who may see different things, and serialized as FastAPI would."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.testclient import TestClient

from rbm.domain.dataset import Dataset
from rbm.domain.workflow import Role
from rbm.web.representations import cached_json
from rbm.web.routes import finance, workflow
from rbm.web.state import Snapshot
from tests.web.conftest import FOCAL_PIE, Client, Clock
from tests.web.test_caching import _as, _edit, _executed_pt, _fresh

ClientFor = Callable[[Role | None], Client]


def _counted(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[int]:
    """Count the calls of `module.name` (the builder of an answer)."""
    calls: list[int] = []
    original = getattr(module, name)

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_the_second_request_is_answered_without_building_again(
    client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counted(monkeypatch, finance, "finance_section")
    vera = client_for(Role.VIEWER)
    first, second = vera.get("/api/finance"), vera.get("/api/finance")
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert len(calls) == 1
    assert vera.get("/api/finance?lang=en").json() == first.json()  # one entry per language
    assert len(calls) == 2


def test_each_query_has_its_own_answer_and_a_refused_one_is_not_kept(
    client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counted(monkeypatch, finance, "select_budget")
    vera = client_for(Role.VIEWER)
    everything = vera.get("/api/finance/budget").json()
    executed = vera.get("/api/finance/budget?phase=executed").json()
    assert executed["filters"] == {"phase": "executed"} and everything["filters"] == {}
    assert executed["count"] < everything["count"]
    for _ in range(2):
        assert vera.get("/api/finance/budget?phase=nonsense").status_code == 422
    assert vera.get("/api/finance/budget?phase=executed").json() == executed
    assert len(calls) == 4  # two good queries once each, the refused one every time


def test_new_data_give_a_new_answer_the_same_as_a_fresh_application_gives(
    client_for: ClientFor, app: FastAPI, web_url: str, tmp_path: Path, clock: Clock
) -> None:
    pia = client_for(Role.PLANNER)
    before = pia.get("/api/sectors/pt").content
    row_id, amount = _executed_pt(app)
    _edit(pia, row_id, amount + 1000)
    after = pia.get("/api/sectors/pt").content
    assert after != before
    assert after.decode() == _fresh(web_url, tmp_path, pia, "/api/sectors/pt", clock)


def test_an_edit_through_another_worker_shows_in_the_next_answer(
    client_for: ClientFor, app: FastAPI, tmp_path: Path, clock: Clock, web_url: str
) -> None:
    from rbm.web.app import create_app
    from rbm.web.config import WebConfig

    other = create_app(WebConfig(web_url, secret="test-secret", builds=tmp_path / "o", clock=clock))
    try:
        pia = client_for(Role.PLANNER)
        before = pia.get("/api/overview").content
        row_id, amount = _executed_pt(app)
        _edit(_as(pia, other), row_id, amount + 1000)
        assert pia.get("/api/overview").content != before
    finally:
        other.state.rbm.engine.dispose()


def test_users_who_may_see_different_things_do_not_share_an_answer(
    client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counted(monkeypatch, workflow, "_queue")
    fay, pia = client_for(Role.FOCAL_POINT), client_for(Role.PLANNER)
    theirs = fay.get("/api/workflow").json()
    ours = pia.get("/api/workflow").json()
    assert theirs["filters"] != ours["filters"]  # a focal point's queue is their sectors'
    assert theirs["may_lock"] is False and ours["may_lock"] is True
    assert fay.get("/api/workflow").json() == theirs and pia.get("/api/workflow").json() == ours
    assert len(calls) == 2
    pie = f"/api/pies/{FOCAL_PIE}.1"
    mine, planners = fay.get(pie).json(), pia.get(pie).json()
    assert mine["allowed"] != planners["allowed"]
    assert fay.get(pie).json() == mine


def test_an_answer_carries_an_etag_and_a_matching_if_none_match_gets_304(
    client_for: ClientFor,
) -> None:
    vera = client_for(Role.VIEWER)
    first = vera.get("/api/risks")
    tag = first.headers["etag"]
    assert vera.get("/api/risks", headers={"If-None-Match": tag}).status_code == 304
    again = vera.get("/api/risks", headers={"If-None-Match": '"other"'})
    assert again.status_code == 200 and again.content == first.content


def test_the_bytes_are_those_fastapi_writes_for_the_same_dict(wipo: Dataset) -> None:
    value = {"text": {"zh": "预算", "en": "Budget"}, "n": 1.5, "none": None, "list": [1, "a"]}
    snap = Snapshot(wipo, ())
    app = FastAPI()

    @app.get("/plain")
    def plain() -> dict[str, Any]:
        return value

    @app.get("/kept", response_model=dict[str, Any])
    def kept(request: Request) -> Response:
        return cached_json(request, snap, lambda: value)

    client = TestClient(app)
    plain_answer, kept_answer = client.get("/plain"), client.get("/kept")
    assert kept_answer.content == plain_answer.content
    assert kept_answer.headers["content-type"] == plain_answer.headers["content-type"]
    assert len(snap.representations) == 1
