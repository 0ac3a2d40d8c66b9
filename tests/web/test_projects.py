"""Capital projects and trust funds: the report's CMP and trust-fund sections, and a page per
project report."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import html as lxml_html

from rbm.domain.dataset import Dataset
from rbm.domain.workflow import Role
from rbm.report.build.report import build_report
from rbm.report.model import ReportView
from rbm.web.sections import find_section, section_dict
from tests.web.conftest import Client

ClientFor = Callable[[Role | None], Client]


@pytest.fixture(scope="module")
def report(wipo: Dataset) -> ReportView:
    return build_report(wipo)


def test_the_projects_page_shows_the_cmp_and_trust_fund_sections(
    client_for: ClientFor, wipo: Dataset, report: ReportView
) -> None:
    client = client_for(Role.VIEWER)
    data = client.get("/api/projects").json()
    assert data["cmp"] == section_dict(find_section(report, "cmp"))
    assert data["trust_funds"] == section_dict(find_section(report, "trust-funds"))
    reported = [p for p in wipo.capital_projects if p.report_kind is not None]
    codes = [p["code"] for p in data["projects"]]  # in the order of the projects' ids
    assert codes == sorted(p.id.lower().replace(" ", "-") for p in reported)

    for lang, title in (
        ("en", "Capital projects and trust funds"),
        ("zh", "基本建设项目和信托基金"),
    ):
        page = client.get(f"/projects?lang={lang}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        assert [h.text_content() for h in root.xpath("//h1")] == [title]
        assert root.xpath('//*[@id="tbl-cmp-summary"]') and root.xpath('//*[@id="tbl-trust-funds"]')
        links = root.xpath('//ul[@class="subpages"]/li/a/@href')
        assert links == [p["href"] for p in data["projects"]]


def test_a_project_page_is_its_report_section(client_for: ClientFor, report: ReportView) -> None:
    client = client_for(Role.VIEWER)
    expected = section_dict(find_section(report, "cmp-cmp-36"))
    assert client.get("/api/projects/cmp-36").json() == expected
    assert client.get("/api/projects/CMP%2036").json() == expected  # the project's own id
    for lang in ("en", "zh"):
        page = client.get(f"/projects/cmp-36?lang={lang}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        (h1,) = root.xpath("//h1")
        assert h1.text_content() == find_section(report, "cmp-cmp-36").title.get(lang)
        assert root.xpath('//*[@id="tbl-cmp-cmp-36-deliverables"]')

    for code in ("cmp-99", "cmp-madrid-it"):  # unknown, and a project without a report
        missing = client.get(f"/api/projects/{code}")
        assert missing.status_code == 404
        assert missing.json()["error"]["details"] == {"project": code}
    assert client.get("/projects/cmp-99").status_code == 404
