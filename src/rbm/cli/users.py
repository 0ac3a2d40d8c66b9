"""Users and API tokens: `rbm user add|list|disable`, `rbm token create`."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import Annotated

import typer
from rich.table import Table

from rbm.cli.app import app, err, out, settings_of, store
from rbm.domain.workflow import Role
from rbm.i18n import t
from rbm.store.accounts import AccountError, add_user, create_token, disable_user, list_users

user_app = typer.Typer(help="Users of the web application and their roles.", no_args_is_help=True)
token_app = typer.Typer(help="API tokens for scripts.", no_args_is_help=True)
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")


def _refused(error: AccountError, lang: str) -> typer.Exit:
    err.print(t(error.key, lang, **error.params), soft_wrap=True)
    return typer.Exit(1)


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    role: Annotated[Role, typer.Option("--role")],
    sector: Annotated[
        list[str] | None, typer.Option("--sector", help="A focal point's sector.")
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Add a user; the password comes from a prompt, or from stdin."""
    settings = settings_of(ctx)
    lang = settings.lang
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt(
            t("account.prompt.password", lang), hide_input=True, confirmation_prompt=True
        )
    with store(settings) as engine:
        try:
            user = add_user(engine, name, role, password, sector or [], datetime.now(UTC))
        except AccountError as error:
            raise _refused(error, lang) from None
    out.print(t("account.added", lang, name=user.name, role=t(f"role.{user.role.value}", lang)))


@user_app.command("list")
def user_list(ctx: typer.Context) -> None:
    """List the users, their roles and sectors."""
    settings = settings_of(ctx)
    lang = settings.lang
    with store(settings) as engine:
        found = list_users(engine)
    table = Table(title=t("account.list.title", lang))
    for key in ("name", "role", "sectors", "active"):
        table.add_column(t(f"account.list.{key}", lang))
    for user in found:
        table.add_row(
            user.name,
            t(f"role.{user.role.value}", lang),
            ", ".join(user.sectors),
            t("account.yes" if user.active else "account.no", lang),
        )
    out.print(table)


@user_app.command("disable")
def user_disable(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Disable a user: it can no longer sign in or use its tokens."""
    settings = settings_of(ctx)
    with store(settings) as engine:
        try:
            disable_user(engine, name)
        except AccountError as error:
            raise _refused(error, settings.lang) from None
    out.print(t("account.disabled", settings.lang, name=name))


@token_app.command("create")
def token_create(ctx: typer.Context, name: Annotated[str, typer.Argument()]) -> None:
    """Create an API token for a user; it is printed once and stored only as a hash."""
    settings = settings_of(ctx)
    with store(settings) as engine:
        try:
            token = create_token(engine, name, datetime.now(UTC))
        except AccountError as error:
            raise _refused(error, settings.lang) from None
    out.print(token, highlight=False, soft_wrap=True)
