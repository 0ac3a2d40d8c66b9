"""Importing a filled workbook: the values reach the store as the workbook's user, each
change in the audit trail, the changed PIEs submitted; a bad workbook (read-only cell edited,
sheet renamed, text in a number, a rating not in the list, a stale version, a refused change)
is refused whole, each problem with its sheet and cell, and nothing changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from rbm.domain.enums import Exposure, Rating, WorkflowState
from rbm.domain.workflow import Action, Role, User
from rbm.exchange.workbook import load
from rbm.exchange.workbook.layout import choice_label
from rbm.exchange.workbook.load import import_workbook
from rbm.exchange.workbook.problems import WorkbookError
from rbm.i18n import t
from rbm.store.audit import entries
from rbm.store.read import read_dataset
from rbm.store.tables import TABLES, audit_log, pie_states, record_versions
from rbm.store.workflow import act, edit, states
from tests.exchange.workbook.conftest import BIENNIUM, NOW, SECTOR, Filled

sqlite_only = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
PLANNER = User("pia", Role.PLANNER)


def snapshot(engine: sa.Engine) -> dict[str, Any]:
    """Everything an import may change."""
    with engine.connect() as connection:
        return {
            table.name: sorted(map(tuple, connection.execute(sa.select(table))), key=repr)
            for table in (audit_log, pie_states, record_versions, TABLES["pies"], TABLES["risks"])
        }


def refused(engine: sa.Engine, path: Path, user: str = "ana") -> WorkbookError:
    before = snapshot(engine)
    with pytest.raises(WorkbookError) as caught:
        import_workbook(engine, BIENNIUM, path, user, now=NOW)
    assert snapshot(engine) == before, "a refused workbook changed the store"
    return caught.value


def located(error: WorkbookError) -> list[tuple[str, str | None, str | None]]:
    return [(e.type, e.file, getattr(e, "cell", None)) for e in error.errors]


def test_a_filled_workbook_reaches_the_store(store: sa.Engine, workbook: Filled) -> None:
    workbook["A.1-01.1", "actual_value"] = 97.25
    workbook["A.1-01.1", "actual_text_fr"] = "Districts urbains : 97,25 %"
    workbook["A.1-01.1", "assessor_rating"] = t("rating.fully", "fr")  # any package language
    workbook["A.2-01.1", "assessor_rating"] = "not_achieved"  # or the code itself
    workbook["A.2-01.1", "assessor_justification_en"] = "Two of three plans adopted."
    workbook["R-A.1-1", "exposure"] = choice_label("exposure", "stable", "en")
    result = import_workbook(store, BIENNIUM, workbook.save(), "ana", now=NOW)

    assert result.changes == 6
    assert result.submitted == ("A.1-01.1", "A.2-01.1")
    assert result.summary("en") == t("workbook.summary", "en", changes=6, records=3, submitted=2)
    dataset = read_dataset(store, BIENNIUM)
    assert dataset is not None
    pies = {p.id: p for p in dataset.pies}
    assert pies["A.1-01.1"].actual_value == Decimal("97.25")
    assert pies["A.1-01.1"].actual_text.exact("fr") == "Districts urbains : 97,25 %"
    assert pies["A.1-01.1"].actual_text.exact("en").startswith("Urban districts")  # kept
    assert pies["A.1-01.1"].assessor_rating == Rating.FULLY
    assert pies["A.2-01.1"].assessor_rating == Rating.NOT_ACHIEVED
    assert pies["A.1-01.2"] == next(p for p in read_dataset_pies(store) if p.id == "A.1-01.2")
    risk = next(r for r in dataset.risks if r.id == "R-A.1-1")
    assert risk.exposure == Exposure.STABLE
    # the PIEs are submitted as from the web, as the workbook's user
    found = states(store, BIENNIUM)
    assert {k: (v.state, v.version, v.updated_by) for k, v in found.items()} == {
        "A.1-01.1": (WorkflowState.SUBMITTED, 2, "ana"),
        "A.2-01.1": (WorkflowState.SUBMITTED, 2, "ana"),
    }
    trail = entries(store, limit=None).entries
    assert {e.user for e in trail} == {"ana"}
    assert sorted((e.entity_id, e.field, e.new) for e in trail if e.field != "state") == [
        (f"{BIENNIUM}/A.1-01.1", "actual_text_fr", "Districts urbains : 97,25 %"),
        (f"{BIENNIUM}/A.1-01.1", "actual_value", "97.25"),
        (f"{BIENNIUM}/A.1-01.1", "assessor_rating", "fully"),
        (f"{BIENNIUM}/A.2-01.1", "assessor_justification_en", "Two of three plans adopted."),
        (f"{BIENNIUM}/A.2-01.1", "assessor_rating", "not_achieved"),
        (f"{BIENNIUM}/R-A.1-1", "exposure", "stable"),
    ]
    assert {e.reason for e in trail if e.field != "state"} == {
        t("workbook.reason", "en", file="prev.xlsx")
    }
    assert [(e.entity_id, e.new) for e in trail if e.field == "state"] == [
        (f"{BIENNIUM}/A.2-01.1", "submitted"),
        (f"{BIENNIUM}/A.1-01.1", "submitted"),
    ]


def read_dataset_pies(store: sa.Engine) -> tuple[Any, ...]:
    dataset = read_dataset(store, BIENNIUM)
    assert dataset is not None
    return dataset.pies


@sqlite_only
def test_an_untouched_workbook_changes_nothing(store: sa.Engine, workbook: Filled) -> None:
    before = snapshot(store)
    result = import_workbook(store, BIENNIUM, workbook.save(), "ana", now=NOW)
    assert (result.changes, result.submitted) == (0, ())
    assert snapshot(store) == before


def rename(workbook: Filled) -> None:
    workbook.book.security.lockStructure = False
    workbook.book["A.2"].title = "Result A.2"


def sort_rows(workbook: Filled) -> None:
    """Rows swapped, as a sort of an unprotected sheet would."""
    sheet = workbook.book["A.2"]
    sheet.protection.sheet = False
    for column in "ABCDEFGHIJKLMNO":
        sheet[f"{column}3"].value, sheet[f"{column}4"].value = (
            sheet[f"{column}4"].value,
            sheet[f"{column}3"].value,
        )


BAD: dict[str, tuple[Any, list[tuple[str, str, str | None]]]] = {
    "read-only cell": (("A.1-01.1", "target", "≥90%"), [("read-only", "A.1", "E3")]),
    "text in a number": (("A.1-01.2", "actual_value", "about 90"), [("type-error", "A.1", "I4")]),
    "rating not in the list": (
        ("A.1-01.2", "assessor_rating", "excellent"),
        [("choice", "A.1", "M4")],
    ),
    "renamed sheet": (rename, [("missing-sheet", "A.2", None)]),
    "sorted rows": (sort_rows, [("wrong-row", "A.2", "A3"), ("wrong-row", "A.2", "A4")]),
}


@sqlite_only
@pytest.mark.parametrize("case", list(BAD))
def test_a_bad_workbook_is_refused_whole(store: sa.Engine, workbook: Filled, case: str) -> None:
    change, expected = BAD[case]
    workbook["A.1-01.1", "actual_flags"] = "final"  # a good change, refused with the rest
    if callable(change):
        change(workbook)
    else:
        record, name, value = change
        workbook[record, name] = value
    error = refused(store, workbook.save())
    assert located(error) == expected
    message = error.errors[0].message("en")
    assert expected[0][1] in message and (expected[0][2] or "") in message


@sqlite_only
def test_every_problem_is_told_with_its_cell_and_what_was_expected(
    store: sa.Engine, workbook: Filled
) -> None:
    workbook["A.1-01.1", "baseline"] = "50%"
    workbook["A.1-01.2", "actual_value"] = "n/a"
    workbook["A.1-01.2", "assessor_rating"] = "excellent"
    error = refused(store, workbook.save())
    assert located(error) == [
        ("read-only", "A.1", "D3"),
        ("type-error", "A.1", "I4"),
        ("choice", "A.1", "M4"),
    ]
    read_only, number, choice = (e.message("fr") for e in error.errors)
    assert read_only.startswith("feuille « A.1 », cellule D3") and "50%" in read_only
    assert "Urban districts: 93.1% (2025)" in read_only  # the template's value
    assert "n/a" in number
    assert t("rating.fully", "en") in choice and "excellent" in choice


def test_a_stale_workbook_gets_the_webs_conflict(store: sa.Engine, workbook: Filled) -> None:
    edit(store, PLANNER, BIENNIUM, "A.1-01.1", "actual_value", Decimal("95"), 0, NOW)
    workbook["A.1-01.1", "actual_value"] = 96
    workbook["A.2-01.1", "actual_flags"] = "final"  # not stale: alone it would load
    error = refused(store, workbook.save())
    assert located(error) == [("stale", "A.1", "I3")]
    (stale,) = error.errors
    assert stale.params["user"] == "pia" and stale.params["current"] == "95"
    assert (stale.params["version"], stale.params["read"]) == (1, 0)
    assert "pia" in stale.message("en") and '"95"' in stale.message("en")


@sqlite_only
def test_a_change_the_workflow_refuses_is_refused(store: sa.Engine, tmp_path: Path) -> None:
    ana = User("ana", Role.FOCAL_POINT, (SECTOR,))
    act(store, ana, BIENNIUM, "A.1-01.2", Action.SUBMIT, 0, NOW)
    path = tmp_path / "prev.xlsx"
    from rbm.exchange.workbook.template import write_template

    write_template(store, BIENNIUM, SECTOR, path)
    workbook = Filled(path)
    workbook["A.1-01.2", "actual_value"] = 90  # submitted: no longer editable
    error = refused(store, workbook.save())
    assert located(error) == [("refused", "A.1", "I4")]
    assert t("workflow.refused.state", "en") in error.errors[0].message("en")
    # a validator may not fill in performance data at all
    workbook = Filled(path)
    workbook["A.1-01.1", "actual_value"] = 90
    error = refused(store, workbook.save(), user="vic")
    assert t("workflow.refused.role", "en") in error.errors[0].message("en")


def test_a_writer_getting_in_between_undoes_the_whole_import(
    store: sa.Engine, workbook: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check passes, then the second record turns out stale while saving: the first,
    already saved and submitted in the same transaction, is rolled back with it."""
    workbook["A.1-01.1", "actual_value"] = 96
    workbook["A.2-01.1", "actual_flags"] = "final"
    path = workbook.save()
    edit(store, PLANNER, BIENNIUM, "A.2-01.1", "actual_flags", "preliminary", 0, NOW)
    monkeypatch.setattr(load, "check", lambda *args: [])
    error = refused(store, path)
    assert located(error) == [("stale", "A.2", "L3")]
    assert error.errors[0].params["user"] == "pia"


@sqlite_only
def test_what_is_not_an_import(store: sa.Engine, workbook: Filled, tmp_path: Path) -> None:
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    assert located(refused(store, text)) == [("not-a-workbook", None, None)]
    assert located(refused(store, workbook.save(), user="nobody")) == [("unknown-user", None, None)]
    tampered = Filled(workbook.save())
    tampered.book["_rbm"]["F3"] = "{"  # the hidden sheet unhidden and edited
    assert located(refused(store, tampered.save())) == [("not-a-workbook", None, None)]
    workbook.book["_rbm"]["C1"] = "2024-25"
    assert located(refused(store, workbook.save())) == [("wrong-biennium", "_rbm", None)]
    with pytest.raises(WorkbookError) as other:
        import_workbook(store, "1999-00", workbook.path, "ana", now=NOW)
    assert other.value.errors[0].type == "biennium-missing"


@sqlite_only
def test_a_first_step_that_takes_a_savepoint_is_undone_too(
    store: sa.Engine, workbook: Filled, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite a savepoint taken before any write would commit on release: the import opens
    its transaction first, so submitting a PIE whose save changed nothing is undone as well."""
    workbook["A.1-01.1", "actual_value"] = 96
    workbook["A.2-01.1", "actual_flags"] = "final"
    path = workbook.save()
    pies = TABLES["pies"]
    with store.begin() as connection:  # the store already holds 96, at version 0
        connection.execute(
            pies.update().where(pies.c.id == "A.1-01.1").values(actual_value=Decimal(96))
        )
    edit(store, PLANNER, BIENNIUM, "A.2-01.1", "actual_flags", "preliminary", 0, NOW)
    monkeypatch.setattr(load, "check", lambda *args: [])
    error = refused(store, path)
    assert located(error) == [("stale", "A.2", "L3")]
