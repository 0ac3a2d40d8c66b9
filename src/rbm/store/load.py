"""Writing a validated dataset into the store, all or nothing.

Replacing a biennium that is locked, or whose PIEs have left draft, would throw away what
was validated: it is refused (`LoadRefused`) unless an administrator overrides it, with a
reason. The override, and every audited load, leave entries in the audit trail, written in
the load's own transaction:

    biennium  <code>       loaded   previous source → new source   (every audited load)
    biennium  <code>       locked   true → false                   (a lock lifted)
    pie       <code>/<id>  state    validated → draft               (each state dropped)
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa

from rbm.datapackage.errors import DataError, Report
from rbm.datapackage.ledger import LEDGER, LedgerCheck, read_ledger
from rbm.datapackage.package import LedgerSource
from rbm.datapackage.resources import RESOURCES
from rbm.datapackage.settings import settings_block
from rbm.datapackage.writer import record_values
from rbm.domain.dataset import Dataset
from rbm.domain.enums import WorkflowState
from rbm.domain.workflow import Role
from rbm.store.audit import utc
from rbm.store.ledger import delete_postings, insert_postings
from rbm.store.tables import (
    BIENNIUM,
    POSITION,
    TABLES,
    audit_log,
    biennium_locks,
    bienniums,
    pie_states,
    users,
)

Progress = Callable[[str, int], None]
BATCH = 5_000
NAME_LENGTH = 64  # the audit trail's user column


class _BadLedger(Exception):
    """Postings that failed their checks while they were being inserted: roll back."""

    def __init__(self, check: LedgerCheck) -> None:
        super().__init__(check.file)
        self.check = check


class LoadRefused(Exception):
    """A load the store refuses: `key` is the catalogue key of the reason, `params` fill it."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key, params)
        self.key = key
        self.params = params


@dataclass(frozen=True, slots=True)
class Override:
    """An administrator's leave to replace a locked biennium or drop its workflow states."""

    by: str  # an active administrator's user name
    reason: str


def os_user() -> str:
    """Who runs the command, as the operating system names them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (a bare container)
        return "?"


def load_dataset(
    engine: sa.Engine,
    dataset: Dataset,
    *,
    replace: bool = False,
    loaded_from: str = "",
    progress: Progress | None = None,
    by: str | None = None,
    override: Override | None = None,
    now: datetime | None = None,
    ledger: LedgerSource | None = None,
) -> Report:
    """Insert `dataset` in one transaction; with `replace`, its biennium's rows go first.
    The `ledger`'s postings are checked as they are inserted: one bad posting and nothing
    is written.

    A load `by` someone (the CLI always says who) is audited; a replace always is, as the
    operating system's user unless `by` is given. Raises LoadRefused when the replace would
    lift a lock or drop workflow states and no valid `override` is given."""
    try:
        return _load(engine, dataset, replace, loaded_from, progress, by, override, now, ledger)
    except _BadLedger as bad:
        return Report(tuple(bad.check.all_errors()))


def _load(
    engine: sa.Engine,
    dataset: Dataset,
    replace: bool,
    loaded_from: str,
    progress: Progress | None,
    by: str | None,
    override: Override | None,
    now: datetime | None,
    ledger: LedgerSource | None,
) -> Report:
    code = dataset.biennium.code
    moment = now or datetime.now(UTC)
    stats = dataset.counts()
    with engine.begin() as connection:
        previous = connection.execute(
            sa.select(bienniums.c.loaded_from).where(bienniums.c.code == code)
        ).first()
        if previous and not replace:
            return Report((DataError("biennium-exists", None, None, None, code),))
        who = (override.by if override else by or os_user())[:NAME_LENGTH]
        if previous:
            _hold_workflow(connection, code)
            _guard(connection, code, override)
            _forget_workflow(connection, code, who, moment, override)
            delete_biennium(connection, code)
        b = dataset.biennium
        connection.execute(
            bienniums.insert().values(
                code=code,
                organization=b.organization,
                organization_name=b.organization_name.as_dict(),
                label=b.label.as_dict(),
                start_year=b.start_year,
                end_year=b.end_year,
                currency=b.currency,
                loaded_from=loaded_from,
                settings=json.dumps(settings_block(b.settings), ensure_ascii=False),
                report_spec=None
                if dataset.report_spec is None
                else json.dumps(dataset.report_spec, ensure_ascii=False),
            )
        )
        for resource in RESOURCES:
            records = dataset.records(resource.name)
            rows = [
                {BIENNIUM: code, POSITION: i, **record_values(resource, r)}
                for i, r in enumerate(records)
            ]
            for start in range(0, len(rows), BATCH):
                connection.execute(TABLES[resource.name].insert(), rows[start : start + BATCH])
            if progress:
                progress(resource.name, len(rows))
        if ledger is not None:
            check = LedgerCheck(ledger.file)
            insert_postings(
                connection, code, read_ledger(ledger.path, ledger.file, ledger.keys, check)
            )
            if check.errors:
                raise _BadLedger(check)
            stats[LEDGER.name] = check.rows
            if progress:
                progress(LEDGER.name, check.rows)
        if previous or by or override:
            old = previous.loaded_from if previous else None
            reason = override.reason if override else None
            _audit(connection, who, moment, "biennium", code, "loaded", old, loaded_from, reason)
    return Report(stats=stats)


def _hold_workflow(connection: sa.Connection, code: str) -> None:
    """Keep workflow actions and locks out until the replace commits: one that committed
    between the check and the delete would vanish unchecked."""
    if connection.dialect.name == "postgresql":
        names = ", ".join(t.name for t in (pie_states, biennium_locks))
        connection.execute(sa.text(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE"))
        return
    # SQLite has one write lock, taken at a transaction's first write (pysqlite starts the
    # transaction only then): write first, so the checks read what no one can change
    same = bienniums.update().where(bienniums.c.code == code)
    connection.execute(same.values(loaded_from=bienniums.c.loaded_from))


def _guard(connection: sa.Connection, code: str, override: Override | None) -> None:
    """Refuse to replace a locked biennium, or one whose PIEs have left draft, unless an
    active administrator overrides it with a reason (an override given is always checked)."""
    if override is not None:
        _check(connection, override)
        return
    lock = (
        connection.execute(sa.select(biennium_locks).where(biennium_locks.c[BIENNIUM] == code))
        .mappings()
        .first()
    )
    if lock is not None:
        at = utc(lock["locked_at"]).strftime("%Y-%m-%d %H:%M UTC")
        raise LoadRefused("load.refused.locked", biennium=code, by=lock["locked_by"], at=at)
    held = _held_states(connection, code)
    if held:
        counts: dict[str, int] = {}
        for state in held.values():
            counts[state] = counts.get(state, 0) + 1
        summary = ", ".join(f"{state} {n}" for state, n in sorted(counts.items()))
        raise LoadRefused(
            "load.refused.workflow", biennium=code, count=str(len(held)), states=summary
        )


def _check(connection: sa.Connection, override: Override) -> None:
    """An override needs a reason and an active administrator."""
    if not override.reason.strip():
        raise LoadRefused("load.refused.reason")
    row = connection.execute(
        sa.select(users.c.role, users.c.active).where(users.c.name == override.by)
    ).first()
    if row is None or not row.active or row.role != Role.ADMINISTRATOR.value:
        raise LoadRefused("load.refused.administrator", name=override.by)


def _held_states(connection: sa.Connection, code: str) -> dict[str, str]:
    """The PIEs of the biennium that have left draft, with their state."""
    query = sa.select(pie_states.c.pie, pie_states.c.state).where(
        pie_states.c[BIENNIUM] == code, pie_states.c.state != WorkflowState.DRAFT.value
    )
    return {str(pie): str(state) for pie, state in connection.execute(query)}


def _forget_workflow(
    connection: sa.Connection, code: str, who: str, now: datetime, override: Override | None
) -> None:
    """Audit the lock lifted and each workflow state dropped (only an override gets here
    with either)."""
    if override is None:
        return
    lock = connection.execute(
        sa.select(biennium_locks.c[BIENNIUM]).where(biennium_locks.c[BIENNIUM] == code)
    ).first()
    if lock is not None:
        _audit(connection, who, now, "biennium", code, "locked", "true", "false", override.reason)
    for pie, state in sorted(_held_states(connection, code).items()):
        draft = WorkflowState.DRAFT.value
        _audit(connection, who, now, "pie", f"{code}/{pie}", "state", state, draft, override.reason)


def _audit(
    connection: sa.Connection,
    who: str,
    now: datetime,
    entity: str,
    entity_id: str,
    field: str,
    old: str | None,
    new: str | None,
    reason: str | None,
) -> None:
    connection.execute(
        audit_log.insert().values(
            at=now,
            user=who,
            entity=entity,
            entity_id=entity_id,
            field=field,
            old=old,
            new=new,
            reason=reason,
        )
    )


def delete_biennium(connection: sa.Connection, code: str) -> None:
    """Remove a biennium and everything that belongs to it, children first (its workflow
    states and lock go with it)."""
    delete_postings(connection, code)
    for resource in reversed(RESOURCES):
        table = TABLES[resource.name]
        connection.execute(table.delete().where(table.c[BIENNIUM] == code))
    connection.execute(bienniums.delete().where(bienniums.c.code == code))
