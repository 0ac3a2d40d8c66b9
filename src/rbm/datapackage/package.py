"""Reading and validating a whole data package: descriptor, tables, keys, references, rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rbm.datapackage.cells import CellContext
from rbm.datapackage.descriptor import DESCRIPTOR
from rbm.datapackage.errors import DataError, Report
from rbm.datapackage.ledger import LEDGER, LedgerKeys, check_ledger, keys_of
from rbm.datapackage.resources import BY_NAME, REQUIRED_RESOURCES, RESOURCES, Resource
from rbm.datapackage.rules import check_rules
from rbm.datapackage.settings import SettingsReader
from rbm.datapackage.table import Table, read_table
from rbm.domain.dataset import Dataset
from rbm.domain.organization import Biennium
from rbm.domain.text import Text
from rbm.report.spec.load import read_spec

Progress = Callable[[str], None]


# Resources a package may hold: the record resources, and the ledger read a row at a time.
KNOWN: dict[str, Resource] = {**BY_NAME, LEDGER.name: LEDGER}


@dataclass(frozen=True)
class LedgerSource:
    """A package's ledger file and what its postings may name, for the store's bulk path."""

    path: Path
    file: str
    keys: LedgerKeys


@dataclass(frozen=True)
class Validated:
    """A validation report, the dataset when the package is valid, and its ledger if any."""

    report: Report
    dataset: Dataset | None
    ledger: LedgerSource | None = None


def read_package(
    path: Path, progress: Progress | None = None, check_ledger_rows: bool = True
) -> Validated:
    """Validate the package at `path` (a folder or its datapackage.json) and read it.

    Without `check_ledger_rows` the ledger's postings are left to the store's load, which
    checks them as it inserts them (one pass over millions of rows instead of two)."""
    folder = path.parent if path.name == DESCRIPTOR else path
    errors: list[DataError] = []
    read = _read_descriptor(folder, errors)
    if read is None:
        return Validated(Report(tuple(errors)), None)
    descriptor, document = read
    biennium = _biennium(descriptor, document, errors)
    paths = _resource_paths(descriptor, errors, biennium)
    if biennium is None or paths is None:
        return Validated(Report(tuple(errors)), None)
    context = CellContext.of(biennium)
    tables: dict[str, Table] = {}
    for resource in RESOURCES:
        if resource.name not in paths:
            continue
        if progress:
            progress(resource.name)
        tables[resource.name] = read_table(
            resource, folder / paths[resource.name], paths[resource.name], context
        )
    for table in tables.values():
        errors.extend(table.errors)
        errors.extend(_key_errors(table, biennium.settings.languages))
    errors.extend(_reference_errors(tables))
    stats = {name: len(t.rows) for name, t in tables.items()}
    ledger = None
    if LEDGER.name in paths:
        file = paths[LEDGER.name]
        keys = keys_of(tables, biennium.currency, biennium.years)
        ledger = LedgerSource(folder / file, file, keys)
        if check_ledger_rows:
            if progress:
                progress(LEDGER.name)
            check = check_ledger(ledger.path, file, keys)
            errors.extend(check.all_errors())
            stats[LEDGER.name] = check.rows
    if not any(stats.values()):
        errors.append(DataError("empty-package", DESCRIPTOR))
    source_ids = [str(row["id"]) for row in tables["sources"].rows] if "sources" in tables else []
    spec, spec_errors = read_spec(folder, source_ids)
    errors.extend(spec_errors)
    dataset = Dataset.build(
        biennium,
        {name: tuple(BY_NAME[name].model(**row) for row in t.rows) for name, t in tables.items()},
        spec,
    )
    lines = {name: t.lines for name, t in tables.items()}
    files = {name: t.file for name, t in tables.items()}
    errors.extend(check_rules(dataset, lines, files))
    report = Report(tuple(errors), stats)
    return Validated(report, dataset if report.valid else None, ledger if report.valid else None)


def _read_descriptor(folder: Path, errors: list[DataError]) -> tuple[dict[str, Any], str] | None:
    """The descriptor as an object, and its text (for the lines of errors)."""
    target = folder / DESCRIPTOR
    if target.is_symlink():
        errors.append(DataError("linked-file", DESCRIPTOR, None, None, DESCRIPTOR))
        return None
    if not target.is_file():
        errors.append(DataError("missing-descriptor", str(target)))
        return None
    try:
        document = target.read_bytes().decode("utf-8")
        descriptor = json.loads(document, parse_constant=_no_constant)
    # ValueError: NaN, Infinity, or an integer of more digits than Python converts
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        errors.append(
            DataError("invalid-descriptor", DESCRIPTOR, None, None, None, {"detail": exc})
        )
        return None
    if not isinstance(descriptor, dict):
        errors.append(
            DataError(
                "invalid-descriptor", DESCRIPTOR, None, None, None, {"detail": "a JSON object"}
            )
        )
        return None
    return descriptor, document


def _no_constant(name: str) -> object:
    raise ValueError(f"{name} is not a JSON number")


def _biennium(
    descriptor: dict[str, Any], document: str, errors: list[DataError]
) -> Biennium | None:
    def fail(column: str, value: object) -> None:
        errors.append(
            DataError(
                "invalid-descriptor",
                DESCRIPTOR,
                None,
                column,
                json.dumps(value, ensure_ascii=False),
                {"detail": column},
            )
        )

    rbm = descriptor.get("rbm")
    if not isinstance(rbm, dict):
        fail("rbm", rbm)
        return None
    org, bien = rbm.get("organization"), rbm.get("biennium")
    if not isinstance(org, dict) or not isinstance(org.get("code"), str) or not org["code"]:
        fail("rbm.organization.code", org)
        return None
    if not isinstance(bien, dict) or not isinstance(bien.get("code"), str) or not bien["code"]:
        fail("rbm.biennium.code", bien)
        return None
    start, end = bien.get("start_year"), bien.get("end_year")
    if not isinstance(start, int) or not isinstance(end, int) or not 1900 < start <= end < 2200:
        fail("rbm.biennium.start_year", [start, end])
        return None
    reader = SettingsReader(rbm, document, DESCRIPTOR)
    currency = reader.currency()
    settings = reader.settings()
    errors.extend(reader.errors)
    if currency is None:
        return None
    return Biennium(
        code=bien["code"],
        organization=org["code"],
        organization_name=_text(org.get("name"), settings.languages),
        label=_text(bien.get("label"), settings.languages),
        start_year=start,
        end_year=end,
        currency=currency,
        settings=settings,
    )


def _text(value: object, langs: tuple[str, ...]) -> Text:
    if isinstance(value, dict):
        return Text.of({lang: str(value.get(lang) or "") for lang in langs})
    return Text.plain(value)


def _resource_paths(
    descriptor: dict[str, Any], errors: list[DataError], biennium: Biennium | None
) -> dict[str, str] | None:
    entries = descriptor.get("resources")
    if not isinstance(entries, list):
        errors.append(
            DataError(
                "invalid-descriptor", DESCRIPTOR, None, "resources", None, {"detail": "resources"}
            )
        )
        return None
    paths: dict[str, str] = {}
    for entry in entries:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or name not in KNOWN or name in paths:
            errors.append(
                DataError(
                    "unknown-resource",
                    DESCRIPTOR,
                    None,
                    "resources",
                    str(name),
                    {"names": ", ".join(KNOWN)},
                )
            )
            continue
        assert isinstance(entry, dict)
        path = entry.get("path")
        if not isinstance(path, str) or ".." in Path(path).parts or Path(path).is_absolute():
            errors.append(
                DataError(
                    "invalid-descriptor",
                    DESCRIPTOR,
                    None,
                    f"{name}.path",
                    str(path),
                    {"detail": "path"},
                )
            )
            continue
        if biennium is not None:
            langs = biennium.settings.languages
            errors.extend(_schema_errors(KNOWN[name], entry.get("schema"), langs))
        paths[name] = path
    for name in REQUIRED_RESOURCES:
        if name not in paths:
            errors.append(DataError("missing-resource", DESCRIPTOR, None, None, name))
    return paths


def _schema_errors(resource: Resource, schema: object, langs: tuple[str, ...]) -> list[DataError]:
    """The declared Table Schema must list exactly the resource's columns."""
    columns = resource.columns(langs)
    fields = schema.get("fields") if isinstance(schema, dict) else None
    declared = (
        [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []
    )
    missing = [c for c in columns if c not in declared]
    extra = [str(c) for c in declared if c not in columns]
    if not missing and not extra:
        return []
    return [
        DataError(
            "schema-mismatch",
            DESCRIPTOR,
            None,
            f"{resource.name}.schema",
            ", ".join(extra) or None,
            {"missing": ", ".join(missing) or "-", "columns": ", ".join(columns)},
        )
    ]


def _key_errors(table: Table, langs: tuple[str, ...]) -> list[DataError]:
    errors = []
    for key in table.resource.keys(langs):
        seen: dict[tuple[Any, ...], int] = {}
        for row, line in zip(table.rows, table.lines, strict=True):
            value = tuple(_key_value(row, name) for name in key)
            if None in value and not all(name in row for name in key):
                continue  # an optional language left empty is no duplicate
            if value in seen:
                errors.append(
                    DataError(
                        "duplicate-key",
                        table.file,
                        line,
                        ", ".join(key),
                        ", ".join("" if v is None else str(v) for v in value),
                        {"first": seen[value]},
                    )
                )
            else:
                seen[value] = line
    return errors


def _key_value(row: dict[str, Any], column: str) -> object:
    """A key column's value; `NAME_<lang>` of a text field is looked up in its Text."""
    if column in row:
        return row[column]
    name, _, lang = column.rpartition("_")
    text = row[name]
    return text.exact(lang) or None


def _reference_errors(tables: dict[str, Table]) -> list[DataError]:
    errors = []
    for table in tables.values():
        for fk in table.resource.foreign_keys:
            target = tables.get(fk.resource)
            known = {
                tuple(row[name] for name in fk.reference) for row in (target.rows if target else [])
            }
            for row, line in zip(table.rows, table.lines, strict=True):
                value = tuple(row[name] for name in fk.fields)
                if any(v is None for v in value) or value in known:
                    continue
                errors.append(
                    DataError(
                        "foreign-key",
                        table.file,
                        line,
                        ", ".join(fk.fields),
                        ", ".join(str(v) for v in value),
                        {"resource": fk.resource, "fields": ", ".join(fk.reference)},
                    )
                )
    return errors
