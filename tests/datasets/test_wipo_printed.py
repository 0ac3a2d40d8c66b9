"""The source's printed finance tables, read from the seed text at test time, against the
report's tables as the reader sees them, cell by cell."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

import pytest

from rbm.domain.dataset import Dataset
from rbm.report.build.report import build_report
from rbm.report.model import ReportView, Row, TableView
from rbm.report.render.html import format_value

# A printed figure: 1,234 / (6.2) / 0.0 / -0.5% / >100% / n/a, or "-" for nil.
FIGURE = re.compile(r"\(?-?\d[\d,]*(?:\.\d+)?\)?%?|-|>100%|n/a")
# A footnote glued to a grouped number: "549,8131" is 549,813 with footnote 1.
GLUED_FOOTNOTE = re.compile(r"(\d{1,3}(?:,\d{3})+)\d")
# A footnote glued to a label: "会费（单一）1", "投资收益/（损失）2-3".
LABEL_FOOTNOTE = re.compile(r"(?<=[^\d\s,.])\d(?:-\d)?$")
RESULT_CODE = re.compile(r"^(\d\.\d)\s")
NO_ROW = "(no row)"

# The sector dashboards in the source's order (seed-map, section 三), by report code.
SECTORS = (
    ("pt", "专利和技术"),
    ("bd", "品牌和外观设计"),
    ("cc", "版权和创意产业"),
    ("rnd", "区域和国家发展"),
    ("ip", "基础设施和平台"),
    ("gcp", "全球挑战和伙伴关系"),
    ("ie", "知识产权和创新生态系统"),
    ("afm", "行政、财务和管理"),
)

# Source row keys whose report row has another label.
ALIASES = {
    # the source repeats the contributions label on the expenditure adjustment's line
    ("table-1", "对特别账户会费的IPSAS调整额#2"): "特别账户支出的IPSAS调整额",
    # the share table's third line is the difference of the two shares the source prints
    ("annex-12-share", "差异"): "两项占比之差",
}

# Where a source column is in the report (None: the report does not print it, so it is not
# compared). Tables not listed print the same columns in the same order; a column only the
# report has (附件一's 第 3.4 条限额) is last and never compared, and neither is a cell the
# source leaves blank (表1's ratio beside 经营成果, 盈余 and the net-assets lines).
REPORT_COLUMNS: dict[str, tuple[int | None, ...]] = {}

# Printed cells per table, as parsed: a row the parser loses changes these.
PARSED = {
    "table-1": 48,
    "table-2": 36,
    "table-3": 30,
    "table-4": 153,
    "table-5": 40,
    "table-6": 124,
    "table-7": 50,
    "table-7-share": 2,
    "dashboard-pt-results": 33,
    "dashboard-bd-results": 21,
    "dashboard-cc-results": 30,
    "dashboard-rnd-results": 30,
    "dashboard-ip-results": 21,
    "dashboard-gcp-results": 27,
    "dashboard-ie-results": 24,
    "dashboard-afm-results": 27,
    **{f"dashboard-{code}-costs": 12 for code, _ in SECTORS},
    **{f"dashboard-{code}-gauge": 1 for code, _ in SECTORS},
    "annex-1": 70,
    "annex-3": 60,
    "annex-4": 133,
    "annex-2": 66,
    "annex-5": 150,
    "annex-6": 242,
    "annex-12-results": 126,
    "annex-12": 72,
    "annex-12-share": 3,
}

# Every cell the report prints differently, with why. "recomputed": the report prints its own
# sum, difference or ratio of printed parts, the source a figure rounded from unrounded amounts;
# "knock-on": computed from a recomputed figure; "precision": a ratio of rounded figures;
# "format": the same figure printed another way; "no row": the report does not print the row.
KNOWN_MISMATCHES: dict[tuple[str, str, int], str] = {
    (
        "table-1",
        "IPSAS调整后特别账户",
        0,
    ): "format: 18.4 - 18.4 + 0 = 0 prints nil '-'; the source prints 0.0",
    (
        "table-1",
        "IPSAS调整后特别账户",
        1,
    ): "format: 17.9 - 18.1 + 0.2 = 0 prints nil '-'; the source (0.0): -4,620 CHF by footnote 1",
}


@dataclass(frozen=True)
class PrintedCell:
    """A figure as the source prints it; `row_key` is the report row's label (whitespace
    removed) or its result code, `column_index` the position among the source's columns."""

    table_id: str
    row_key: str
    column_index: int
    printed_text: str
    seed_line: int


@dataclass(frozen=True)
class SeedRow:
    """A line of figures, its label, and the label-only lines since the previous row
    (headings, or the first lines of a label wrapped over several lines)."""

    label: str
    before: tuple[str, ...]
    values: tuple[str, ...]
    line: int

    @property
    def own(self) -> str:
        """The label on the figures' line, or else the wrapped label printed above it."""
        return self.label or "".join(self.before)

    @property
    def full(self) -> str:
        """The label-only lines above and the label on the figures' line, joined."""
        return "".join((*self.before, self.label))

    @property
    def code(self) -> str | None:
        """The expected result's code ("2.1") of a row labelled "<code> <title>"."""
        for part in (*self.before, self.label):
            match = RESULT_CODE.match(part)
            if match:
                return match.group(1)
        return None


def squash(text: str) -> str:
    """The seed spaces characters out and wraps labels: compare labels without whitespace."""
    return re.sub(r"\s+", "", text)


def label_key(text: str) -> str:
    """A label as a row key: no whitespace, no footnote marker."""
    return LABEL_FOOTNOTE.sub("", squash(text))


def clean_figure(token: str) -> str:
    """The figure without a footnote number glued to it."""
    glued = GLUED_FOOTNOTE.fullmatch(token)
    return glued.group(1) if glued else token


def split_line(text: str) -> tuple[str, tuple[str, ...]]:
    """A line's label and its trailing figures."""
    tokens = text.split()
    n = len(tokens)
    while n > 0 and FIGURE.fullmatch(clean_figure(tokens[n - 1])):
        n -= 1
    return " ".join(tokens[:n]), tuple(clean_figure(t) for t in tokens[n:])


class Seed:
    """The seed text's lines, numbered from 1 as the seed-map numbers them."""

    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")

    def text(self, number: int) -> str:
        return self.lines[number - 1].strip()

    def find(self, anchor: str, after: int = 0) -> int:
        """The number of the first line after line `after` that contains `anchor`."""
        for number in range(after + 1, len(self.lines) + 1):
            if anchor in self.lines[number - 1]:
                return number
        raise AssertionError(f"{anchor!r} not found after line {after}")

    def rows(self, first: int, stop: int) -> list[SeedRow]:
        """The rows of figures from line `first` up to (not including) line `stop`."""
        parsed = [
            (number, *split_line(self.lines[number - 1]))
            for number in range(first, stop)
            if self.lines[number - 1].strip()
        ]
        found: list[SeedRow] = []
        before: list[str] = []
        for i, (number, label, values) in enumerate(parsed):
            after = parsed[i + 1] if i + 1 < len(parsed) else (0, "", ())
            # "IPSAS 调整后特别账户 1" over " 0.0 (0.0)": a lone digit is a footnote marker
            footnoted = len(values) == 1 and len(values[0]) == 1 and values[0].isdigit()
            if not values or (footnoted and not after[1] and after[2]):
                before.append(label)
                continue
            # a figure with no label at all is a footnote marker below the table
            if label or before:
                found.append(SeedRow(label, tuple(before), values, number))
            before = []
        return found

    def table(self, title: str, first: str, stop: str) -> list[SeedRow]:
        """The rows of the table titled `title`, from the line holding `first` up to `stop`."""
        start = self.find(first, self.find(title) - 1)
        return self.rows(start, self.find(stop, start))


def through_total(rows: list[SeedRow]) -> list[SeedRow]:
    """The rows up to and including the first 总计 row (what follows is another block)."""
    for i, row in enumerate(rows):
        if squash(row.label) == "总计":
            return rows[: i + 1]
    raise AssertionError("no 总计 row")


def numbered(keys: Iterable[str]) -> Iterator[str]:
    """Each key, and a repeated one as "<key>#2", "<key>#3"… from its second occurrence."""
    seen: Counter[str] = Counter()
    for key in keys:
        seen[key] += 1
        yield key if seen[key] == 1 else f"{key}#{seen[key]}"


def cells(
    table_id: str,
    rows: list[SeedRow],
    keys: Iterable[str],
    places: dict[int, tuple[int, ...]] | None = None,
) -> list[PrintedCell]:
    """One cell per printed figure; `places` gives the columns of a row printing n figures
    where that is not the first n."""
    out = []
    for row, key in zip(rows, numbered(keys), strict=True):
        columns = (places or {}).get(len(row.values), tuple(range(len(row.values))))
        row_key = ALIASES.get((table_id, key), key)
        for column, value in zip(columns, row.values, strict=True):
            out.append(PrintedCell(table_id, row_key, column, value, row.line))
    return out


def result_key(row: SeedRow) -> str:
    """A result row's code ("2.1"), or the label of a total row."""
    return row.code or label_key(row.own)


# --- One parser per table (lines after the seed-map) ---------------------------------------


def table_1(seed: Seed) -> list[PrintedCell]:
    """表1 (lines 44–153): key financial data and net assets, million CHF."""
    rows = seed.table("表1.2024/25年主要财务数据", "IPSAS 调整后收入总额", "1 2024 年特别账户")
    # Lines with two figures leave the ratio blank; the net-assets lines print the actual only.
    return cells("table-1", rows, (label_key(r.own) for r in rows), {1: (1,)})


def table_2(seed: Seed) -> list[PrintedCell]:
    """表2 (lines 154–237): income, million CHF, and the Lisbon note line in thousand CHF."""
    rows = seed.table("表2.2024/25年收入", "PCT 体系", "1会费包括")
    return cells("table-2", rows, (label_key(r.full) for r in rows))


def table_3(seed: Seed) -> list[PrintedCell]:
    """表3 (lines 242–299): demand, each measure under its system's heading (the report's
    heading rows print no figures, so a measure is found by its label and order)."""
    rows = seed.table("表 3.2024/25 年 PCT", "PCT 体系", "1 首席经济学家")
    return cells("table-3", rows, (label_key(r.label) for r in rows))


def table_4(seed: Seed) -> list[PrintedCell]:
    """表4 (lines 364–500): expenditure by expected result × sector, with both totals."""
    rows = seed.table("表4.2024/25年按预期成果和部门开列的支出", "1.1 世界", "1 行政还包括")
    return cells("table-4", rows, (result_key(r) for r in rows))


def table_5(seed: Seed) -> list[PrintedCell]:
    """表5 (lines 501–547): budget and expenditure by sector."""
    rows = seed.table("表5.2024/25年按部门开列的预算和支出", "专利和技术", "1预算利用情况")
    return cells("table-5", rows, (label_key(r.label) for r in rows))


def table_6(seed: Seed) -> list[PrintedCell]:
    """表6 (lines 572–664): budget and expenditure by cost category."""
    rows = seed.table("表6.2024/25年按费用类别开列的预算与支出", "A.人事费", "1预算利用情况")
    return cells("table-6", rows, (label_key(r.label) for r in rows))


def table_7(seed: Seed) -> list[PrintedCell]:
    """表7 (lines 748–822): development expenditure by sector; its share line is the
    report's table-7-share."""
    rows = seed.table("表 7.2024/25 年发展支出", "专利和技术", "1发展支出定义见")
    share = [r for r in rows if label_key(r.own).startswith("发展支出占")]
    assert len(share) == 1 and len(share[0].values) == 2
    shares = [
        PrintedCell("table-7-share", key, 0, value, share[0].line)
        for key, value in zip(
            ("发展支出占总预算的百分比", "发展支出占总支出的百分比"), share[0].values, strict=True
        )
    ]
    rows = [r for r in rows if r is not share[0]]
    # The trust-fund line prints two figures, in the budget and expenditure columns without
    # Development Agenda projects (docs/curation/fin-detail.md)
    return cells("table-7", rows, (label_key(r.own) for r in rows), {2: (0, 3)}) + shares


def annex_1(seed: Seed) -> list[PrintedCell]:
    """附件一 (lines 7472–7567): budget after transfers by sector."""
    rows = seed.table("附件一 2024/25 年按部门开列的调剂使用后预算", "专利和技术", "1产权组织")
    return cells("annex-1", rows, (label_key(r.label) for r in rows))


def annex_3(seed: Seed) -> list[PrintedCell]:
    """附件三 (lines 7631–7670): approved and final budget by sector and year."""
    title = "附件三 按部门开列的 2024/25 年核定预算和调剂使用后预算"
    rows = seed.table(title, "专利和技术", "1 2024 年和 2025 年")
    return cells("annex-3", rows, (label_key(r.label) for r in rows))


def annex_4(seed: Seed) -> list[PrintedCell]:
    """附件四 (lines 7671–7760): budget and utilization by expected result."""
    title = "附件四 2024/25 年按预期成果开列的预算和资源利用情况"
    rows = seed.table(title, "1.1 世界", "1 预算利用情况反映了")
    # "UNALLOC 未分拨": the PDF's hidden sector code surfaces before the label
    return cells("annex-4", rows, (result_key(r).removeprefix("UNALLOC") for r in rows))


def annex_2(seed: Seed) -> list[PrintedCell]:
    """附件二 (lines 7568–7630): income estimates by year and for the biennium, original
    and updated."""
    rows = seed.table("附件二 2024/25 年收入概算", "PCT 366", "1收入概算是根据")
    return cells("annex-2", rows, (label_key(r.label) for r in rows))


def annex_5(seed: Seed) -> list[PrintedCell]:
    """附件五 (lines 7761–7819): posts by sector and grade, each phase's total and the
    differences."""
    rows = seed.table("附件五 2024/25 年按部门开列的员额", "专利和技术", "截至 2025年")
    return cells("annex-5", rows, (label_key(r.label) for r in rows))


def annex_6(seed: Seed) -> list[PrintedCell]:
    """附件六 (lines 7820–7934): key financial data by union and in total, then the
    net-assets block under its own header line (actual figures only)."""
    title = seed.find("附件六 2024/25 年按联盟开列的主要财务数据")
    first = seed.find("IPSAS调整后收入", title)
    header = seed.find("净资产 会费供资联盟", first)
    rows = seed.rows(first, header) + seed.rows(header + 1, seed.find("包括特别账户", header))
    # A line printing fewer figures than the twelve columns leaves cells blank: the unions'
    # budgets (reserve-funded projects, investment income), the unions (special accounts),
    # every budget (net assets)
    places = {
        7: (1, 3, 5, 7, 9, 10, 11),
        6: (1, 3, 5, 7, 9, 11),
        2: (10, 11),
    }
    return cells("annex-6", rows, (label_key(r.own) for r in rows), places)


def annex_12(seed: Seed) -> list[PrintedCell]:
    """附件十二 (lines 8772–8945): development expenditure by expected result × sector,
    then by sector with the differences, and the share line (the report's annex-12-share)."""
    title = "按预期成果和部门开列的发展支出"
    by_result = seed.table(title, "1.1 世界", "1 发展支出定义见")
    out = cells("annex-12-results", by_result, (result_key(r) for r in by_result))
    rows = seed.table("按部门开列的发展支出", "专利和技术", "1发展支出定义见")
    share = [r for r in rows if label_key(r.own).startswith("发展支出占")]
    assert len(share) == 1 and len(share[0].values) == 3
    by_sector = [r for r in rows if r is not share[0]]
    out += cells("annex-12", by_sector, (label_key(r.label) for r in by_sector))
    keys = ("发展支出占总预算的百分比", "发展支出占总支出的百分比", "差异")
    out += [
        PrintedCell("annex-12-share", ALIASES.get(("annex-12-share", k), k), 0, v, share[0].line)
        for k, v in zip(keys, share[0].values, strict=True)
    ]
    return out


def dashboards(seed: Seed) -> list[PrintedCell]:
    """三 (lines 6694–7469): per sector, the results table, the cost table and the gauge."""
    out: list[PrintedCell] = []
    at, end = seed.find("三、 按部门开列的绩效综览图"), seed.find("四、 附 件")
    for code, name in SECTORS:
        results = seed.find("按成果开列的预算和支出", at)
        costs = seed.find("预算和支出（人事和非人事）", results)
        by_result = through_total(seed.rows(results + 1, costs))
        # the cost table's page also carries links and legends, in any order: stop at its 总计
        by_cost = through_total(seed.rows(costs + 1, end))
        out += cells(f"dashboard-{code}-results", by_result, (result_key(r) for r in by_result))
        out += cells(f"dashboard-{code}-costs", by_cost, (label_key(r.label) for r in by_cost))
        # the gauge "预算利用情况" is the first lone percentage after the cost table
        at = by_cost[-1].line + 1
        while not re.fullmatch(r"\d+%", seed.text(at)):
            at += 1
        out.append(PrintedCell(f"dashboard-{code}-gauge", name, 0, seed.text(at), at))
    return out


PARSERS: tuple[Callable[[Seed], list[PrintedCell]], ...] = (
    table_1,
    table_2,
    table_3,
    table_4,
    table_5,
    table_6,
    table_7,
    dashboards,
    annex_1,
    annex_2,
    annex_3,
    annex_4,
    annex_5,
    annex_6,
    annex_12,
)


# --- The comparison ------------------------------------------------------------------------


@dataclass
class Comparison:
    """Per table, the cells compared and skipped; each mismatch with what both sides print."""

    compared: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    mismatches: dict[tuple[str, str, int], tuple[str, str, int]] = field(default_factory=dict)

    def summary(self) -> str:
        """One line per table: cells compared, mismatched, and not in the report's columns."""
        mismatched = Counter(key[0] for key in self.mismatches)
        lines = [f"{'table':28} {'compared':>8} {'mismatched':>10} {'skipped':>7}"]
        lines += [
            f"{t:28} {self.compared[t]:8} {mismatched[t]:10} {self.skipped[t]:7}"
            for t in sorted(self.compared.keys() | self.skipped.keys())
        ]
        compared, skipped = sum(self.compared.values()), sum(self.skipped.values())
        lines.append(f"{'total':28} {compared:8} {len(self.mismatches):10} {skipped:7}")
        return "\n".join(lines)


def report_rows(table: TableView) -> dict[str, Row]:
    """The table's rows by label without whitespace, result rows by their code."""
    keys = (
        match.group(1)
        if (match := RESULT_CODE.match(row.label.get("zh")))
        else squash(row.label.get("zh"))
        for row in table.rows
    )
    return dict(zip(numbered(keys), table.rows, strict=True))


def compare(printed: list[PrintedCell], report: ReportView) -> Comparison:
    """Each printed cell against the report's cell formatted as the reader sees it."""
    tables = {table.id: table for table in report.tables()}
    missing = sorted({cell.table_id for cell in printed} - tables.keys())
    assert not missing, f"the report has no table {missing}"
    indexes = {table_id: report_rows(table) for table_id, table in tables.items()}
    result = Comparison()
    for cell in printed:
        table = tables[cell.table_id]
        mapping = REPORT_COLUMNS.get(cell.table_id)
        column = mapping[cell.column_index] if mapping else cell.column_index
        if column is None:
            result.skipped[cell.table_id] += 1
            continue
        result.compared[cell.table_id] += 1
        row = indexes[cell.table_id].get(cell.row_key)
        shown = NO_ROW
        if row is not None:
            fmt = table.columns[column].format
            shown = format_value(row.values[column], fmt, "zh")
        if shown != cell.printed_text:
            key = (cell.table_id, cell.row_key, cell.column_index)
            result.mismatches[key] = (cell.printed_text, shown, cell.seed_line)
    return result


def printed_cells(seed_text: str) -> list[PrintedCell]:
    """Every parser's cells, in the source's order."""
    seed = Seed(seed_text)
    return [cell for parser in PARSERS for cell in parser(seed)]


@pytest.fixture(scope="module")
def report(wipo: Dataset) -> ReportView:
    return build_report(wipo)


def test_the_seed_tables_parse_to_the_known_cell_counts(seed_text: str) -> None:
    """Each table's printed cells, counted: a row the parser loses changes the count."""
    printed = printed_cells(seed_text)
    keys = Counter((cell.table_id, cell.row_key, cell.column_index) for cell in printed)
    assert [key for key, n in keys.items() if n > 1] == []
    assert dict(Counter(cell.table_id for cell in printed)) == PARSED


def test_printed_cells_match_the_report(report: ReportView, seed_text: str) -> None:
    """Every printed figure is what the report shows, but for the known mismatches."""
    result = compare(printed_cells(seed_text), report)
    print("\n" + result.summary())
    assert sum(result.compared.values()) >= 250
    new = {k: v for k, v in result.mismatches.items() if k not in KNOWN_MISMATCHES}
    fixed = sorted(k for k in KNOWN_MISMATCHES if k not in result.mismatches)
    lines = [f"new: {k} source {p!r} (line {n}), report {s!r}" for k, (p, s, n) in new.items()]
    lines += [f"fixed (remove from KNOWN_MISMATCHES): {k}" for k in fixed]
    assert not lines, "\n".join([result.summary(), *lines])


def test_tables_print_their_sources_notes_and_labels_in_both_languages(
    report: ReportView,
) -> None:
    """附件六's footnote on the net-assets lines and its inter-union financing notes are the
    table's notes; every label of the tables printed here reads in Chinese and English."""
    tables = {table.id: table for table in report.tables()}
    annex_6 = tables["annex-6"]
    assert [n.id for n in annex_6.notes][:6] == ["1", "n1", "n2", "n3", "n4", "n5"]
    assert len([r for r in annex_6.rows if r.notes == ("1",)]) == 2
    assert [n.id for n in tables["table-1"].notes][:3] == ["1", "2", "3"]
    for table_id in PARSED:
        table = tables[table_id]
        texts = [*(c.label for c in table.columns), *(r.label for r in table.rows)]
        texts += [n.text for n in table.notes]
        assert all(t.exact("zh") and t.exact("en") for t in texts), table_id
