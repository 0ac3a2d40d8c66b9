"""Migrations and table definitions agree on both backends."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rbm.store import database
from rbm.store.tables import metadata


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
