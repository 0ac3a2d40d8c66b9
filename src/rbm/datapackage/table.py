"""Reading one resource file (CSV, or YAML for long texts) into typed rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rbm.datapackage.cells import CellContext, Problem, parse_cell
from rbm.datapackage.errors import DataError
from rbm.datapackage.resources import Resource
from rbm.domain.text import Text

MAX_FILE_BYTES = 512 * 1024 * 1024


@dataclass
class Table:
    """The rows of one resource that parsed cleanly, with their line numbers, and the errors."""

    resource: Resource
    file: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[DataError] = field(default_factory=list)


def read_table(resource: Resource, path: Path, file: str, context: CellContext) -> Table:
    """Parse `path` against `resource`; `file` is the name errors show."""
    table = Table(resource, file)
    columns = resource.columns(context.langs)
    raw_rows = (
        _yaml_rows(path, table, columns)
        if path.suffix in (".yaml", ".yml")
        else _csv_rows(path, table, columns)
    )
    for line, cells in raw_rows:
        values = _typed_row(resource, cells, line, table, context)
        if values is not None:
            table.rows.append(values)
            table.lines.append(line)
    return table


def _decode(path: Path, table: Table) -> str | None:
    if not path.is_file():
        table.errors.append(DataError("missing-file", table.file))
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end].hex(" ")
        table.errors.append(DataError("encoding-error", table.file, line, None, bad))
        return None
    if text.startswith("\ufeff"):
        table.errors.append(DataError("bom", table.file, 1))
        text = text[1:]
    return text


def _csv_rows(
    path: Path, table: Table, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    text = _decode(path, table)
    if text is None:
        return
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    header: list[str] | None = None
    start = 1
    try:
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not cells:
                continue
            if header is None:
                header = cells
                if not _check_header(table, header, columns, line):
                    return
                continue
            if len(cells) != len(header):
                table.errors.append(
                    DataError(
                        "row-length",
                        table.file,
                        line,
                        None,
                        str(len(cells)),
                        {"count": len(header)},
                    )
                )
                continue
            yield line, dict(zip(header, cells, strict=True))
    except csv.Error as exc:
        table.errors.append(
            DataError("csv-format", table.file, reader.line_num, None, None, {"detail": str(exc)})
        )
        return
    if header is None:
        _check_header(table, [], columns, 1)


def _yaml_rows(
    path: Path, table: Table, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    text = _decode(path, table)
    if text is None:
        return
    try:
        nodes = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        table.errors.append(DataError("csv-format", table.file, line, None, None, {"detail": exc}))
        return
    if nodes is None:
        _check_header(table, [], columns, 1)
        return
    items = yaml.safe_load(text)
    if not isinstance(nodes, yaml.SequenceNode) or not isinstance(items, list):
        table.errors.append(
            DataError("csv-format", table.file, 1, None, None, {"detail": "a list of mappings"})
        )
        return
    if not _check_header(table, list(columns), columns, 1):
        return
    for node, item in zip(nodes.value, items, strict=True):
        line = node.start_mark.line + 1
        if not isinstance(item, dict):
            table.errors.append(
                DataError("csv-format", table.file, line, None, None, {"detail": "a mapping"})
            )
            continue
        unknown = sorted(set(map(str, item)) - set(columns))
        for column in unknown:
            table.errors.append(DataError("extra-column", table.file, line, column))
        if unknown:
            continue
        yield line, {c: _yaml_scalar(item.get(c)) for c in columns}


def _yaml_scalar(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check_header(table: Table, header: list[str], expected: tuple[str, ...], line: int) -> bool:
    ok = True
    seen: set[str] = set()
    for column in header:
        if column in seen:
            table.errors.append(DataError("duplicate-column", table.file, line, column))
            ok = False
        seen.add(column)
        if column not in expected:
            table.errors.append(
                DataError(
                    "extra-column", table.file, line, column, None, {"columns": ", ".join(expected)}
                )
            )
            ok = False
    for column in expected:
        if column not in seen:
            table.errors.append(DataError("missing-column", table.file, line, column))
            ok = False
    return ok


def _typed_row(
    resource: Resource, cells: dict[str, str], line: int, table: Table, context: CellContext
) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    ok = True
    for spec in resource.fields:
        parsed: list[Any] = []
        for i, column in enumerate(spec.columns(context.langs)):
            raw = cells[column]
            required = spec.column_required(i)
            if raw == "":
                if required:
                    table.errors.append(DataError("missing-value", table.file, line, column, ""))
                    ok = False
                parsed.append(None)
                continue
            value = parse_cell(spec, raw, context)
            if isinstance(value, Problem):
                table.errors.append(
                    DataError(value.type, table.file, line, column, raw, value.params)
                )
                ok = False
                value = None
            parsed.append(value)
        if spec.kind == "text":
            values[spec.name] = Text.of(dict(zip(context.langs, parsed, strict=True)))
        elif spec.kind == "object":
            values[spec.name] = parsed[0] if parsed[0] is not None else {}
        else:
            values[spec.name] = parsed[0]
    return values if ok else None
