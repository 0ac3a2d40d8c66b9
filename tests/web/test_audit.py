"""The audit trail pages: who may read them, filters, paging, dates, and the CSV download."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.routing import APIRoute
from lxml import html as lxml_html

from rbm.domain.workflow import Action, Role, User
from rbm.store.tables import audit_log
from rbm.store.workflow import act
from rbm.web.app import ROUTERS
from tests.web.conftest import START, Client

B = "2024-25"
PIE = "1.1-06.1"  # linked to fay's sector
READERS = (Role.ADMINISTRATOR, Role.PLANNER, Role.VALIDATOR)


def _row(hours: float, user: str, entity_id: str, field: str, old: Any, new: Any) -> dict[str, Any]:
    return {
        "at": START + timedelta(hours=hours),
        "user": user,
        "entity": "pie",
        "entity_id": entity_id,
        "field": field,
        "old": old,
        "new": new,
        "reason": None,
    }


@pytest.fixture
def trail(app: FastAPI) -> sa.Engine:
    """A submit and a return through the workflow, and a few rows written directly."""
    engine: sa.Engine = app.state.rbm.engine
    state = act(engine, User("fay", Role.FOCAL_POINT, ("pt",)), B, PIE, Action.SUBMIT, 0, START)
    act(engine, User("vic", Role.VALIDATOR), B, PIE, Action.RETURN, state.version,
        START + timedelta(hours=1), "=cite the survey")  # fmt: skip
    rows = [
        _row(24, "pia", f"{B}/1.1-01.1", "actual_value", "12", "-3"),
        _row(48, "pia", f"{B}/1.1-01.2", "actual_text", None, "约 90%，“调查”"),
        _row(72, "ada", f"{B}/{PIE}", "assessor_rating", "partly", "fully"),
    ]
    with engine.begin() as connection:
        connection.execute(audit_log.insert(), rows)
    return engine


def keys(data: dict[str, Any]) -> list[tuple[str, str, str]]:
    return [(e["user"], e["entity_id"], e["field"]) for e in data["entries"]]


@pytest.mark.parametrize("role", list(Role))
def test_administrators_planners_and_validators_read_the_trail(
    client_for: Callable[[Role | None], Client], trail: sa.Engine, role: Role
) -> None:
    client = client_for(role)
    allowed = role in READERS
    for url in ("/audit", "/api/audit", "/audit.csv", "/api/audit.csv"):
        assert client.get(url).status_code == (200 if allowed else 403), url


def test_no_route_changes_an_entry() -> None:
    every = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    routes = [r for r in every if "audit" in r.path]
    assert {r.path for r in routes} == {"/audit", "/api/audit", "/audit.csv", "/api/audit.csv"}
    assert all((r.methods or set()) <= {"GET", "HEAD"} for r in routes)


def test_newest_first_with_times_in_utc(
    client_for: Callable[[Role | None], Client], trail: sa.Engine
) -> None:
    data = client_for(Role.VALIDATOR).get("/api/audit").json()
    assert data["total"] == 5
    assert keys(data)[:3] == [
        ("ada", f"{B}/{PIE}", "assessor_rating"),
        ("pia", f"{B}/1.1-01.2", "actual_text"),
        ("pia", f"{B}/1.1-01.1", "actual_value"),
    ]
    returned = data["entries"][3]
    assert (returned["old"], returned["new"], returned["reason"]) == (
        "submitted",
        "returned",
        "=cite the survey",
    )
    assert returned["at"] in ("2026-01-05T10:00:00Z", "2026-01-05T10:00:00+00:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("user=pia", [("pia", f"{B}/1.1-01.2", "actual_text"),
                      ("pia", f"{B}/1.1-01.1", "actual_value")]),
        (f"entity_id={B}/{PIE}&field=state", [("vic", f"{B}/{PIE}", "state"),
                                              ("fay", f"{B}/{PIE}", "state")]),
        (f"entity_id={B}/1.1-01", [("pia", f"{B}/1.1-01.2", "actual_text"),
                                   ("pia", f"{B}/1.1-01.1", "actual_value")]),
        ("since=2026-01-06&until=2026-01-07", [("pia", f"{B}/1.1-01.2", "actual_text"),
                                               ("pia", f"{B}/1.1-01.1", "actual_value")]),
        ("until=2026-01-05", [("vic", f"{B}/{PIE}", "state"), ("fay", f"{B}/{PIE}", "state")]),
        ("entity=biennium", []),
        ("user=&entity=&field=&since=&until=&entity_id=", None),  # an empty form: no filter
    ],
)  # fmt: skip
def test_filters_narrow(
    client_for: Callable[[Role | None], Client],
    trail: sa.Engine,
    query: str,
    expected: list[tuple[str, str, str]] | None,
) -> None:
    client = client_for(Role.PLANNER)
    data = client.get(f"/api/audit?{query}").json()
    if expected is None:
        assert data["total"] == 5
        return
    assert keys(data) == expected
    assert data["total"] == len(expected)


def test_paging(client_for: Callable[[Role | None], Client], trail: sa.Engine) -> None:
    client = client_for(Role.ADMINISTRATOR)
    everything = keys(client.get("/api/audit?user=pia&limit=500").json())
    first = client.get("/api/audit?user=pia&limit=1").json()
    assert (first["total"], first["previous"]) == (2, None)
    assert first["next"] == "/api/audit?user=pia&limit=1&offset=1"
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert second["previous"] == "/api/audit?user=pia&limit=1&offset=0"
    assert keys(first) + keys(second) == everything
    for bad in ("limit=501", "limit=0", "offset=-1", "limit=x", "user=" + "u" * 65, "field=a%00b",
                "entity_id=" + "2" * 201):  # fmt: skip
        assert client.get(f"/api/audit?{bad}").status_code == 422, bad


@pytest.mark.parametrize("value", ["2026-02-30", "yesterday", "2026-1-5x", "9" * 20])
def test_bad_dates_are_422(
    client_for: Callable[[Role | None], Client], trail: sa.Engine, value: str
) -> None:
    client = client_for(Role.VALIDATOR)
    api = client.get(f"/api/audit?since={value}")
    assert api.status_code == 422
    assert api.json()["error"]["code"] == "invalid"
    assert client.get(f"/audit?until={value}").status_code == 422
    assert client.get(f"/audit.csv?until={value}").status_code == 422


def test_the_last_day_there_is_can_be_the_end(
    client_for: Callable[[Role | None], Client], trail: sa.Engine
) -> None:
    data = client_for(Role.VALIDATOR).get("/api/audit?until=9999-12-31&since=0001-01-01").json()
    assert data["total"] == 5


def test_the_page_has_a_labelled_form_and_the_table(
    client_for: Callable[[Role | None], Client], trail: sa.Engine
) -> None:
    client = client_for(Role.VALIDATOR)
    response = client.get(f"/audit?entity_id={B}/{PIE}&lang=en")
    root = lxml_html.fromstring(response.text)
    assert len(root.findall(".//h1")) == 1
    controls = root.xpath("//form[@action='/audit']//*[self::input or self::select]")
    labelled = {label.get("for") for label in root.xpath("//label")}
    assert {c.get("name") for c in controls} == {
        "user", "entity", "entity_id", "field", "since", "until"
    }  # fmt: skip
    assert all(c.get("id") in labelled for c in controls)
    assert root.xpath("//input[@name='entity_id']/@value") == [f"{B}/{PIE}"]
    table = root.xpath("//table[caption]")[0]
    assert "1 to 3 of 3" in table.find("caption").text_content()
    assert all(th.get("scope") == "col" for th in table.xpath(".//thead//th"))
    rows = [
        [td.text_content().strip() for td in tr.findall("td")] for tr in table.xpath(".//tbody/tr")
    ]
    assert [r[0] for r in rows] == [
        "2026-01-08T09:00:00+00:00",
        "2026-01-05T10:00:00+00:00",
        "2026-01-05T09:00:00+00:00",
    ]
    assert rows[1][1:] == ["vic", "pie", f"{B}/{PIE}", "state", "submitted", "returned",
                           "=cite the survey"]  # fmt: skip
    assert rows[2][5] == "draft" and rows[2][7] == "(none)"
    csv_link = root.xpath("//a[@download]/@href")[0]
    assert csv_link == f"/audit.csv?entity_id={B}%2F{PIE}"


def test_the_page_says_when_nothing_matches_and_pages_through(
    client_for: Callable[[Role | None], Client], trail: sa.Engine
) -> None:
    client = client_for(Role.PLANNER)
    empty = lxml_html.fromstring(client.get("/audit?user=nobody&lang=en").text)
    assert not empty.xpath("//table")
    assert "No change matches" in empty.xpath("//p[@role='status']")[0].text_content()
    first = lxml_html.fromstring(client.get("/audit?limit=2").text)
    assert len(first.xpath("//tbody/tr")) == 2
    following = first.xpath("//nav//a[@rel='next']/@href")[0]
    last = lxml_html.fromstring(client.get(following).text)
    assert last.xpath("//nav//a[@rel='prev']/@href")


def test_the_csv_parses_back_to_the_filtered_list(
    client_for: Callable[[Role | None], Client], trail: sa.Engine
) -> None:
    client = client_for(Role.ADMINISTRATOR)
    response = client.get("/api/audit.csv?since=2026-01-05&until=2026-01-06")
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    listed = client.get("/api/audit?since=2026-01-05&until=2026-01-06").json()["entries"]
    assert [r["id"] for r in rows] == [str(e["id"]) for e in listed]
    assert [(r["user"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("pia", "actual_value", "12", "-3"),  # a negative number stays a number
        ("vic", "state", "submitted", "returned"),
        ("fay", "state", "draft", "submitted"),
    ]
    assert rows[1]["reason"] == "'=cite the survey"  # not a formula in a spreadsheet
    assert rows[2]["reason"] == ""
    assert rows[0]["at"].startswith("2026-01-06T09:00:00") and rows[0]["at"].endswith("+00:00")
    chinese = client.get("/audit.csv?field=actual_text").content.decode("utf-8-sig")
    assert "约 90%，“调查”" in chinese
