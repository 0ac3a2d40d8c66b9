"""Reading the audit trail on both backends: filters, the entity-id prefix, dates, paging."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from rbm.datapackage.package import read_package
from rbm.domain.framework import IndicatorSector
from rbm.domain.workflow import Action, Role, User
from rbm.store.audit import entries, facets
from rbm.store.load import load_dataset
from rbm.store.tables import audit_log
from rbm.store.workflow import act, edit

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
B, PIE = "2026-27", "1.1-01.1"
FOCAL = User("ana", Role.FOCAL_POINT, ("ops",))
VALIDATOR = User("vic", Role.VALIDATOR)


def _row(
    minutes: int, user: str, entity: str, entity_id: str, field: str, new: str | None
) -> dict[str, Any]:
    return {
        "at": NOW + timedelta(minutes=minutes),
        "user": user,
        "entity": entity,
        "entity_id": entity_id,
        "field": field,
        "old": None,
        "new": new,
        "reason": None,
    }


# (minutes after NOW, user, entity, entity_id, field, new value)
ROWS = [
    _row(0, "ana", "pie", "2024-25/1.1-06.1", "actual_value", "10"),
    _row(1, "ana", "pie", "2024-25/1.1-06.10", "actual_value", "11"),
    _row(2, "vic", "pie", "2024-25/1.1-06.1", "state", "returned"),
    _row(3, "pia", "budget_fact", "2024-25/17", "amount", "1200"),
    _row(60 * 24, "pia", "biennium", "2024-25", "locked", "true"),
    _row(60 * 24 + 1, "ana", "pie", "2026-27/1.1-06.1", "actual_text", "a"),
]


@pytest.fixture
def trail(engine: sa.Engine) -> sa.Engine:
    with engine.begin() as connection:
        connection.execute(audit_log.insert(), ROWS)
    return engine


def ids(page_entries: object) -> list[str]:
    assert isinstance(page_entries, tuple)
    return [f"{e.entity_id}:{e.field}" for e in page_entries]


def test_newest_first_with_times_in_utc(trail: sa.Engine) -> None:
    page = entries(trail)
    assert page.total == len(ROWS)
    assert [e.at for e in page.entries] == sorted((r["at"] for r in ROWS), reverse=True)
    assert all(e.at.tzinfo is not None and e.at.utcoffset() == timedelta(0) for e in page.entries)
    first = page.entries[0]
    assert (first.user, first.entity, first.new, first.old) == ("ana", "pie", "a", None)


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"user": "ana"}, ["2026-27/1.1-06.1:actual_text", "2024-25/1.1-06.10:actual_value",
                           "2024-25/1.1-06.1:actual_value"]),
        ({"entity": "biennium"}, ["2024-25:locked"]),
        ({"field": "state"}, ["2024-25/1.1-06.1:state"]),
        ({"entity_id": "2024-25/1.1-06.10"}, ["2024-25/1.1-06.10:actual_value"]),
        ({"entity_id": "2024-25/1.1-06.1", "user": "vic"}, ["2024-25/1.1-06.1:state"]),
        ({"entity_id": "2026"}, ["2026-27/1.1-06.1:actual_text"]),
        ({"entity_id": "2024-25/1.1-06.1", "entity": "pie", "field": "actual_value"},
         ["2024-25/1.1-06.10:actual_value", "2024-25/1.1-06.1:actual_value"]),
        ({"user": "nobody"}, []),
        ({"entity_id": "%"}, []),  # a prefix, not a LIKE pattern
        ({"entity_id": "2024-25/1.1-06._"}, []),
    ],
)  # fmt: skip
def test_filters_narrow(trail: sa.Engine, filters: dict[str, str], expected: list[str]) -> None:
    page = entries(trail, **filters)  # type: ignore[arg-type]
    assert ids(page.entries) == expected
    assert page.total == len(expected)


def test_the_entity_id_prefix_is_case_sensitive_on_both_backends(trail: sa.Engine) -> None:
    with trail.begin() as connection:
        connection.execute(audit_log.insert(), [_row(5, "ana", "risk", "2024-25/R1", "text", "x")])
    assert entries(trail, entity_id="2024-25/R").total == 1
    assert entries(trail, entity_id="2024-25/r").total == 0


def test_since_is_inclusive_and_until_exclusive(trail: sa.Engine) -> None:
    day_two = NOW + timedelta(days=1)
    later = entries(trail, since=day_two)
    assert ids(later.entries) == ["2026-27/1.1-06.1:actual_text", "2024-25:locked"]
    earlier = entries(trail, until=day_two)
    assert earlier.total == 4
    exactly = entries(trail, since=NOW + timedelta(minutes=2), until=NOW + timedelta(minutes=3))
    assert ids(exactly.entries) == ["2024-25/1.1-06.1:state"]


def test_bounds_in_another_time_zone_are_compared_as_instants(trail: sa.Engine) -> None:
    geneva = timezone(timedelta(hours=1))
    since = datetime(2026, 1, 6, 10, 0, tzinfo=geneva)  # 09:00 UTC, the lock
    assert ids(entries(trail, since=since).entries) == [
        "2026-27/1.1-06.1:actual_text",
        "2024-25:locked",
    ]


def test_paging_keeps_the_order_and_the_total(trail: sa.Engine) -> None:
    everything = ids(entries(trail, limit=None).entries)
    pages = [entries(trail, limit=4, offset=offset) for offset in (0, 4, 8)]
    assert [p.total for p in pages] == [len(ROWS)] * 3
    assert [len(p.entries) for p in pages] == [4, 2, 0]
    assert ids(pages[0].entries) + ids(pages[1].entries) == everything
    with pytest.raises(ValueError):
        entries(trail, offset=-1)


def test_entries_at_the_same_time_come_newest_id_first(engine: sa.Engine) -> None:
    same = [_row(0, "pia", "pie", f"2024-25/p{i}", "state", str(i)) for i in range(3)]
    with engine.begin() as connection:
        connection.execute(audit_log.insert(), same)
    assert [e.new for e in entries(engine).entries] == ["2", "1", "0"]


def test_facets_are_the_distinct_values(trail: sa.Engine) -> None:
    found = facets(trail)
    assert found.users == ("ana", "pia", "vic")
    assert found.entities == ("biennium", "budget_fact", "pie")
    assert found.fields == ("actual_text", "actual_value", "amount", "locked", "state")


def test_reads_what_the_workflow_writes(engine: sa.Engine, example: Path) -> None:
    dataset = read_package(example).dataset
    assert dataset is not None
    load_dataset(engine, dataset.with_records(indicator_sectors=(IndicatorSector(
        "1.1-01", "ops", "R1"),)))  # fmt: skip
    state = edit(engine, FOCAL, B, PIE, "actual_value", Decimal("88"), 0, NOW, "new survey")
    state = act(engine, FOCAL, B, PIE, Action.SUBMIT, state.version, NOW + timedelta(hours=1))
    act(engine, VALIDATOR, B, PIE, Action.RETURN, state.version, NOW + timedelta(hours=2), "why?")
    page = entries(engine, entity_id=f"{B}/{PIE}")
    assert [(e.user, e.field, e.old, e.new, e.reason) for e in page.entries] == [
        ("vic", "state", "submitted", "returned", "why?"),
        ("ana", "state", "draft", "submitted", None),
        ("ana", "actual_value", "87", "88", "new survey"),
    ]
    assert page.entries[-1].at == NOW
    assert entries(engine, user="vic", entity="pie").total == 1
