"""Inputs a backend could not store or a reader could be tricked by: refused by `rbm validate`
with file, line, column and value, the same way on every backend."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from rbm.datapackage.package import read_package

RESULTS = "code,pillar,order,title_zh,title_en,source\n"
DEEP = '{"a": ' * 9 + "1" + "}" * 9


def set_cell(package: Path, name: str, column: str, value: str) -> None:
    """Put `value` in `column` of the first row of data/`name`."""
    target = package / "data" / name
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8"), newline="")))
    rows[1][rows[0].index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8", newline="")


def file_errors(package: Path, file: str) -> list[list[object]]:
    report = read_package(package).report
    assert not report.valid
    found = report.flatten("type", "file", "row", "column", "value")
    return [e for e in found if e[1] == file]


# (file, column, value, error type): each value SQLite would have stored as it is
BAD_CELLS = [
    ("results.csv", "title_en", "a\x00b", "control-character"),
    ("results.csv", "title_zh", "escape \x1b[31m", "control-character"),
    ("results.csv", "code", "1.1\x00", "control-character"),
    ("results.csv", "order", "１", "type-error"),  # full-width digit
    ("results.csv", "order", "٣", "type-error"),  # Arabic-Indic digit
    ("results.csv", "order", "2147483648", "integer-range"),  # beyond a 32-bit INTEGER
    ("results.csv", "order", "-2147483649", "integer-range"),
    ("results.csv", "order", "9" * 5000, "out-of-range"),  # more than int() converts
    ("pies.csv", "baseline_value", "８０", "type-error"),
    ("pies.csv", "baseline_value", "1" + "0" * 5000, "out-of-range"),
    ("pies.csv", "target_params", '{"threshold": NaN}', "object-value"),
    ("pies.csv", "target_params", '{"threshold": Infinity}', "object-value"),
    ("pies.csv", "target_params", '{"threshold": -Infinity}', "object-value"),
    ("pies.csv", "target_params", '{"threshold": 1e309}', "object-value"),
    ("pies.csv", "target_params", '{"threshold": ' + "9" * 5000 + "}", "object-value"),
    ("pies.csv", "target_params", '{"threshold": 1e15}', "object-value"),
    ("pies.csv", "target_params", '{"a\\u0000": 1}', "object-value"),
    ("pies.csv", "target_params", '{"a": "\\ud800"}', "object-value"),
    ("pies.csv", "target_params", DEEP, "object-value"),
    ("pies.csv", "target_params", "[" * 100_000, "length-error"),
    ("pies.csv", "actual_period", "2026\x0c27", "control-character"),
]


@pytest.mark.parametrize(("file", "column", "value", "expected"), BAD_CELLS)
def test_a_value_sqlite_would_store_is_refused(
    example: Path, file: str, column: str, value: str, expected: str
) -> None:
    set_cell(example, file, column, value)
    errors = file_errors(example, f"data/{file}")
    assert [e[0] for e in errors] == [expected]
    assert errors[0][2:] == [2, column, value]


def test_the_message_names_the_control_character_and_where_it_is(example: Path) -> None:
    set_cell(example, "results.csv", "title_en", "ab\x00")
    report = read_package(example).report
    message = report.errors[0].message("en")
    assert 'data/results.csv, line 2, column "title_en"' in message
    assert "U+0000 at character 3" in message


@pytest.mark.parametrize(
    "value",
    ["tab\tand\nline\r\nbreaks", '{"values": {"2024": 2}, "pct": 99999999999999.5}', "１２"],
)
def test_values_that_stay_accepted(example: Path, value: str) -> None:
    column = "target_params" if value.startswith("{") else "actual_period"
    set_cell(example, "pies.csv", column, value)
    report = read_package(example).report
    assert report.valid, [e.message("en") for e in report.errors]


def _yaml_results(package: Path, text: str) -> None:
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "results":
            resource["path"] = "data/results.yaml"
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    (package / "data" / "results.csv").unlink()
    (package / "data" / "results.yaml").write_text(text, encoding="utf-8")


def test_a_yaml_resource_is_read(example: Path) -> None:
    _yaml_results(
        example,
        "- code: '1.1'\n  pillar: '1'\n  order: 1\n  title_zh: 质量\n  title_en: Quality\n"
        "  source: R1\n",
    )
    report = read_package(example).report
    assert report.valid, [e.message("en") for e in report.errors]


def test_a_yaml_alias_bomb_is_refused_without_expanding_it(example: Path) -> None:
    levels = ["&a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    bomb = "- code: '1.1'\n  title_en:\n" + "".join(f"    - {x}\n" for x in levels)
    assert len(bomb.encode()) < 1000  # the last list expands to 9**10 strings
    _yaml_results(example, bomb)
    report = read_package(example).report
    errors = [e for e in report.errors if e.file == "data/results.yaml"]
    assert [(e.type, e.row) for e in errors] == [("csv-format", 4)]  # the first alias
    assert "YAML aliases" in errors[0].message("en")


def test_a_symbolic_link_to_a_file_outside_the_package_is_not_followed(
    example: Path, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.csv"
    secret.write_text(RESULTS + "root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    (example / "data" / "results.csv").unlink()
    (example / "data" / "results.csv").symlink_to(secret)
    report = read_package(example).report
    errors = [e for e in report.errors if e.file == "data/results.csv"]
    assert [(e.type, e.value) for e in errors] == [("linked-file", "data/results.csv")]
    assert all("root:" not in e.message("en") for e in report.errors)


def test_a_linked_folder_and_a_linked_descriptor_are_refused(example: Path, tmp_path: Path) -> None:
    (example / "data").rename(tmp_path / "elsewhere")
    (example / "data").symlink_to(tmp_path / "elsewhere")
    report = read_package(example).report
    assert ("linked-file", "data/results.csv", "data") in [
        (e.type, e.file, e.value) for e in report.errors
    ]
    descriptor = example / "datapackage.json"
    descriptor.rename(tmp_path / "datapackage.json")
    descriptor.symlink_to(tmp_path / "datapackage.json")
    assert read_package(example).report.flatten("type", "file") == [
        ["linked-file", "datapackage.json"]
    ]


@pytest.mark.parametrize(
    "number", ["NaN", "Infinity", "1" * 5000, "[" * 100_000], ids=["nan", "inf", "digits", "deep"]
)
def test_an_unreadable_descriptor_number_is_an_error_not_a_crash(
    example: Path, number: str
) -> None:
    (example / "datapackage.json").write_text('{"rbm": ' + number + "}", encoding="utf-8")
    assert read_package(example).report.flatten("type") == [["invalid-descriptor"]]


def test_a_file_that_turns_out_not_utf8_gives_only_that_error(example: Path) -> None:
    # read a row at a time: the bad bytes on line 4 come after rows already checked
    data = RESULTS + "1.1,1,one,a,b,R1\n1.2,1,2,a,b,R1\n" + "1.3,1,3,"
    (example / "data" / "results.csv").write_bytes(data.encode() + b"\xff\xfe,b,R1\n")
    errors = file_errors(example, "data/results.csv")
    assert errors == [["encoding-error", "data/results.csv", 4, None, "ff"]]


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_every_line_ending_is_read(example: Path, newline: str) -> None:
    rows = [RESULTS.strip(), "1.1,1,1,质量,Quality,R1", '1.2,1,2,"多\n行",Two,R1']
    (example / "data" / "results.csv").write_bytes((newline.join(rows) + newline).encode())
    report = read_package(example).report
    assert report.valid, [e.message("en") for e in report.errors]
    assert report.stats["results"] == 2
