"""Migrations and table definitions agree on both backends."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rbm.datapackage.package import read_package
from rbm.store import database
from rbm.store.load import load_dataset
from rbm.store.read import read_dataset
from rbm.store.tables import TABLES, metadata


def test_migrations_match_the_tables(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert diff == []


def test_downgrade_to_base_and_up_again(engine: sa.Engine) -> None:
    config = database.alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert database.current_revision(engine) is None
    assert sa.inspect(engine).get_table_names() == ["alembic_version"]
    database.upgrade(engine)
    assert database.current_revision(engine) == database.head_revision()


def test_units_written_before_0004_become_their_scale_and_back(
    engine: sa.Engine, example: Path
) -> None:
    """Before 0004 a unit column held `kEUR`; since, the scale, the currency the biennium's."""
    read = read_package(example).dataset
    assert read is not None
    dataset = replace(read, biennium=replace(read.biennium, currency="EUR"))
    load_dataset(engine, dataset)
    facts = TABLES["budget_facts"]

    def units() -> set[str]:
        with engine.connect() as connection:
            return set(connection.execute(sa.select(facts.c.unit)).scalars())

    assert units() == {"k"}
    config = database.alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    assert units() == {"kEUR"}
    database.upgrade(engine)
    assert units() == {"k"}
    assert read_dataset(engine, dataset.biennium.code) == dataset
