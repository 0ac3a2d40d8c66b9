"""Risks: the report's risk tables and the engine's risk summary, filtered by expected result
and owner sector."""

from __future__ import annotations

from collections.abc import Callable

from lxml import html as lxml_html

from rbm.domain.dataset import Dataset
from rbm.domain.workflow import Role
from rbm.engine.rating.report import rating_report
from rbm.engine.rating.risks import summarize_risks
from rbm.report.build.report import build_report
from rbm.report.render.tables_json import table_dict
from tests.web.conftest import Client

ClientFor = Callable[[Role | None], Client]


def test_the_risk_page_shows_the_report_tables_and_the_engine_summary(
    client_for: ClientFor, wipo: Dataset
) -> None:
    client = client_for(Role.VIEWER)
    data = client.get("/api/risks").json()
    assert data["summary"] == rating_report(wipo).risks.to_dict()
    assert data["summary"]["total"]["risks"] == len(wipo.risks)
    report = {t.id: t for t in build_report(wipo).tables() if t.id.startswith("risks-")}
    assert data["tables"][0]["id"] == "risks-organizational"
    assert {t["id"] for t in data["tables"]} == set(report)
    for table in data["tables"]:
        assert table == table_dict(report[table["id"]])

    for lang, title in (("en", "Risks"), ("zh", "风险")):
        page = client.get(f"/risks?lang={lang}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        assert [h.text_content() for h in root.xpath("//h1")] == [title]
        by_owner = root.xpath('//*[@id="tbl-risk-summary-owner"]//tbody/tr')
        assert len(by_owner) == len(data["summary"]["by_owner"])
        counts = [int(tr.xpath("./td[1]")[0].text_content()) for tr in by_owner]
        assert counts == [g["risks"] for g in data["summary"]["by_owner"]]
        assert len(root.xpath('//div[starts-with(@id, "tbl-risks-")]')) == len(report)


def test_risk_filters_by_owner_and_result(client_for: ClientFor, wipo: Dataset) -> None:
    client = client_for(Role.VIEWER)
    sectors = [s.code for s in sorted(wipo.sectors, key=lambda s: s.order)]
    results = [r.code for r in sorted(wipo.results, key=lambda r: r.order)]

    owned = [r for r in wipo.risks if r.owner_sector == "afm"]
    data = client.get("/api/risks?owner=afm").json()
    assert data["summary"] == summarize_risks(owned, sectors, results).to_dict()
    assert sum(len(t["rows"]) for t in data["tables"]) == len(owned)
    assert {t["id"] for t in data["tables"]} == {f"risks-{r.result}" for r in owned}

    organizational = [r for r in wipo.risks if r.result is None]
    data = client.get("/api/risks?result=organizational").json()
    assert [t["id"] for t in data["tables"]] == ["risks-organizational"]
    assert data["summary"]["total"]["risks"] == len(organizational)

    both = [r for r in owned if r.result == "5.3"]
    data = client.get("/api/risks?owner=afm&result=5.3").json()
    assert data["summary"]["total"]["ids"] == [r.id for r in both]

    page = client.get("/risks?owner=afm&lang=en")
    assert page.status_code == 200
    root = lxml_html.fromstring(page.text)
    assert root.xpath('//select[@name="owner"]/option[@selected]/@value') == ["afm"]
    assert len(root.xpath('//div[starts-with(@id, "tbl-risks-")]//tbody/tr')) == len(owned)

    refused = client.get("/api/risks?owner=nobody")
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["parameter"] == "owner"
    assert client.get("/risks?result=9.9").status_code == 422
