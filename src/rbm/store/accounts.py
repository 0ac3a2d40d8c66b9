"""Users and API tokens: passwords hashed with argon2, tokens stored only as SHA-256 hashes."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import VerificationError

from rbm.domain.workflow import Role, User
from rbm.store.tables import api_tokens, users

_hasher = PasswordHasher()
MIN_PASSWORD = 10


class AccountError(Exception):
    """A refused account operation; `key` is the catalogue key of the reason."""

    def __init__(self, key: str, **params: str) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


def _user(row: sa.RowMapping) -> User:
    return User(row["name"], Role(row["role"]), tuple(row["sectors"]), bool(row["active"]))


def add_user(
    engine: sa.Engine,
    name: str,
    role: Role,
    password: str,
    sectors: Sequence[str],
    now: datetime,
) -> User:
    """Create a user; a focal point needs at least one sector, every password 10 characters."""
    if role == Role.FOCAL_POINT and not sectors:
        raise AccountError("account.error.sector_required")
    if len(password) < MIN_PASSWORD:
        raise AccountError("account.error.password_short", minimum=str(MIN_PASSWORD))
    with engine.begin() as connection:
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


def disable_user(engine: sa.Engine, name: str) -> None:
    with engine.begin() as connection:
        done = connection.execute(users.update().where(users.c.name == name).values(active=False))
        if done.rowcount == 0:
            raise AccountError("account.error.unknown", name=name)


def authenticate(engine: sa.Engine, name: str, password: str) -> User | None:
    """The active user with this name and password, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    if row is None or not row["active"]:
        return None
    try:
        _hasher.verify(row["password_hash"], password)
    except VerificationError:
        return None
    return _user(row)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_token(engine: sa.Engine, name: str, now: datetime) -> str:
    """A new API token for an active user; only its hash is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    with engine.begin() as connection:
        row = connection.execute(sa.select(users.c.active).where(users.c.name == name)).first()
        if row is None or not row.active:
            raise AccountError("account.error.unknown", name=name)
        connection.execute(
            api_tokens.insert().values(user=name, token_hash=_digest(token), created_at=now)
        )
    return token


def user_for_token(engine: sa.Engine, token: str) -> User | None:
    with engine.connect() as connection:
        row = (
            connection.execute(
                sa.select(users)
                .join(api_tokens, api_tokens.c.user == users.c.name)
                .where(api_tokens.c.token_hash == _digest(token))
            )
            .mappings()
            .first()
        )
    return _user(row) if row is not None and row["active"] else None


def find_user(engine: sa.Engine, name: str) -> User | None:
    """The active user with this name, or None."""
    with engine.connect() as connection:
        row = connection.execute(sa.select(users).where(users.c.name == name)).mappings().first()
    return _user(row) if row is not None and row["active"] else None
