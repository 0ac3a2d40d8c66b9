"""report-<lang>.xlsx: every table of the report as a worksheet, for readers who recompute.

The workbook has an index sheet first (one row per table, its sheet name an internal link),
then one sheet per table in reading order, then a sources sheet (each source reference the
tables cite, with a link to each table that cites it: the view model has the references, not
the sources' titles). A table sheet reads::

    row 1   title
    row 2   unit                                      ← index (link back)
    row 3   stub | column labels | notes?             (frozen: rows 1-3 and column A)
    row 4…  label | values …                          (numbers as numbers)
            source, then the table's notes

Numbers are written as numbers with the column's number format; percentages (90 for 90% in
the view model) are written as 0.9 with a percent format, so Excel shows 90%. Nil is an
empty cell. Subtotal, total and heading rows are bold; a row's level indents its label.
Sheet names come from the table ids: at most 31 characters, without []:*?/\\' and unique
without regard to case (a clash gets a suffix ~2, ~3, …).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from rbm.domain.text import Lang, Text
from rbm.i18n import t
from rbm.report.model import Column, NumberFormat, ReportView, Row, TableView, Value

TITLE_ROW, UNIT_ROW, HEADER_ROW = 0, 1, 2
FIRST_ROW = HEADER_ROW + 1
SHEET_NAME_MAX = 31
RESERVED_SHEET_NAMES = ("History",)  # Excel reserves it

NUMBER_FORMATS: dict[NumberFormat, str] = {
    "integer": '#,##0;(#,##0);"-"',
    "decimal1": "#,##0.0;(#,##0.0)",
    "decimal2": "#,##0.00;(#,##0.00)",
    "percent": "0%",
    "percent1": "0.0%",
    "text": "General",
}
PERCENT_FORMATS: frozenset[NumberFormat] = frozenset({"percent", "percent1"})

LABEL_WIDTH_MAX = 60  # wider texts wrap
TEXT_WIDTH_MAX = 50
HEADER_WIDTH_MAX = 16  # a header wraps rather than widen a column of numbers past this
WIDTH_MIN = 6
PADDING = 2

_INVALID_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")

Format = Any  # xlsxwriter.format.Format (the package ships no type hints)


def sheet_names(ids: Iterable[str], reserved: Iterable[str] = ()) -> list[str]:
    """A valid, unique worksheet name for each table id, in order.

    >>> sheet_names(["budget", "a/b", "x" * 40, "BUDGET"], reserved=["Index"])
    ['budget', 'a_b', 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx', 'BUDGET~2']
    """
    taken = {name.casefold() for name in (*RESERVED_SHEET_NAMES, *reserved)}
    names: list[str] = []
    for table_id in ids:
        base = _INVALID_SHEET_CHARS.sub("_", table_id).strip()[:SHEET_NAME_MAX] or "table"
        name, number = base, 2
        while name.casefold() in taken:
            suffix = f"~{number}"
            name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
            number += 1
        taken.add(name.casefold())
        names.append(name)
    return names


def display_width(text: str) -> int:
    """The width of `text` in Excel character units: wide (CJK) characters count double."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def cell_number(value: Decimal, number_format: NumberFormat) -> float:
    """The number a cell holds: percentages divided by 100 (90 → 0.9), others as they are."""
    return float(value / 100 if number_format in PERCENT_FORMATS else value)


def _shown(value: Decimal, number_format: NumberFormat) -> str:
    """Roughly what Excel shows for `value`, to size its column."""
    if number_format in PERCENT_FORMATS:
        return f"{value:.{1 if number_format == 'percent1' else 0}f}%"
    if number_format == "text":
        return str(value)
    places = {"integer": 0, "decimal1": 1, "decimal2": 2}[number_format]
    shown = f"{abs(value):,.{places}f}"
    return f"({shown})" if value < 0 else shown


def internal_link(sheet: str, cell: str = "A1") -> str:
    return f"internal:'{sheet}'!{cell}"


class _Formats:
    """Cell formats, created once per distinct set of properties."""

    def __init__(self, workbook: Any) -> None:
        self._workbook = workbook
        self._cache: dict[tuple[tuple[str, object], ...], Format] = {}
        self.link: Format = workbook.get_default_url_format()

    def __call__(self, **properties: object) -> Format:
        key = tuple(sorted(properties.items()))
        if key not in self._cache:
            self._cache[key] = self._workbook.add_format(dict(properties))
        return self._cache[key]


@dataclass
class _Widths:
    """The widest content seen in each column, in character units."""

    caps: dict[int, int] = field(default_factory=dict)
    widths: dict[int, int] = field(default_factory=dict)

    def see(self, column: int, text: str, cap: int | None = None) -> None:
        """Note `text` in `column`; with a `cap` the text may wrap: it needs only its
        longest latin word (CJK text breaks anywhere) or `cap`, whichever is wider."""
        width = display_width(text)
        if cap is not None:
            words = [w for w in text.split() if w.isascii()]
            width = min(width, max([cap, *map(display_width, words)]))
        self.widths[column] = max(self.widths.get(column, 0), width)

    def apply(self, sheet: Any) -> None:
        for column, width in sorted(self.widths.items()):
            cap = self.caps.get(column)
            fitted = min(width, cap) if cap is not None else width
            sheet.set_column(column, column, max(fitted, WIDTH_MIN) + PADDING)


def _write_heading(
    sheet: Any, formats: _Formats, title: str, unit: str, headers: list[tuple[str, bool]]
) -> _Widths:
    """The title, unit and header rows; `headers` are (label, numeric) pairs."""
    sheet.write_string(TITLE_ROW, 0, title, formats(bold=True, font_size=12))
    sheet.write_string(UNIT_ROW, 0, unit, formats(italic=True))
    widths = _Widths()
    for column, (label, numeric) in enumerate(headers):
        header = formats(
            bold=True,
            text_wrap=True,
            valign="bottom",
            bottom=1,
            align="right" if numeric else "left",
        )
        sheet.write_string(HEADER_ROW, column, label, header)
        widths.see(column, label, cap=HEADER_WIDTH_MAX if numeric else None)
    sheet.freeze_panes(FIRST_ROW, 1)
    sheet.repeat_rows(TITLE_ROW, HEADER_ROW)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    return widths


def _row_style(row: Row) -> dict[str, object]:
    style: dict[str, object] = {"valign": "top"}
    if row.kind in ("subtotal", "total", "heading"):
        style["bold"] = True
    if row.kind == "total":
        style["top"] = 1
    return style


def _write_value(
    sheet: Any,
    formats: _Formats,
    widths: _Widths,
    at: tuple[int, int],
    value: Value,
    column: Column,
    style: dict[str, object],
    lang: Lang,
) -> None:
    row, col = at
    if value is None:
        sheet.write_blank(row, col, None, formats(**style))
    elif isinstance(value, Text):
        shown = value.get(lang)
        numeric = column.format != "text"
        cell = formats(**style, text_wrap=True, **({"align": "right"} if numeric else {}))
        sheet.write_string(row, col, shown, cell)
        widths.see(col, shown)
    else:
        number_format = NUMBER_FORMATS[column.format]
        sheet.write_number(
            row, col, cell_number(value, column.format), formats(**style, num_format=number_format)
        )
        widths.see(col, _shown(value, column.format))


def _write_table(
    sheet: Any, formats: _Formats, table: TableView, lang: Lang, index_sheet: str, source: str
) -> None:
    with_notes = any(row.notes for row in table.rows)
    headers = [(table.stub.get(lang), False)]
    headers += [(c.heading.get(lang), c.format != "text") for c in table.columns]
    if with_notes:
        headers.append((t("report.xlsx.column.notes", lang), False))
    widths = _write_heading(
        sheet,
        formats,
        table.title.get(lang),
        t("report.xlsx.unit", lang, unit=table.unit.get(lang)),
        headers,
    )
    sheet.write_url(
        UNIT_ROW,
        len(headers) - 1,
        internal_link(index_sheet),
        formats.link,
        t("report.xlsx.back", lang),
    )
    widths.caps[0] = LABEL_WIDTH_MAX
    for col, column in enumerate(table.columns, start=1):
        if column.format == "text":
            widths.caps[col] = TEXT_WIDTH_MAX
    for offset, row in enumerate(table.rows):
        at = FIRST_ROW + offset
        style = _row_style(row)
        label = row.label.get(lang)
        label_format = formats(
            **style, text_wrap=True, **({"indent": row.level} if row.level else {})
        )
        sheet.write_string(at, 0, label, label_format)
        widths.see(0, " " * 3 * row.level + label)
        for col, (value, column) in enumerate(zip(row.values, table.columns, strict=True), start=1):
            _write_value(sheet, formats, widths, (at, col), value, column, style, lang)
        if with_notes:
            cited = ", ".join(row.notes)
            sheet.write_string(at, len(headers) - 1, cited, formats(**style))
            widths.see(len(headers) - 1, cited)
    at = FIRST_ROW + len(table.rows) + 1
    sheet.write_string(at, 0, t("report.xlsx.source", lang, source=source))
    if table.notes:
        sheet.write_string(at + 1, 0, t("report.xlsx.notes", lang), formats(bold=True))
        for offset, note in enumerate(table.notes, start=2):
            sheet.write_string(at + offset, 0, f"({note.id}) {note.text.get(lang)}")
    widths.apply(sheet)


def _write_index(
    sheet: Any,
    formats: _Formats,
    report: ReportView,
    tables: list[tuple[str, TableView]],
    lang: Lang,
) -> None:
    subtitle = f"{report.organization.get(lang)} · {report.biennium.get(lang)}"
    headers = [
        (t(f"report.xlsx.index.{key}", lang), False) for key in ("sheet", "title", "unit", "source")
    ]
    widths = _write_heading(sheet, formats, report.title.get(lang), subtitle, headers)
    widths.caps[1] = LABEL_WIDTH_MAX
    wrap = formats(text_wrap=True, valign="top")
    top = formats(valign="top")
    for offset, (name, table) in enumerate(tables):
        at = FIRST_ROW + offset
        sheet.write_url(at, 0, internal_link(name), formats.link, name)
        cells = (table.title.get(lang), table.unit.get(lang), report.cite(table.source, lang))
        for col, text in enumerate(cells, start=1):
            sheet.write_string(at, col, text, wrap if col == 1 else top)
        for col, text in enumerate((name, *cells)):
            widths.see(col, text)
    widths.apply(sheet)


def _write_sources(
    sheet: Any,
    formats: _Formats,
    report: ReportView,
    tables: list[tuple[str, TableView]],
    lang: Lang,
    index_sheet: str,
) -> None:
    """One row per table, grouped by the source it cites (sources in order of first citation):
    the source, the table's sheet as a link, its title."""
    citing: dict[str, list[tuple[str, TableView]]] = {}
    for name, table in tables:
        citing.setdefault(report.cite(table.source, lang), []).append((name, table))
    headers = [
        (t("report.xlsx.sources.source", lang), False),
        (t("report.xlsx.sources.tables", lang), False),
        (t("report.xlsx.index.title", lang), False),
    ]
    title = t("report.xlsx.sheet.sources", lang)
    widths = _write_heading(sheet, formats, title, "", headers)
    back = t("report.xlsx.back", lang)
    sheet.write_url(UNIT_ROW, 0, internal_link(index_sheet), formats.link, back)
    widths.caps[2] = LABEL_WIDTH_MAX
    top, wrap = formats(valign="top"), formats(valign="top", text_wrap=True)
    at = FIRST_ROW
    for source, cited_by in citing.items():
        for name, table in cited_by:
            cited = table.title.get(lang)
            sheet.write_string(at, 0, source, top)
            sheet.write_url(at, 1, internal_link(name), formats.link, name)
            sheet.write_string(at, 2, cited, wrap)
            for col, text in enumerate((source, name, cited)):
                widths.see(col, text)
            at += 1
    widths.apply(sheet)


def write(report: ReportView, folder: Path, lang: Lang = "zh") -> list[Path]:
    """Write `folder/report-<lang>.xlsx`; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"report-{lang}.xlsx"
    index_name = t("report.xlsx.sheet.index", lang)
    sources_name = t("report.xlsx.sheet.sources", lang)
    all_tables = list(report.tables())
    names = sheet_names((table.id for table in all_tables), reserved=(index_name, sources_name))
    tables = list(zip(names, all_tables, strict=True))
    with xlsxwriter.Workbook(str(target)) as workbook:
        workbook.set_properties(
            {"title": report.title.get(lang), "company": report.organization.get(lang)}
        )
        formats = _Formats(workbook)
        index = workbook.add_worksheet(index_name)
        for name, table in tables:
            cited = report.cite(table.source, lang)
            _write_table(workbook.add_worksheet(name), formats, table, lang, index_name, cited)
        sources = workbook.add_worksheet(sources_name)
        _write_sources(sources, formats, report, tables, lang, index_name)
        _write_index(index, formats, report, tables, lang)
    return [target]
