"""Users and tokens on both backends: argon2 passwords, hashed tokens, disabled users."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from rbm.domain.workflow import Role
from rbm.store.accounts import (
    AccountError,
    add_user,
    authenticate,
    create_token,
    disable_user,
    list_users,
    user_for_token,
)
from rbm.store.tables import api_tokens, users

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"


def test_users_tokens_and_disabling(engine: sa.Engine) -> None:
    add_user(engine, "ana", Role.FOCAL_POINT, PASSWORD, ["pt", "bd"], NOW)
    add_user(engine, "vic", Role.VALIDATOR, PASSWORD, [], NOW)
    assert [(u.name, u.role, u.sectors) for u in list_users(engine)] == [
        ("ana", Role.FOCAL_POINT, ("pt", "bd")),
        ("vic", Role.VALIDATOR, ()),
    ]
    assert authenticate(engine, "ana", PASSWORD) is not None
    assert authenticate(engine, "ana", "wrong password!") is None
    with engine.connect() as connection:
        stored = connection.execute(sa.select(users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2") and PASSWORD not in h for h in stored)

    token = create_token(engine, "vic", NOW)
    found = user_for_token(engine, token)
    assert found is not None and found.name == "vic"
    with engine.connect() as connection:
        assert token not in connection.execute(sa.select(api_tokens.c.token_hash)).scalars().all()

    disable_user(engine, "vic")
    assert user_for_token(engine, token) is None
    assert authenticate(engine, "vic", PASSWORD) is None


@pytest.mark.parametrize(
    ("name", "role", "password", "sectors", "key"),
    [
        ("bob", Role.FOCAL_POINT, PASSWORD, [], "account.error.sector_required"),
        ("bob", Role.PLANNER, "short", [], "account.error.password_short"),
        ("ana", Role.PLANNER, PASSWORD, [], "account.error.exists"),
    ],
)
def test_refusals(
    engine: sa.Engine, name: str, role: Role, password: str, sectors: list[str], key: str
) -> None:
    add_user(engine, "ana", Role.PLANNER, PASSWORD, [], NOW)
    with pytest.raises(AccountError) as caught:
        add_user(engine, name, role, password, sectors, NOW)
    assert caught.value.key == key
    with pytest.raises(AccountError):
        create_token(engine, "nobody", NOW)
