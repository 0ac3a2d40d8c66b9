"""The registration-system annexes (附件八–十一), the trust funds (附件十四) and the capital
master plan (附件十五): the cells the report prints, against the source text read at test
time, and each project's figures where the source's page blocks put them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

import pytest

from rbm.domain.dataset import Dataset
from rbm.domain.enums import Unit
from rbm.domain.money import convert, round_half_up
from rbm.report.build.report import build_report
from rbm.report.model import ReportView, Row, TableView
from rbm.report.render.html import format_value

# A printed figure: 1,234 / 0.01 / -5.0 / 99% / 2,4 (footnote marks), or "-" for nil.
FIGURE = r"-?\d[\d,]*(?:\.\d+)?%?|-"
CHF = Unit.ONE

ANNEX_14 = "附件十四 2025 年信托基金进展报告"
ANNEX_15 = "附件十五  2025 年基本建设总计划进展报告"
# The trust-fund list names two funds more briefly than the statement does.
FUND_LIST_NAMES = {"日本（全球）": "日本（工业产权）全球", "西班牙": "西班牙（工业产权）"}


@pytest.fixture(scope="module")
def report(wipo: Dataset) -> ReportView:
    return build_report(wipo)


@pytest.fixture(scope="module")
def tables(report: ReportView) -> dict[str, TableView]:
    return {t.id: t for t in report.tables()}


def segment(seed: str, start: str, end: str) -> str:
    """The source between two markers (the first `end` after `start`), whitespace collapsed."""
    begin = seed.index(start)
    return " ".join(seed[begin : seed.index(end, begin + len(start))].split())


def label_pattern(label: str) -> str:
    """A label as the source may wrap it: any whitespace between its characters."""
    return r"\s*".join(re.escape(c) for c in label if not c.isspace())


def figures_after(text: str, label: str, count: int, start: int = 0) -> tuple[list[str], int]:
    """The `count` figures printed after `label` (footnote marks before them dropped), and
    where the row ends."""
    found = re.compile(label_pattern(label) + r"((?:\s*(?:" + FIGURE + r"))+)").search(text, start)
    assert found, label
    tokens = re.findall(FIGURE, found.group(1))
    assert len(tokens) >= count, (label, tokens)
    return tokens[len(tokens) - count :], found.end()


def printed(table: TableView, row: Row, lang: str = "zh") -> list[str]:
    return [format_value(v, c.format, lang) for v, c in zip(row.values, table.columns, strict=True)]


def rows(table: TableView, kind: str = "data") -> Iterator[Row]:
    return (r for r in table.rows if r.kind == kind)


# -- 附件十五 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cmp_summary(seed_text: str) -> str:
    return segment(seed_text, "截至 2025 年 12 月 31 日的储备金资助项目", "1这些项目已全部完成")


def test_the_cmp_summary_prints_every_cell_and_mark_as_the_source(
    tables: dict[str, TableView], cmp_summary: str
) -> None:
    table = tables["cmp-summary"]
    checked = 0
    for row in rows(table):
        label = row.label.get("zh")
        found = re.search(label_pattern(label) + r"\s*((?:\d(?:,\d)*)?)\s", cmp_summary)
        assert found, label
        marks = tuple(m for m in found.group(1).split(",") if m)
        cells, _ = figures_after(cmp_summary, label, 6)
        assert printed(table, row) == cells, label
        assert row.notes == marks, label
        checked += 1
    position = 0
    for kind, label in (("subtotal", "小计"), ("total", "总计")):
        for row in rows(table, kind):
            cells, position = figures_after(cmp_summary, label, 6, position)
            assert printed(table, row) == cells, (kind, cells)
    assert checked == 15
    marked = [n.id for n in table.notes if not n.id.startswith("r")]  # r: reconciliation's
    assert marked == ["1", "2", "3", "4"]


def test_the_cmp_reports_are_listed_with_their_kind_in_the_source_order(
    tables: dict[str, TableView], seed_text: str
) -> None:
    intro = segment(seed_text, ANNEX_15, "截至 2025 年 12 月 31 日的储备金资助项目")
    listed = re.findall(r"(CMP \d+) .*?(进展报告|完成报告)", intro)
    table = tables["cmp-reports"]
    assert len(listed) == len(table.rows) == 12
    for row, (code, kind) in zip(table.rows, listed, strict=True):
        assert row.label.get("zh").startswith(f"{code} ")
        assert printed(table, row)[0] == kind, code


def test_each_balance_returned_is_its_own_projects_remaining_balance(
    wipo: Dataset, tables: dict[str, TableView], cmp_summary: str, seed_text: str
) -> None:
    """The extraction puts CMP 37's last box (its balance returned) under CMP 38's heading;
    every balance returned is the remaining balance of its own project's summary line."""
    annex = seed_text[seed_text.index(ANNEX_15) :]
    summary = tables["cmp-summary"]
    returned = [p for p in wipo.capital_projects if p.balance_returned is not None]
    assert {p.id for p in returned} == {"CMP 25", "CMP 35", "CMP 36", "CMP 37", "CMP 39"}
    for project in returned:
        amount = convert(project.balance_returned or Decimal(0), project.unit, CHF)
        assert f"{amount:,.2f}" in annex, project.id
        (row,) = [r for r in rows(summary) if r.label == project.name]
        remaining, *_ = figures_after(cmp_summary, row.label.get("zh"), 2)[0]
        # within the rounding of the summary's three figures (CMP 35: 318,509.54 and 318)
        gap = round_half_up(amount / 1000) - Decimal(remaining.replace(",", ""))
        assert abs(gap) <= 1, project.id
    cmp39 = annex.index("CMP 39 AIMS2.0")
    cmp38 = annex[annex.rindex("CMP 38 企业服务管理", 0, cmp39) : cmp39]
    assert "10,596.46" in cmp38  # printed under CMP 38's heading, CMP 37's by its summary
    published = {p.item for p in wipo.published_figures if p.measure == "project_balance_returned"}
    assert published == {p.id for p in returned}


# -- 附件十四 ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fund_table(seed_text: str) -> str:
    return segment(seed_text, "截至 2025 年 12 月 31 日的信托基金一览表", "绩效数据")


def test_the_trust_fund_statement_prints_all_its_columns_as_the_source(
    tables: dict[str, TableView], fund_table: str
) -> None:
    table = tables["trust-funds"]
    assert len(table.columns) == 11  # the code and the ten figures
    for row in rows(table):
        cells = printed(table, row)
        figures, _ = figures_after(fund_table, cells[0], 10)
        assert cells[1:] == figures, cells[0]
    (total,) = rows(table, "total")
    figures, _ = figures_after(fund_table, "总计", 10)
    assert printed(table, total)[1:] == figures


def test_the_trust_funds_are_listed_with_their_sector(
    tables: dict[str, TableView], seed_text: str
) -> None:
    start = seed_text.index("信托基金 部门")
    text = seed_text[start : seed_text.index("截至 2025 年 12 月 31 日的信托基金一览表", start)]
    listed = re.findall(r"^(\S+) (\S+)部门 *$", text, re.MULTILINE)
    table = tables["trust-fund-list"]
    ours = [(r.label.get("zh"), r.values[0]) for r in table.rows]
    assert len(listed) == len(ours) == 14
    for (name, sector), (our_name, our_sector) in zip(listed, ours, strict=True):
        assert FUND_LIST_NAMES.get(name, name) == our_name
        assert our_sector is not None and format_value(our_sector, "text", "zh") == sector


def test_each_fund_reports_the_results_under_its_own_heading(wipo: Dataset, seed_text: str) -> None:
    """Every indicator of a fund's results is printed between its fund's heading and the
    next fund's (the funds' results follow the list's order)."""
    annex = seed_text[seed_text.index(ANNEX_14) : seed_text.index(ANNEX_15)]
    flat = re.sub(r"\s", "", annex)
    starts = [m.start() for m in re.finditer("绩效数据", flat)]
    funds = list(dict.fromkeys(r.fund for r in wipo.trust_fund_results))
    assert len(starts) == len(funds)
    bounds = dict(zip(funds, zip(starts, [*starts[1:], len(flat)], strict=True), strict=True))
    for r in wipo.trust_fund_results:
        begin, end = bounds[r.fund]
        key = re.sub(r"\s", "", r.indicator.get("zh"))[:12]
        assert key in flat[begin:end], (r.fund, r.id)


# -- 附件八–十一 ---------------------------------------------------------------------------


def test_the_top_receiving_offices_as_the_source(
    tables: dict[str, TableView], seed_text: str
) -> None:
    text = segment(seed_text, "前 10 大受理局受理的 PCT 申请", "注：2025 年数据为产权组织的概算")
    table = tables["annex-8-receiving-offices"]
    assert len(table.rows) == 12
    for row in table.rows:
        figures, _ = figures_after(text, row.label.get("zh"), 7)
        assert [c.rstrip("%") for c in printed(table, row)] == figures, row.label.get("zh")


def test_the_lisbon_documents_as_the_source(tables: dict[str, TableView], seed_text: str) -> None:
    text = segment(seed_text, "文件 2016年", "注：由于技术原因")
    table = tables["annex-11-documents"]
    assert len(table.rows) == 8
    for row in table.rows:
        figures, _ = figures_after(text, row.label.get("zh"), 10)
        assert printed(table, row) == figures, row.label.get("zh")


@pytest.mark.parametrize(("chart", "after"), [(1, "增长了 53%）。"), (2, "直接成本 间接成本")])
def test_the_hague_unit_costs_as_the_charts_print_them(
    tables: dict[str, TableView], seed_text: str, chart: int, after: str
) -> None:
    """The chart data the source keeps: direct costs, indirect costs, then the totals."""
    start = seed_text.index(after, seed_text.index("附件十 海牙业务指标")) + len(after)
    axis = re.search(r"^0$", seed_text[start:], re.MULTILINE)
    assert axis
    numbers = re.findall(r"\d[\d,]*", seed_text[start : start + axis.start()])
    assert len(numbers) == 12
    table = tables[f"annex-10-unit-cost-{chart}"]
    columns = list(zip(*(printed(table, row) for row in table.rows), strict=True))
    assert [list(c) for c in columns] == [numbers[0:4], numbers[4:8], numbers[8:12]]


@pytest.mark.parametrize(
    ("table_id", "start", "end"),
    [
        ("annex-8", "附件八  PCT 体系指标", "附件九 马德里业务指标"),
        ("annex-9", "附件九 马德里业务指标", "附件十 海牙业务指标"),
        ("annex-10", "附件十 海牙业务指标", "附件十一 里斯本业务指标"),
        ("annex-11", "附件十一 里斯本业务指标", "附件十二 2024/25 年发展支出"),
    ],
)
def test_every_figure_of_an_annex_is_printed_in_it(
    tables: dict[str, TableView], seed_text: str, table_id: str, start: str, end: str
) -> None:
    """Each figure the report lists for an annex, its number and its period, is in the
    annex's text (a figure the source writes in words, 近两个百分点, is there as a 2 too)."""
    text = segment(seed_text, start, end)
    table = tables[table_id]
    assert len(table.rows) >= 5
    for row in table.rows:
        period, value = (format_value(v, "text", "zh") for v in row.values)
        number = re.match(r"-?([\d,.]+)", value)
        assert number, value
        assert re.search(r"(?<![\d,.])" + re.escape(number.group(1)) + r"(?![\d])", text), (
            row.label.get("zh"),
            value,
        )
        for year in period.split("-"):
            assert year.split("/")[0] in text, (row.label.get("zh"), period)
