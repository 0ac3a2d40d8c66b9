"""The workflow in the store on both backends: states, optimistic locking, the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from rbm.datapackage.cells import CellContext
from rbm.datapackage.package import read_package
from rbm.domain.enums import WorkflowState
from rbm.domain.framework import IndicatorSector
from rbm.domain.workflow import Action, Role, User
from rbm.engine.workflow import state_after_edit
from rbm.store.load import load_dataset
from rbm.store.records import ENTITIES, InvalidValue, parse_changes
from rbm.store.tables import TABLES, audit_log, record_versions
from rbm.store.workflow import (
    Conflict,
    Missing,
    WorkflowError,
    act,
    edit,
    lock,
    save,
    state_of,
)

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FOCAL = User("ana", Role.FOCAL_POINT, ("ops",))
OTHER = User("bob", Role.FOCAL_POINT, ("un",))
VALIDATOR = User("vic", Role.VALIDATOR)
PLANNER = User("pia", Role.PLANNER)
PIE, B = "1.1-01.1", "2026-27"
CONTEXT = CellContext((2026, 2027), "CHF", ("zh", "en"))


@pytest.fixture
def loaded(engine: sa.Engine, example: Path) -> sa.Engine:
    dataset = read_package(example).dataset
    assert dataset is not None
    link = IndicatorSector("1.1-01", "ops", "R1")
    load_dataset(engine, dataset.with_records(indicator_sectors=(link,)))
    return engine


def audit(engine: sa.Engine) -> list[tuple[str, str, str | None, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.select(
                audit_log.c.user, audit_log.c.field, audit_log.c.old, audit_log.c.new
            ).order_by(audit_log.c.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_focal_point_edits_submits_and_validator_returns_then_validates(loaded: sa.Engine) -> None:
    state = edit(loaded, FOCAL, B, PIE, "actual_value", Decimal("88"), 0, NOW, "new survey")
    assert (state.state, state.version) == (WorkflowState.DRAFT, 1)
    state = act(loaded, FOCAL, B, PIE, Action.SUBMIT, 1, NOW)
    state = act(loaded, VALIDATOR, B, PIE, Action.RETURN, state.version, NOW, "cite the survey")
    assert state.state == WorkflowState.RETURNED and state.comment == "cite the survey"
    state = edit(
        loaded, FOCAL, B, PIE, "actual_text_zh", "88%（2026/27年调查）", state.version, NOW
    )
    state = act(loaded, FOCAL, B, PIE, Action.SUBMIT, state.version, NOW)
    state = act(loaded, VALIDATOR, B, PIE, Action.VALIDATE, state.version, NOW)
    assert (state.state, state.version) == (WorkflowState.VALIDATED, 6)
    with loaded.connect() as connection:
        pies = TABLES["pies"]
        assert connection.execute(sa.select(pies.c.actual_value)).scalar_one() == Decimal("88")
    assert [(u, f) for u, f, _, _ in audit(loaded)] == [
        ("ana", "actual_value"),
        ("ana", "state"),
        ("vic", "state"),
        ("ana", "actual_text_zh"),
        ("ana", "state"),
        ("vic", "state"),
    ]
    assert audit(loaded)[0][2:] == ("87", "88")


def test_two_concurrent_edits_one_wins(loaded: sa.Engine) -> None:
    edit(loaded, FOCAL, B, PIE, "actual_value", Decimal("90"), 0, NOW)
    with pytest.raises(Conflict) as lost:
        edit(loaded, PLANNER, B, PIE, "actual_value", Decimal("91"), 0, NOW)
    assert (lost.value.version, lost.value.updated_by) == (1, "ana")
    assert len(audit(loaded)) == 1


def test_an_action_that_fails_part_way_leaves_no_state_behind(
    loaded: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first version of a PIE's state and its audit entry are one transaction: when the
    entry cannot be written, no state stays (SQLite's driver once committed it alone)."""

    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr("rbm.store.workflow._audit", broken)
    with pytest.raises(RuntimeError):
        act(loaded, FOCAL, B, PIE, Action.SUBMIT, 0, NOW)
    with loaded.connect() as connection:
        assert state_of(connection, B, PIE).version == 0


def test_refusals(loaded: sa.Engine) -> None:
    with pytest.raises(WorkflowError, match="sector"):
        edit(loaded, OTHER, B, PIE, "actual_value", Decimal("1"), 0, NOW)
    with pytest.raises(WorkflowError, match="role"):
        edit(loaded, FOCAL, B, PIE, "target_text_zh", "x", 0, NOW)  # targets are the planner's
    with pytest.raises(WorkflowError, match="field"):
        edit(loaded, PLANNER, B, PIE, "reading_note", "x", 0, NOW)
    with pytest.raises(Missing):
        edit(loaded, PLANNER, B, "no-such-pie", "actual_value", Decimal("1"), 0, NOW)
    with pytest.raises(WorkflowError, match="role"):
        act(loaded, FOCAL, B, PIE, Action.VALIDATE, 0, NOW)
    with pytest.raises(WorkflowError, match="not_validated"):
        lock(loaded, PLANNER, B, NOW)
    assert audit(loaded) == []


def test_a_locked_biennium_refuses_every_edit(loaded: sa.Engine) -> None:
    state = act(loaded, FOCAL, B, PIE, Action.SUBMIT, 0, NOW)
    state = act(loaded, VALIDATOR, B, PIE, Action.VALIDATE, state.version, NOW)
    lock(loaded, PLANNER, B, NOW)
    with pytest.raises(WorkflowError, match="locked"):
        edit(loaded, PLANNER, B, PIE, "actual_value", Decimal("1"), state.version, NOW)
    with loaded.connect() as connection:
        assert state_of(connection, B, PIE).state == WorkflowState.VALIDATED


def test_several_fields_change_as_one_version_with_an_entry_each(loaded: sa.Engine) -> None:
    pie = ENTITIES["pie"]
    changes = parse_changes(
        pie, {"actual_value": "92.5", "assessor_rating": "fully", "actual_period": ""}, CONTEXT
    )
    assert changes == {
        "actual_value": Decimal("92.5"),
        "assessor_rating": "fully",
        "actual_period": None,
    }
    state = save(loaded, FOCAL, B, pie, PIE, changes, 0, NOW, "survey")
    assert state.version == 1
    fields = [f for _, f, _, _ in audit(loaded)]
    assert sorted(fields) == ["actual_period", "actual_value", "assessor_rating"]
    # saving the same values again changes nothing and writes nothing
    assert save(loaded, FOCAL, B, pie, PIE, changes, 1, NOW).version == 1
    assert len(audit(loaded)) == 3


def test_submitted_values_that_do_not_fit_are_named(loaded: sa.Engine) -> None:
    pie = ENTITIES["pie"]
    with pytest.raises(InvalidValue) as bad:
        parse_changes(pie, {"actual_value": "1,5"}, CONTEXT)
    assert (bad.value.field, bad.value.value) == ("actual_value", "1,5")
    with pytest.raises(InvalidValue) as rating:
        parse_changes(pie, {"assessor_rating": "great"}, CONTEXT)
    assert rating.value.problem.type == "enum-error"
    with pytest.raises(InvalidValue):
        parse_changes(pie, {"target_text_zh": ""}, CONTEXT)  # required


def test_budget_amounts_are_the_planners_with_their_own_versions(loaded: sa.Engine) -> None:
    fact = ENTITIES["budget_fact"]
    with loaded.connect() as connection:
        table = TABLES["budget_facts"]
        position, amount = connection.execute(
            sa.select(table.c.position, table.c.amount).order_by(table.c.position)
        ).first()  # type: ignore[misc]
    with pytest.raises(WorkflowError, match="role"):
        save(loaded, FOCAL, B, fact, str(position), {"amount": Decimal(1)}, 0, NOW)
    state = save(
        loaded, PLANNER, B, fact, str(position), {"amount": amount + 1}, 0, NOW, "transfer"
    )
    assert state.version == 1
    with pytest.raises(Conflict):
        save(loaded, PLANNER, B, fact, str(position), {"amount": amount + 2}, 0, NOW)
    assert audit(loaded) == [("pia", "amount", str(amount), str(amount + 1))]


def test_a_form_may_send_back_unchanged_fields_the_user_cannot_edit(loaded: sa.Engine) -> None:
    pie = ENTITIES["pie"]
    with loaded.connect() as connection:
        table = TABLES["pies"]
        target = connection.execute(
            sa.select(table.c.target_text).where(table.c.id == PIE)
        ).scalar_one()["zh"]
    changes = {"target_text_zh": target, "actual_value": Decimal("89")}
    assert save(loaded, FOCAL, B, pie, PIE, changes, 0, NOW).version == 1
    with pytest.raises(WorkflowError, match="role"):
        save(loaded, FOCAL, B, pie, PIE, {"target_text_zh": target + "!"}, 1, NOW)
    assert [f for _, f, _, _ in audit(loaded)] == ["actual_value"]


def _validated(engine: sa.Engine) -> int:
    state = act(engine, FOCAL, B, PIE, Action.SUBMIT, 0, NOW)
    return act(engine, VALIDATOR, B, PIE, Action.VALIDATE, state.version, NOW).version


def test_changing_a_validated_pies_target_submits_it_again(loaded: sa.Engine) -> None:
    version = _validated(loaded)
    state = edit(loaded, PLANNER, B, PIE, "target_params", {"value": 1}, version, NOW, "typo")
    assert (state.state, state.version) == (WorkflowState.SUBMITTED, version + 1)
    assert audit(loaded)[-2:] == [
        ("pia", "target_params", audit(loaded)[-2][2], '{"value": 1}'),
        ("pia", "state", "validated", "submitted"),
    ]
    # the validator's decision on the old target is stale; on the new one it counts
    with pytest.raises(Conflict):
        act(loaded, VALIDATOR, B, PIE, Action.VALIDATE, version, NOW)
    state = act(loaded, VALIDATOR, B, PIE, Action.VALIDATE, state.version, NOW)
    assert state.state == WorkflowState.VALIDATED


def test_a_validated_pies_baseline_too_and_a_submitted_one_stays_submitted(
    loaded: sa.Engine,
) -> None:
    version = _validated(loaded)
    state = edit(loaded, PLANNER, B, PIE, "baseline_value", Decimal("1"), version, NOW)
    assert state.state == WorkflowState.SUBMITTED
    state = edit(loaded, PLANNER, B, PIE, "target_text_en", "new", state.version, NOW)
    assert state.state == WorkflowState.SUBMITTED
    assert [f for _, f, _, _ in audit(loaded)][-3:] == ["baseline_value", "state", "target_text_en"]


def test_performance_data_of_a_submitted_or_validated_pie_is_refused(loaded: sa.Engine) -> None:
    state = act(loaded, FOCAL, B, PIE, Action.SUBMIT, 0, NOW)
    for user in (FOCAL, PLANNER):
        with pytest.raises(WorkflowError, match="state"):
            edit(loaded, user, B, PIE, "actual_value", Decimal("1"), state.version, NOW)
    state = act(loaded, VALIDATOR, B, PIE, Action.VALIDATE, state.version, NOW)
    with pytest.raises(WorkflowError, match="state"):
        edit(loaded, PLANNER, B, PIE, "assessor_rating", "not_achieved", state.version, NOW)
    with loaded.connect() as connection:
        assert state_of(connection, B, PIE).state == WorkflowState.VALIDATED


ALIASES = ("00", "٠", "０", "+0", " 0", "0 ", "²", "0\n", "-0", "")  # row 0, misspelt


def test_a_budget_figure_has_one_id(loaded: sa.Engine) -> None:
    fact = ENTITIES["budget_fact"]
    for alias in ALIASES:
        with pytest.raises(Missing):
            save(loaded, PLANNER, B, fact, alias, {"amount": Decimal(7)}, 0, NOW)
    save(loaded, PLANNER, B, fact, "0", {"amount": Decimal(8)}, 0, NOW)
    for alias in ALIASES:  # a stale write under another name is no record either
        with pytest.raises(Missing):
            save(loaded, PLANNER, B, fact, alias, {"amount": Decimal(9)}, 0, NOW)
    with pytest.raises(Conflict):
        save(loaded, PLANNER, B, fact, "0", {"amount": Decimal(9)}, 0, NOW)
    with loaded.connect() as connection:
        assert state_of(connection, B, "0", fact).version == 1
        ids = connection.execute(sa.select(audit_log.c.entity_id)).scalars().all()
        records = connection.execute(sa.select(record_versions.c.record)).scalars().all()
    assert ids == [f"{B}/0"] and records == ["0"]


def test_other_spellings_point_to_the_canonical_id() -> None:
    fact, pie = ENTITIES["budget_fact"], ENTITIES["pie"]
    assert [fact.canonical(x) for x in ("0", "00", "٠", "０", "007", "²", "x")] == [
        "0",
        "0",
        "0",
        "0",
        "7",
        None,
        None,
    ]
    assert pie.is_canonical(PIE)
    assert not any(map(pie.is_canonical, (f"{PIE} ", f"{PIE}\n", "a\x00b", "", "１.1-01.1")))


@pytest.mark.parametrize(
    ("state", "actions", "after"),
    [
        (WorkflowState.VALIDATED, {Action.EDIT_FRAMEWORK}, WorkflowState.SUBMITTED),
        (WorkflowState.VALIDATED, {Action.EDIT_PERFORMANCE}, WorkflowState.VALIDATED),
        (WorkflowState.SUBMITTED, {Action.EDIT_FRAMEWORK}, WorkflowState.SUBMITTED),
        (WorkflowState.DRAFT, {Action.EDIT_FRAMEWORK}, WorkflowState.DRAFT),
        (WorkflowState.RETURNED, {Action.EDIT_FRAMEWORK}, WorkflowState.RETURNED),
    ],
)
def test_the_rule_for_the_state_after_an_edit(
    state: WorkflowState, actions: set[Action], after: WorkflowState
) -> None:
    assert state_after_edit(state, actions) == after
