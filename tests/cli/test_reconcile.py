from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from rbm.cli import app

runner = CliRunner()


def test_reconcile_json_and_text(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'rbm.db'}"
    assert runner.invoke(app, ["--db", db, "load", "wipo-2024-25"]).exit_code == 0
    result = runner.invoke(app, ["--db", db, "reconcile", "--format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    summary = payload["summary"]
    assert set(summary) == {"checks", "exact", "rounding", "differences", "unchecked"}
    assert summary["checks"] == summary["exact"] + summary["rounding"] + summary["differences"]
    finding = payload["findings"][0]
    assert set(finding) >= {"check", "left", "right", "difference", "class"}
    assert {b["sector"] for b in payload["transfers"]["breaches"]["gross"]} == {"pt", "un"}
    text = runner.invoke(app, ["--db", db, "reconcile"], env={"COLUMNS": "250"})
    assert text.exit_code == 0
    assert "real differences" in text.stdout
    assert "3,785" in text.stdout and "3,786" in text.stdout  # 附件一 基础设施和平台
    zh = runner.invoke(app, ["--db", db, "--lang", "zh", "reconcile", "--show", "differences"])
    assert "确有差异" in zh.stdout
