"""`rbm assess` and `rbm reconcile` follow the package's settings; options override them."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from rbm.cli import app
from tests.conftest import ROOT

runner = CliRunner()
EXAMPLES = ROOT / "examples"


def rbm(*args: str) -> str:
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.stdout
    return result.stdout


def loaded(tmp: Path, package: Path) -> str:
    url = f"sqlite:///{tmp / 'rbm.db'}"
    rbm("--db", url, "load", str(package))
    return url


@pytest.fixture(scope="module")
def northwind(tmp_path_factory: pytest.TempPathFactory) -> str:
    return loaded(tmp_path_factory.mktemp("northwind"), EXAMPLES / "northwind-2026-28")


def transfer_columns(text: str) -> int:
    """The columns of the last table printed (the transfers), from its top border."""
    top = [line for line in text.splitlines() if line.lstrip().startswith("┏")][-1]
    return top.count("┳") + 1


def as_json(*args: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(rbm(*args, "--format", "json"))
    return data


def test_assess_uses_the_packages_methodology(northwind: str) -> None:
    methodology = as_json("--db", northwind, "assess")["methodology"]
    assert (methodology["partially_at"], methodology["places"]) == ("75", 0)
    overridden = as_json(
        "--db", northwind, "assess", "--partially-at", "60", "--places", "2", "--per-year", "mean"
    )["methodology"]
    assert (overridden["partially_at"], overridden["places"], overridden["per_year"]) == (
        "60",
        2,
        "mean",
    )
    assert as_json("--db", northwind, "assess", "--exact")["methodology"]["places"] is None
    assert "partially from 75%" in rbm("--db", northwind, "assess")


def test_bands_out_of_order_are_a_usage_error(northwind: str) -> None:
    result = runner.invoke(app, ["--db", northwind, "assess", "--partially-at", "120"])
    assert result.exit_code == 2


def test_reconcile_uses_the_packages_transfer_rule(northwind: str) -> None:
    transfers = as_json("--db", northwind, "reconcile")["transfers"]
    assert transfers["basis"] == "net"
    assert transfers["rule"] == {"sector_share": 0.1, "total_share": 0.02, "basis": "net"}
    limits = {line["sector"]: line["limit"] for line in transfers["lines"]}
    assert limits["CLIN"] == pytest.approx(7476.86)  # 10% of its 74,768.6 thousand
    gross = as_json("--db", northwind, "reconcile", "--transfer-basis", "gross")["transfers"]
    assert gross["basis"] == "gross" and gross["rule"]["basis"] == "net"
    assert transfer_columns(rbm("--db", northwind, "reconcile")) == 9  # limit and breaches


def test_a_package_without_a_transfer_rule_prints_no_limit(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(EXAMPLES / "northwind-2026-28", folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["rbm"]["transfer_rule"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    url = loaded(tmp_path, folder)
    transfers = as_json("--db", url, "reconcile")["transfers"]
    assert transfers["rule"] is None
    assert transfers["lines"] and {line["limit"] for line in transfers["lines"]} == {None}
    assert transfers["breaches"] == {"net": [], "gross": []}
    text = rbm("--db", url, "reconcile")
    assert transfer_columns(text) == 6  # sector, in, out, net, % of sector, % of total


def test_a_mark_the_package_does_not_define_agrees_with_nothing(tmp_path: Path) -> None:
    """A mark edited into the store that the package's vocabulary does not define (Northwind
    defines no marks) agrees with no rating and is reported."""
    url = loaded(tmp_path, EXAMPLES / "northwind-2026-28")
    with sqlite3.connect(tmp_path / "rbm.db") as connection:
        connection.execute("UPDATE pies SET published_mark = '⚫' WHERE id = 'A.1-01.1'")
    agreement = as_json("--db", url, "assess")["totals"]["agreement"]
    assert agreement["marks"] == {}
    assert agreement["undefined"] == ["⚫"]
    assert (agreement["compared"], agreement["agree"]) == (1, 0)
    assert agreement["disagreements"] == ["A.1-01.1"]
    assert list(agreement["matrix"]) == ["⚫"]
    assert sum(agreement["matrix"]["⚫"].values()) == 1
    assert 'column "published_mark": value not allowed (found "⚫")' in rbm("--db", url, "assess")
