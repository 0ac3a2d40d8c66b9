"""The transfer limit is the package's `transfer_rule`: none without one; Northwind's own
10% / 2%; WIPO's 5% / 1%; the reconciliation's transfer basis and utilization bases too."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from decimal import Decimal as D
from pathlib import Path

import pytest

from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.domain.settings import Settings, TransferBasis, TransferRule
from rbm.engine.finance.transfers import TransferLimit
from rbm.engine.reconcile.settings import Settings as ReconcileSettings
from rbm.engine.transfers_report import transfer_report
from tests.conftest import ROOT

NORTHWIND = ROOT / "examples" / "northwind-2026-28"


@pytest.fixture(scope="module")
def northwind() -> Dataset:
    dataset = read_package(NORTHWIND).dataset
    assert dataset is not None
    return dataset


def test_the_rule_is_read_as_shares() -> None:
    rule = TransferLimit.of(TransferRule(D(10), D("2.5"), "gross"))
    assert rule == TransferLimit(D("0.1"), D("0.025"), TransferBasis.GROSS)
    assert rule.limit(D(1000), D(100000)) == D(2500)  # 2.5% of the total beats 10% of 1,000


def test_northwinds_rule_gives_its_limits(northwind: Dataset) -> None:
    rule = northwind.biennium.settings.transfer_rule
    assert rule == TransferRule(D(10), D(2), "net")
    report = transfer_report(northwind)
    assert report.rule == TransferLimit(D("0.1"), D("0.02"), TransferBasis.NET)
    # the ledger is rolled up to each sector: the limits need every sector's budget
    assert set(report.approved) == {"CLIN", "PREV", "DIGI", "CORP", "RES"}
    total = sum(report.approved.values(), D(0))
    assert report.limits == {
        sector: max(amount * D("0.1"), total * D("0.02"))
        for sector, amount in report.approved.items()
    }
    assert report.limits["CLIN"] == report.approved["CLIN"] / 10  # 10% beats 2% of the total
    assert report.limits["RES"] == total / 50  # 2% of the total beats 10% of a small sector
    # Northwind's transfers stay within its limits; a stricter rule given in code wins:
    # DIGI's 1,691.5 thousand in exceed 5% of its 26,302.5 (0.5% of the total is less)
    assert report.breaches == {TransferBasis.NET: (), TransferBasis.GROSS: ()}
    strict = transfer_report(northwind, TransferLimit(D("0.05"), D("0.005")))
    assert [(b.sector, b.limit) for b in strict.breaches[TransferBasis.GROSS]] == [
        ("DIGI", D("1315.125"))
    ]
    assert strict.breaches[TransferBasis.NET] == ()
    payload = report.to_dict()
    assert payload["basis"] == "net" and payload["rule"]["sector_share"] == 0.1
    assert all(line["limit"] is not None for line in payload["lines"])


def test_a_package_without_a_rule_has_no_limits(northwind: Dataset) -> None:
    settings = replace(northwind.biennium.settings, transfer_rule=None)
    dataset = replace(northwind, biennium=replace(northwind.biennium, settings=settings))
    report = transfer_report(dataset)
    assert report.lines and report.rule is None
    assert report.limits == {}
    assert report.breaches == {TransferBasis.NET: (), TransferBasis.GROSS: ()}
    payload = report.to_dict()
    assert payload["rule"] is None
    assert {line["limit"] for line in payload["lines"]} == {None}


def test_a_package_read_without_a_rule_has_no_limits(tmp_path: Path) -> None:
    folder = tmp_path / "package"
    shutil.copytree(NORTHWIND, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    del descriptor["rbm"]["transfer_rule"]
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    dataset = read_package(folder).dataset
    assert dataset is not None and dataset.biennium.settings.transfer_rule is None
    assert transfer_report(dataset).limits == {}


def test_wipos_rule_comes_from_its_package(wipo: Dataset) -> None:
    assert wipo.biennium.settings.transfer_rule == TransferRule(D(5), D(1), "net")
    report = transfer_report(wipo)
    assert report.rule == TransferLimit(D("0.05"), D("0.01"), TransferBasis.NET)
    assert report.limits["pt"] == report.approved["pt"] * D("0.05")


def test_reconciliation_settings_come_from_the_package(wipo: Dataset) -> None:
    settings = ReconcileSettings.of(wipo.biennium.settings)
    assert dict(settings.utilization_basis) == dict(wipo.biennium.settings.utilization_basis)
    assert settings.transfer_basis == TransferBasis.NET
    gross = ReconcileSettings.of(
        Settings(transfer_rule=TransferRule(D(5), D(1), "gross")), tolerance=D(1)
    )
    assert (gross.transfer_basis, gross.tolerance) == (TransferBasis.GROSS, D(1))
    assert dict(gross.utilization_basis) == {}
    override = ReconcileSettings.of(wipo.biennium.settings, transfer_basis=TransferBasis.GROSS)
    assert override.transfer_basis == TransferBasis.GROSS
    assert ReconcileSettings.of(Settings()).transfer_basis == TransferBasis.NET
