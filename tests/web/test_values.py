"""Values a backend cannot store get the same 422 on SQLite and PostgreSQL, never a 500,
and nothing is saved (the loader refuses the same values: tests/datapackage/test_inputs.py)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from fastapi import FastAPI

from rbm.domain.workflow import Role
from tests.web.conftest import FOCAL_PIE, Client

ClientFor = Callable[[Role | None], Client]
PIE = f"{FOCAL_PIE}.1"
RISK = "R-3.1-1"

# (entity, field, value, problem): a table of bad inputs, run against both backends
BAD_VALUES = [
    ("pie", "target_params", '{"threshold": NaN}', "object-value"),
    ("pie", "target_params", '{"threshold": Infinity}', "object-value"),
    ("pie", "target_params", '{"threshold": -Infinity}', "object-value"),
    ("pie", "target_params", '{"threshold": 1e309}', "object-value"),
    ("pie", "target_params", '{"threshold": ' + "9" * 5000 + "}", "object-value"),
    ("pie", "target_params", '{"note": "a\\u0000b"}', "object-value"),
    ("pie", "target_params", '{"note": "\\ud800"}', "object-value"),
    ("pie", "target_params", '{"a": ' * 9 + "1" + "}" * 9, "object-value"),
    ("pie", "target_params", "[" * 5000, "type-error"),
    ("pie", "baseline_value", "9" * 5000, "out-of-range"),
    ("pie", "baseline_value", "1e309", "type-error"),
    ("pie", "baseline_value", "NaN", "type-error"),
    ("pie", "baseline_value", "８５", "type-error"),  # full-width digits
    ("pie", "actual_value", "١٢", "type-error"),  # Arabic-Indic digits
    ("pie", "actual_period", "2026\x0027", "control-character"),
    ("pie", "actual_flags", "\x1b[2J", "control-character"),
    ("budget_fact", "amount", "1" * 5000, "out-of-range"),
]
# text fields go through parse_changes' shortcut for texts: they need it to call parse_cell
BAD_TEXTS = [
    ("risk", "risk_en", "a\x00b", "control-character"),
    ("pie", "actual_text_en", "\x07bell", "control-character"),
]


def _url(client: Client, entity: str) -> tuple[str, int]:
    """The API address of the record edited for `entity`, and its current version."""
    if entity == "pie":
        version = client.get(f"/api/pies/{PIE}").json()["workflow"]["version"]
        return f"/api/pies/{PIE}", version
    record = RISK if entity == "risk" else "1"
    url = f"/api/records/{entity}/{record}"
    return url, client.get(url).json()["version"]


def _refused(client: Client, entity: str, field: str, value: str, problem: str) -> None:
    url, version = _url(client, entity)
    # JSON with \u escapes: a lone surrogate has no UTF-8 form the client could send
    body = json.dumps({"version": version, "changes": {field: value}})
    headers = {"X-CSRF-Token": client.csrf, "Content-Type": "application/json"}
    response = client.http.request("PATCH", url, content=body, headers=headers)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["details"]["field"] == field
    assert error["details"]["problem"] == problem
    assert field in error["message"]  # the catalogue's web.error.value
    assert _url(client, entity)[1] == version  # nothing was saved


@pytest.mark.parametrize(("entity", "field", "value", "problem"), BAD_VALUES)
def test_a_value_no_backend_can_store_is_refused_with_422(
    client_for: ClientFor, entity: str, field: str, value: str, problem: str
) -> None:
    _refused(client_for(Role.PLANNER), entity, field, value, problem)


@pytest.mark.parametrize(
    ("entity", "field", "value", "problem"),
    BAD_TEXTS,
)
def test_a_text_with_a_control_character_is_refused_with_422(
    client_for: ClientFor, entity: str, field: str, value: str, problem: str
) -> None:
    _refused(client_for(Role.PLANNER), entity, field, value, problem)


def test_the_same_values_are_saved_on_both_backends(client_for: ClientFor, app: FastAPI) -> None:
    pia = client_for(Role.PLANNER)
    url, version = _url(pia, "pie")
    changes = {
        "target_params": '{"threshold": 99999999999999.5, "values": {"2024": -2}}',
        "actual_period": "2026\t27",
        "actual_unit": "％",
    }
    saved = pia.send("PATCH", url, {"version": version, "changes": changes})
    assert saved.status_code == 200, saved.text
    fields = pia.get(f"/api/records/pie/{PIE}").json()["fields"]
    assert fields["target_params"] == {"threshold": 99999999999999.5, "values": {"2024": -2}}
    assert fields["actual_period"] == "2026\t27"


# the reason of an edit goes to the audit trail as written, but never with a character no
# backend stores alike
@pytest.mark.parametrize("entity", ["budget_fact", "pie"])
def test_a_reason_with_a_nul_is_refused(client_for: ClientFor, entity: str) -> None:
    pia = client_for(Role.PLANNER)
    url, version = _url(pia, entity)
    changes = {"amount": "12"} if entity == "budget_fact" else {"actual_period": "2026"}
    response = pia.send("PATCH", url, {"version": version, "changes": changes, "reason": "a\x00b"})
    assert response.status_code == 422, response.text
