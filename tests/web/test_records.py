"""Editing risks and budget amounts from the web: own sectors only, versions, one error shape."""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from fastapi import FastAPI

from rbm.domain.workflow import Role
from rbm.store.tables import BIENNIUM, TABLES, audit_log, biennium_locks
from tests.web.conftest import START, Client

ClientFor = Callable[[Role | None], Client]
OWN_RISK, OTHER_RISK = "R-3.1-1", "R-1.1-1"  # owned by pt (fay's sector) and by afm


def _audit(app: FastAPI) -> list[tuple[str, str, str, str | None, str | None]]:
    with app.state.rbm.engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                audit_log.c.user,
                audit_log.c.entity_id,
                audit_log.c.field,
                audit_log.c.old,
                audit_log.c.new,
            ).order_by(audit_log.c.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_focal_point_edits_the_evolution_of_its_own_sectors_risk(
    client_for: ClientFor, app: FastAPI
) -> None:
    fay = client_for(Role.FOCAL_POINT)
    record = fay.get(f"/api/records/risk/{OWN_RISK}").json()
    assert record["version"] == 0
    old = record["fields"]["exposure"]
    new = "increased" if old != "increased" else "decreased"
    saved = fay.send(
        "PATCH",
        f"/api/records/risk/{OWN_RISK}",
        {"version": 0, "changes": {"exposure": new, "materialized": "true"}, "reason": "Q3"},
    )
    assert saved.status_code == 200, saved.text
    assert saved.json()["fields"]["exposure"] == new
    assert saved.json()["version"] == 1
    biennium = app.state.rbm.snapshot().dataset.biennium.code
    entries = _audit(app)
    assert ("fay", f"{biennium}/{OWN_RISK}", "exposure", old, new) in entries
    # the report's snapshot follows the change
    risk = next(r for r in app.state.rbm.snapshot().dataset.risks if r.id == OWN_RISK)
    assert risk.exposure is not None and risk.exposure.value == new


def test_a_focal_point_cannot_edit_another_sectors_risk_or_a_budget(
    client_for: ClientFor, app: FastAPI
) -> None:
    fay = client_for(Role.FOCAL_POINT)
    refused = fay.send(
        "PATCH", f"/api/records/risk/{OTHER_RISK}", {"version": 0, "changes": {"impact": "none"}}
    )
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["reason"] == "workflow.refused.sector"
    budget = fay.send(
        "PATCH", "/api/records/budget_fact/1", {"version": 0, "changes": {"amount": "1"}}
    )
    assert budget.status_code == 403
    assert _audit(app) == []


def test_a_stale_save_gets_409_with_the_current_value_and_who_changed_it(
    client_for: ClientFor, app: FastAPI
) -> None:
    pia, ada = client_for(Role.PLANNER), client_for(Role.ADMINISTRATOR)
    with app.state.rbm.engine.connect() as connection:
        table = TABLES["budget_facts"]
        position, amount = connection.execute(
            sa.select(table.c.position, table.c.amount).order_by(table.c.position)
        ).first()  # type: ignore[misc]
    url = f"/api/records/budget_fact/{position}"
    first = pia.send("PATCH", url, {"version": 0, "changes": {"amount": str(amount + 1)}})
    second = ada.send("PATCH", url, {"version": 0, "changes": {"amount": str(amount + 2)}})
    assert first.status_code == 200
    assert second.status_code == 409
    error = second.json()["error"]
    assert error["code"] == "conflict"
    assert error["details"]["updated_by"] == "pia"
    assert error["details"]["version"] == 1
    assert error["details"]["current"]["amount"] == str(amount + 1)
    assert len([e for e in _audit(app) if e[2] == "amount"]) == 1


def test_bad_values_unknown_records_and_viewers(client_for: ClientFor) -> None:
    pia = client_for(Role.PLANNER)
    bad = pia.send(
        "PATCH", "/api/records/budget_fact/1", {"version": 0, "changes": {"amount": "1,5"}}
    )
    assert bad.status_code == 422
    assert bad.json()["error"]["details"]["field"] == "amount"
    assert pia.get("/api/records/risk/NO-SUCH").status_code == 404
    assert pia.get("/api/records/nothing/1").status_code == 404
    vera = client_for(Role.VIEWER)
    assert vera.get(f"/api/records/risk/{OWN_RISK}").status_code == 403


def test_the_edit_form_saves_and_shows_the_new_version(client_for: ClientFor) -> None:
    fay = client_for(Role.FOCAL_POINT)
    form = fay.get(f"/records/risk/{OWN_RISK}?lang=en")
    assert form.status_code == 200
    assert 'name="exposure"' in form.text and "Exposure" in form.text
    record = fay.get(f"/api/records/risk/{OWN_RISK}").json()
    fields = {
        k: "" if v is None else str(v).lower() if isinstance(v, bool) else str(v)
        for k, v in record["fields"].items()
    }
    fields["impact"] = "negative"
    saved = fay.form(f"/records/risk/{OWN_RISK}", {**fields, "version": "0", "reason": "test"})
    assert saved.status_code == 303
    page = fay.get(saved.headers["location"] + "&lang=en")
    assert "Saved as version 1" in page.text
    assert fay.get(f"/api/records/risk/{OWN_RISK}").json()["fields"]["impact"] == "negative"


def test_the_risks_and_budget_pages_link_what_the_user_may_edit(
    client_for: ClientFor, app: FastAPI
) -> None:
    fay = client_for(Role.FOCAL_POINT).get("/risks").text
    assert f'href="/records/risk/{OWN_RISK}"' in fay
    assert f'href="/records/risk/{OTHER_RISK}"' not in fay
    assert "/records/" not in client_for(Role.VIEWER).get("/risks").text
    pia = client_for(Role.PLANNER)
    page = pia.get("/finance/budget?sector=pt&phase=executed").text
    links = re.findall(r'href="/records/budget_fact/(\d+)"', page)
    assert links
    facts = app.state.rbm.snapshot().dataset.budget_facts
    for position in links[:3]:
        record = pia.get(f"/api/records/budget_fact/{position}").json()
        fact = facts[int(position)]
        assert record["fields"]["amount"] == str(fact.amount)
        assert fact.sector == "pt"


def test_a_planner_edits_an_indicators_text_and_a_pillars_highlight(
    client_for: ClientFor, app: FastAPI
) -> None:
    pia = client_for(Role.PLANNER)
    assert 'href="/records/indicator/1.1-06"' in pia.get("/framework/indicators/1.1-06").text
    highlight = app.state.rbm.snapshot().dataset.highlights[0]
    pillar = pia.get(f"/framework/pillars/{highlight.pillar}").text
    assert f'href="/records/highlight/{highlight.id}"' in pillar
    saved = pia.send(
        "PATCH",
        "/api/records/indicator/1.1-06",
        {"version": 0, "changes": {"text_en": "Share of flagship publications translated"}},
    )
    assert saved.status_code == 200, saved.text
    indicator = next(i for i in app.state.rbm.snapshot().dataset.indicators if i.id == "1.1-06")
    assert indicator.text.get("en") == "Share of flagship publications translated"
    fay = client_for(Role.FOCAL_POINT)
    assert "/records/indicator/" not in fay.get("/framework/indicators/1.1-06").text
    refused = fay.send(
        "PATCH",
        f"/api/records/highlight/{highlight.id}",
        {"version": 0, "changes": {"figure": "1"}},
    )
    assert refused.status_code == 403


def test_a_locked_biennium_refuses_every_records_edit(client_for: ClientFor, app: FastAPI) -> None:
    with app.state.rbm.engine.begin() as connection:  # as store.workflow.lock writes it
        code = app.state.rbm.snapshot().dataset.biennium.code
        connection.execute(
            sa.insert(biennium_locks).values(
                {BIENNIUM: code, "locked_by": "pia", "locked_at": START}
            )
        )
    pia, fay = client_for(Role.PLANNER), client_for(Role.FOCAL_POINT)
    edits = [
        (pia, "budget_fact/0", {"amount": "1"}),
        (pia, "indicator/1.1-06", {"text_en": "x"}),
        (pia, "pie/1.1-06.1", {"target_text_en": "x"}),
        (fay, f"risk/{OWN_RISK}", {"materialized": "true"}),
    ]
    for client, record, changes in edits:
        refused = client.send("PATCH", f"/api/records/{record}", {"version": 0, "changes": changes})
        assert refused.status_code == 403, record
        assert refused.json()["error"]["details"]["reason"] == "workflow.refused.locked"
    assert _audit(app) == []
