"""The expenditure ledger in the store: postings inserted by each backend's bulk path,
summed by the database, and read back as executed budget facts at the finest grain."""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from itertools import islice

import sqlalchemy as sa

from rbm.datapackage.ledger import Posting
from rbm.domain.enums import BudgetPhase, Unit
from rbm.domain.finance import BudgetFact
from rbm.domain.ledger import LEDGER_SOURCE, amount_of
from rbm.store.tables import BIENNIUM, expenditure_ledger, ledger_totals

COLUMNS = tuple(c.name for c in expenditure_ledger.columns)
GRAIN = ("year", "sector", "result", "cost_item", "funding")
BATCH = 50_000  # postings per executemany on SQLite: bounded memory, few round trips


def insert_postings(connection: sa.Connection, code: str, postings: Iterable[Posting]) -> None:
    """Insert `postings` of the biennium `code` in bulk, in the connection's transaction:
    COPY on PostgreSQL, batched prepared inserts on SQLite; then sum them."""
    driver = connection.connection.driver_connection
    assert driver is not None
    if connection.dialect.name == "postgresql":
        names = ", ".join(COLUMNS)
        statement = f"COPY {expenditure_ledger.name} ({names}) FROM STDIN"
        with driver.cursor() as cursor, cursor.copy(statement) as copy:
            for posting in postings:
                copy.write_row((code, *posting))
    else:
        # the biennium is one quoted literal rather than a parameter repeated on every row
        literal = "'" + code.replace("'", "''") + "'"
        marks = ", ".join([literal, *"?" * (len(COLUMNS) - 1)])
        statement = f"INSERT INTO {expenditure_ledger.name} VALUES ({marks})"
        cursor = driver.cursor()
        try:
            for batch in _read_ahead(postings):
                cursor.executemany(statement, batch)
        finally:
            cursor.close()
    _sum(connection, code)


def _read_ahead(postings: Iterable[Posting]) -> Iterator[list[Posting]]:
    """Batches of postings, the next read and checked by a second thread while this one
    inserts: SQLite lets go of the interpreter while it writes, so the two overlap."""
    batches: queue.Queue[list[Posting] | BaseException | None] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def read() -> None:
        try:
            rows = iter(postings)
            while not stop.is_set() and (batch := list(islice(rows, BATCH))):
                batches.put(batch)
            batches.put(None)
        except BaseException as exc:  # handed to the inserting thread, which raises it
            batches.put(exc)

    reader = threading.Thread(target=read, name="ledger-reader", daemon=True)
    reader.start()
    try:
        while (item := batches.get()) is not None:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while reader.is_alive():  # unblock a reader waiting for room
            with contextlib.suppress(queue.Empty):
                batches.get(timeout=0.05)
        reader.join()


def _sum(connection: sa.Connection, code: str) -> None:
    grain = [expenditure_ledger.c[name] for name in GRAIN]
    totals = (
        sa.select(
            sa.literal(code),
            *grain,
            sa.func.sum(expenditure_ledger.c.amount_e4),
            sa.func.count(),
        )
        .where(expenditure_ledger.c[BIENNIUM] == code)
        .group_by(*grain)
    )
    names = [BIENNIUM, *GRAIN, "amount_e4", "postings"]
    connection.execute(ledger_totals.insert().from_select(names, totals))


def delete_postings(connection: sa.Connection, code: str) -> None:
    for table in (ledger_totals, expenditure_ledger):
        connection.execute(table.delete().where(table.c[BIENNIUM] == code))


def ledger_facts(connection: sa.Connection, code: str) -> list[BudgetFact]:
    """The executed budget facts the ledger of `code` adds, one per finest-grain total."""
    query = (
        sa.select(*(ledger_totals.c[n] for n in GRAIN), ledger_totals.c.amount_e4)
        .where(ledger_totals.c[BIENNIUM] == code)
        .order_by(*(ledger_totals.c[n] for n in GRAIN))
    )
    return [
        BudgetFact(
            BudgetPhase.EXECUTED,
            row.year,
            row.sector,
            row.result,
            row.cost_item,
            None,
            row.funding,
            amount_of(int(row.amount_e4)),
            Unit.ONE,
            LEDGER_SOURCE,
        )
        for row in connection.execute(query)
    ]


def ledger_rollup(
    connection: sa.Connection, code: str, by: Sequence[str], postings: bool = False
) -> dict[tuple[object, ...], Decimal]:
    """The ledger's executed amount for each combination of the `by` dimensions, summed by
    the database: from its finest-grain totals, or from the `postings` themselves."""
    unknown = set(by) - set(GRAIN)
    if unknown:
        raise ValueError(f"not dimensions of the ledger: {sorted(unknown)}")
    table = expenditure_ledger if postings else ledger_totals
    columns = [table.c[name] for name in by]
    query = (
        sa.select(*columns, sa.func.sum(table.c.amount_e4))
        .where(table.c[BIENNIUM] == code)
        .group_by(*columns)
    )
    return {tuple(row[:-1]): amount_of(int(row[-1])) for row in connection.execute(query)}


def count_postings(connection: sa.Connection, code: str) -> int:
    query = sa.select(sa.func.coalesce(sa.func.sum(ledger_totals.c.postings), 0)).where(
        ledger_totals.c[BIENNIUM] == code
    )
    return int(connection.execute(query).scalar_one())


def posting_cells(connection: sa.Connection, code: str, currency: str) -> Iterator[list[str]]:
    """The postings of `code` as the ledger file's cells, in their order, read in batches."""
    t = expenditure_ledger
    query = (
        sa.select(
            t.c.date,
            t.c.sector,
            t.c.result,
            t.c.cost_item,
            t.c.funding,
            t.c.amount_e4,
            t.c.reference,
        )
        .where(t.c[BIENNIUM] == code)
        .order_by(t.c.line)
        .execution_options(yield_per=BATCH)
    )
    for posted, sector, result, cost_item, funding, scaled, reference in connection.execute(query):
        amount = format(amount_of(int(scaled)).normalize(), "f")
        yield [
            str(posted),
            sector,
            result or "",
            cost_item or "",
            funding or "",
            amount,
            currency,
            reference,
        ]
