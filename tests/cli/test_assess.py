"""`rbm assess`: exit code, the JSON shape, and the text tables in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rbm.cli import app

runner = CliRunner()

PIE_KEYS = {
    "id",
    "indicator_id",
    "expected_result",
    "segment",
    "baseline",
    "target",
    "actual",
    "achievement",
    "computed_rating",
    "published_mark",
    "assessor_rating",
    "final_rating",
    "explanation",
}
RATINGS = ["fully", "partially", "not_achieved", "not_assessable", "discontinued"]


def rbm(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('assess') / 'rbm.db'}"
    code, out = rbm("--db", url, "load", "wipo-2024-25")
    assert code == 0, out
    return url


@pytest.fixture(scope="module")
def payload(db: str) -> dict[str, object]:
    code, out = rbm("--db", db, "assess", "--format", "json")
    assert code == 0
    data: dict[str, object] = json.loads(out)
    return data


def test_json_lists_every_pie(payload: dict[str, object]) -> None:
    pies = payload["pies"]
    assert isinstance(pies, list) and len(pies) == 142
    assert len({p["indicator_id"] for p in pies}) == 85
    assert all(PIE_KEYS <= set(p) for p in pies)
    assert {p["final_rating"] for p in pies} <= set(RATINGS)
    first = pies[0]
    assert first["id"] == "1.1-01.1"
    assert first["target"]["kind"] == "growth_pct"
    assert first["explanation"].endswith("→ fully achieved")


def test_json_totals_and_agreement(payload: dict[str, object]) -> None:
    totals = payload["totals"]
    assert isinstance(totals, dict)
    assert list(totals["by_rating"]) == RATINGS
    assert sum(totals["by_rating"].values()) == totals["pies"] == 142
    assert totals["indicators"] == 85
    for key in ("by_pillar", "by_result", "by_sector"):
        assert totals[key], key
    assert list(totals["by_pillar"]) == ["1", "2", "3", "4", "F"]
    assert len(totals["by_result"]) == 16
    assert "unassigned" in totals["by_sector"]
    published = {(p["measure"], p["note"]): p for p in totals["published"]}
    assert published[("pie_count", "total")]["published"] == "165"
    assert published[("pie_count", "total")]["computed"] == 142
    assert published[("indicator_count", "total")]["published"] == "84"
    agreement = totals["agreement"]
    assert agreement["compared"] == 142
    assert agreement["agree"] + agreement["disagree"] == 142
    # the rows are the package's vocabulary of marks (its `marks` setting), in its order
    assert list(agreement["marks"]) == list(agreement["matrix"]) == ["⚫", "\uf070", "⧫"]
    assert agreement["marks"]["\uf070"] == ["not_achieved"]
    assert sum(agreement["matrix"]["\uf070"].values()) == 14
    assert agreement["undefined"] == []


def test_json_risks(payload: dict[str, object]) -> None:
    risks = payload["risks"]
    assert isinstance(risks, dict)
    assert risks["total"]["risks"] == 26
    assert risks["by_owner"] and risks["by_result"]


def test_text_output(db: str) -> None:
    code, out = rbm("--db", db, "assess")
    assert code == 0
    assert "1.1-01.1" in out and "5.3-06.1" in out
    assert "附录A" in out and "165" in out
    assert "134 of 142 marked PIEs agree" in out
    assert "Risks: 26" in out


def test_text_output_in_chinese(db: str) -> None:
    code, out = rbm("--db", db, "--lang", "zh", "assess")
    assert code == 0
    assert "完全实现" in out and "无法评估" in out
    assert "142 项有公布标记的评估中 134 项与标记一致" in out


def test_methodology_options(db: str) -> None:
    code, out = rbm(
        "--db", db, "assess", "--format", "json", "--threshold-basis", "progress", "--exact"
    )
    assert code == 0
    data = json.loads(out)
    assert data["methodology"]["threshold_basis"] == "progress"
    assert data["methodology"]["places"] is None
    assert data["methodology"]["partially_at"] == "60"  # the package's, not overridden
    gbd = next(p for p in data["pies"] if p["id"] == "3.1-06.2")
    assert gbd["computed_rating"] == "not_achieved"  # (75 − 71) ÷ (85 − 71) = 29%


def test_no_biennium_exits_1(tmp_path: Path) -> None:
    code, _ = rbm("--db", f"sqlite:///{tmp_path / 'empty.db'}", "assess")
    assert code == 1
