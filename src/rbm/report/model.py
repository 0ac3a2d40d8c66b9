"""The report's view model: sections of tables, charts and paragraphs, each text bilingual.

Every renderer (HTML, PDF, XLSX, tables.json) reads only these objects; tests check them
without rendering anything.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from rbm.domain.text import Text
from rbm.i18n import text

NumberFormat = Literal["integer", "decimal1", "decimal2", "percent", "percent1", "text"]
RowKind = Literal["data", "subtotal", "total", "heading"]
ChartKind = Literal["bar", "stacked_bar", "grouped_bar", "donut", "gauge"]

Value = Decimal | Text | None


@dataclass(frozen=True)
class Column:
    """A value column; `format` says how its numbers print (percent: 90 means 90%)."""

    label: Text
    format: NumberFormat = "integer"
    # the header over a run of columns (a phase over its grades); printed as a second header
    # row above the labels where the table is drawn, joined to the label where it is listed
    group: Text | None = None

    @property
    def heading(self) -> Text:
        """The label with its group, where columns are listed one by one (a sheet, data)."""
        if self.group is None:
            return self.label
        return text("report.column.grouped", group=self.group, label=self.label)


@dataclass(frozen=True)
class Row:
    """A row: its label, one value per column (a number, a text, or None for nil), its kind
    and indentation level, and the ids of the notes that apply to it."""

    label: Text
    values: tuple[Value, ...]
    kind: RowKind = "data"
    level: int = 0
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Note:
    """A table note; `id` is what rows cite (e.g. "a"); published-figure notes say where the
    report prints a different value than the engine computes."""

    id: str
    text: Text


@dataclass(frozen=True)
class TableView:
    """A table of the report, in its unit (e.g. thousand EUR), with its source reference."""

    id: str
    title: Text
    unit: Text
    stub: Text  # the header of the label column
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    source: str
    notes: tuple[Note, ...] = ()
    # what the specification's block is (its kind, and a budget table's row dimension:
    # `budget_table:sector`), so pages find the report's tables whatever their ids
    role: str = ""

    @property
    def groups(self) -> tuple[tuple[Text | None, int], ...]:
        """The runs of columns under one group header, (group, columns); () when no column
        has a group."""
        if all(c.group is None for c in self.columns):
            return ()
        runs: list[tuple[Text | None, int]] = []
        for column in self.columns:
            if runs and column.group is not None and runs[-1][0] == column.group:
                runs[-1] = (column.group, runs[-1][1] + 1)
            else:
                runs.append((column.group, 1))
        return tuple(runs)

    @property
    def cited(self) -> frozenset[str]:
        """The notes some row cites (the others print without a marker)."""
        return frozenset(note for row in self.rows for note in row.notes)

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row.values) != len(self.columns):
                raise ValueError(
                    f"{self.id}: row {row.label.get('en')!r} has {len(row.values)} values"
                )


@dataclass(frozen=True)
class ChartView:
    """A chart of `table` (rows are categories, columns are series); the table is also the
    chart's accessible alternative."""

    id: str
    title: Text
    description: Text
    kind: ChartKind
    table: TableView


@dataclass(frozen=True)
class Paragraph:
    """A paragraph; `heading`, where given, is the subheading it opens."""

    text: Text
    heading: Text | None = None


Block = TableView | ChartView | Paragraph


@dataclass(frozen=True)
class Section:
    """A section; with `page`, the HTML site shows it on a page of its own, linked from its
    parent (the PDF keeps it in place)."""

    id: str
    title: Text
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()
    page: bool = False

    def walk(self) -> Iterator[Section]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ReportView:
    title: Text
    organization: Text
    biennium: Text
    sections: tuple[Section, ...] = field(default_factory=tuple)
    langs: tuple[str, ...] = ("en",)  # the report's languages, the package's order
    citations: tuple[tuple[str, Text], ...] = ()  # each source id as the report cites it
    symbol: str = ""  # the document's symbol, where it has one
    date: Text | None = None  # the document's date, as the cover prints it

    def cite(self, sources: str, lang: str) -> str:
        """A table's sources (ids, comma-separated) as a reader of `lang` reads them."""
        cited = dict(self.citations)
        return ", ".join(cited[i].get(lang) if i in cited else i for i in sources.split(", "))

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def tables(self) -> Iterator[TableView]:
        """Every table, including the data of every chart, in reading order."""
        for section in self.walk():
            for block in section.blocks:
                if isinstance(block, TableView):
                    yield block
                elif isinstance(block, ChartView):
                    yield block.table

    def charts(self) -> Iterator[ChartView]:
        for section in self.walk():
            yield from (b for b in section.blocks if isinstance(b, ChartView))
