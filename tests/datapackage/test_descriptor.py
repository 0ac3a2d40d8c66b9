"""Our descriptor is a valid Frictionless Data Package; frictionless agrees with our checks."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from frictionless import Package, Report, system

from rbm.datapackage.descriptor import build_descriptor
from rbm.datapackage.fields import Field
from rbm.datapackage.resources import RESOURCES, Resource
from rbm.domain.dataset import resource_names
from tests.strategies import BIENNIUM


def frictionless_report(path: Path) -> Report:
    with system.use_context(trusted=True):
        return Package(str(path / "datapackage.json")).validate()


def test_embedded_descriptor_is_the_canonical_one(wipo_path: Path) -> None:
    on_disk = json.loads((wipo_path / "datapackage.json").read_text(encoding="utf-8"))
    canonical = build_descriptor(replace(BIENNIUM, currency=on_disk["rbm"]["currency"]))
    assert on_disk["resources"] == canonical["resources"]
    assert on_disk["profile"] == "data-package"


@pytest.mark.parametrize("package", ["wipo", "example"])
def test_frictionless_finds_the_packages_valid(
    package: str, wipo_path: Path, example: Path
) -> None:
    report = frictionless_report(wipo_path if package == "wipo" else example)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:10]


def test_frictionless_sees_the_same_bad_cell(example: Path) -> None:
    results = example / "data" / "results.csv"
    results.write_text(
        results.read_text(encoding="utf-8").replace(",1,1,", ",1,x,", 1), encoding="utf-8"
    )
    report = frictionless_report(example)
    assert report.flatten(["rowNumber", "fieldName", "type"]) == [[2, "order", "type-error"]]


def test_every_resource_is_a_dataset_field_with_matching_model() -> None:
    assert [r.name for r in RESOURCES] == list(resource_names())
    for resource in RESOURCES:
        assert _model_fields(resource) == [f.name for f in resource.fields], resource.name


def _model_fields(resource: Resource) -> list[str]:
    return list(resource.model.__dataclass_fields__)


def test_text_fields_expand_to_a_column_per_language() -> None:
    assert Field("name", "text").columns(("zh", "en")) == ("name_zh", "name_en")
    assert Field("name", "text").columns(("en", "fr", "es-419")) == (
        "name_en",
        "name_fr",
        "name_es-419",
    )
    assert Field("name").columns(("en", "fr")) == ("name",)


def test_columns_are_unique_and_references_point_at_keys() -> None:
    by_name = {r.name: r for r in RESOURCES}
    for resource in RESOURCES:
        columns = resource.columns(("en", "fr"))
        assert len(set(columns)) == len(columns), resource.name
        for fk in resource.foreign_keys:
            assert by_name[fk.resource].primary_key == fk.reference, (resource.name, fk)
