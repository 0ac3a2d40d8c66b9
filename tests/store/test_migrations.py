"""Migrations and table definitions agree on both backends."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from rbm.datapackage.package import read_package
from rbm.domain.workflow import Role
from rbm.store import database
from rbm.store.accounts import add_user, list_tokens
from rbm.store.load import load_dataset
from rbm.store.read import read_dataset
from rbm.store.tables import TABLES, metadata

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


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


def test_tokens_made_before_0010_get_an_expiry(engine: sa.Engine) -> None:
    """Tokens used to live for ever; the upgrade gives those already issued 90 days."""
    add_user(engine, "vic", Role.VALIDATOR, "correct horse battery", [], NOW)
    config = database.alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    assert "web_sessions" not in sa.inspect(engine).get_table_names()
    legacy = sa.table("api_tokens", *(sa.column(c) for c in ("user", "token_hash", "created_at")))
    with engine.begin() as connection:
        connection.execute(legacy.insert().values(user="vic", token_hash="0" * 64, created_at=NOW))
    before = datetime.now(UTC)
    database.upgrade(engine)
    (token,) = list_tokens(engine)
    assert token.revoked_at is None and token.last_used_at is None
    assert before + timedelta(days=89) < token.expires_at < before + timedelta(days=91)
