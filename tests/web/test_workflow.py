"""The self-assessment and validation workflow through HTTP: edits, submit, return, validate,
the audit trail, refusals (403 with the reason), stale versions (409), bad values (422), the
work queue and the lock."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any

import httpx2 as httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from lxml import html as lxml_html

from rbm.domain.dataset import Dataset
from rbm.domain.workflow import Role
from rbm.engine.rating.report import pie_dict, rating_report
from rbm.i18n import t
from rbm.store.audit import entries
from rbm.store.read import read_dataset
from rbm.store.tables import BIENNIUM, biennium_locks
from tests.web.conftest import FOCAL_PIE, START, Client

ClientFor = Callable[[Role | None], Client]
EN = {"accept-language": "en"}
PIE = f"{FOCAL_PIE}.1"


def _biennium(app: FastAPI) -> str:
    code: str = app.state.rbm.snapshot().dataset.biennium.code
    return code


def _trail(app: FastAPI, pie: str = PIE) -> list[tuple[str, str, str | None, str | None]]:
    """(user, field, old, new) of the PIE's audit entries, oldest first."""
    entity_id = f"{_biennium(app)}/{pie}"
    found = entries(app.state.rbm.engine, entity_id=entity_id, limit=None).entries
    return [(e.user, e.field, e.old, e.new) for e in reversed(found) if e.entity_id == entity_id]


def _version(client: Client, pie: str = PIE) -> int:
    version: int = client.get(f"/api/pies/{pie}").json()["workflow"]["version"]
    return version


def _hidden_version(page: httpx.Response, action: str) -> str:
    root = lxml_html.fromstring(page.text)
    found: list[str] = root.xpath(f'//form[@action="{action}"]//input[@name="version"]/@value')
    assert found, f"no form posting to {action}"
    return found[0]


def _other_sector_pie(wipo: Dataset) -> str:
    assessed = rating_report(wipo).assessments
    return next(a.pie.id for a in assessed if "pt" not in a.sectors and a.sectors)


def test_the_whole_workflow_through_http(client_for: ClientFor, app: FastAPI) -> None:
    fay, vic = client_for(Role.FOCAL_POINT), client_for(Role.VALIDATOR)

    # fay edits the performance data and her rating with the page's form, then submits
    page = fay.get(f"/pies/{PIE}")
    saved = fay.form(
        f"/pies/{PIE}",
        {
            "version": _hidden_version(page, f"/pies/{PIE}"),
            "actual_value": "80",
            "assessor_rating": "partially",
            "assessor_justification_en": "Five of six publications translated in 2025.",
            "reason": "2025 figures",
        },
    )
    assert saved.status_code == 303
    assert saved.headers["location"].startswith(f"/pies/{PIE}?notice=saved")
    notice = fay.get(saved.headers["location"], headers=EN).text
    assert "Saved as version 1." in notice
    page = fay.get(f"/pies/{PIE}")
    submitted = fay.form(
        f"/pies/{PIE}/actions",
        {"action": "submit", "version": _hidden_version(page, f"/pies/{PIE}/actions")},
    )
    assert submitted.status_code == 303

    # vic returns it with a comment
    page = vic.get(f"/pies/{PIE}")
    returned = vic.form(
        f"/pies/{PIE}/actions",
        {
            "action": "return",
            "version": _hidden_version(page, f"/pies/{PIE}/actions"),
            "comment": "Cite the 2025 translation survey.",
        },
    )
    assert returned.status_code == 303

    # fay sees the comment, corrects the value through the API and resubmits
    data = fay.get(f"/api/pies/{PIE}").json()
    assert data["workflow"]["state"] == "returned"
    assert data["validator_comment"]["comment"] == "Cite the 2025 translation survey."
    assert data["validator_comment"]["by"] == "vic"
    root = lxml_html.fromstring(fay.get(f"/pies/{PIE}", headers=EN).text)
    assert "Cite the 2025 translation survey." in root.xpath('//*[@class="comment"]')[0].text
    patched = fay.send(
        "PATCH",
        f"/api/pies/{PIE}",
        {
            "version": data["workflow"]["version"],
            "changes": {"actual_value": "83.3", "actual_text_zh": "2025年：83.3%（6份中的5份）"},
            "reason": "survey cited",
        },
    )
    assert patched.status_code == 200, patched.text
    assert patched.json()["state"] == "returned"
    step = {"action": "submit", "version": patched.json()["version"]}
    resubmitted = fay.send("POST", f"/api/pies/{PIE}/actions", step)
    assert resubmitted.status_code == 200 and resubmitted.json()["state"] == "submitted"

    # vic validates
    step = {"action": "validate", "version": resubmitted.json()["version"], "comment": None}
    validated = vic.send("POST", f"/api/pies/{PIE}/actions", step)
    assert validated.status_code == 200, validated.text
    assert validated.json()["state"] == "validated"

    assert [(user, field) for user, field, _, _ in _trail(app)] == [
        ("fay", "actual_value"),
        ("fay", "assessor_rating"),
        ("fay", "assessor_justification_en"),
        ("fay", "state"),
        ("vic", "state"),
        ("fay", "actual_value"),
        ("fay", "actual_text_zh"),
        ("fay", "state"),
        ("vic", "state"),
    ]
    states = [(old, new) for _, field, old, new in _trail(app) if field == "state"]
    assert states == [
        ("draft", "submitted"),
        ("submitted", "returned"),
        ("returned", "submitted"),
        ("submitted", "validated"),
    ]

    # the PIE's JSON has the new value and the engine's rating of the stored, edited PIE
    stored = read_dataset(app.state.rbm.engine)
    assert stored is not None
    engine_view = next(
        pie_dict(a, "en") for a in rating_report(stored).assessments if a.pie.id == PIE
    )
    data = vic.get(f"/api/pies/{PIE}", headers=EN).json()
    assert data["actual"]["value"] == "83.3"
    assert data["actual"]["value"] == engine_view["actual"]["value"]
    for key in ("computed_rating", "achievement", "final_rating", "explanation"):
        assert data[key] == engine_view[key], key
    assert data["final_rating"] == "partially"  # the justified assessor rating
    assert data["history"][0]["field"] == "state"  # newest first
    assert data["allowed"]["edit_performance"] is False  # validated: nothing more to edit


def test_a_focal_point_cannot_edit_another_sectors_pie(
    client_for: ClientFor, app: FastAPI, wipo: Dataset
) -> None:
    fay = client_for(Role.FOCAL_POINT)
    other = _other_sector_pie(wipo)
    change = {"version": 0, "changes": {"actual_value": "1"}, "reason": None}
    refused = fay.send("PATCH", f"/api/pies/{other}", change)
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["reason"] == "workflow.refused.sector"
    page = fay.form(f"/pies/{other}", {"version": "0", "actual_value": "1"})
    assert page.status_code == 403
    submit = fay.send("POST", f"/api/pies/{other}/actions", {"action": "submit", "version": 0})
    assert submit.json()["error"]["details"]["reason"] == "workflow.refused.sector"
    assert _trail(app, other) == []


@pytest.mark.parametrize("role", [Role.VIEWER, Role.VALIDATOR])
def test_viewers_and_validators_cannot_edit(
    client_for: ClientFor, app: FastAPI, role: Role
) -> None:
    client = client_for(role)
    change = {"version": 0, "changes": {"actual_value": "1"}}
    assert client.send("PATCH", f"/api/pies/{PIE}", change).status_code == 403
    assert client.form(f"/pies/{PIE}", {"version": "0", "actual_value": "1"}).status_code == 403
    assert _trail(app) == []


def test_a_validator_cannot_validate_a_draft_nor_a_focal_point_validate(
    client_for: ClientFor,
) -> None:
    vic, fay = client_for(Role.VALIDATOR), client_for(Role.FOCAL_POINT)
    refused = vic.send("POST", f"/api/pies/{PIE}/actions", {"action": "validate", "version": 0})
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["reason"] == "workflow.refused.state"
    refused = fay.send("POST", f"/api/pies/{PIE}/actions", {"action": "validate", "version": 0})
    assert refused.json()["error"]["details"]["reason"] == "workflow.refused.role"


def test_returning_a_pie_needs_a_comment(client_for: ClientFor) -> None:
    fay, vic = client_for(Role.FOCAL_POINT), client_for(Role.VALIDATOR)
    fay.send("POST", f"/api/pies/{PIE}/actions", {"action": "submit", "version": 0})
    refused = vic.send("POST", f"/api/pies/{PIE}/actions", {"action": "return", "version": 1})
    assert refused.status_code == 422
    page = vic.form(f"/pies/{PIE}/actions", {"action": "return", "version": "1", "comment": " "})
    assert page.status_code == 422
    assert t("web.pie.comment_required", "zh") in page.text
    assert _version(vic) == 1


def test_two_concurrent_edits_one_wins_the_other_gets_409_with_the_current_values(
    client_for: ClientFor, app: FastAPI
) -> None:
    clients = {"fay": client_for(Role.FOCAL_POINT), "pia": client_for(Role.PLANNER)}
    values = {"fay": "91", "pia": "92"}
    read = {name: _version(client) for name, client in clients.items()}
    assert read == {"fay": 0, "pia": 0}
    start = threading.Barrier(len(clients))
    answers: dict[str, httpx.Response] = {}

    def edit(name: str) -> None:
        body = {"version": read[name], "changes": {"actual_value": values[name]}}
        start.wait()
        answers[name] = clients[name].send("PATCH", f"/api/pies/{PIE}", body)

    threads = [threading.Thread(target=edit, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = sorted(r.status_code for r in answers.values())
    assert statuses == [200, 409], {n: r.text for n, r in answers.items()}
    winner = next(n for n, r in answers.items() if r.status_code == 200)
    loser = next(n for n, r in answers.items() if r.status_code == 409)
    error: dict[str, Any] = answers[loser].json()["error"]
    assert error["code"] == "conflict"
    assert error["details"]["updated_by"] == winner
    assert error["details"]["version"] == 1
    assert error["details"]["current"] == {"actual_value": values[winner]}
    value_entries = [e for e in _trail(app) if e[1] == "actual_value"]
    assert value_entries == [(winner, "actual_value", "100", values[winner])]


def test_a_stale_form_gets_a_409_page_with_the_current_values_and_keeps_the_input(
    client_for: ClientFor, app: FastAPI
) -> None:
    fay, pia = client_for(Role.FOCAL_POINT), client_for(Role.PLANNER)
    page = fay.get(f"/pies/{PIE}")
    version = _hidden_version(page, f"/pies/{PIE}")
    pia.send("PATCH", f"/api/pies/{PIE}", {"version": 0, "changes": {"actual_value": "77"}})

    stale = fay.http.post(
        f"/pies/{PIE}",
        data={"csrf": fay.csrf, "version": version, "actual_value": "88", "reason": "mine"},
        headers=EN,
    )
    assert stale.status_code == 409
    root = lxml_html.fromstring(stale.text)
    assert "pia changed this record" in root.xpath('//*[@role="alert"]')[0].text_content()
    conflict = root.xpath('//table[caption[@id="cap-conflict"]]/tbody/tr')
    cells = [[c.text_content() for c in row.xpath("th|td")] for row in conflict]
    assert [t("web.field.actual_value", "en"), "77", "88"] in cells
    assert root.xpath('//input[@id="f-actual_value"]/@value') == ["88"]  # what fay typed
    assert root.xpath('//input[@id="f-reason"]/@value') == ["mine"]
    # the form now carries the current version: saving again replaces pia's value
    again = fay.form(
        f"/pies/{PIE}",
        {"version": _hidden_version(stale, f"/pies/{PIE}"), "actual_value": "88"},
    )
    assert again.status_code == 303
    assert [e for e in _trail(app) if e[1] == "actual_value"] == [
        ("pia", "actual_value", "100", "77"),
        ("fay", "actual_value", "77", "88"),
    ]


def test_a_value_that_does_not_fit_gets_a_422_page_that_keeps_what_was_typed(
    client_for: ClientFor, app: FastAPI
) -> None:
    fay = client_for(Role.FOCAL_POINT)
    bad = fay.http.post(
        f"/pies/{PIE}",
        data={"csrf": fay.csrf, "version": "0", "actual_value": "about ninety"},
        headers=EN,
    )
    assert bad.status_code == 422
    root = lxml_html.fromstring(bad.text)
    field = root.xpath('//input[@id="f-actual_value"]')[0]
    assert field.get("value") == "about ninety"
    assert field.get("aria-invalid") == "true"
    assert "form-error" in field.get("aria-describedby")
    api = fay.send("PATCH", f"/api/pies/{PIE}", {"version": 0, "changes": {"actual_value": "x"}})
    assert api.status_code == 422
    assert api.json()["error"]["details"]["field"] == "actual_value"
    unknown = fay.send("PATCH", f"/api/pies/{PIE}", {"version": 0, "changes": {"order": "2"}})
    assert unknown.status_code == 422
    assert _trail(app) == []


def test_an_unchanged_form_saves_nothing(client_for: ClientFor, app: FastAPI) -> None:
    fay = client_for(Role.FOCAL_POINT)
    page = fay.get(f"/pies/{PIE}")
    root = lxml_html.fromstring(page.text)
    form = root.xpath(f'//form[@action="/pies/{PIE}"]')[0]
    data = {k: v or "" for k, v in form.form_values() if k != "csrf"}
    saved = fay.form(f"/pies/{PIE}", data)
    assert saved.status_code == 303 and "notice=unchanged" in saved.headers["location"]
    assert _trail(app) == []


def test_forms_without_the_csrf_token_are_refused(client_for: ClientFor) -> None:
    fay = client_for(Role.FOCAL_POINT)
    form = fay.http.post(f"/pies/{PIE}", data={"version": "0", "actual_value": "1"})
    assert form.status_code == 403
    action = fay.http.post(f"/pies/{PIE}/actions", data={"action": "submit", "version": "0"})
    assert action.status_code == 403
    patch = fay.http.patch(f"/api/pies/{PIE}", json={"version": 0, "changes": {"x": "1"}})
    assert patch.status_code == 403
    assert patch.json()["error"]["message"] == t("web.error.csrf", "zh")
    assert _version(fay) == 0


def test_the_work_queue_shows_a_focal_point_its_own_sectors_first(
    client_for: ClientFor, wipo: Dataset
) -> None:
    fay, vic = client_for(Role.FOCAL_POINT), client_for(Role.VALIDATOR)
    assessed = rating_report(wipo).assessments
    own = [a.pie.id for a in assessed if "pt" in a.sectors]

    mine = fay.get("/api/workflow").json()
    assert mine["filters"]["sector"] == "mine"
    assert [p["id"] for g in mine["groups"] for p in g["pies"]] == own
    assert mine["by_state"]["draft"] == len(own)
    every = fay.get("/api/workflow?sector=").json()
    assert every["pies"] == len(assessed)

    fay.send("POST", f"/api/pies/{PIE}/actions", {"action": "submit", "version": 0})
    queue = vic.get("/api/workflow").json()
    assert queue["groups"][0]["state"] == "submitted"  # the validator's work comes first
    assert [p["id"] for p in queue["groups"][0]["pies"]] == [PIE]
    assert queue["by_state"]["submitted"] == 1 and queue["pies"] == len(assessed)
    only = vic.get("/api/workflow?state=submitted&pillar=1").json()
    assert [g["state"] for g in only["groups"]] == ["submitted"]

    root = lxml_html.fromstring(vic.get("/workflow?state=submitted", headers=EN).text)
    assert root.xpath('//select[@id="q-state"]/option[@selected]/@value') == ["submitted"]
    assert root.xpath(f'//a[@href="/pies/{PIE}"]')
    assert not root.xpath('//form[@action="/workflow/lock"]')  # only planners lock

    for bad in ("state=finished", "pillar=9", "sector=nowhere"):
        response = vic.get(f"/api/workflow?{bad}")
        assert response.status_code == 422, bad
    assert vic.get("/api/workflow?sector=mine").status_code == 422  # vic has no sectors


def test_the_lock_is_refused_until_every_pie_is_validated(
    client_for: ClientFor, app: FastAPI
) -> None:
    pia = client_for(Role.PLANNER)
    biennium = _biennium(app)
    refused = pia.send("POST", "/api/workflow/lock", {"biennium": biennium})
    assert refused.status_code == 403
    error = refused.json()["error"]
    assert error["details"]["reason"] == "workflow.refused.not_validated"
    assert error["message"] == t("workflow.refused.not_validated", "zh")

    root = lxml_html.fromstring(pia.get("/workflow", headers=EN).text)
    assert root.xpath('//form[@action="/workflow/lock"]//input[@name="biennium"]/@value') == [
        biennium
    ]
    page = pia.http.post(
        "/workflow/lock", data={"csrf": pia.csrf, "biennium": biennium}, headers=EN
    )
    assert page.status_code == 403
    alert = lxml_html.fromstring(page.text).xpath('//*[@role="alert"]')[0].text_content()
    assert alert == t("workflow.refused.not_validated", "en")

    stale = pia.send("POST", "/api/workflow/lock", {"biennium": "1999-00"})
    assert stale.status_code == 409
    assert (
        client_for(Role.FOCAL_POINT)
        .send("POST", "/api/workflow/lock", {"biennium": biennium})
        .status_code
        == 403
    )


def test_a_locked_biennium_says_so_everywhere_and_refuses_edits(
    client_for: ClientFor, app: FastAPI
) -> None:
    # locking for real needs all 142 PIEs validated (tests/store/test_workflow.py locks a
    # small dataset); here the lock row is written as store.workflow.lock writes it
    with app.state.rbm.engine.begin() as connection:
        connection.execute(
            sa.insert(biennium_locks).values(
                {BIENNIUM: _biennium(app), "locked_by": "pia", "locked_at": START}
            )
        )
    fay = client_for(Role.FOCAL_POINT)
    for url in (
        "/",
        "/finance",
        "/sectors/pt",
        "/framework",
        "/framework/pillars/1",
        f"/framework/indicators/{FOCAL_PIE}",
        f"/pies/{PIE}",
        "/workflow",
    ):
        text = fay.get(url, headers=EN).text
        assert re.search(r"The biennium was locked by pia on \S+ \S+ UTC", text), url
    assert fay.get("/api/framework").json()["locked"]["by"] == "pia"
    root = lxml_html.fromstring(fay.get(f"/pies/{PIE}", headers=EN).text)
    assert not root.xpath(f'//form[@action="/pies/{PIE}"]')
    refused = fay.send(
        "PATCH", f"/api/pies/{PIE}", {"version": 0, "changes": {"actual_value": "1"}}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["reason"] == "workflow.refused.locked"


def test_changing_a_validated_pies_target_sends_it_back_to_the_validator(
    client_for: ClientFor, app: FastAPI
) -> None:
    fay, vic, pia = (client_for(r) for r in (Role.FOCAL_POINT, Role.VALIDATOR, Role.PLANNER))
    submitted = fay.send("POST", f"/api/pies/{PIE}/actions", {"action": "submit", "version": 0})
    step = {"action": "validate", "version": submitted.json()["version"]}
    validated = vic.send("POST", f"/api/pies/{PIE}/actions", step).json()
    assert validated["state"] == "validated"
    before = pia.get(f"/api/pies/{PIE}").json()
    edit = {"version": validated["version"], "changes": {"target_text_en": "A higher target"}}
    saved = pia.send("PATCH", f"/api/pies/{PIE}", edit)
    assert saved.status_code == 200
    assert saved.json()["state"] == "submitted"
    after = pia.get(f"/api/pies/{PIE}").json()
    assert after["workflow"]["state"] == "submitted"
    assert before["workflow"]["state"] == "validated"
    assert _trail(app)[-2:] == [
        ("pia", "target_text_en", _trail(app)[-2][2], "A higher target"),
        ("pia", "state", "validated", "submitted"),
    ]
    # a validation of what the validator saw before the change is stale; of the new, it counts
    again = {"action": "validate", "version": validated["version"]}
    assert vic.send("POST", f"/api/pies/{PIE}/actions", again).status_code == 409
    again["version"] = saved.json()["version"]
    assert vic.send("POST", f"/api/pies/{PIE}/actions", again).json()["state"] == "validated"
