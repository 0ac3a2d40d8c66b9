"""Users, API tokens and web sessions: passwords hashed with argon2; tokens and session ids
stored only as SHA-256 hashes, each with an expiry and a revocation."""

from __future__ import annotations

import hashlib
import secrets
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from rbm.domain.workflow import DEFAULT_TOKEN_DAYS, Role, User
from rbm.store.tables import TABLES, api_tokens, users, web_sessions

_hasher = PasswordHasher()
MIN_PASSWORD = 10
MAX_NAME = 64  # the width of users.name
# last use of a token and last sight of a session are written at most this often, so that
# a busy client does not commit on every request
TOUCH = timedelta(minutes=1)


class AccountError(Exception):
    """A refused account operation; `key` is the catalogue key of the reason."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _user(row: sa.RowMapping) -> User:
    return User(row["name"], Role(row["role"]), tuple(row["sectors"]), bool(row["active"]))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every moment stored is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _has_control(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in text)


def check_name(name: str) -> None:
    """Refuse a user name that is empty, padded with spaces, holds control characters or is
    wider than the store's column."""
    if not name.strip():
        raise AccountError("account.error.name_empty")
    if name != name.strip():
        raise AccountError("account.error.name_spaces", name=name)
    if _has_control(name):
        raise AccountError("account.error.name_control", name=repr(name))
    if len(name) > MAX_NAME:
        raise AccountError("account.error.name_long", maximum=str(MAX_NAME))


def known_sectors(connection: sa.Connection) -> set[str]:
    """The sector codes of every loaded biennium."""
    sectors = TABLES["sectors"]
    return set(connection.execute(sa.select(sectors.c.code).distinct()).scalars())


def add_user(
    engine: sa.Engine,
    name: str,
    role: Role,
    password: str,
    sectors: Sequence[str],
    now: datetime,
) -> User:
    """Create a user; a focal point needs at least one sector of a loaded biennium, every
    password 10 characters."""
    check_name(name)
    if role == Role.FOCAL_POINT and not sectors:
        raise AccountError("account.error.sector_required")
    if len(password) < MIN_PASSWORD:
        raise AccountError("account.error.password_short", minimum=str(MIN_PASSWORD))
    with engine.begin() as connection:
        known = known_sectors(connection) if sectors else set()
        unknown = [sector for sector in sectors if sector not in known]
        if unknown:
            raise AccountError(
                "account.error.sector_unknown",
                sector=unknown[0],
                known=", ".join(sorted(known)) or "-",
            )
        if connection.execute(sa.select(users.c.name).where(users.c.name == name)).first():
            raise AccountError("account.error.exists", name=name)
        connection.execute(
            users.insert().values(
                name=name,
                role=role.value,
                sectors=list(sectors),
                password_hash=_hasher.hash(password),
                active=True,
                created_at=now,
            )
        )
    return User(name, role, tuple(sectors))


def list_users(engine: sa.Engine) -> list[User]:
    with engine.connect() as connection:
        rows = connection.execute(sa.select(users).order_by(users.c.name)).mappings()
        return [_user(row) for row in rows]


@dataclass(frozen=True)
class Revoked:
    """What disabling a user ended."""

    sessions: int
    tokens: int


def disable_user(engine: sa.Engine, name: str, now: datetime | None = None) -> Revoked:
    """Disable a user and revoke every session and token it holds (`now` by default)."""
    now = now or datetime.now(UTC)
    with engine.begin() as connection:
        done = connection.execute(users.update().where(users.c.name == name).values(active=False))
        if done.rowcount == 0:
            raise AccountError("account.error.unknown", name=name)
        ended = connection.execute(
            web_sessions.update()
            .where(web_sessions.c.user == name, web_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        revoked = connection.execute(
            api_tokens.update()
            .where(api_tokens.c.user == name, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    return Revoked(ended.rowcount, revoked.rowcount)


@cache
def _dummy_hash() -> str:
    """A hash no password matches, made with the same parameters as real ones."""
    return _hasher.hash(secrets.token_urlsafe(32))


def authenticate(engine: sa.Engine, name: str, password: str) -> User | None:
    """The active user with this name and password, or None; an unknown or disabled name
    costs one password check like a known one, so the time tells nothing."""
    row = None
    # a NUL byte can never be in a stored name, and PostgreSQL refuses it in a query
    if "\x00" not in name and "\x00" not in password and len(name) <= MAX_NAME:
        with engine.connect() as connection:
            query = sa.select(users).where(users.c.name == name)
            row = connection.execute(query).mappings().first()
    usable = row is not None and bool(row["active"])
    try:
        _hasher.verify(row["password_hash"] if usable and row else _dummy_hash(), password)
    except VerificationError:
        return None
    return _user(row) if usable and row else None


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(
    engine: sa.Engine, name: str, now: datetime, days: int = DEFAULT_TOKEN_DAYS
) -> str:
    """A new API token for an active user, valid `days` days; only its hash is kept, so it
    is shown once."""
    if days < 1:
        raise AccountError("account.error.token_days")
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        row = connection.execute(sa.select(users.c.active).where(users.c.name == name)).first()
        if row is None or not row.active:
            raise AccountError("account.error.unknown", name=name)
        connection.execute(
            api_tokens.insert().values(
                user=name,
                token_hash=_digest(token),
                created_at=now,
                expires_at=now + timedelta(days=days),
            )
        )
    return token


@dataclass(frozen=True)
class TokenInfo:
    """A token as `rbm token list` shows it: never the secret."""

    id: int
    user: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def _token_info(row: sa.RowMapping) -> TokenInfo:
    def maybe(moment: datetime | None) -> datetime | None:
        return _aware(moment) if moment is not None else None

    return TokenInfo(
        row["id"],
        row["user"],
        _aware(row["created_at"]),
        _aware(row["expires_at"]),
        maybe(row["last_used_at"]),
        maybe(row["revoked_at"]),
    )


def list_tokens(engine: sa.Engine, name: str | None = None) -> list[TokenInfo]:
    """Every token, or one user's, oldest first."""
    query = sa.select(api_tokens).order_by(api_tokens.c.id)
    if name is not None:
        query = query.where(api_tokens.c.user == name)
    with engine.connect() as connection:
        return [_token_info(row) for row in connection.execute(query).mappings()]


def revoke_token(engine: sa.Engine, token_id: int, now: datetime) -> TokenInfo:
    """Revoke a token by its id (revoking it again keeps the first moment)."""
    with engine.begin() as connection:
        connection.execute(
            api_tokens.update()
            .where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
        row = (
            connection.execute(sa.select(api_tokens).where(api_tokens.c.id == token_id))
            .mappings()
            .first()
        )
    if row is None:
        raise AccountError("account.error.token_unknown", id=str(token_id))
    return _token_info(row)


@dataclass(frozen=True)
class TokenCheck:
    """A token's user when it may be used, else why not (unknown, expired, revoked or
    disabled)."""

    user: User | None
    token_id: int | None
    refusal: str | None


def check_token(engine: sa.Engine, token: str, now: datetime) -> TokenCheck:
    """Whether `token` may be used now; notes its last use (at most once a minute)."""
    with engine.connect() as connection:
        row = (
            connection.execute(
                sa.select(
                    users,
                    api_tokens.c.id.label("token_id"),
                    api_tokens.c.expires_at,
                    api_tokens.c.last_used_at,
                    api_tokens.c.revoked_at,
                )
                .join(api_tokens, api_tokens.c.user == users.c.name)
                .where(api_tokens.c.token_hash == _digest(token))
            )
            .mappings()
            .first()
        )
    if row is None:
        return TokenCheck(None, None, "unknown")
    token_id = int(row["token_id"])
    if row["revoked_at"] is not None:
        return TokenCheck(None, token_id, "revoked")
    if now >= _aware(row["expires_at"]):
        return TokenCheck(None, token_id, "expired")
    if not row["active"]:
        return TokenCheck(None, token_id, "disabled")
    last = row["last_used_at"]
    if last is None or now - _aware(last) >= TOUCH:
        with engine.begin() as connection:
            connection.execute(
                api_tokens.update().where(api_tokens.c.id == token_id).values(last_used_at=now)
            )
    return TokenCheck(_user(row), token_id, None)


def user_for_token(engine: sa.Engine, token: str, now: datetime) -> User | None:
    """The user of a token that may be used now, or None."""
    return check_token(engine, token, now).user


def find_user(engine: sa.Engine, name: str) -> User | None:
    """The active user with this name, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    return _user(row) if row is not None and row["active"] else None


@dataclass(frozen=True)
class SessionRecord:
    """A stored web session: its user (None once disabled) and its moments."""

    user: User | None
    seen_at: datetime
    expires_at: datetime
    revoked: bool

    def live(self, now: datetime, idle: timedelta) -> bool:
        return (
            self.user is not None
            and not self.revoked
            and now < self.expires_at
            and now - self.seen_at < idle
        )

    def stale(self, now: datetime) -> bool:
        """Whether its last sight should be written again."""
        return now - self.seen_at >= TOUCH


def open_session(engine: sa.Engine, name: str, now: datetime, lifetime: timedelta) -> str:
    """A new session for a user: its id, to go in the signed cookie (only its hash is
    kept). Sessions long expired are dropped on the way."""
    session_id = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        connection.execute(web_sessions.delete().where(web_sessions.c.expires_at < now - lifetime))
        connection.execute(
            web_sessions.insert().values(
                id_hash=_digest(session_id),
                user=name,
                created_at=now,
                seen_at=now,
                expires_at=now + lifetime,
            )
        )
    return session_id


def session_record(engine: sa.Engine, session_id: str) -> SessionRecord | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                sa.select(users, web_sessions.c.seen_at, web_sessions.c.expires_at)
                .add_columns(web_sessions.c.revoked_at)
                .join(web_sessions, web_sessions.c.user == users.c.name)
                .where(web_sessions.c.id_hash == _digest(session_id))
            )
            .mappings()
            .first()
        )
    if row is None:
        return None
    return SessionRecord(
        _user(row) if row["active"] else None,
        _aware(row["seen_at"]),
        _aware(row["expires_at"]),
        row["revoked_at"] is not None,
    )


def touch_session(engine: sa.Engine, session_id: str, now: datetime) -> None:
    with engine.begin() as connection:
        connection.execute(
            web_sessions.update()
            .where(web_sessions.c.id_hash == _digest(session_id))
            .values(seen_at=now)
        )


def revoke_session(engine: sa.Engine, session_id: str, now: datetime) -> bool:
    """End a session (signing out); False if it was not live."""
    with engine.begin() as connection:
        done = connection.execute(
            web_sessions.update()
            .where(web_sessions.c.id_hash == _digest(session_id))
            .where(web_sessions.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    return done.rowcount > 0
