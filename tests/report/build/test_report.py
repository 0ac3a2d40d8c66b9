"""The report's view model, checked without rendering: every table of the source is there,
with the engine's numbers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rbm.domain.text import Text
from rbm.report.model import ReportView, TableView

SOURCE_TABLES = {
    "table-1": "表1",
    "table-2": "表2",
    "figure-1": "图一",
    "table-3": "表3",
    "table-4": "表4",
    "table-5": "表5",
    "figure-2": "图二",
    "table-6": "表6",
    "table-7": "表7",
    "annex-1": "附件一",
    "annex-2": "附件二",
    "annex-3": "附件三",
    "annex-4": "附件四",
    "annex-5": "附件五",
    "annex-6": "附件六",
    "annex-7": "附件七",
    "annex-12": "附件十二",
    "appendix-pie-counts": "附录A",
}


@pytest.fixture(scope="module")
def tables(report: ReportView) -> dict[str, TableView]:
    return {t.id: t for t in report.tables()}


def cell(table: TableView, label_en: str, column: int) -> object:
    """The value of the row whose English label is, or starts with, `label_en`."""
    found = [r for r in table.rows if r.label.get("en") == label_en]
    (row,) = found or [r for r in table.rows if r.label.get("en").startswith(label_en)]
    return row.values[column]


def test_every_table_of_the_source_is_there_with_its_source(tables: dict[str, TableView]) -> None:
    assert {k: tables[k].source for k in SOURCE_TABLES if k in tables} == SOURCE_TABLES


def test_ids_are_unique_and_every_text_is_bilingual(report: ReportView) -> None:
    ids = [t.id for t in report.tables()]
    assert len(ids) == len(set(ids))
    for table in report.tables():
        for label in (table.title, table.unit, table.stub, *(c.label for c in table.columns)):
            assert label.get("zh") and label.get("en"), table.id


def test_sections_in_the_source_order(report: ReportView) -> None:
    assert [s.id for s in report.sections] == [
        "overview",
        "performance",
        "dashboards",
        "annexes",
        "appendix",
    ]
    assert len(report.sections[2].children) == 8  # one dashboard per sector


def test_table_4_prints_the_totals_the_source_prints(tables: dict[str, TableView]) -> None:
    table = tables["table-4"]
    # cells of 4.2 add up to 28,902; the source prints 28,901, a rounding the cell keeps
    row = next(r for r in table.rows if r.label.get("en").startswith("4.2 "))
    assert sum(v for v in row.values[:-1] if isinstance(v, Decimal)) == Decimal(28902)
    assert cell(table, "4.2 ", -1) == Decimal(28901)
    assert cell(table, "Total", -1) == Decimal(778365)


def test_table_5_utilization_is_expenditure_over_final_budget(tables: dict[str, TableView]) -> None:
    table = tables["table-5"]
    assert cell(table, "Patents and Technology", 3) == Decimal(90)
    assert cell(table, "Unallocated", 1) == Decimal(4008)
    assert cell(table, "Total", 3) == Decimal(91)


def test_table_6_utilization_is_on_the_approved_budget(tables: dict[str, TableView]) -> None:
    table = tables["table-6"]
    assert cell(table, "Temporary staff", 3) == Text.plain(">100%")  # 119% of the P&B
    assert cell(table, "Posts", 3) == Decimal(88)


def test_annex_1_shows_the_printed_net_and_the_limits(tables: dict[str, TableView]) -> None:
    table = tables["annex-1"]
    # in 4,171 − out 385 = 3,786; the source prints 3,785 (within rounding)
    assert cell(table, "Infrastructure and Platforms", 3) == Decimal(3785)
    assert cell(table, "Total", 3) == Decimal(0)


def test_development_share(tables: dict[str, TableView]) -> None:
    table = tables["table-7-share"]
    assert cell(table, "Development share of the total budget", 0) == Decimal("21.4")
    assert cell(table, "Development share of total expenditure", 0) == Decimal("21.6")


def test_pie_tables_cover_every_pie_once(report: ReportView) -> None:
    rows = [row for t in report.tables() if t.id.startswith("pies-") for row in t.rows]
    assert len(rows) == 142
    assert all(isinstance(v, Text) for row in rows for v in row.values)


def test_appendix_counts_beside_the_published(tables: dict[str, TableView]) -> None:
    table = tables["appendix-pie-counts"]
    assert cell(table, "Total", 0) == Decimal(165)
    assert cell(table, "Total", 1) == Decimal(142)
    # the final ratings of the tables' PIEs beside the report's own counts
    assert [cell(table, label, 1) for label in ("fully achieved", "not achieved")] == [106, 14]
    assert [cell(table, label, 0) for label in ("fully achieved", "not achieved")] == [123, 18]


def test_capital_projects_and_trust_funds(report: ReportView, tables: dict[str, TableView]) -> None:
    (annexes,) = [s for s in report.sections if s.id == "annexes"]
    (cmp,) = [s for s in annexes.children if s.id == "cmp"]
    assert len(cmp.children) == 12  # one page per project report
    assert [c.id for c in cmp.children][:2] == ["cmp-cmp-11", "cmp-cmp-25"]  # by their ids
    funds = tables["trust-funds"]
    assert len(funds.rows) == 27  # 26 funds and the total
    assert cell(funds, "Australia", 0) == Text.plain("WAUS4")
    assert cell(funds, "Australia", 10) == Decimal("697738.70")
    assert len(tables["trust-fund-list"].rows) == 14
    summary = tables["cmp-summary"]
    assert cell(summary, "Total", 2) == Decimal(23568)
    assert cell(summary, "Treasury Management System", 3) == Decimal(186)  # as printed
    assert len(tables["cmp-reports"].rows) == 12
    for table_id in ("annex-8", "annex-8-receiving-offices", "annex-9", "annex-10"):
        assert table_id in tables
    assert {"annex-10-unit-cost-1", "annex-11", "annex-11-documents"} <= set(tables)


def test_tables_note_the_real_differences_of_their_source(tables: dict[str, TableView]) -> None:
    """表6 computes the unallocated final budget as 3,742; 表5 prints 4,008: both say so."""
    for table_id in ("table-5", "table-6"):
        texts = [n.text.get("en") for n in tables[table_id].notes]
        assert any("4,008" in t and "3,742" in t for t in texts), table_id
    assert any("P&B" in n.text.get("en") for n in tables["table-6"].notes)
    assert not tables["table-4"].notes


def test_a_difference_is_noted_once_with_every_figure_and_where_it_is_printed(
    report: ReportView, tables: dict[str, TableView]
) -> None:
    """Three sources print 4,008 for the unallocated final budget, 表6 adds up to 3,742: one
    note names the line and all four sources; no note reads like a check's internals."""
    unallocated = [n.text for n in tables["table-6"].notes if "4,008" in n.text.get("en")]
    assert len(unallocated) == 1
    en, zh = unallocated[0].get("en"), unallocated[0].get("zh")
    assert en.startswith("Unallocated (final budget)")
    assert all(s in en for s in ("Table 5", "Annex I", "Annex IV", "Table 6: 3,742"))
    assert zh.startswith("未分拨（调剂使用后最终预算）") and "表6各组成部分之和为 3,742" in zh
    notes = [n.text.get(lang) for t in tables.values() for n in t.notes for lang in ("en", "zh")]
    assert not any(" · " in text or "item " in text for text in notes)


def test_sources_are_cited_as_each_language_reads_them(report: ReportView) -> None:
    """The Chinese cites a source by its id, as the source does; English by its label, or
    else its title."""
    assert report.cite("表2", "zh") == "表2"
    assert report.cite("表2", "en") == "Table 2"
    assert report.cite("附件十五, 二-支柱1", "en") == "Annex XV, Part II, Strategic pillar 1"
    assert report.cite("not-a-source", "en") == "not-a-source"


def test_column_groups_are_the_runs_of_one_group(tables: dict[str, TableView]) -> None:
    posts = tables["annex-5"]
    assert [(g.get("en") if g else None, n) for g, n in posts.groups] == [
        ("P&B", 5),
        ("Final budget", 5),
        ("Difference", 5),
    ]
    assert posts.columns[0].heading.get("zh") == "计划和预算：DG/DDG/ADG"
    assert tables["table-5"].groups == ()
