"""The ledger in the store: bulk inserted, summed by the database, read back as facts."""

from __future__ import annotations

import shutil
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rbm.datapackage.package import read_package
from rbm.datapackage.writer import write_package
from rbm.domain.enums import BudgetPhase, Unit
from rbm.engine.finance.grain import Cube
from rbm.store import database
from rbm.store.ledger import count_postings, ledger_rollup, posting_cells
from rbm.store.load import load_dataset
from rbm.store.read import read_dataset
from rbm.store.tables import bienniums, expenditure_ledger
from tests.conftest import EXAMPLE
from tests.datapackage.test_ledger import GOOD, add_ledger


def _load(engine: sa.Engine, package: Path, replace: bool = False) -> object:
    read = read_package(package, check_ledger_rows=False)
    assert read.dataset is not None, read.report.errors
    return load_dataset(engine, read.dataset, ledger=read.ledger, replace=replace)


def test_postings_load_and_come_back_summed(engine: sa.Engine, example: Path) -> None:
    add_ledger(example, GOOD)
    report = _load(engine, example)
    assert report.valid and report.stats["expenditure_ledger"] == 3  # type: ignore[attr-defined]
    dataset = read_dataset(engine)
    assert dataset is not None
    facts = {(f.year, f.sector, f.result, f.funding): f.amount for f in dataset.ledger_facts}
    assert facts == {
        (2026, "ops", "1.1", "regular"): Decimal("1000.25"),
        (2027, "ops", None, None): Decimal("-0.0001"),
        (2026, "un", "1.1", "trust.fund"): Decimal("250"),
    }
    assert {f.unit for f in dataset.ledger_facts} == {Unit.ONE}
    assert dataset.budget_facts == read_package(example).dataset.budget_facts  # type: ignore[union-attr]
    with engine.connect() as connection:
        code = dataset.biennium.code
        assert count_postings(connection, code) == 3
        by_sector = ledger_rollup(connection, code, ("sector",))
        assert by_sector == ledger_rollup(connection, code, ("sector",), postings=True)
        assert by_sector == {("ops",): Decimal("1000.2499"), ("un",): Decimal("250")}


def test_the_report_s_cube_rolls_the_ledger_up(engine: sa.Engine, example: Path) -> None:
    add_ledger(example, GOOD)
    _load(engine, example)
    dataset = read_dataset(engine)
    assert dataset is not None
    cube = Cube(dataset.ledger_facts, unit=Unit.ONE)
    cell = cube.cell(BudgetPhase.EXECUTED, {"sector": "ops", "year": 2026})
    assert cell.value == Decimal("1000.25") and cell.how == "rolled_up"


def test_one_bad_posting_and_nothing_is_written(engine: sa.Engine, example: Path) -> None:
    add_ledger(example, [*GOOD, ["2026-01-01", "ops", "", "", "", "12", "EUR", "JV-9"]])
    report = _load(engine, example)
    assert report.flatten("type", "row", "column", "value") == [  # type: ignore[attr-defined]
        ["enum-error", 5, "currency", "EUR"]
    ]
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(bienniums)).scalar() == 0
        count = sa.select(sa.func.count()).select_from(expenditure_ledger)
        assert connection.execute(count).scalar() == 0


def test_a_replaced_biennium_drops_its_postings(engine: sa.Engine, example: Path) -> None:
    add_ledger(example, GOOD)
    _load(engine, example)
    add_ledger(example, GOOD[:1])
    assert _load(engine, example, replace=True).valid  # type: ignore[attr-defined]
    with engine.connect() as connection:
        count = sa.select(sa.func.count()).select_from(expenditure_ledger)
        assert connection.execute(count).scalar() == 1
    dataset = read_dataset(engine)
    assert dataset is not None and len(dataset.ledger_facts) == 1


AMOUNT = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)
POSTING = st.tuples(
    st.sampled_from(["2026-01-31", "2026-12-01", "2027-07-04"]),
    st.sampled_from(["ops", "un"]),
    st.sampled_from(["", "1.1"]),
    st.sampled_from(["", "regular", "fit"]),
    AMOUNT,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(POSTING, min_size=1, max_size=40))
def test_the_database_sums_as_decimal_arithmetic_does(
    tmp_path_factory: object, postings: list[tuple[str, str, str, str, Decimal]]
) -> None:
    folder = Path(str(tmp_path_factory.mktemp("ledger")))  # type: ignore[attr-defined]
    package = folder / "example"
    shutil.copytree(EXAMPLE, package)
    rows = [
        [day, sector, result, "", funding, str(amount), "CHF", f"JV-{i}"]
        for i, (day, sector, result, funding, amount) in enumerate(postings)
    ]
    add_ledger(package, rows)
    engine = database.open_store(f"sqlite:///{folder / 'rbm.db'}")
    try:
        assert _load(engine, package).valid  # type: ignore[attr-defined]
        expected: dict[tuple[object, ...], Decimal] = defaultdict(Decimal)
        for day, sector, result, funding, amount in postings:
            expected[(int(day[:4]), sector, result or None, funding or None)] += amount
        with engine.connect() as connection:
            code = read_dataset(engine).biennium.code  # type: ignore[union-attr]
            summed = ledger_rollup(connection, code, ("year", "sector", "result", "funding"))
        assert summed == dict(expected)
    finally:
        engine.dispose()


def test_an_exported_package_carries_its_ledger(
    engine: sa.Engine, example: Path, tmp_path: Path
) -> None:
    add_ledger(example, GOOD)
    _load(engine, example)
    dataset = read_dataset(engine)
    assert dataset is not None
    with engine.connect() as connection:
        cells = posting_cells(connection, dataset.biennium.code, dataset.biennium.currency)
        write_package(dataset, tmp_path / "out", cells)
    again = read_package(tmp_path / "out")
    assert again.report.valid, again.report.errors
    assert again.report.stats["expenditure_ledger"] == 3
    text = (tmp_path / "out" / "data" / "expenditure_ledger.csv").read_text(encoding="utf-8")
    assert text.splitlines()[1:] == [",".join(row) for row in GOOD]
