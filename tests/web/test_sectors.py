"""Sector dashboards: the list with Table 5's figures and the engine's PIE counts, and each
sector's dashboard as the report builds it, with the PIEs the sector contributes to."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import html as lxml_html

from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating
from rbm.domain.workflow import Role
from rbm.engine.rating.report import RatingReport, rating_report
from rbm.report.build.report import build_report
from rbm.report.model import ReportView, TableView
from rbm.web.sections import find_section, section_dict
from tests.web.conftest import Client

ClientFor = Callable[[Role | None], Client]


@pytest.fixture(scope="module")
def report(wipo: Dataset) -> ReportView:
    return build_report(wipo)


@pytest.fixture(scope="module")
def ratings(wipo: Dataset) -> RatingReport:
    return rating_report(wipo)


def _table(report: ReportView, table_id: str) -> TableView:
    return next(t for t in report.tables() if t.id == table_id)


def test_the_sector_list_shows_table_5_and_the_engine_pie_counts(
    client_for: ClientFor, wipo: Dataset, report: ReportView, ratings: RatingReport
) -> None:
    client = client_for(Role.VIEWER)
    data = client.get("/api/sectors").json()
    codes = [s["code"] for s in data["sectors"]]
    assert codes == [s.code for s in sorted(wipo.sectors, key=lambda s: s.order)]
    table_5 = {row.label.get("en"): row.values for row in _table(report, "table-5").rows}
    for line in data["sectors"]:
        approved, adjusted, executed, rate = table_5[line["name"]["en"]]
        assert line["budget"] == {
            "approved": approved,
            "adjusted": adjusted,
            "executed": executed,
        }
        assert line["utilization"] == rate
        counts = ratings.totals.by_sector.get(line["code"], {})
        assert line["pies"] == {r.value: counts.get(r, 0) for r in Rating}
    pt = data["sectors"][0]
    assert pt["href"] == "/sectors/pt" and sum(pt["pies"].values()) > 0
    unallocated = next(s for s in data["sectors"] if s["unallocated"])
    assert unallocated["href"] is None  # the report has no dashboard for it
    assert data["total"]["budget"]["executed"] == table_5["Total"][2]

    for lang, heading in (("en", "Sector dashboards"), ("zh", "部门绩效综览图")):
        page = client.get(f"/sectors?lang={lang}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        assert [h.text_content() for h in root.xpath("//h1")] == [heading]
        links = root.xpath("//table//a/@href")
        assert links == [s["href"] for s in data["sectors"] if s["href"]]
        row = root.xpath('//tr[.//a[@href="/sectors/pt"]]')[0]
        cells = [td.text_content() for td in row.xpath("./td")]
        assert cells[:4] == [
            f"{pt['budget']['approved']:,}",
            f"{pt['budget']['adjusted']:,}",
            f"{pt['budget']['executed']:,}",
            f"{pt['utilization']}%",
        ]


def test_a_sector_dashboard_is_the_report_section_with_the_sectors_pies(
    client_for: ClientFor, report: ReportView, ratings: RatingReport
) -> None:
    client = client_for(Role.VIEWER)
    data = client.get("/api/sectors/pt").json()
    assert data["dashboard"] == section_dict(find_section(report, "dashboard-pt"))
    expected = [a for a in ratings.assessments if "pt" in a.sectors]
    assert expected, "the WIPO data link PIEs to Patents and Technology"
    assert [p["id"] for p in data["pies"]] == [a.pie.id for a in expected]
    assert [(p["computed_rating"], p["final_rating"]) for p in data["pies"]] == [
        (a.computed.value, a.final.value) for a in expected
    ]
    assert all(p["href"] == f"/pies/{p['id']}" for p in data["pies"])

    for lang in ("en", "zh"):
        page = client.get(f"/sectors/pt?lang={lang}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        (h1,) = root.xpath("//h1")
        assert h1.text_content() == find_section(report, "dashboard-pt").title.get(lang)
        captions = [c.text_content().strip() for c in root.xpath("//caption/*[1]")]
        for table_id in ("dashboard-pt-results", "dashboard-pt-costs"):
            assert _table(report, table_id).title.get(lang) in captions
        assert root.xpath("//svg") or root.xpath("//figure"), "the dashboard's charts"
        pie_links = root.xpath('//section[@id="sector-pies"]//a/@href')
        assert pie_links == [f"/pies/{a.pie.id}" for a in expected]

    missing = client.get("/api/sectors/nowhere")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert client.get("/sectors/nowhere").status_code == 404


def test_a_sector_without_a_dashboard_still_has_a_page(client_for: ClientFor) -> None:
    client = client_for(Role.VIEWER)
    data = client.get("/api/sectors/un").json()
    assert data["dashboard"] is None
    page = client.get("/sectors/un?lang=en")
    assert page.status_code == 200
    assert "no dashboard" in page.text
