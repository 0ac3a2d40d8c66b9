"""The results framework drill-down and the PIE page: counts, ratings and explanations are
the engine's, the workflow states the store's; what a page offers is what the rules allow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from lxml import html as lxml_html
from lxml.html import HtmlElement

from rbm.domain.dataset import Dataset
from rbm.domain.enums import Rating, WorkflowState
from rbm.domain.workflow import Role
from rbm.engine.rating.assess import Assessment
from rbm.engine.rating.report import RatingReport, rating_report
from rbm.i18n import t
from tests.web.conftest import FOCAL_PIE, Client

ClientFor = Callable[[Role | None], Client]
EN = {"accept-language": "en"}
PIE = f"{FOCAL_PIE}.1"


@pytest.fixture(scope="module")
def ratings(wipo: Dataset) -> RatingReport:
    return rating_report(wipo)


def _assessment(ratings: RatingReport, pie: str) -> Assessment:
    return next(a for a in ratings.assessments if a.pie.id == pie)


def _other_sector_pie(ratings: RatingReport) -> str:
    """A PIE whose indicator pt (fay's sector) does not contribute to."""
    return next(a.pie.id for a in ratings.assessments if "pt" not in a.sectors and a.sectors)


def _page(client: Client, url: str) -> HtmlElement:
    response = client.get(url, headers=EN)
    assert response.status_code == 200, response.text
    root = lxml_html.fromstring(response.text)
    assert len(root.findall(".//h1")) == 1
    return root


def _ratings(counts: dict[Rating, int]) -> dict[str, int]:
    return {r.value: counts.get(r, 0) for r in Rating}


def test_the_framework_counts_pies_by_final_rating_and_state_as_engine_and_store_do(
    client_for: ClientFor, ratings: RatingReport, wipo: Dataset
) -> None:
    vera = client_for(Role.VIEWER)
    data = vera.get("/api/framework").json()
    assert data["pies"] == len(ratings.assessments) == len(wipo.pies)
    assert data["by_rating"] == _ratings(ratings.totals.by_rating)
    assert data["by_state"] == {
        "draft": len(wipo.pies),
        "submitted": 0,
        "validated": 0,
        "returned": 0,
    }
    assert [p["code"] for p in data["pillars"]] == [
        p.code for p in sorted(wipo.pillars, key=lambda p: p.order)
    ]
    for pillar in data["pillars"]:
        assert pillar["by_rating"] == _ratings(ratings.totals.by_pillar[pillar["code"]])
        for result in pillar["results"]:
            assert result["by_rating"] == _ratings(ratings.totals.by_result[result["code"]])
            assert result["indicators"] == sum(
                1 for i in wipo.indicators if i.result == result["code"]
            )
    root = _page(vera, "/framework")
    rows = root.xpath('//table[caption[@id="cap-pillars"]]/tbody/tr')
    assert len(rows) == len(wipo.pillars)
    assert root.xpath('//table[caption[@id="cap-pillars"]]/tfoot//td')[0].text_content() == str(
        len(wipo.pies)
    )


def test_the_drill_down_goes_from_a_pillar_to_the_pies_of_an_indicator(
    client_for: ClientFor, ratings: RatingReport, wipo: Dataset
) -> None:
    vera = client_for(Role.VIEWER)
    indicator = next(i for i in wipo.indicators if i.id == FOCAL_PIE)
    result = next(r for r in wipo.results if r.code == indicator.result)

    pillar = vera.get(f"/api/framework/pillars/{result.pillar}").json()
    found = next(r for r in pillar["results"] if r["code"] == result.code)
    assert FOCAL_PIE in [i["id"] for i in found["indicators"]]
    root = _page(vera, f"/framework/pillars/{result.pillar}")
    assert root.xpath(f'//a[@href="/framework/results/{result.code}"]')

    data = vera.get(f"/api/framework/results/{result.code}").json()
    line = next(i for i in data["indicators"] if i["id"] == FOCAL_PIE)
    assert "pt" in line["sectors"]
    assert line["pies"] == sum(1 for p in wipo.pies if p.indicator == FOCAL_PIE)
    root = _page(vera, f"/framework/results/{result.code}")
    assert root.xpath(f'//a[@href="/framework/indicators/{FOCAL_PIE}"]')

    data = vera.get(f"/api/framework/indicators/{FOCAL_PIE}", headers=EN).json()
    expected = [a for a in ratings.assessments if a.pie.indicator == FOCAL_PIE]
    assert [p["id"] for p in data["pies"]] == [a.pie.id for a in expected]
    for pie, a in zip(data["pies"], expected, strict=True):
        assert pie["computed_rating"] == a.computed.value
        assert pie["final_rating"] == a.final.value
        assert pie["actual"]["text"] == (a.pie.actual_text.get("en") or None)
        assert pie["workflow"]["state"] == "draft"
    root = _page(vera, f"/framework/indicators/{FOCAL_PIE}")
    rows = root.xpath('//table[caption[@id="cap-pies"]]/tbody/tr')
    assert len(rows) == len(expected)
    cells = [c.text_content().strip() for c in rows[0].xpath("td")]
    a = expected[0]
    assert cells[:3] == [
        a.pie.baseline_text.get("en") or "-",
        a.pie.target_text.get("en"),
        a.pie.actual_text.get("en") or "-",
    ]
    assert cells[3] == t(f"rating.{a.computed.value}", "en")
    assert cells[5] == t(f"rating.{a.final.value}", "en")
    assert cells[6] == t("web.state.draft", "en")  # the state in words, not only a colour


@pytest.mark.parametrize(
    "url",
    [
        "/framework/pillars/9",
        "/api/framework/pillars/9",
        "/framework/results/9.9",
        "/api/framework/results/9.9",
        "/framework/indicators/9.9-99",
        "/api/framework/indicators/9.9-99",
        "/pies/9.9-99.1",
        "/api/pies/9.9-99.1",
    ],
)
def test_unknown_codes_are_404(client_for: ClientFor, url: str) -> None:
    response = client_for(Role.VIEWER).get(url, headers=EN)
    assert response.status_code == 404
    if url.startswith("/api/"):
        assert response.json()["error"]["code"] == "not_found"
    else:
        assert "There is no" in response.text


def test_a_pie_page_shows_the_engines_explanation_beside_the_assessors_rating(
    client_for: ClientFor, ratings: RatingReport
) -> None:
    vera = client_for(Role.VIEWER)
    a = _assessment(ratings, PIE)
    data = vera.get(f"/api/pies/{PIE}", headers=EN).json()
    assert data["computed_rating"] == a.computed.value
    assert data["explanation"] == a.explain("en")
    assert a.achievement.detail.text("en") in data["computed_explanation"]
    assert data["workflow"] == {
        "state": "draft",
        "version": 0,
        "updated_by": None,
        "updated_at": None,
        "comment": None,
    }
    assert data["history"] == [] and data["validator_comment"] is None
    assert not any(data["allowed"].values()) and data["editable_fields"] == []

    root = _page(vera, f"/pies/{PIE}")
    computed, assessor = root.xpath('//div[@class="rating-compare"]/section')
    assert a.achievement.detail.text("en") in computed.text_content()
    assert t(f"rating.{a.computed.value}", "en") in computed.text_content()
    assert t("web.pie.no_assessor", "en") in assessor.text_content()
    # a viewer reads: no form, no action
    assert not root.xpath("//form[@method='post' and not(@action='/logout')]")


def test_the_page_offers_what_the_workflow_allows_each_role(
    client_for: ClientFor, ratings: RatingReport
) -> None:
    def fields(client: Client, pie: str) -> set[str]:
        root = _page(client, f"/pies/{pie}")
        return set(root.xpath(f'//form[@action="/pies/{pie}"]//*[@name]/@name')) - {"csrf"}

    def steps(client: Client, pie: str) -> list[str]:
        root = _page(client, f"/pies/{pie}")
        found: list[str] = root.xpath(
            f'//form[@action="/pies/{pie}/actions"]//input[@name="action"]/@value'
        )
        return found

    fay, pia, vic = (client_for(r) for r in (Role.FOCAL_POINT, Role.PLANNER, Role.VALIDATOR))
    performance = {
        "version",
        "reason",
        "actual_text_zh",
        "actual_text_en",
        "actual_value",
        "actual_unit",
        "actual_period",
        "assessor_rating",
        "assessor_justification_zh",
        "assessor_justification_en",
    }
    assert fields(fay, PIE) == performance
    assert steps(fay, PIE) == ["submit"]
    planner = fields(pia, PIE)
    assert performance < planner and {"baseline_value", "target_kind", "target_params"} < planner
    assert fields(vic, PIE) == set() and steps(vic, PIE) == []  # nothing to validate in draft

    other = _other_sector_pie(ratings)
    assert fields(fay, other) == set() and steps(fay, other) == []
    page = fay.get(f"/pies/{other}", headers=EN).text
    assert t("workflow.refused.sector", "en") in page

    # once submitted, the focal point's form goes and the validator's buttons come
    version = fay.get(f"/api/pies/{PIE}").json()["workflow"]["version"]
    submitted = fay.send(
        "POST", f"/api/pies/{PIE}/actions", {"action": "submit", "version": version}
    )
    assert submitted.status_code == 200, submitted.text
    assert fields(fay, PIE) == set() and steps(fay, PIE) == []
    assert steps(vic, PIE) == ["validate", "return"]
    assert fields(pia, PIE) >= {
        "baseline_value",
        "target_text_zh",
    }  # the planner's targets stay open
    assert not fields(pia, PIE) & {"actual_value", "assessor_rating"}
    root = _page(vic, f"/pies/{PIE}")
    state = root.xpath('//p[@class="status-line"]//span[contains(@class, "badge")]')[0]
    assert state.text_content() == t(f"web.state.{WorkflowState.SUBMITTED.value}", "en")
    # the rating select lists every rating by its catalogue label
    root = _page(pia, f"/pies/{_other_sector_pie(ratings)}")
    options = root.xpath('//select[@id="f-assessor_rating"]/option')
    assert [o.get("value") for o in options] == ["", *(r.value for r in Rating)]
    assert [o.text_content() for o in options][1:] == [t(f"rating.{r.value}", "en") for r in Rating]
    label = root.xpath('//label[@for="f-assessor_rating"]')[0].text_content()
    assert label == t("web.field.assessor_rating", "en")
    assert root.xpath('//select[@id="f-assessor_rating"]/ancestor::fieldset/legend')
