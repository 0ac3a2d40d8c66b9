"""Users and API tokens: `rbm user add|list|disable`, `rbm token create|list|revoke`; the
changes that matter to security also go to the security event log (rbm.web.security_log)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from rbm.cli.app import app, err, out, settings_of, store
from rbm.domain.workflow import DEFAULT_TOKEN_DAYS, Role
from rbm.i18n import t

if TYPE_CHECKING:
    from rbm.store.accounts import AccountError

# the store and the security log (SQLAlchemy, argon2) are imported by the commands that use
# them, so that the command line starts without them

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
    from rbm.store.accounts import AccountError, add_user

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
    from rbm.store.accounts import list_users

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
    """Disable a user: it can no longer sign in, and its sessions and tokens end."""
    from rbm.store.accounts import AccountError, disable_user
    from rbm.web.security_log import emit

    settings = settings_of(ctx)
    lang = settings.lang
    now = datetime.now(UTC)
    with store(settings) as engine:
        try:
            revoked = disable_user(engine, name, now)
        except AccountError as error:
            raise _refused(error, lang) from None
    emit(
        "session.revoke",
        at=now,
        user=name,
        route="rbm user disable",
        reason="user disabled",
        sessions=revoked.sessions,
        tokens=revoked.tokens,
    )
    out.print(t("account.disabled", lang, name=name))
    out.print(t("account.revoked", lang, sessions=revoked.sessions, tokens=revoked.tokens))


def _moment(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M") if moment is not None else "-"


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    days: Annotated[
        int, typer.Option("--days", min=1, max=3650, help="Days until the token expires.")
    ] = DEFAULT_TOKEN_DAYS,
) -> None:
    """Create an API token for a user; it is printed once and stored only as a hash."""
    from rbm.store.accounts import AccountError, create_token, list_tokens
    from rbm.web.security_log import emit

    settings = settings_of(ctx)
    now = datetime.now(UTC)
    with store(settings) as engine:
        try:
            token = create_token(engine, name, now, days)
        except AccountError as error:
            raise _refused(error, settings.lang) from None
        created = list_tokens(engine, name)[-1]
    emit("token.create", at=now, user=name, route="rbm token create", token=created.id)
    out.print(token, highlight=False, soft_wrap=True)
    err.print(
        t(
            "account.token.created",
            settings.lang,
            id=created.id,
            expires=_moment(created.expires_at),
        ),
        soft_wrap=True,
    )


@token_app.command("list")
def token_list(
    ctx: typer.Context, name: Annotated[str | None, typer.Argument(help="Only this user's.")] = None
) -> None:
    """List API tokens: id, user, created, expires, last used, revoked (never the token)."""
    from rbm.store.accounts import list_tokens

    settings = settings_of(ctx)
    lang = settings.lang
    with store(settings) as engine:
        found = list_tokens(engine, name)
    table = Table(title=t("account.tokens.title", lang))
    for key in ("id", "user", "created", "expires", "last_used", "revoked"):
        table.add_column(t(f"account.tokens.{key}", lang))
    for token in found:
        table.add_row(
            str(token.id),
            token.user,
            _moment(token.created_at),
            _moment(token.expires_at),
            _moment(token.last_used_at),
            _moment(token.revoked_at),
        )
    out.print(table)


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context, token_id: Annotated[int, typer.Argument(metavar="ID")]
) -> None:
    """Revoke an API token by the id `rbm token list` shows; it is refused from then on."""
    from rbm.store.accounts import AccountError, revoke_token
    from rbm.web.security_log import emit

    settings = settings_of(ctx)
    now = datetime.now(UTC)
    with store(settings) as engine:
        try:
            revoked = revoke_token(engine, token_id, now)
        except AccountError as error:
            raise _refused(error, settings.lang) from None
    emit("token.revoke", at=now, user=revoked.user, route="rbm token revoke", token=revoked.id)
    out.print(t("account.token.revoked", settings.lang, id=revoked.id, user=revoked.user))
