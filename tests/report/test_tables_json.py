"""tables.json: valid JSON, every table with the view model's numbers as JSON numbers."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from rbm.domain.text import Text
from rbm.report.model import ReportView
from rbm.report.render import tables_json


def _no_constant(name: str) -> Any:
    raise AssertionError(f"tables.json holds {name}, which is not JSON")


@pytest.fixture(scope="module")
def path(report: ReportView, tmp_path_factory: pytest.TempPathFactory) -> Path:
    (written,) = tables_json.write(report, tmp_path_factory.mktemp("json"), "zh")
    return written


@pytest.fixture(scope="module")
def payload(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    return data


def is_text(value: object) -> bool:
    return isinstance(value, dict) and set(value) == {"zh", "en"}


def is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def test_the_file_is_tables_json(path: Path) -> None:
    assert path.name == "tables.json"


def test_every_table_has_the_documented_shape(payload: dict[str, Any]) -> None:
    assert set(payload) == {"tables"}
    assert payload["tables"]
    for table in payload["tables"]:
        assert {"id", "title", "unit", "columns", "rows", "source", "notes"} <= set(table)
        assert isinstance(table["id"], str) and table["id"]
        assert is_text(table["title"]) and is_text(table["unit"])
        assert isinstance(table["source"], str) and table["source"]
        for column in table["columns"]:
            assert isinstance(column["zh"], str) and isinstance(column["en"], str)
        for row in table["rows"]:
            assert is_text(row["label"]), (table["id"], row)
            for value in row["values"]:
                assert value is None or is_number(value) or is_text(value), (table["id"], value)
        for note in table["notes"]:
            assert {"id", "zh", "en"} <= set(note)


def test_ids_are_unique(payload: dict[str, Any]) -> None:
    ids = [table["id"] for table in payload["tables"]]
    assert sorted(ids) == sorted(set(ids))


def test_every_row_has_as_many_values_as_columns(payload: dict[str, Any]) -> None:
    wrong = [
        (table["id"], row["label"]["en"], len(row["values"]), len(table["columns"]))
        for table in payload["tables"]
        for row in table["rows"]
        if len(row["values"]) != len(table["columns"])
    ]
    assert wrong == []


def test_every_cited_note_exists(payload: dict[str, Any]) -> None:
    missing = [
        (table["id"], row["label"]["en"], cited)
        for table in payload["tables"]
        for row in table["rows"]
        for cited in row["notes"]
        if cited not in {note["id"] for note in table["notes"]}
    ]
    assert missing == []


def test_numbers_are_the_view_models_numbers(report: ReportView, payload: dict[str, Any]) -> None:
    """Numbers as JSON numbers in the table's unit: percentages as 90 for 90%, nil as null."""
    tables = list(report.tables())
    assert [t["id"] for t in payload["tables"]] == [t.id for t in tables]
    for table, written in zip(tables, payload["tables"], strict=True):
        for row, written_row in zip(table.rows, written["rows"], strict=True):
            assert written_row["label"] == {"zh": row.label.get("zh"), "en": row.label.get("en")}
            for value, number in zip(row.values, written_row["values"], strict=True):
                if value is None:
                    assert number is None
                elif isinstance(value, Text):
                    assert number == {"zh": value.get("zh"), "en": value.get("en")}
                else:
                    assert is_number(number), (table.id, row.label.get("en"), number)
                    assert number == float(value), (table.id, row.label.get("en"), number)


def test_a_whole_number_is_written_without_a_fraction(path: Path) -> None:
    """972 not 972.0: readers who parse integers get integers."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text, parse_float=Decimal)
    numbers = [
        value
        for table in data["tables"]
        for row in table["rows"]
        for value in row["values"]
        if isinstance(value, Decimal)
    ]
    assert all(n != n.to_integral_value() for n in numbers)


def test_one_bilingual_file_whatever_the_language(report: ReportView, tmp_path: Path) -> None:
    (zh,) = tables_json.write(report, tmp_path / "zh", "zh")
    (en,) = tables_json.write(report, tmp_path / "en", "en")
    assert zh.read_bytes() == en.read_bytes()
