"""Opening the store: the database URL, the engine, and migrating it to the current schema."""

from __future__ import annotations

import os
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # SQLAlchemy and Alembic take about 0.6 s to import: they are imported when a store is
    # opened, so that what reads only the URL (the command line's start-up) stays light
    import sqlalchemy as sa
    from alembic.config import Config

DEFAULT_URL = "sqlite:///rbm.db"
URL_ENV = "RBM_DATABASE_URL"


def database_url(option: str | None = None) -> str:
    """The URL given on the command line, else $RBM_DATABASE_URL, else ./rbm.db."""
    return option or os.environ.get(URL_ENV) or DEFAULT_URL


def create(url: str) -> sa.Engine:
    """An engine for `url`; SQLite enforces foreign keys like PostgreSQL does."""
    import sqlalchemy as sa

    engine = sa.create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def alembic_config(engine: sa.Engine | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("rbm.store") / "migrations"))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def current_revision(engine: sa.Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    """Apply the migrations up to `revision`."""
    from alembic import command

    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def open_store(url: str) -> sa.Engine:
    """An engine whose database is migrated to the newest schema (a fresh one is created)."""
    engine = create(url)
    if current_revision(engine) != head_revision():
        upgrade(engine)
    return engine
