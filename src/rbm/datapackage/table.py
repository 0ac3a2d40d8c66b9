"""Reading one resource file (CSV, or YAML for long texts) into typed rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from rbm.datapackage.cells import CellContext, Problem, parse_cell
from rbm.datapackage.errors import DataError
from rbm.datapackage.fields import Field
from rbm.datapackage.files import linked_part
from rbm.datapackage.resources import Resource
from rbm.datapackage.safe_yaml import ALIAS_HINT, AliasError, compose_yaml, load_yaml
from rbm.domain.text import Text

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_SHARED = 65_536  # distinct cell values a table keeps for sharing (bounded memory)
BOM = "\ufeff"
BOM_BYTES = BOM.encode("utf-8")


@dataclass
class Table:
    """The rows of one resource that parsed cleanly, with their line numbers, and the errors."""

    resource: Resource
    file: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    errors: list[DataError] = field(default_factory=list)


def read_table(resource: Resource, path: Path, file: str, context: CellContext) -> Table:
    """Parse `path` against `resource`; `file` is the name errors show (the path relative
    to the package's folder). A CSV file is read a row at a time."""
    table = Table(resource, file)
    if not readable(path, table):
        return table
    columns = resource.columns(context.langs)
    raw_rows = (
        _yaml_rows(path, table, columns)
        if path.suffix in (".yaml", ".yml")
        else _csv_rows(path, table, columns)
    )
    # cell text → value while the file is read, so that the many rows repeating a code or a
    # unit share one object
    shared: dict[tuple[str, str], object] = {}
    try:
        for line, cells in raw_rows:
            values = _typed_row(resource, cells, line, table, context, shared)
            if values is not None:
                table.rows.append(values)
                table.lines.append(line)
    except Undecodable as bad:
        # a file that is not UTF-8 gives that one error and no rows, however far it was read
        table.rows.clear()
        table.lines.clear()
        table.errors[:] = [bad.error]
    return table


class Undecodable(Exception):
    """A file that turned out not to be UTF-8 while it was being read."""

    def __init__(self, error: DataError) -> None:
        super().__init__(error)
        self.error = error


def readable(path: Path, table: Table) -> bool:
    """Whether `path` is a regular file of the package, reached without a symbolic link."""
    folder = path
    for _ in Path(table.file).parts:
        folder = folder.parent
    link = linked_part(folder, table.file)
    if link is not None:
        table.errors.append(DataError("linked-file", table.file, None, None, link))
        return False
    if not path.is_file():
        table.errors.append(DataError("missing-file", table.file))
        return False
    return True


def _encoding_error(path: Path, file: str) -> DataError:
    """The first line that is not UTF-8, with its offending bytes (read a line at a time)."""
    with path.open("rb") as handle:
        for number, data in enumerate(handle, start=1):
            try:
                data.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = data[exc.start : exc.end].hex(" ")
                return DataError("encoding-error", file, number, None, bad)
    return DataError("encoding-error", file)  # pragma: no cover - the decoder found one


def _decode(path: Path, table: Table) -> str | None:
    """The whole text of a (small) YAML file."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        table.errors.append(_encoding_error(path, table.file))
        return None
    if text.startswith(BOM):
        table.errors.append(DataError("bom", table.file, 1))
        text = text[1:]
    return text


def _text_lines(path: Path, table: Table) -> Generator[str]:
    """The lines of a UTF-8 file as the CSV reader needs them, decoded as they are read."""
    with path.open("rb") as raw:
        if raw.read(len(BOM_BYTES)) == BOM_BYTES:
            table.errors.append(DataError("bom", table.file, 1))
        else:
            raw.seek(0)
        with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            try:
                yield from text
            except UnicodeDecodeError:
                raise Undecodable(_encoding_error(path, table.file)) from None


def _csv_rows(
    path: Path, table: Table, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    for line, cells in csv_lines(path, table, columns):
        yield line, dict(zip(columns, cells, strict=True))


def csv_lines(
    path: Path, table: Table, columns: tuple[str, ...]
) -> Iterator[tuple[int, list[str]]]:
    """The rows of a CSV file, a row at a time, as cells in the order of `columns`, with
    their line numbers; problems with the file and its rows go to `table.errors`."""
    lines = _text_lines(path, table)
    reader = csv.reader(lines, strict=True)
    header: list[str] | None = None
    order: list[int] | None = None  # where each of `columns` is in the file's header
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
                order = [header.index(c) for c in columns]
                if order == list(range(len(columns))):
                    order = None
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
            yield line, cells if order is None else [cells[i] for i in order]
    except csv.Error as exc:
        table.errors.append(
            DataError("csv-format", table.file, reader.line_num, None, None, {"detail": str(exc)})
        )
        return
    finally:
        lines.close()
    if header is None:
        _check_header(table, [], columns, 1)


def _yaml_rows(
    path: Path, table: Table, columns: tuple[str, ...]
) -> Iterator[tuple[int, dict[str, str]]]:
    text = _decode(path, table)
    if text is None:
        return
    try:
        nodes = compose_yaml(text)
    except AliasError as alias:
        detail = {"detail": ALIAS_HINT}
        table.errors.append(DataError("csv-format", table.file, alias.line, None, None, detail))
        return
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        table.errors.append(DataError("csv-format", table.file, line, None, None, {"detail": exc}))
        return
    if nodes is None:
        _check_header(table, [], columns, 1)
        return
    items = load_yaml(text)
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
    resource: Resource,
    cells: dict[str, str],
    line: int,
    table: Table,
    context: CellContext,
    shared: dict[tuple[str, str], object],
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
            value = _parse_shared(spec, raw, context, shared)
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


def _parse_shared(
    spec: Field, raw: str, context: CellContext, shared: dict[tuple[str, str], object]
) -> object:
    """`parse_cell`, returning the same object for the same text of the same field (an
    object cell is mutable, so it is never shared)."""
    if spec.kind == "object":
        return parse_cell(spec, raw, context)
    key = (spec.name, raw)
    found = shared.get(key, shared)
    if found is not shared:
        return found
    value = parse_cell(spec, raw, context)
    if len(shared) < MAX_SHARED:
        shared[key] = value
    return value
