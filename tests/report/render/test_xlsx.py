"""report-<lang>.xlsx read back with openpyxl: every table of tables.json is there, with the same
numbers as numeric cells in the column's number format, the row labels of its language, a
frozen header row and a working link from the index."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from rbm.domain.text import Lang, Text
from rbm.report.model import Column, Note, ReportView, Row, Section, TableView
from rbm.report.render import tables_json, xlsx
from tests.languages import LANGS

# The layout, in openpyxl's 1-based rows: title, unit, header, then the rows.
TITLE, UNIT, HEADER, FIRST = 1, 2, 3, 4
NUMBER_FORMATS = {
    "integer": '#,##0;(#,##0);"-"',
    "decimal1": "#,##0.0;(#,##0.0)",
    "decimal2": "#,##0.00;(#,##0.00)",
    "percent": "0%",
    "percent1": "0.0%",
    "text": "General",  # a number in a text column prints as stored (a count's 0 as 0)
}
PERCENT = {"percent", "percent1"}
INVALID_SHEET_CHARS = set("[]:*?/\\")


@pytest.fixture(scope="module")
def folder(report: ReportView, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report")
    tables_json.write(report, target, "zh")
    for lang in LANGS:
        assert xlsx.write(report, target, lang) == [target / f"report-{lang}.xlsx"]
    return target


@pytest.fixture(scope="module")
def tables(folder: Path) -> list[dict[str, Any]]:
    payload: dict[str, Any] = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
    result: list[dict[str, Any]] = payload["tables"]
    return result


@pytest.fixture(scope="module")
def workbooks(folder: Path) -> dict[Lang, Workbook]:
    return {lang: load_workbook(folder / f"report-{lang}.xlsx") for lang in LANGS}


def link_target(location: str) -> str:
    """The sheet of an internal link such as 'table-1'!A1."""
    sheet, _, cell = location.rpartition("!")
    assert cell == "A1", location
    return sheet.removeprefix("'").removesuffix("'").replace("''", "'")


def sheets_by_table(workbook: Workbook, tables: list[dict[str, Any]]) -> dict[str, Worksheet]:
    """Each table's sheet, found by following its link in the index (the first sheet)."""
    index = workbook.worksheets[0]
    found: dict[str, Worksheet] = {}
    for offset, table in enumerate(tables):
        link = index.cell(FIRST + offset, 1).hyperlink
        assert link is not None and link.location, (table["id"], "no link in the index")
        found[table["id"]] = workbook[link_target(link.location)]
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_index_lists_every_table_with_a_working_link(
    workbooks: dict[Lang, Workbook], tables: list[dict[str, Any]], lang: Lang
) -> None:
    workbook = workbooks[lang]
    index = workbook.worksheets[0]
    sheets = sheets_by_table(workbook, tables)
    for offset, table in enumerate(tables):
        at = FIRST + offset
        sheet = sheets[table["id"]]
        assert index.cell(at, 1).value == sheet.title
        assert index.cell(at, 2).value == table["title"][lang]
        assert index.cell(at, 3).value == table["unit"][lang]
        assert index.cell(at, 4).value == table["cited"][lang]
        assert sheet.cell(TITLE, 1).value == table["title"][lang]
    assert index.cell(FIRST + len(tables), 1).value is None
    # index, one sheet per table, sources
    assert len(workbook.sheetnames) == len(tables) + 2
    assert len({s.title for s in sheets.values()}) == len(tables)


@pytest.mark.parametrize("lang", LANGS)
def test_every_table_has_the_numbers_and_labels_of_tables_json(
    workbooks: dict[Lang, Workbook], tables: list[dict[str, Any]], lang: Lang
) -> None:
    sheets = sheets_by_table(workbooks[lang], tables)
    for table in tables:
        sheet = sheets[table["id"]]
        assert sheet.cell(UNIT, 1).value and table["unit"][lang] in str(sheet.cell(UNIT, 1).value)
        headers = [sheet.cell(HEADER, col).value for col in range(1, len(table["columns"]) + 2)]
        assert headers == [table["stub"][lang], *(c[lang] for c in table["columns"])]
        for offset, row in enumerate(table["rows"]):
            at = FIRST + offset
            where = (table["id"], row["label"]["en"])
            assert sheet.cell(at, 1).value == row["label"][lang], where
            for col, (value, column) in enumerate(
                zip(row["values"], table["columns"], strict=True), start=2
            ):
                cell = sheet.cell(at, col)
                if value is None:
                    assert cell.value in (None, "-"), where
                elif isinstance(value, dict):
                    assert cell.data_type == "s" or (cell.value is None and not value[lang])
                    assert (cell.value or "") == value[lang], where
                else:
                    expected = value / 100 if column["format"] in PERCENT else value
                    assert cell.data_type == "n", where
                    assert cell.value == pytest.approx(expected, rel=1e-12, abs=1e-12), where
                    assert cell.number_format == NUMBER_FORMATS[column["format"]], where


@pytest.mark.parametrize("lang", LANGS)
def test_the_header_row_and_label_column_are_frozen(
    workbooks: dict[Lang, Workbook], tables: list[dict[str, Any]], lang: Lang
) -> None:
    frozen = {sheet.title: sheet.freeze_panes for sheet in workbooks[lang].worksheets}
    assert set(frozen.values()) == {f"B{FIRST}"}


@pytest.mark.parametrize("lang", LANGS)
def test_sheet_names_are_valid_and_unique(workbooks: dict[Lang, Workbook], lang: Lang) -> None:
    names = workbooks[lang].sheetnames
    assert all(0 < len(name) <= 31 for name in names)
    assert not [name for name in names if INVALID_SHEET_CHARS & set(name)]
    assert len({name.casefold() for name in names}) == len(names)


@pytest.mark.parametrize("lang", LANGS)
def test_sources_sheet_lists_every_source_with_the_tables_citing_it(
    workbooks: dict[Lang, Workbook], tables: list[dict[str, Any]], lang: Lang
) -> None:
    workbook = workbooks[lang]
    sources = workbook.worksheets[-1]
    listed = set()
    for at in range(FIRST, sources.max_row + 1):
        source, link = sources.cell(at, 1).value, sources.cell(at, 2).hyperlink
        assert link is not None and link.location
        listed.add((source, link_target(link.location)))
    sheets = sheets_by_table(workbook, tables)
    assert listed == {(table["cited"][lang], sheets[table["id"]].title) for table in tables}


@pytest.mark.parametrize("lang", LANGS)
def test_label_columns_fit_their_content(
    workbooks: dict[Lang, Workbook], tables: list[dict[str, Any]], lang: Lang
) -> None:
    """A column is at least as wide as its widest label (CJK counted double), up to the cap
    above which labels wrap."""
    sheets = sheets_by_table(workbooks[lang], tables)
    for table in tables:
        widest = max((xlsx.display_width(row["label"][lang]) for row in table["rows"]), default=0)
        width = sheets[table["id"]].column_dimensions["A"].width
        assert width >= min(widest, xlsx.LABEL_WIDTH_MAX), table["id"]


@pytest.mark.parametrize(
    ("text", "width"), [("", 0), ("Total", 5), ("表4", 3), ("总计", 4), ("a\n总计总计", 8)]
)
def test_display_width_counts_cjk_double(text: str, width: int) -> None:
    assert xlsx.display_width(text) == width


@pytest.mark.parametrize(
    ("ids", "names"),
    [
        (["table-1", "table-2"], ["table-1", "table-2"]),
        (["a/b", "c[1]:*?\\"], ["a_b", "c_1_____"]),
        (["x" * 40, "x" * 35], ["x" * 31, "x" * 29 + "~2"]),
        (["Table", "TABLE", "table"], ["Table", "TABLE~2", "table~3"]),
        (["Index", "history", ""], ["Index~2", "history~2", "table"]),
        (["'quoted'"], ["_quoted_"]),
    ],
)
def test_sheet_names_from_table_ids(ids: list[str], names: list[str]) -> None:
    assert xlsx.sheet_names(ids, reserved=["index"]) == names


def _kinds_report() -> ReportView:
    def text(en: str) -> Text:
        return Text.of(zh=f"{en}（中）", en=en)

    table = TableView(
        id="kinds/and:notes",
        title=text("Kinds"),
        unit=text("thousand CHF"),
        stub=text("Item"),
        columns=(Column(text("Amount")), Column(text("Share"), "percent1")),
        rows=(
            Row(text("Heading"), (None, None), kind="heading"),
            Row(text("Detail"), (Decimal("-1234.4"), Decimal("12.5")), level=1, notes=("a",)),
            Row(text("Unknown"), (Text.of(zh="不详", en="n/a"), None), level=2),
            Row(text("Subtotal"), (Decimal("0"), Decimal("-3")), kind="subtotal"),
            Row(text("Total"), (Decimal("1000"), Decimal("100")), kind="total"),
        ),
        source="表9",
        notes=(Note("a", text("The report prints 1,235")),),
    )
    twin = TableView(
        id="KINDS/AND:NOTES",
        title=text("Twin"),
        unit=text("number"),
        stub=text("Item"),
        columns=(),
        rows=(Row(text("Only a label"), ()),),
        source="表9",
    )
    return ReportView(
        title=text("Report"),
        organization=text("Org"),
        biennium=text("2024/25"),
        sections=(Section("s", text("Section"), blocks=(table, twin)),),
    )


@pytest.mark.parametrize("lang", LANGS)
def test_row_kinds_levels_notes_and_nil(tmp_path: Path, lang: Lang) -> None:
    (path,) = xlsx.write(_kinds_report(), tmp_path, lang)
    workbook = load_workbook(path)
    assert workbook.sheetnames[1:3] == ["kinds_and_notes", "KINDS_AND_NOTES~2"]
    sheet = workbook["kinds_and_notes"]
    labels = [sheet.cell(at, 1) for at in range(FIRST, FIRST + 5)]
    assert [c.font.b for c in labels] == [True, False, False, True, True]
    assert [c.alignment.indent for c in labels] == [0, 1, 2, 0, 0]
    heading, detail, unknown, subtotal, total = range(FIRST, FIRST + 5)
    assert sheet.cell(heading, 2).value is None
    assert sheet.cell(detail, 2).value == -1234.4
    assert sheet.cell(detail, 3).value == pytest.approx(0.125)
    assert sheet.cell(detail, 3).number_format == "0.0%"
    assert sheet.cell(unknown, 2).value == ("不详" if lang == "zh" else "n/a")
    assert sheet.cell(subtotal, 2).font.b and sheet.cell(total, 3).value == 1
    # the notes cited by a row in a last column, the notes' texts below the table
    assert sheet.cell(HEADER, 4).value and sheet.cell(detail, 4).value == "a"
    below = [sheet.cell(at, 1).value for at in range(total + 1, sheet.max_row + 1)]
    assert any("表9" in str(v) for v in below)
    assert any("1,235" in str(v) and str(v).startswith("(a)") for v in below)
    twin = workbook["KINDS_AND_NOTES~2"]
    assert twin.cell(FIRST, 1).value == ("Only a label（中）" if lang == "zh" else "Only a label")
