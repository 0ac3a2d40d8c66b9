"""The timed jobs bench.run starts in a fresh process: the ledger rollup on the store and the
baselines on the same data (DuckDB, a bare sqlite3 insert, a bare PostgreSQL COPY). Each
times its own work and prints `BENCH {"seconds": …}`. Not a test.

usage: .venv/bin/python -m bench.jobs JOB ARGS…   (see `--help`)
"""

from __future__ import annotations

import argparse
import csv
import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from bench.measure import MARK
from rbm.store import ledger  # imported before any timing: the rollup is what is measured

BATCH = 50_000
LEDGER_TABLE = "expenditure_ledger"
BIENNIUM = "2024-25"
PLAIN_COLUMNS = "date, sector, result, cost_item, funding, amount, currency, reference"
PLAIN_TABLE = """CREATE TABLE plain_ledger (
    date DATE, sector TEXT, result TEXT, cost_item TEXT, funding TEXT,
    amount NUMERIC(18, 2), currency TEXT, reference TEXT)"""


def emit(seconds: float, **figures: Any) -> None:
    print(MARK + json.dumps({"seconds": seconds, **figures}), flush=True)


def _csv_source(path: Path) -> str:
    # every column as text but the amount, as the store keeps them
    return (
        f"read_csv('{path}', header = true, "
        "columns = {'date': 'DATE', 'sector': 'VARCHAR', 'result': 'VARCHAR', "
        "'cost_item': 'VARCHAR', 'funding': 'VARCHAR', 'amount': 'DECIMAL(18,2)', "
        "'currency': 'VARCHAR', 'reference': 'VARCHAR'})"
    )


def duckdb_load(path: Path) -> None:
    """DuckDB reads and types the ledger CSV into a table (the baseline of validation)."""
    import duckdb

    connection = duckdb.connect()
    started = time.perf_counter()
    connection.execute(f"CREATE TABLE ledger AS SELECT * FROM {_csv_source(path)}")
    seconds = time.perf_counter() - started
    rows = connection.execute("SELECT count(*) FROM ledger").fetchone()
    emit(seconds, rows=rows[0] if rows else 0)


def duckdb_groupby(path: Path, source: str) -> None:
    """DuckDB's executed amount by sector × result: straight from the CSV, or from a table
    it has loaded first (untimed)."""
    import duckdb

    connection = duckdb.connect()
    if source == "table":
        connection.execute(f"CREATE TABLE ledger AS SELECT * FROM {_csv_source(path)}")
        origin = "ledger"
    else:
        origin = _csv_source(path)
    started = time.perf_counter()
    groups = connection.execute(
        f"SELECT sector, result, sum(amount) FROM {origin} GROUP BY sector, result"
    ).fetchall()
    emit(time.perf_counter() - started, groups=len(groups))


def duckdb_store(url: str) -> None:
    """DuckDB over the store through its sqlite or postgres scanner, when the extension can
    be installed (it is downloaded from extensions.duckdb.org)."""
    import duckdb

    connection = duckdb.connect()
    kind = "postgres" if url.startswith("postgresql") else "sqlite"
    connection.execute(f"INSTALL {kind}; LOAD {kind};")
    if kind == "sqlite":
        target = url.removeprefix("sqlite:///")
        connection.execute(f"ATTACH '{target}' AS store (TYPE sqlite, READ_ONLY)")
    else:
        dsn = sa.make_url(url).set(drivername="postgresql").render_as_string(False)
        connection.execute(f"ATTACH '{dsn}' AS store (TYPE postgres, READ_ONLY)")
    started = time.perf_counter()
    groups = connection.execute(
        f"SELECT sector, result, sum(amount_e4) FROM store.{LEDGER_TABLE} GROUP BY sector, result"
    ).fetchall()
    emit(time.perf_counter() - started, groups=len(groups))


def _rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        yield from reader


def sqlite_insert(path: Path, database: Path) -> None:
    """Plain sqlite3: the CSV's rows inserted as they are into an unindexed table, in batches
    of prepared inserts, one transaction."""
    database.unlink(missing_ok=True)
    connection = sqlite3.connect(database)
    started = time.perf_counter()
    connection.execute(PLAIN_TABLE)
    rows = _rows(path)
    count = 0
    with connection:
        while batch := list(islice(rows, BATCH)):
            connection.executemany(
                "INSERT INTO plain_ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch
            )
            count += len(batch)
    emit(time.perf_counter() - started, rows=count)
    connection.close()


def pg_copy(path: Path, url: str) -> None:
    """A bare PostgreSQL COPY of the CSV into an unindexed table (what psql's \\copy does)."""
    import psycopg

    dsn = sa.make_url(url).set(drivername="postgresql").render_as_string(False)
    with psycopg.connect(dsn, autocommit=False) as connection:
        connection.execute("DROP TABLE IF EXISTS plain_ledger")
        started = time.perf_counter()
        connection.execute(PLAIN_TABLE)
        with (
            connection.cursor() as cursor,
            cursor.copy(
                f"COPY plain_ledger ({PLAIN_COLUMNS}) FROM STDIN (FORMAT csv, HEADER)"
            ) as copy,
            path.open("rb") as handle,
        ):
            while block := handle.read(1 << 20):
                copy.write(block)
        connection.commit()
        emit(time.perf_counter() - started)


def sql_rollup(connection: sa.Connection) -> int:
    """Executed amount by sector × result, a plain GROUP BY on the store's ledger table."""
    query = sa.text(
        f"SELECT sector, result, sum(amount_e4) FROM {LEDGER_TABLE} GROUP BY sector, result"
    )
    return len(connection.execute(query).fetchall())


def store_rollup(connection: sa.Connection) -> int:
    """The same through the store's own function, over every posting."""
    return len(ledger.ledger_rollup(connection, BIENNIUM, ("sector", "result"), postings=True))


def totals_rollup(connection: sa.Connection) -> int:
    """The same as the report asks it: from the totals the load summed."""
    return len(ledger.ledger_rollup(connection, BIENNIUM, ("sector", "result")))


ROLLUPS: dict[str, Callable[[sa.Connection], int]] = {
    "sql": sql_rollup,
    "store": store_rollup,
    "totals": totals_rollup,
}


def rollup(url: str, via: str) -> None:
    """Time one rollup on the store at `url` (the connection is opened untimed)."""
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
        started = time.perf_counter()
        groups = ROLLUPS[via](connection)
        seconds = time.perf_counter() - started
        count = sa.text(f"SELECT count(*) FROM {LEDGER_TABLE}")
        emit(seconds, groups=groups, postings=connection.execute(count).scalar_one())
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.jobs", description=__doc__)
    jobs = parser.add_subparsers(dest="job", required=True)
    jobs.add_parser("duckdb-load").add_argument("csv", type=Path)
    groupby = jobs.add_parser("duckdb-groupby")
    groupby.add_argument("csv", type=Path)
    groupby.add_argument("--from", dest="source", choices=("csv", "table"), default="csv")
    jobs.add_parser("duckdb-store").add_argument("url")
    insert = jobs.add_parser("sqlite-insert")
    insert.add_argument("csv", type=Path)
    insert.add_argument("database", type=Path)
    copy = jobs.add_parser("pg-copy")
    copy.add_argument("csv", type=Path)
    copy.add_argument("url")
    roll = jobs.add_parser("rollup")
    roll.add_argument("url")
    roll.add_argument("--via", choices=tuple(ROLLUPS), default="sql")
    args = parser.parse_args()
    if args.job == "duckdb-load":
        duckdb_load(args.csv)
    elif args.job == "duckdb-groupby":
        duckdb_groupby(args.csv, args.source)
    elif args.job == "duckdb-store":
        duckdb_store(args.url)
    elif args.job == "sqlite-insert":
        sqlite_insert(args.csv, args.database)
    elif args.job == "pg-copy":
        pg_copy(args.csv, args.url)
    else:
        rollup(args.url, args.via)


if __name__ == "__main__":
    main()
