"""Replacing a biennium on both backends: a locked one, or one whose PIEs have left draft, is
refused unless an administrator overrides it with a reason; every audited load, and the
override's lifted lock and dropped states, are in the audit trail."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from rbm.cli import app
from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.domain.enums import WorkflowState
from rbm.domain.workflow import Action, Role, User
from rbm.i18n import t
from rbm.store.accounts import add_user
from rbm.store.database import open_store
from rbm.store.load import LoadRefused, Override, load_dataset
from rbm.store.tables import audit_log, biennium_locks, pie_states, users
from rbm.store.workflow import act, lock, lock_of

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 2, 1, 12, 30, tzinfo=UTC)
PLANNER = User("pia", Role.PLANNER)
VALIDATOR = User("vic", Role.VALIDATOR)
PIE, B = "1.1-01.1", "2026-27"
PASSWORD = "correct horse battery"

Trail = list[tuple[str, str, str, str, str | None, str | None, str | None]]


def _dataset(example: Path) -> Dataset:
    dataset = read_package(example).dataset
    assert dataset is not None
    return dataset


def _validate(engine: sa.Engine) -> None:
    state = act(engine, PLANNER, B, PIE, Action.SUBMIT, 0, NOW)
    act(engine, VALIDATOR, B, PIE, Action.VALIDATE, state.version, NOW)


def _trail(engine: sa.Engine) -> Trail:
    """(user, entity, entity id, field, old, new, reason), oldest first."""
    c = audit_log.c
    query = sa.select(c.user, c.entity, c.entity_id, c.field, c.old, c.new, c.reason)
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(query.order_by(c.id))]


def _states(engine: sa.Engine) -> list[tuple[str, str]]:
    with engine.connect() as connection:
        query = sa.select(pie_states.c.pie, pie_states.c.state)
        return [(str(p), str(s)) for p, s in connection.execute(query)]


@pytest.fixture
def locked(engine: sa.Engine, example: Path) -> sa.Engine:
    """The example loaded, its one PIE validated, the biennium locked by pia."""
    load_dataset(engine, _dataset(example), loaded_from="example", by="ops", now=NOW)
    _validate(engine)
    lock(engine, PLANNER, B, NOW)
    return engine


def test_replacing_a_locked_biennium_is_refused_and_keeps_the_lock_and_states(
    locked: sa.Engine, example: Path
) -> None:
    before = _trail(locked)
    with pytest.raises(LoadRefused) as refused:
        load_dataset(locked, _dataset(example), replace=True, by="ops", now=LATER)
    assert refused.value.key == "load.refused.locked"
    assert refused.value.params == {"biennium": B, "by": "pia", "at": "2026-01-05 09:00 UTC"}
    message = t(refused.value.key, "en", **refused.value.params)
    assert B in message and "pia" in message and "2026-01-05 09:00 UTC" in message
    assert lock_of(locked, B) is not None
    assert _states(locked) == [(PIE, WorkflowState.VALIDATED.value)]
    assert _trail(locked) == before  # all or nothing: not even the refusal's load entry


def test_replacing_validated_states_is_refused_without_a_lock_too(
    engine: sa.Engine, example: Path
) -> None:
    load_dataset(engine, _dataset(example), now=NOW)
    _validate(engine)
    with pytest.raises(LoadRefused) as refused:
        load_dataset(engine, _dataset(example), replace=True, now=LATER)
    assert refused.value.key == "load.refused.workflow"
    assert refused.value.params == {"biennium": B, "count": "1", "states": "validated 1"}
    assert _states(engine) == [(PIE, WorkflowState.VALIDATED.value)]


def test_an_administrators_override_replaces_and_is_audited(
    locked: sa.Engine, example: Path
) -> None:
    add_user(locked, "ada", Role.ADMINISTRATOR, PASSWORD, (), NOW)
    why = "corrected budget figures from the auditors"
    override = Override("ada", why)
    report = load_dataset(
        locked, _dataset(example), replace=True, loaded_from="fixed", override=override, now=LATER
    )
    assert report.valid
    assert lock_of(locked, B) is None and _states(locked) == []
    assert _trail(locked)[-3:] == [
        ("ada", "biennium", B, "locked", "true", "false", why),
        ("ada", "pie", f"{B}/{PIE}", "state", "validated", "draft", why),
        ("ada", "biennium", B, "loaded", "example", "fixed", why),
    ]


def test_an_override_needs_an_active_administrator_and_a_reason(
    locked: sa.Engine, example: Path
) -> None:
    add_user(locked, "pia", Role.PLANNER, PASSWORD, (), NOW)
    add_user(locked, "ada", Role.ADMINISTRATOR, PASSWORD, (), NOW)
    add_user(locked, "gone", Role.ADMINISTRATOR, PASSWORD, (), NOW)
    with locked.begin() as connection:  # disabled (directly: the accounts API is not tested)
        connection.execute(users.update().where(users.c.name == "gone").values(active=False))
    cases = [
        ("pia", "why", "load.refused.administrator"),  # a planner
        ("nobody", "why", "load.refused.administrator"),
        ("gone", "why", "load.refused.administrator"),  # a disabled administrator
        ("ada", "  ", "load.refused.reason"),
    ]
    for who, reason, key in cases:
        with pytest.raises(LoadRefused) as refused:
            load_dataset(locked, _dataset(example), replace=True, override=Override(who, reason))
        assert refused.value.key == key, who
    assert lock_of(locked, B) is not None


def test_every_audited_load_and_every_replace_writes_an_entry(
    engine: sa.Engine, example: Path
) -> None:
    load_dataset(engine, _dataset(example), loaded_from="first", by="ops", now=NOW)
    # a replace of a biennium still in draft needs no override, and is audited anyway
    load_dataset(engine, _dataset(example), replace=True, loaded_from="second", now=LATER)
    trail = _trail(engine)
    assert trail[0] == ("ops", "biennium", B, "loaded", None, "first", None)
    user, *rest = trail[1]
    assert user and rest == ["biennium", B, "loaded", "first", "second", None]
    assert len(trail) == 2


runner = CliRunner()


def _rbm(url: str, *args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["--db", url, "--lang", "en", *args], catch_exceptions=False)
    return result.exit_code, result.stdout + result.stderr


def test_rbm_load_replace_on_a_locked_biennium(store_url: str, example: Path) -> None:
    engine = open_store(store_url)
    try:
        code, _ = _rbm(store_url, "load", str(example), "--as", "ops")
        assert code == 0
        _validate(engine)
        lock(engine, PLANNER, B, NOW)
        add_user(engine, "ada", Role.ADMINISTRATOR, PASSWORD, (), NOW)

        code, said = _rbm(store_url, "load", str(example), "--replace")
        assert code == 1
        assert f"Biennium {B} is locked (by pia, 2026-01-05 09:00 UTC)" in " ".join(said.split())
        code, said = _rbm(store_url, "load", str(example), "--replace", "--unlock", "--as", "ada")
        assert code == 1 and "--unlock needs" in said  # no reason
        code, _ = _rbm(
            store_url, "load", str(example), "--replace", "--unlock", "--as", "pia", "--reason", "x"
        )
        assert code == 1
        with engine.connect() as connection:
            assert connection.execute(sa.select(biennium_locks)).first() is not None

        code, said = _rbm(
            store_url,
            *("load", str(example), "--replace", "--unlock", "--as", "ada"),
            *("--reason", "new figures"),
        )
        assert code == 0, said
        assert lock_of(engine, B) is None
        trail = _trail(engine)
        assert trail[0][:4] == ("ops", "biennium", B, "loaded")
        assert [row[3] for row in trail if row[0] == "ada"] == ["locked", "state", "loaded"]
    finally:
        engine.dispose()


def test_a_submission_committed_while_a_replace_waits_is_not_dropped(
    engine: sa.Engine, example: Path
) -> None:
    """The replace checks the states only once no workflow write can come in between (on
    SQLite there is one writer at a time, so this is PostgreSQL's case)."""
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite admits one writer at a time")
    load_dataset(engine, _dataset(example), now=NOW)
    outcome: list[BaseException | None] = []

    def replace() -> None:
        try:
            load_dataset(engine, _dataset(example), replace=True, now=LATER)
            outcome.append(None)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    with engine.connect() as writer:
        with writer.begin():  # a submission in flight: its row is written, not yet committed
            writer.execute(
                pie_states.insert().values(
                    biennium=B, pie=PIE, state="submitted", version=1, updated_by="pia"
                )
            )
            thread = threading.Thread(target=replace)
            thread.start()
            with engine.connect() as watcher:  # until the replace waits for the writer
                waiting = sa.text("SELECT count(*) FROM pg_locks WHERE NOT granted")
                while not watcher.execute(waiting).scalar_one() and thread.is_alive():
                    time.sleep(0.02)
        thread.join()
    assert isinstance(outcome[0], LoadRefused), outcome
    assert outcome[0].key == "load.refused.workflow"
    assert _states(engine) == [(PIE, "submitted")]
