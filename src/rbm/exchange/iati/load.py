"""Importing IATI files: read them, check the result as any data package is checked, then
write it as a package or load it into the store, all or nothing."""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import sqlalchemy as sa

from rbm.datapackage.errors import Report
from rbm.datapackage.package import Validated, read_package
from rbm.datapackage.writer import write_package
from rbm.domain.dataset import Dataset
from rbm.exchange.iati.read import IatiError, Imported, read_iati
from rbm.store.load import load_dataset


def input_files(paths: Sequence[Path]) -> list[tuple[str, bytes]]:
    """(name, bytes) of the XML files at `paths`: files, folders of them, or zip archives."""
    found: list[tuple[str, bytes]] = []
    for path in paths:
        if path.is_dir():
            found.extend((p.name, p.read_bytes()) for p in sorted(path.glob("*.xml")))
        elif zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                names = sorted(n for n in archive.namelist() if n.lower().endswith(".xml"))
                found.extend((n, archive.read(n)) for n in names)
        elif path.is_file():
            found.append((path.name, path.read_bytes()))
        else:
            raise IatiError("iati.error.no-file", file=str(path))
    if not found:
        raise IatiError("iati.error.no-file", file=", ".join(str(p) for p in paths))
    return found


def renamed(dataset: Dataset, code: str | None) -> Dataset:
    """`dataset` as the biennium `code` (unchanged when None)."""
    if code is None:
        return dataset
    return replace(dataset, biennium=replace(dataset.biennium, code=code))


def checked(dataset: Dataset) -> Validated:
    """The imported dataset as the package reader sees it: every rule of a package holds."""
    with tempfile.TemporaryDirectory() as tmp:
        write_package(dataset, Path(tmp))
        return read_package(Path(tmp))


def import_iati(
    paths: Sequence[Path],
    *,
    engine: sa.Engine | None = None,
    out: Path | None = None,
    biennium: str | None = None,
    replace_existing: bool = False,
    by: str | None = None,
) -> tuple[Report, Imported]:
    """Read `paths`, check the dataset, then write it under `out` and/or load it into
    `engine` (as `by`, for the audit trail); the report's errors say why nothing was
    written. Raises IatiError for files that are not IATI, LoadRefused as the store does."""
    imported = read_iati(input_files(paths))
    imported = Imported(renamed(imported.dataset, biennium), imported.left_out)
    result = checked(imported.dataset)
    if result.dataset is None:
        return result.report, imported
    if engine is not None:
        report = load_dataset(
            engine,
            result.dataset,
            replace=replace_existing,
            loaded_from=", ".join(p.name for p in paths),
            by=by,
        )
        if not report.valid:
            return report, imported
    if out is not None:
        write_package(result.dataset, out)
    return Report(stats=result.dataset.counts()), Imported(result.dataset, imported.left_out)
