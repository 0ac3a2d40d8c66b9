"""Writing a dataset back as a data package: datapackage.json and one CSV per resource."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from dataclasses import fields
from pathlib import Path

import yaml

from rbm.datapackage.cells import format_cell
from rbm.datapackage.descriptor import build_descriptor, write_descriptor
from rbm.datapackage.ledger import COLUMNS, LEDGER
from rbm.datapackage.resources import RESOURCES, Resource
from rbm.domain.dataset import Dataset
from rbm.domain.text import Text
from rbm.report.spec.load import SPEC_FILE


def write_package(
    dataset: Dataset, folder: Path, ledger: Iterable[Sequence[str]] | None = None
) -> list[Path]:
    """Write every resource of `dataset` under `folder`, and the `ledger`'s rows of cells
    when there is one (written as they come); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for resource in RESOURCES:
        written.append(write_resource(dataset, resource, folder))
    names = [r.name for r in RESOURCES]
    if ledger is not None:
        written.append(_write_rows(folder / LEDGER.path, COLUMNS, ledger))
        names.append(LEDGER.name)
    write_descriptor(build_descriptor(dataset.biennium, resources=names), folder)
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
    langs = dataset.biennium.settings.languages
    rows = (
        record_cells(resource, r, dataset.biennium.currency, langs)
        for r in dataset.records(resource.name)
    )
    return _write_rows(folder / resource.path, resource.columns(langs), rows)


def _write_rows(target: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return target


def record_cells(
    resource: Resource, record: object, currency: str, langs: Sequence[str]
) -> list[str]:
    """A domain object as the cells of its resource's columns in a package in `currency`
    and `langs`: a text field gives a cell per language."""
    cells: list[str] = []
    for spec in resource.fields:
        value = getattr(record, spec.name)
        if isinstance(value, Text):
            cells.extend(value.exact(lang) for lang in langs)
        else:
            cells.append(format_cell(value, currency))
    return cells


def record_values(resource: Resource, record: object) -> dict[str, object]:
    """A domain object as field → value as the store keeps it: a text field as a mapping of
    language → text, a unit as its scale."""
    out: dict[str, object] = {}
    names = {f.name for f in fields(resource.model)}
    for spec in resource.fields:
        if spec.name not in names:  # pragma: no cover - guarded by a test of the registry
            raise AttributeError(f"{resource.model.__name__} has no field {spec.name}")
        value = getattr(record, spec.name)
        out[spec.name] = value.as_dict() if isinstance(value, Text) else value
    return out
