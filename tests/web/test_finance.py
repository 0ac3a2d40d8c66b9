"""Finance: the report's finance tables in groups, the budget facts filtered with totals that
are the engine's sums, and the CSV and XLSX downloads of the same selection."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import quote

import openpyxl
import pytest
from lxml import html as lxml_html

from rbm.datapackage.resources import RESOURCES
from rbm.domain.dataset import Dataset
from rbm.domain.enums import Unit
from rbm.domain.finance import BudgetFact
from rbm.domain.workflow import Role
from rbm.engine.finance.rollup import rollup
from rbm.report.build.report import build_report
from rbm.report.model import ReportView
from rbm.report.render.tables_json import table_dict
from tests.web.conftest import Client

ClientFor = Callable[[Role | None], Client]
COLUMNS = next(r for r in RESOURCES if r.name == "budget_facts").columns(())
TABLE_4 = quote("表4")


@pytest.fixture(scope="module")
def report(wipo: Dataset) -> ReportView:
    return build_report(wipo)


def _totals(facts: list[BudgetFact]) -> dict[str, Decimal]:
    """The engine's sum per phase, in thousand CHF."""
    return {str(k[0]): v for k, v in rollup(facts, ("phase",), Unit.THOUSAND).items()}


def test_the_finance_page_groups_the_reports_finance_tables(
    client_for: ClientFor, report: ReportView
) -> None:
    client = client_for(Role.VIEWER)
    data = client.get("/api/finance").json()
    groups = {g["id"]: [b["id"] for b in g["blocks"]] for g in data["sections"]}
    assert list(groups) == [
        "finance-income",
        "finance-budget",
        "finance-transfers",
        "finance-development",
        "finance-promotion",
    ]
    shown = [i for ids in groups.values() for i in ids]
    wanted = [f"table-{n}" for n in range(2, 8)] + [f"annex-{n}" for n in range(1, 8)]
    wanted += ["annex-12", "annex-12-share", "annex-12-results"]
    assert set(wanted) <= set(shown)
    assert len(shown) == len(set(shown))
    table_6 = next(b for g in data["sections"] for b in g["blocks"] if b["id"] == "table-6")
    expected = next(t for t in report.tables() if t.id == "table-6")
    assert {k: v for k, v in table_6.items() if k != "kind"} == table_dict(expected)

    for lang, title in (("en", "Finance"), ("zh", "财务")):
        page = client.get(f"/finance?lang={lang}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        assert [h.text_content() for h in root.xpath("//h1")] == [title]
        toc = root.xpath('//nav[contains(@class, "page-toc")]//a/@href')
        assert len(toc) == len(groups) + len(shown)
        for href in toc:  # every entry of the table of contents lands on the page
            assert root.xpath(f'//*[@id="{href[1:]}"]'), href


def test_budget_filters_select_the_facts_and_total_them_with_the_engine(
    client_for: ClientFor, wipo: Dataset
) -> None:
    client = client_for(Role.VIEWER)
    everything = client.get("/api/finance/budget").json()
    assert everything["count"] == len(wipo.budget_facts)
    assert set(everything["options"]) == {
        "phase",
        "year",
        "sector",
        "result",
        "cost_category",
        "union",
        "funding",
        "source",
    }

    data = client.get(f"/api/finance/budget?sector=pt&source={TABLE_4}").json()
    facts = [f for f in wipo.budget_facts if f.sector == "pt" and f.source == "表4"]
    assert facts and data["count"] == len(facts)
    assert data["filters"] == {"sector": "pt", "source": "表4"}
    assert {k: Decimal(str(v)) for k, v in data["totals"].items()} == _totals(facts)
    assert all(f["sector"] == "pt" and f["source"] == "表4" for f in data["facts"])
    assert list(data["facts"][0]) == list(COLUMNS)

    chosen = {
        "phase": "adjusted",
        "year": "2025",
        "result": "3.1",
        "cost_category": "A",
        "union": "pct",
        "funding": "promotion",
    }
    for name, value in chosen.items():
        data = client.get(f"/api/finance/budget?{name}={value}").json()
        facts = [f for f in wipo.budget_facts if str(getattr(f, name)) == value]
        assert facts, f"the WIPO data have facts with {name}={value}"
        assert data["count"] == len(facts), name
        assert {k: Decimal(str(v)) for k, v in data["totals"].items()} == _totals(facts), name

    for lang in ("en", "zh"):
        page = client.get(f"/finance/budget?lang={lang}&sector=pt&phase=executed&source={TABLE_4}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        for select in root.xpath("//form//select"):
            assert root.xpath(f'//label[@for="{select.get("id")}"]'), select.get("name")
        assert root.xpath('//select[@name="sector"]/option[@selected]/@value') == ["pt"]
        assert len(root.xpath("//table/tbody/tr")) == len(
            [
                f
                for f in wipo.budget_facts
                if f.sector == "pt" and f.source == "表4" and f.phase == "executed"
            ]
        )
        (total,) = root.xpath("//table/tfoot/tr/td[1]")
        executed = _totals(
            [f for f in wipo.budget_facts if f.sector == "pt" and f.source == "表4"]
        )["executed"]
        assert total.text_content() == f"{executed:,}"
        downloads = root.xpath('//p[@class="downloads"]/a/@href')
        assert all("sector=pt" in href for href in downloads) and len(downloads) == 2


def test_an_unknown_filter_value_is_refused_with_422(client_for: ClientFor) -> None:
    client = client_for(Role.VIEWER)
    for url in (
        "/api/finance/budget?sector=atlantis",
        "/api/finance/budget?year=1999",
        "/api/finance/budget.csv?phase=dreamt",
    ):
        response = client.get(url)
        assert response.status_code == 422, url
        error = response.json()["error"]
        assert error["code"] == "invalid" and error["message"]
        assert error["details"]["value"] in url
        assert error["details"]["allowed"]
    page = client.get("/finance/budget?cost_category=Z&lang=en")
    assert page.status_code == 422
    assert "cost_category" in page.text


@pytest.mark.parametrize("where", ["/finance", "/api/finance"])
def test_the_downloads_parse_back_to_the_engines_totals(
    client_for: ClientFor, wipo: Dataset, where: str
) -> None:
    client = client_for(Role.VIEWER)
    facts = [f for f in wipo.budget_facts if f.sector == "pt" and f.source == "表4"]
    expected = _totals(facts)

    response = client.get(f"{where}/budget.csv?sector=pt&source={TABLE_4}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and ".csv" in disposition
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    assert rows and list(rows[0]) == list(COLUMNS)
    assert len(rows) == len(facts)
    sums: dict[str, Decimal] = {}
    for row in rows:
        assert row["unit"] == "kCHF"
        sums[row["phase"]] = sums.get(row["phase"], Decimal(0)) + Decimal(row["amount"])
    assert sums == expected

    response = client.get(f"{where}/budget.xlsx?sector=pt&source={TABLE_4}")
    assert response.status_code == 200
    assert ".xlsx" in response.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    amount = COLUMNS.index("amount")
    assert all(isinstance(row[amount], int | float) for row in values[1:])
    sums = {}
    for row in values[1:]:
        phase = str(row[0])
        sums[phase] = sums.get(phase, Decimal(0)) + Decimal(str(row[amount]))
    assert sums == expected
