"""One record, one identity, on both backends: another spelling of a record's id ("00", "٠",
"０" for budget figure 0; a PIE id with a trailing space or a NUL byte) is 404 and never gets
a version or audit trail of its own, so a stale write through it cannot pass the 409."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import sqlalchemy as sa
from fastapi import FastAPI

from rbm.domain.workflow import Role
from rbm.store.tables import audit_log, pie_states, record_versions
from tests.web.conftest import FOCAL_PIE, Client

ClientFor = Callable[[Role | None], Client]
ALIASES = ("00", "٠", "０", "+0", " 0", "0 ", "²", "0\n", "-0", "0\x00")  # row 0, misspelt
PIE = f"{FOCAL_PIE}.1"


def _ids(app: FastAPI) -> tuple[list[str], list[str]]:
    """The audit trail's entity ids and the versioned records' ids."""
    with app.state.rbm.engine.connect() as connection:
        audited = connection.execute(sa.select(audit_log.c.entity_id)).scalars().all()
        versioned = connection.execute(sa.select(record_versions.c.record)).scalars().all()
        versioned += connection.execute(sa.select(pie_states.c.pie)).scalars().all()
    return list(audited), list(versioned)


def test_a_budget_figure_answers_to_one_id_only(client_for: ClientFor, app: FastAPI) -> None:
    pia = client_for(Role.PLANNER)

    def patch(record: str, version: int, amount: str) -> int:
        url = f"/api/records/budget_fact/{quote(record, safe='')}"
        status: int = pia.send(
            "PATCH", url, {"version": version, "changes": {"amount": amount}}
        ).status_code
        return status

    for alias in ALIASES:
        assert pia.get(f"/api/records/budget_fact/{quote(alias, safe='')}").status_code == 404
        assert patch(alias, 0, "1") == 404, alias
    assert patch("0", 0, "2") == 200
    for alias in ALIASES:  # the stale write that used to pass under another name
        assert patch(alias, 0, "3") == 404, alias
    assert patch("0", 0, "3") == 409
    b = app.state.rbm.snapshot().dataset.biennium.code
    assert _ids(app) == ([f"{b}/0"], ["0"])
    assert pia.get("/api/records/budget_fact/0").json()["version"] == 1


def test_the_form_page_redirects_another_spelling_and_its_post_is_404(
    client_for: ClientFor, app: FastAPI
) -> None:
    pia = client_for(Role.PLANNER)
    for alias in ("00", "٠", "０"):
        moved = pia.get(f"/records/budget_fact/{quote(alias, safe='')}")
        assert (moved.status_code, moved.headers["location"]) == (301, "/records/budget_fact/0")
    assert pia.get("/records/budget_fact/%C2%B2").status_code == 404  # "²" is no number
    posted = pia.form("/records/budget_fact/00", {"version": "0", "amount": "1"})
    assert posted.status_code == 404
    assert _ids(app) == ([], [])


def test_a_pie_or_risk_id_with_extra_bytes_is_404(client_for: ClientFor, app: FastAPI) -> None:
    fay, vic = client_for(Role.FOCAL_POINT), client_for(Role.VALIDATOR)
    for alias in (f"{PIE} ", f"{PIE}\x00", f"{PIE}\n", f"{PIE}.", "R-3.1-1\x00"):
        url = quote(alias, safe="")
        assert fay.get(f"/api/pies/{url}").status_code == 404, alias
        edit = {"version": 0, "changes": {"actual_value": "1"}}
        assert fay.send("PATCH", f"/api/pies/{url}", edit).status_code == 404, alias
        step = {"action": "submit", "version": 0}
        assert fay.send("POST", f"/api/pies/{url}/actions", step).status_code == 404, alias
        assert vic.send("POST", f"/api/pies/{url}/actions", step).status_code == 404, alias
        assert fay.get(f"/api/records/risk/{url}").status_code == 404, alias
    assert _ids(app) == ([], [])
