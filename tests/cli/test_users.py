from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from rbm.cli import app

runner = CliRunner()


def test_user_commands(tmp_path: Path) -> None:
    db = ["--db", f"sqlite:///{tmp_path / 'rbm.db'}"]
    added = runner.invoke(
        app,
        [*db, "user", "add", "ana", "--role", "focal_point", "--sector", "pt", "--password-stdin"],
        input="correct horse battery\n",
    )
    assert added.exit_code == 0, added.output
    assert "ana" in added.stdout
    refused = runner.invoke(
        app,
        [*db, "user", "add", "bob", "--role", "focal_point", "--password-stdin"],
        input="x" * 12,
    )
    assert refused.exit_code == 1 and "--sector" in refused.stderr
    token = runner.invoke(app, [*db, "token", "create", "ana"])
    assert token.exit_code == 0 and len(token.stdout.strip()) >= 40
    assert runner.invoke(app, [*db, "user", "disable", "ana"]).exit_code == 0
    listed = runner.invoke(app, [*db, "user", "list"], env={"COLUMNS": "120"})
    assert "sector focal point" in listed.stdout and "no" in listed.stdout
    assert runner.invoke(app, [*db, "token", "create", "ana"]).exit_code == 1
