"""The expenditure ledger read a row at a time: every check names file, row, column, value."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from rbm.datapackage import ledger as ledger_module
from rbm.datapackage.descriptor import resource_descriptor
from rbm.datapackage.ledger import COLUMNS, LEDGER
from rbm.datapackage.package import read_package

FILE = "data/expenditure_ledger.csv"
GOOD = (
    ["2026-01-15", "ops", "1.1", "", "regular", "1000.25", "CHF", "JV-1"],
    ["2027-12-31", "ops", "", "", "", "-0.0001", "CHF", "JV-2"],
    ["2026-06-30", "un", "1.1", "", "trust.fund", "250", "CHF", "JV-3"],
)


def add_ledger(
    package: Path, rows: Sequence[Sequence[str]], header: Sequence[str] = COLUMNS
) -> None:
    """Write `rows` as the package's ledger and declare it in the descriptor."""
    with (package / FILE).open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    descriptor = json.loads((package / "datapackage.json").read_text(encoding="utf-8"))
    langs = descriptor["rbm"].get("languages", ["zh", "en"])
    entries = [r for r in descriptor["resources"] if r["name"] != LEDGER.name]
    entries.append(resource_descriptor(LEDGER, descriptor["rbm"]["currency"], langs))
    descriptor["resources"] = entries
    (package / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def test_a_valid_ledger_is_counted_and_kept_for_the_store(example: Path) -> None:
    add_ledger(example, GOOD)
    read = read_package(example)
    assert read.report.valid, read.report.errors
    assert read.report.stats["expenditure_ledger"] == 3
    assert read.ledger is not None and read.ledger.file == FILE
    assert read.ledger.keys.sectors == {"ops", "un"}


@pytest.mark.parametrize(
    ("cells", "column", "kind"),
    [
        ({0: "2025-12-31"}, "date", "date-range"),
        ({0: "2026-02-30"}, "date", "date-range"),
        ({0: "15/01/2026"}, "date", "date-range"),
        ({1: "nowhere"}, "sector", "foreign-key"),
        ({1: ""}, "sector", "missing-value"),
        ({2: "9.9"}, "result", "foreign-key"),
        ({3: "travel"}, "cost_item", "foreign-key"),
        ({4: "no funding!"}, "funding", "pattern-error"),
        ({5: "1,000.25"}, "amount", "amount-format"),
        ({5: "1.00001"}, "amount", "amount-format"),
        ({5: ""}, "amount", "missing-value"),
        ({6: "EUR"}, "currency", "enum-error"),
        ({7: ""}, "reference", "missing-value"),
        ({7: "x" * 65}, "reference", "length-error"),
        ({7: "JV\x00"}, "reference", "control-character"),
    ],
)
def test_each_bad_cell_is_named(
    example: Path, cells: dict[int, str], column: str, kind: str
) -> None:
    row = list(GOOD[0])
    for index, value in cells.items():
        row[index] = value
    add_ledger(example, [GOOD[1], row])
    report = read_package(example).report
    assert report.flatten("type", "file", "row", "column", "value") == [
        [kind, FILE, 3, column, row[COLUMNS.index(column)]]
    ]
    assert report.errors[0].message("en")  # every type has its catalogue text


def test_a_wrong_header_and_a_short_row_are_file_errors(example: Path) -> None:
    add_ledger(example, [GOOD[0][:5]])
    report = read_package(example).report
    assert report.flatten("type", "row") == [["row-length", 2]]
    add_ledger(example, [GOOD[0]], header=[*COLUMNS[:-1], "ref"])
    kinds = read_package(example).report.flatten("type", "column")
    assert ["missing-column", "reference"] in kinds and ["extra-column", "ref"] in kinds


def test_columns_may_come_in_any_order(example: Path) -> None:
    order = list(reversed(range(len(COLUMNS))))
    add_ledger(example, [[row[i] for i in order] for row in GOOD], [COLUMNS[i] for i in order])
    read = read_package(example)
    assert read.report.valid and read.report.stats["expenditure_ledger"] == 3


def test_past_the_listed_errors_the_rest_are_counted(
    example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger_module, "MAX_ERRORS", 2)
    bad = [["2026-01-01", "nowhere", "", "", "", "1", "CHF", f"JV-{i}"] for i in range(5)]
    add_ledger(example, bad)
    report = read_package(example).report
    assert report.flatten("type", "row") == [
        ["foreign-key", 2],
        ["foreign-key", 3],
        ["more-errors", None],
    ]
    assert report.errors[-1].params == {"count": 3}


def test_the_rows_can_be_left_to_the_load(example: Path) -> None:
    add_ledger(example, [["2025-01-01", "ops", "", "", "", "1", "CHF", "JV"]])
    read = read_package(example, check_ledger_rows=False)
    assert read.report.valid and read.ledger is not None
    assert "expenditure_ledger" not in read.report.stats


def test_a_ledger_that_is_not_utf8_is_one_error(example: Path) -> None:
    add_ledger(example, GOOD)
    with (example / FILE).open("ab") as handle:
        handle.write(b"2026-01-01,ops,,,,1,CHF,JV-\xff\n")
    report = read_package(example).report
    assert report.flatten("type", "row", "value") == [["encoding-error", 5, "ff"]]
