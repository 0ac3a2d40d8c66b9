"""The store on SQLite and on a real PostgreSQL server: migrate, load, read back, replace."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.store import database
from rbm.store.load import load_dataset
from rbm.store.read import list_bienniums, read_dataset
from rbm.store.tables import TABLES


def dataset_at(path: Path) -> Dataset:
    result = read_package(path)
    assert result.dataset is not None, [e.message("en") for e in result.report.errors]
    return result.dataset


def row_count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return sum(
            connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in TABLES.values()
        )


def test_fresh_database_is_migrated_to_head(engine: sa.Engine) -> None:
    assert database.current_revision(engine) == database.head_revision()
    assert set(TABLES) <= set(sa.inspect(engine).get_table_names())


def test_load_and_read_back_equal(engine: sa.Engine, wipo_path: Path, example: Path) -> None:
    for path in (wipo_path, example):
        dataset = dataset_at(path)
        assert load_dataset(engine, dataset).valid
        assert read_dataset(engine, dataset.biennium.code) == dataset
    assert [b.code for b in list_bienniums(engine)] == ["2024-25", "2026-27"]
    latest = read_dataset(engine)  # the latest biennium is the default
    assert latest is not None and latest.biennium.code == "2026-27"


def test_second_load_needs_replace(engine: sa.Engine, example: Path) -> None:
    dataset = dataset_at(example)
    load_dataset(engine, dataset)
    before = row_count(engine)
    report = load_dataset(engine, dataset)
    assert report.flatten("type", "value") == [["biennium-exists", "2026-27"]]
    assert row_count(engine) == before
    smaller = dataset.with_records(pies=(), budget_facts=dataset.budget_facts[:1])
    assert load_dataset(engine, smaller, replace=True).valid
    assert read_dataset(engine, "2026-27") == smaller


def test_a_failure_midway_writes_nothing(engine: sa.Engine, example: Path) -> None:
    def fail(name: str, _rows: int) -> None:
        if name == "pies":  # after most resources were inserted
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        load_dataset(engine, dataset_at(example), progress=fail)
    assert row_count(engine) == 0
    assert list_bienniums(engine) == []


def test_database_enforces_references(engine: sa.Engine, example: Path) -> None:
    """The validator catches bad references first; the schema refuses them too."""
    load_dataset(engine, dataset_at(example))
    values = {
        "biennium": "2026-27",
        "position": 9,
        "code": "9.9",
        "pillar": "missing",
        "order": 9,
        "title": {"zh": "x", "en": "x"},
        "source": "T1",
    }
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as connection:
        connection.execute(TABLES["results"].insert().values(**values))


def test_decimals_stay_exact(engine: sa.Engine, example: Path) -> None:
    dataset = dataset_at(example)
    exact = Decimal("123456789012345.123456")
    dataset = dataset.with_records(budget_facts=(replace(dataset.budget_facts[0], amount=exact),))
    load_dataset(engine, dataset)
    stored = read_dataset(engine, "2026-27")
    assert stored is not None and stored.budget_facts[0].amount == exact
