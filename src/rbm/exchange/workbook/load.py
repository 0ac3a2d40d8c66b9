"""Loading a filled workbook, all or nothing: every problem is found first (sheets, rows,
read-only cells, values, stale versions, refusals), each with its sheet and cell; then each
changed record is saved and each changed PIE submitted through the store's workflow, in one
transaction, as the workbook's user."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from rbm.datapackage.cells import CellContext
from rbm.datapackage.errors import DataError
from rbm.domain.text import Lang
from rbm.domain.workflow import Action, User
from rbm.engine.workflow import decide
from rbm.exchange.workbook.layout import (
    FORMAT,
    IDS,
    LISTS,
    cell_text,
    choice_label,
    choices,
    editable,
)
from rbm.exchange.workbook.problems import WorkbookError, WorkbookProblem
from rbm.i18n import t
from rbm.store.accounts import find_user
from rbm.store.audit import entries
from rbm.store.read import list_bienniums
from rbm.store.records import ENTITIES, Entity, InvalidValue, parse_changes
from rbm.store.workflow import (
    Conflict,
    Missing,
    WorkflowError,
    act,
    locked,
    save,
    state_of,
    values_of,
)


@dataclass(frozen=True)
class WorkbookResult:
    """What an import changed: field values, the records they belong to, the PIEs submitted."""

    changes: int
    records: tuple[str, ...] = ()
    submitted: tuple[str, ...] = ()

    def summary(self, lang: Lang) -> str:
        return t(
            "workbook.summary",
            lang,
            changes=self.changes,
            records=len(self.records),
            submitted=len(self.submitted),
        )


@dataclass
class RecordRow:
    """A record's row in the filled workbook and the fields changed on it."""

    sheet: str
    row: int
    entity: Entity
    record: str
    version: int
    changes: dict[str, object] = field(default_factory=dict)  # field name → typed value
    cells: dict[str, tuple[str, str]] = field(default_factory=dict)  # name → (column, text)


def import_workbook(
    engine: sa.Engine, biennium: str, path: Path, user: str, *, now: datetime | None = None
) -> WorkbookResult:
    """Load the workbook at `path` into `biennium` as `user`; raises WorkbookError with every
    problem found, having changed nothing."""
    account = find_user(engine, user)
    if account is None:
        raise WorkbookError([WorkbookProblem("unknown-user", value=user)])
    match = [b for b in list_bienniums(engine) if b.code == biennium]
    if not match:
        raise WorkbookError([DataError("biennium-missing", value=biennium)])
    rows = read_workbook(path, biennium, CellContext.of(match[0]))
    changed = [row for row in rows if row.changes]
    reason = t("workbook.reason", match[0].settings.languages[0], file=path.name)
    with engine.begin() as connection:
        _open_transaction(connection)
        bound = cast(sa.Engine, _Bound(connection))
        problems = check(connection, bound, account, biennium, changed)
        if problems:
            raise WorkbookError(problems)
        return _apply(bound, account, biennium, changed, reason, now or datetime.now(UTC))


def _open_transaction(connection: sa.Connection) -> None:
    """pysqlite opens a transaction only at the first write: open it now, so that what the
    checks read and what the import writes are one transaction."""
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.dbapi_connection
    if driver is not None and not getattr(driver, "in_transaction", True):
        connection.exec_driver_sql("BEGIN")


class _Bound:
    """The import's one connection in place of the engine the store's functions take: their
    transactions become part of the import's, so a later failure undoes them all."""

    def __init__(self, connection: sa.Connection) -> None:
        self._connection = connection

    @contextmanager
    def begin(self) -> Iterator[sa.Connection]:
        yield self._connection

    @contextmanager
    def connect(self) -> Iterator[sa.Connection]:
        yield self._connection


def _open(path: Path) -> Any:
    try:
        return load_workbook(path, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise _not_ours(path) from None


def _not_ours(path: Path) -> WorkbookError:
    return WorkbookError(
        [WorkbookProblem("not-a-workbook", value=path.name, params={"sheet": IDS})]
    )


@dataclass(frozen=True)
class _Ids:
    """What the hidden sheet says: the workbook's biennium, languages, sheets and records."""

    biennium: str
    langs: tuple[str, ...]
    sheets: tuple[str, ...]
    rows: tuple[tuple[RecordRow, dict[str, list[str]]], ...]


def _ids(book: Any, path: Path) -> _Ids:
    """The hidden sheet read back; one that is missing or was tampered with is not ours."""
    if IDS not in book.sheetnames or book[IDS].cell(1, 1).value != FORMAT:
        raise _not_ours(path)
    sheet = book[IDS]
    try:
        rows = []
        for values in sheet.iter_rows(min_row=3, values_only=True):
            if not values or values[0] is None:
                continue
            name, r, entity, record, version, cells = values[:6]
            row = RecordRow(str(name), int(r), ENTITIES[str(entity)], str(record), int(version))
            original = {str(k): [str(v[0]), str(v[1])] for k, v in json.loads(cells).items()}
            rows.append((row, original))
        return _Ids(
            str(sheet.cell(1, 3).value),
            tuple(json.loads(str(sheet.cell(1, 5).value))),
            tuple(json.loads(str(sheet.cell(1, 6).value))),
            tuple(rows),
        )
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):
        raise _not_ours(path) from None


def read_workbook(path: Path, biennium: str, context: CellContext) -> list[RecordRow]:
    """The workbook's records with their typed changes; WorkbookError lists every problem."""
    book = _open(path)
    ids = _ids(book, path)
    if ids.biennium != biennium:
        raise WorkbookError(
            [
                WorkbookProblem(
                    "wrong-biennium", IDS, value=ids.biennium, params={"biennium": biennium}
                )
            ]
        )
    problems: list[DataError] = []
    others = [s for s in book.sheetnames if s not in (*ids.sheets, IDS, LISTS)]
    for name in ids.sheets:
        if name not in book.sheetnames:
            found = ", ".join(others) or "—"
            problems.append(WorkbookProblem("missing-sheet", name, params={"found": found}))
    context = CellContext(context.years, context.currency, ids.langs)
    rows = [row for row, _ in ids.rows if row.sheet in book.sheetnames]  # others told above
    for row, cells in ids.rows:
        if row.sheet in book.sheetnames:
            problems += _read_row(book[row.sheet], row, cells, context)
    if problems:
        raise WorkbookError(problems)
    return rows


def _read_row(
    sheet: Any, row: RecordRow, cells: dict[str, list[str]], context: CellContext
) -> list[DataError]:
    """Compare a row with what the template wrote; parse what changed into `row.changes`."""
    problems: list[DataError] = []
    key = cell_text(sheet[f"A{row.row}"].value)
    if key != row.record:
        return [WorkbookProblem("wrong-row", row.sheet, row.row, "A", key, {"record": row.record})]
    names = set(editable(row.entity, context.langs))
    for letter, (name, original) in cells.items():
        if letter == "A":
            continue
        found = cell_text(sheet[f"{letter}{row.row}"].value)
        if found == original:
            continue
        where = (row.sheet, row.row, letter, found)
        if name not in names:
            problems.append(WorkbookProblem("read-only", *where, {"original": original}))
            continue
        row.cells[name] = (letter, found)
        text = _code(row.entity, name, found, context.langs)
        if text is None:
            labels = " | ".join(_labels(row.entity, name, context.langs[0]))
            problems.append(WorkbookProblem("choice", *where, {"choices": labels}))
            continue
        try:
            row.changes |= parse_changes(row.entity, {name: text}, context)
        except InvalidValue as bad:
            kind = "missing-value" if bad.problem.type == "required" else bad.problem.type
            problems.append(WorkbookProblem(kind, *where, dict(bad.problem.params)))
    return problems


def _labels(entity: Entity, name: str, lang: Lang) -> list[str]:
    return [choice_label(name, code, lang) for code in choices(entity, name) or ()]


def _code(entity: Entity, name: str, found: str, langs: Sequence[Lang]) -> str | None:
    """The code a drop-down cell's label stands for (a code is accepted as itself); other
    cells' text as it is; None for a label not in the list."""
    codes = choices(entity, name) if entity.resolve(name) == (name, None) else None
    if not codes or not found:
        return found
    for code in codes:
        if found.casefold() in {
            code,
            *(choice_label(name, code, lang).casefold() for lang in langs),
        }:
            return code
    return None


def check(
    connection: sa.Connection,
    bound: sa.Engine,
    user: User,
    biennium: str,
    rows: Sequence[RecordRow],
) -> list[DataError]:
    """Problems the store would refuse: a record changed since the workbook was made (with
    its current value and who changed it), or a change the user may not make."""
    problems: list[DataError] = []
    is_locked = locked(connection, biennium)
    for row in rows:
        entity = row.entity
        exists = connection.execute(
            sa.select(entity.table.c[entity.key]).where(entity.where(biennium, row.record))
        ).first()
        if exists is None:
            problems += _stale(bound, biennium, row, None)
            continue
        current = state_of(connection, biennium, row.record, entity)
        if current.version != row.version:
            problems += _stale(bound, biennium, row, current.version, current.updated_by)
            continue
        sectors = entity.sectors(connection, biennium, row.record)
        actions = [Action.EDIT_PERFORMANCE] + ([Action.SUBMIT] if entity.stateful else [])
        for action in actions:
            decision = decide(user, action, current.state, sectors, is_locked)
            if not decision.allowed:
                letter, found = next(iter(row.cells.values()))
                reason = decision.reason or "workflow.refused.role"
                problems.append(
                    WorkbookProblem(
                        "refused", row.sheet, row.row, letter, found, {"reason": reason}
                    )
                )
                break
    return problems


def _stale(
    bound: sa.Engine,
    biennium: str,
    row: RecordRow,
    version: int | None,
    updated_by: str | None = None,
) -> list[DataError]:
    """A problem per changed cell: the value now in the store, who changed it and when (from
    the audit trail), as the web's 409 tells it."""
    current = (
        values_of(bound, biennium, row.entity, row.record, list(row.cells))
        if version is not None
        else {}
    )
    out: list[DataError] = []
    for name, (letter, found) in row.cells.items():
        last = _last_change(bound, biennium, row, name)
        params = {
            "current": cell_text(current.get(name)) or "—",
            "user": (last.user if last else updated_by) or "?",
            "at": last.at.strftime("%Y-%m-%d %H:%M UTC") if last else "?",
            "version": version if version is not None else "—",
            "read": row.version,
        }
        out.append(WorkbookProblem("stale", row.sheet, row.row, letter, found, params))
    return out


def _last_change(bound: sa.Engine, biennium: str, row: RecordRow, name: str) -> Any:
    """The newest audit entry of this field of this record, or None."""
    record = f"{biennium}/{row.record}"
    page = entries(bound, entity=row.entity.name, entity_id=record, field=name, limit=None)
    return next((e for e in page.entries if e.entity_id == record), None)


def _apply(
    bound: sa.Engine,
    user: User,
    biennium: str,
    rows: Sequence[RecordRow],
    reason: str,
    now: datetime,
) -> WorkbookResult:
    """Save each row's changes and submit each changed PIE; a refusal here (a writer that got
    in between the check and now) undoes the whole import."""
    changes, submitted = 0, []
    for row in rows:
        try:
            before = values_of(bound, biennium, row.entity, row.record, list(row.changes))
            state = save(
                bound, user, biennium, row.entity, row.record, row.changes, row.version, now, reason
            )
            # a cell edited back to what the store holds is no change (and has no audit entry)
            changes += sum(before.get(name) != value for name, value in row.changes.items())
            if row.entity.stateful:
                act(bound, user, biennium, row.record, Action.SUBMIT, state.version, now)
                submitted.append(row.record)
        except Conflict as stale:
            raise WorkbookError(
                _stale(bound, biennium, row, stale.version, stale.updated_by)
            ) from None
        except (WorkflowError, Missing) as refused:
            letter, found = next(iter(row.cells.values()))
            key = refused.key if isinstance(refused, WorkflowError) else "workflow.refused.field"
            raise WorkbookError(
                [WorkbookProblem("refused", row.sheet, row.row, letter, found, {"reason": key})]
            ) from None
    return WorkbookResult(
        changes, tuple(f"{r.entity.name}/{r.record}" for r in rows), tuple(submitted)
    )
