"""Writing a dataset back as a data package: datapackage.json and one CSV per resource."""

from __future__ import annotations

import csv
from dataclasses import fields
from pathlib import Path

import yaml

from rbm.datapackage.cells import format_cell
from rbm.datapackage.descriptor import build_descriptor, write_descriptor
from rbm.datapackage.resources import RESOURCES, Resource
from rbm.domain.dataset import Dataset
from rbm.domain.text import Text
from rbm.report.spec.load import SPEC_FILE


def write_package(dataset: Dataset, folder: Path) -> list[Path]:
    """Write every resource of `dataset` under `folder`; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for resource in RESOURCES:
        written.append(write_resource(dataset, resource, folder))
    write_descriptor(build_descriptor(dataset.biennium), folder)
    if dataset.report_spec is not None:
        spec = folder / SPEC_FILE
        spec.write_text(
            yaml.safe_dump(dict(dataset.report_spec), allow_unicode=True, sort_keys=False),
            encoding="utf-8",
        )
        written.append(spec)
    return [folder / "datapackage.json", *written]


def write_resource(dataset: Dataset, resource: Resource, folder: Path) -> Path:
    """The CSV file of one resource of `dataset` under `folder`."""
    target = folder / resource.path
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(resource.columns)
        writer.writerows(
            record_cells(resource, r, dataset.biennium.currency)
            for r in dataset.records(resource.name)
        )
    return target


def record_cells(resource: Resource, record: object, currency: str) -> list[str]:
    """A domain object as the cells of its resource's columns; units name `currency`."""
    return [format_cell(v, currency) for v in record_values(resource, record).values()]


def record_values(resource: Resource, record: object) -> dict[str, object]:
    """A domain object as column → value, text fields split into their two languages (a
    unit is its scale, as the store keeps it)."""
    out: dict[str, object] = {}
    names = {f.name for f in fields(resource.model)}
    for spec in resource.fields:
        if spec.name not in names:  # pragma: no cover - guarded by a test of the registry
            raise AttributeError(f"{resource.model.__name__} has no field {spec.name}")
        value = getattr(record, spec.name)
        if isinstance(value, Text):
            out[spec.columns[0]], out[spec.columns[1]] = value.zh, value.en
        else:
            out[spec.name] = value
    return out
