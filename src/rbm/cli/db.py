"""Database schema migrations."""

from __future__ import annotations

from typing import Annotated

import typer

from rbm.cli.app import app, out, settings_of, store
from rbm.i18n import t
from rbm.store import database

db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context, revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the database to the newest schema (or to REVISION)."""
    settings = settings_of(ctx)
    with store(settings, migrate=False) as engine:
        database.upgrade(engine, revision)
        current = database.current_revision(engine)
    out.print(t("cli.db.at", settings.lang, revision=current or "-"))


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Show the database's schema revision."""
    settings = settings_of(ctx)
    with store(settings, migrate=False) as engine:
        revision = database.current_revision(engine)
    out.print(t("cli.db.at", settings.lang, revision=revision or "-"))
