"""Users, tokens and sessions on both backends: argon2 passwords, hashed tokens and session
ids, expiry and revocation, disabled users, the names and sectors `add_user` refuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from rbm.datapackage.package import read_package
from rbm.domain.workflow import Role
from rbm.store import accounts
from rbm.store.accounts import (
    AccountError,
    add_user,
    authenticate,
    check_token,
    create_token,
    disable_user,
    list_tokens,
    list_users,
    open_session,
    revoke_session,
    revoke_token,
    session_record,
    user_for_token,
)
from rbm.store.load import load_dataset
from rbm.store.tables import api_tokens, users, web_sessions

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
PASSWORD = "correct horse battery"
HOURS = timedelta(hours=12)


@pytest.fixture
def loaded(engine: sa.Engine, example: Path) -> sa.Engine:
    """A store holding the minimal example (sectors ops and un)."""
    dataset = read_package(example).dataset
    assert dataset is not None
    load_dataset(engine, dataset)
    return engine


def test_users_tokens_and_disabling(loaded: sa.Engine) -> None:
    engine = loaded
    add_user(engine, "ana", Role.FOCAL_POINT, PASSWORD, ["ops", "un"], NOW)
    add_user(engine, "vic", Role.VALIDATOR, PASSWORD, [], NOW)
    assert [(u.name, u.role, u.sectors) for u in list_users(engine)] == [
        ("ana", Role.FOCAL_POINT, ("ops", "un")),
        ("vic", Role.VALIDATOR, ()),
    ]
    assert authenticate(engine, "ana", PASSWORD) is not None
    assert authenticate(engine, "ana", "wrong password!") is None
    with engine.connect() as connection:
        stored = connection.execute(sa.select(users.c.password_hash)).scalars().all()
    assert all(h.startswith("$argon2") and PASSWORD not in h for h in stored)

    token = create_token(engine, "vic", NOW)
    found = user_for_token(engine, token, NOW)
    assert found is not None and found.name == "vic"
    with engine.connect() as connection:
        assert token not in connection.execute(sa.select(api_tokens.c.token_hash)).scalars().all()
    session = open_session(engine, "vic", NOW, HOURS)
    with engine.connect() as connection:
        assert session not in connection.execute(sa.select(web_sessions.c.id_hash)).scalars()

    revoked = disable_user(engine, "vic", NOW)
    assert (revoked.sessions, revoked.tokens) == (1, 1)
    assert user_for_token(engine, token, NOW) is None
    assert check_token(engine, token, NOW).refusal == "revoked"
    assert authenticate(engine, "vic", PASSWORD) is None
    record = session_record(engine, session)
    assert record is not None and record.user is None and record.revoked
    assert not record.live(NOW, HOURS)


def test_tokens_expire_are_listed_and_revoked(engine: sa.Engine) -> None:
    add_user(engine, "vic", Role.VALIDATOR, PASSWORD, [], NOW)
    token = create_token(engine, "vic", NOW, days=2)
    other = create_token(engine, "vic", NOW)
    assert check_token(engine, token, NOW + timedelta(days=1)).user is not None
    late = check_token(engine, token, NOW + timedelta(days=2))
    assert late.user is None and late.refusal == "expired"
    assert check_token(engine, "never issued", NOW).refusal == "unknown"

    listed = list_tokens(engine, "vic")
    assert [t.expires_at for t in listed] == [NOW + timedelta(days=2), NOW + timedelta(days=90)]
    assert listed[0].last_used_at == NOW + timedelta(days=1)  # its last successful use
    assert list_tokens(engine, "nobody") == []
    assert token not in repr(listed) and other not in repr(listed)

    gone = revoke_token(engine, listed[1].id, NOW + timedelta(hours=1))
    assert gone.revoked_at == NOW + timedelta(hours=1)
    assert check_token(engine, other, NOW + timedelta(hours=2)).refusal == "revoked"
    with pytest.raises(AccountError) as caught:
        revoke_token(engine, 999, NOW)
    assert caught.value.key == "account.error.token_unknown"
    with pytest.raises(AccountError):
        create_token(engine, "vic", NOW, days=0)

    # its last use is written at most once a minute, so a busy script does not commit often
    third = create_token(engine, "vic", NOW)
    for seconds in (0, 30, 59):
        check_token(engine, third, NOW + timedelta(seconds=seconds))
    assert list_tokens(engine)[-1].last_used_at == NOW
    check_token(engine, third, NOW + timedelta(seconds=61))
    assert list_tokens(engine)[-1].last_used_at == NOW + timedelta(seconds=61)


def test_sessions_end_when_revoked_expired_or_idle(engine: sa.Engine) -> None:
    add_user(engine, "vic", Role.VALIDATOR, PASSWORD, [], NOW)
    idle = timedelta(minutes=60)
    session = open_session(engine, "vic", NOW, HOURS)
    record = session_record(engine, session)
    assert record is not None and record.live(NOW, idle)
    assert not record.live(NOW + timedelta(minutes=60), idle)  # idle too long
    assert not record.live(NOW + HOURS, timedelta(days=1))  # past its lifetime
    assert session_record(engine, "forged") is None
    assert revoke_session(engine, session, NOW)
    assert not revoke_session(engine, session, NOW)  # once only
    record = session_record(engine, session)
    assert record is not None and not record.live(NOW, idle)

    # a new session drops those long past their lifetime
    open_session(engine, "vic", NOW + 2 * HOURS + timedelta(seconds=1), HOURS)
    assert session_record(engine, session) is None
    with engine.connect() as connection:
        count = connection.execute(sa.select(sa.func.count()).select_from(web_sessions))
        assert count.scalar() == 1


REFUSALS: list[tuple[str, Role, str, list[str], str]] = [
    ("bob", Role.FOCAL_POINT, PASSWORD, [], "account.error.sector_required"),
    ("bob", Role.PLANNER, "short", [], "account.error.password_short"),
    ("ana", Role.PLANNER, PASSWORD, [], "account.error.exists"),
    ("", Role.PLANNER, PASSWORD, [], "account.error.name_empty"),
    ("   ", Role.PLANNER, PASSWORD, [], "account.error.name_empty"),
    (" bob", Role.PLANNER, PASSWORD, [], "account.error.name_spaces"),
    ("bob\t", Role.PLANNER, PASSWORD, [], "account.error.name_spaces"),
    ("bo\x00b", Role.PLANNER, PASSWORD, [], "account.error.name_control"),
    ("bo\u200bb", Role.PLANNER, PASSWORD, [], "account.error.name_control"),
    ("b" * 65, Role.PLANNER, PASSWORD, [], "account.error.name_long"),
]


def test_refusals(engine: sa.Engine) -> None:
    """One store for the whole table: a fresh store per case cost 4 s each."""
    add_user(engine, "ana", Role.PLANNER, PASSWORD, [], NOW)
    for name, role, password, sectors, key in REFUSALS:
        with pytest.raises(AccountError) as caught:
            add_user(engine, name, role, password, sectors, NOW)
        assert caught.value.key == key, name
    assert [user.name for user in list_users(engine)] == ["ana"]
    with pytest.raises(AccountError):
        create_token(engine, "nobody", NOW)


def test_sectors_must_be_those_of_a_loaded_biennium(loaded: sa.Engine) -> None:
    for role, sectors in ((Role.FOCAL_POINT, ["ops", "nowhere"]), (Role.PLANNER, ["nowhere"])):
        with pytest.raises(AccountError) as caught:
            add_user(loaded, "bob", role, PASSWORD, sectors, NOW)
        assert caught.value.key == "account.error.sector_unknown"
        assert caught.value.params == {"sector": "nowhere", "known": "ops, un"}
    assert [user.name for user in list_users(loaded)] == []


def test_no_sector_is_known_before_a_biennium_is_loaded(engine: sa.Engine) -> None:
    with pytest.raises(AccountError) as caught:
        add_user(engine, "fay", Role.FOCAL_POINT, PASSWORD, ["ops"], NOW)
    assert caught.value.key == "account.error.sector_unknown"
    assert caught.value.params == {"sector": "ops", "known": "-"}


def test_sign_in_with_odd_names_is_a_plain_failure(engine: sa.Engine) -> None:
    """A NUL byte made PostgreSQL raise (a 500 on the sign-in form); now a failure."""
    add_user(engine, "ana", Role.PLANNER, PASSWORD, [], NOW)
    for name in ("ana\x00", "\x00", "ana", "nobody", "n" * 200):
        assert authenticate(engine, name, "wrong password!") is None
        assert authenticate(engine, name, PASSWORD + "\x00") is None
    assert authenticate(engine, "ana", PASSWORD) is not None


def test_unknown_and_disabled_names_cost_a_password_check(
    engine: sa.Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time told who exists (4 ms unknown, 300 ms known): every name now costs one
    argon2 verification, counted rather than timed."""
    add_user(engine, "ana", Role.PLANNER, PASSWORD, [], NOW)
    add_user(engine, "bob", Role.PLANNER, PASSWORD, [], NOW)
    disable_user(engine, "bob", NOW)
    checked: list[str] = []

    class Counting(PasswordHasher):
        def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
            checked.append(str(hash))
            return super().verify(hash, password)

    monkeypatch.setattr(accounts, "_hasher", Counting())
    for name in ("ana", "nobody", "bob", "ana\x00"):
        authenticate(engine, name, "wrong password!")
    assert len(checked) == 4
    assert all(h.startswith("$argon2") for h in checked)
    assert len({h.split("$")[3] for h in checked}) == 1  # the same parameters each time
