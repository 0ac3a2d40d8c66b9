"""A second organization, unlike WIPO in every way, gets a whole report from its ledger."""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from rbm.cli.report import writer
from rbm.datapackage.package import read_package
from rbm.domain.dataset import Dataset
from rbm.report.build.report import build_report
from rbm.report.model import ReportView, TableView
from rbm.report.render import charts
from tests.conftest import ROOT

NORTHWIND = ROOT / "examples" / "northwind-2026-28"
WIPO_TEXT = re.compile(r"WIPO|OMPI|CHF|2024/25")
# the package is in English and French: no Chinese anywhere, not even a label
CJK = re.compile(r"[\u2e80-\u9fff\uff00-\uffef]")


@pytest.fixture(scope="module")
def northwind() -> Dataset:
    result = read_package(NORTHWIND)
    assert result.report.errors == ()
    assert result.dataset is not None
    return result.dataset


@pytest.fixture(scope="module")
def view(northwind: Dataset) -> ReportView:
    return build_report(northwind)


@pytest.fixture(scope="module")
def written(view: ReportView, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    out = tmp_path_factory.mktemp("northwind")
    assert view.langs == ("en", "fr")
    charts.draw_all(list(view.charts()), view.langs)
    files: list[Path] = []
    for fmt in ("html", "pdf", "xlsx"):
        for lang in view.langs:
            files.extend(writer(fmt)(view, out, lang))
    files.extend(writer("json")(view, out, "en"))
    return files


def _ledger() -> dict[tuple[str, str], Decimal]:
    """Executed, approved and final budget per sector, summed from the ledger's rows."""
    sums: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    with (NORTHWIND / "data" / "budget_facts.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            sums[(row["phase"], row["sector"])] += Decimal(row["amount"])
    return sums


def _table(view: ReportView, table_id: str) -> TableView:
    return next(t for t in view.tables() if t.id == table_id)


def test_the_ledger_fills_the_budget_by_sector(view: ReportView, northwind: Dataset) -> None:
    table = _table(view, "budget-by-sector")
    names = {s.name.get("en"): s.code for s in northwind.sectors}
    ledger = _ledger()
    compared = 0
    for row in table.rows:
        if row.kind != "data":
            continue
        code = names[row.label.get("en")]
        for i, phase in enumerate(("approved", "adjusted", "executed")):
            expected = ledger.get((phase, code))
            if expected is None:
                assert row.values[i] is None
                continue
            assert row.values[i] == expected / 1000, (code, phase)
            compared += 1
    assert compared >= 12
    total = table.rows[-1]
    assert total.kind == "total"
    spent = sum(v for (p, _), v in ledger.items() if p == "executed")
    assert total.values[2] == spent / 1000


def test_no_block_is_empty_and_every_kind_of_table_is_there(view: ReportView) -> None:
    ids = {t.id for t in view.tables()}
    for wanted in (
        "budget-by-sector",
        "expenditure-by-pillar",
        "expenditure-by-result-sector",
        "budget-by-result",
        "budget-by-cost-category",
        "budget-by-year",
        "transfers",
        "risks-organizational",
        "pie-counts",
        "sector-CLIN-results",
    ):
        assert wanted in ids
    for table in view.tables():
        assert table.rows and any(v is not None for r in table.rows for v in r.values), table.id
    for section in view.walk():
        assert section.blocks or section.children, section.id


def test_every_format_and_language_is_written_without_wipo_text(written: list[Path]) -> None:
    kinds = {p.suffix for p in written}
    assert {".html", ".pdf", ".xlsx", ".json"} <= kinds
    assert {p.parent.name for p in written if p.suffix == ".html"} == {"en", "fr"}
    for path in written:
        if path.suffix in (".html", ".json"):
            content = path.read_text(encoding="utf-8")
            found = WIPO_TEXT.findall(content) + CJK.findall(content)
            assert not found, (path.name, found[:5])


def test_the_french_edition_reads_french(written: list[Path]) -> None:
    """Headings from the French catalogue, texts from the package's French columns, numbers
    with the French decimal comma and the page in French."""
    page = next(p for p in written if p.parent.name == "fr" and p.name == "overview.html")
    content = page.read_text(encoding="utf-8")
    assert '<html lang="fr">' in content
    assert "Aperçu financier et des résultats" in content  # the generic layout's French title
    assert "Services cliniques" in content  # the sector's name in the package's French
    assert re.search(r"\d,\d", content)  # a decimal comma
    assert 'href="../en/overview.html"' in content  # the switch to the English edition


def test_sources_without_a_label_are_cited_by_title_in_other_languages(view: ReportView) -> None:
    assert view.cite("LEDGER", "en") == "LEDGER"  # the package's first language: its id
    assert view.cite("LEDGER", "fr") == next(
        s.title.get("fr") for s in read_package(NORTHWIND).dataset.sources if s.id == "LEDGER"
    )


def test_the_layout_check_passes(written: list[Path]) -> None:
    """No page under a quarter filled but a section's last, nothing outside the page, no
    crushed cell, no chart taller than a page, in both languages."""
    from tests.report.render.test_layout import assert_layout

    pdfs = [path for path in written if path.suffix == ".pdf"]
    assert len(pdfs) == 2
    for path in pdfs:
        assert_layout(path)
