"""`rbm user add|list|disable` and `rbm token create|list|revoke`, with the names and sectors
`user add` refuses and the security events the commands log."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rbm.cli import app
from rbm.datapackage.package import read_package
from rbm.domain.workflow import DEFAULT_TOKEN_DAYS
from rbm.store.accounts import list_tokens
from rbm.store.database import create, open_store
from rbm.store.load import load_dataset

runner = CliRunner()
PASSWORD = "correct horse battery\n"


@pytest.fixture
def db(tmp_path: Path, example: Path) -> list[str]:
    """A store holding the minimal example (sectors ops and un)."""
    url = f"sqlite:///{tmp_path / 'rbm.db'}"
    engine = open_store(url)
    dataset = read_package(example).dataset
    assert dataset is not None
    load_dataset(engine, dataset)
    engine.dispose()
    return ["--db", url]


def test_user_and_token_commands(db: list[str], tmp_path: Path) -> None:
    log = tmp_path / "security.log"
    env = {"RBM_SECURITY_LOG": str(log), "COLUMNS": "160"}
    add = [*db, "user", "add", "ana", "--role", "focal_point", "--password-stdin"]
    added = runner.invoke(app, [*add, "--sector", "ops"], input=PASSWORD)
    assert added.exit_code == 0, added.output
    assert "ana" in added.stdout
    refused = runner.invoke(app, [*add[:4], "bob", *add[5:]], input=PASSWORD)
    assert refused.exit_code == 1 and "--sector" in refused.stderr

    token = runner.invoke(app, [*db, "token", "create", "ana", "--days", "7"], env=env)
    assert token.exit_code == 0, token.output
    secret = token.stdout.strip()
    assert len(secret) >= 40 and "Token 1, valid until" in token.stderr
    runner.invoke(app, [*db, "token", "create", "ana"], env=env)
    listed = runner.invoke(app, [*db, "token", "list", "ana"], env=env)
    assert listed.exit_code == 0, listed.output
    assert secret not in listed.stdout
    rows = [line for line in listed.stdout.splitlines() if " ana " in line]
    assert len(rows) == 2 and rows[0].count(" - ") == 2  # never used, not revoked
    revoked = runner.invoke(app, [*db, "token", "revoke", "1"], env=env)
    assert revoked.exit_code == 0 and "Revoked token 1 of ana" in revoked.stdout
    assert runner.invoke(app, [*db, "token", "revoke", "9"]).exit_code == 1
    listed = runner.invoke(app, [*db, "token", "list"], env=env)
    rows = [line for line in listed.stdout.splitlines() if " ana " in line]
    assert rows[0].count(" - ") == 1 and rows[1].count(" - ") == 2

    disabled = runner.invoke(app, [*db, "user", "disable", "ana"], env=env)
    assert disabled.exit_code == 0
    assert "Ended 0 web session(s) and revoked 1 API token(s)." in disabled.stdout
    listed = runner.invoke(app, [*db, "user", "list"], env={"COLUMNS": "120"})
    assert "sector focal point" in listed.stdout and "no" in listed.stdout
    assert runner.invoke(app, [*db, "token", "create", "ana"]).exit_code == 1

    events = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [(e["event"], e["user"], e["route"]) for e in events] == [
        ("token.create", "ana", "rbm token create"),
        ("token.create", "ana", "rbm token create"),
        ("token.revoke", "ana", "rbm token revoke"),
        ("session.revoke", "ana", "rbm user disable"),
    ]
    assert [e.get("token") for e in events[:3]] == [1, 2, 1]
    assert events[3]["tokens"] == 1 and events[3]["sessions"] == 0
    assert secret not in log.read_text(encoding="utf-8")


REFUSED = [
    ("", "ops", "cannot be empty"),
    ("  ", "ops", "cannot be empty"),
    (" ana", "ops", "starts or ends with spaces"),
    ("ana ", "ops", "starts or ends with spaces"),
    ("a\x1bna", "ops", "control or invisible characters"),
    ("ana", "nowhere", "No loaded biennium has a sector nowhere (known sectors: ops, un)"),
]


def test_user_add_refuses_odd_names_and_unknown_sectors(db: list[str]) -> None:
    """Each of these was accepted and made a user nobody could use or find."""
    for name, sector, message in REFUSED:
        args = [*db, "user", "add", name, "--role", "focal_point", "--sector", sector]
        refused = runner.invoke(app, [*args, "--password-stdin"], input=PASSWORD)
        assert refused.exit_code == 1, name
        assert message in " ".join(refused.stderr.split()), refused.stderr
    assert "ana" not in runner.invoke(app, [*db, "user", "list"]).stdout


def test_token_create_without_days_lasts_the_stores_default(db: list[str]) -> None:
    """A token made from the command line lasts the store's default."""
    add = [*db, "user", "add", "ana", "--role", "viewer", "--password-stdin"]
    assert runner.invoke(app, add, input=PASSWORD).exit_code == 0
    assert runner.invoke(app, [*db, "token", "create", "ana"]).exit_code == 0
    engine = create(db[1])
    try:
        token = list_tokens(engine, "ana")[-1]
    finally:
        engine.dispose()
    assert token.expires_at - token.created_at == timedelta(days=DEFAULT_TOKEN_DAYS)
