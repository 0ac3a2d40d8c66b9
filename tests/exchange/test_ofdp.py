"""The Open Fiscal Data Package export: `frictionless validate` passes for both example
organizations, the model's measures carry phase, direction and the package's currency, and
the data add up to the dataset's facts."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import validate

from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.domain.money import FACTORS
from rbm.exchange.ofdp import write_ofdp
from tests.conftest import ROOT

NORTHWIND = ROOT / "examples" / "northwind-2026-28"


@pytest.fixture(scope="module")
def northwind() -> Dataset:
    dataset = read_package(NORTHWIND).dataset
    assert dataset is not None
    return dataset


@pytest.fixture(params=["wipo", "northwind"])
def dataset(request: pytest.FixtureRequest) -> Dataset:
    found: Dataset = request.getfixturevalue(request.param)
    return found


def rows(out: Path) -> list[dict[str, str]]:
    with (out / "data" / "fiscal.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_frictionless_validates_the_package(dataset: Dataset, tmp_path: Path) -> None:
    paths = write_ofdp(dataset, tmp_path)
    assert paths == [tmp_path / "datapackage.json", tmp_path / "data" / "fiscal.csv"]
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_measures_carry_phase_direction_and_the_packages_currency(
    dataset: Dataset, tmp_path: Path
) -> None:
    write_ofdp(dataset, tmp_path)
    model = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))["model"]
    measures = model["measures"]
    assert {(m["direction"], m["phase"]) for m in measures.values()} == {
        (d, p) for d in ("expenditure", "revenue") for p in ("approved", "adjusted", "executed")
    }
    assert {m["currency"] for m in measures.values()} == {dataset.biennium.currency}
    dimensions = model["dimensions"]
    assert {"year", "sector", "expected_result", "cost_category"} <= set(dimensions)
    assert ("union" in dimensions) == any(f.union for f in dataset.budget_facts)
    langs = dataset.biennium.settings.languages
    assert set(dimensions["sector"]["attributes"]) == {"code", *(f"name_{x}" for x in langs)}


def test_no_union_dimension_where_no_fact_has_one(northwind: Dataset, tmp_path: Path) -> None:
    write_ofdp(northwind, tmp_path)
    descriptor = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert "union" not in descriptor["model"]["dimensions"]
    assert descriptor["rbm"]["languages"] == ["en", "fr"]
    assert "union" not in rows(tmp_path)[0]


def test_every_fact_is_in_the_data_in_units_of_the_currency(
    dataset: Dataset, tmp_path: Path
) -> None:
    write_ofdp(dataset, tmp_path)
    data = rows(tmp_path)
    for phase in ("approved", "adjusted", "executed"):
        facts = [f for f in dataset.budget_facts if f.phase == phase]
        column = [Decimal(r[phase]) for r in data if r["direction"] == "expenditure" and r[phase]]
        assert len(column) == len(facts)
        assert sum(column) == sum(f.amount * FACTORS[f.unit] for f in facts)
    revenue = [r for r in data if r["direction"] == "revenue"]
    assert len(revenue) <= len(dataset.income_facts)
    incomes = sum(
        (i.amount * FACTORS[i.unit] for i in dataset.income_facts if i.phase == "actual"),
        Decimal(0),
    )
    assert sum(Decimal(r["revenue_executed"] or 0) for r in revenue) == incomes


def test_a_missing_amount_is_left_empty_not_zero(northwind: Dataset, tmp_path: Path) -> None:
    only_approved = tuple(f for f in northwind.budget_facts if f.phase == "approved")[:3]
    write_ofdp(northwind.with_records(budget_facts=only_approved, income_facts=()), tmp_path)
    data = rows(tmp_path)
    assert len(data) == 3
    assert all(r["approved"] and r["executed"] == "" and r["adjusted"] == "" for r in data)
    assert {r["grain"] for r in data} == {"year+sector+expected_result+cost_category"}
    measures = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))["model"]
    assert {m["direction"] for m in measures["measures"].values()} == {"expenditure"}
