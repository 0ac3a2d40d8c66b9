"""Reconciliation: the findings as `rbm reconcile` presents them, real differences by default,
filtered by class and by the source either side cites."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from urllib.parse import quote

import pytest
from lxml import html as lxml_html

from rbm.domain.dataset import Dataset
from rbm.domain.workflow import Role
from rbm.engine.reconcile.findings import Finding, FindingClass, Reconciliation
from rbm.engine.reconcile.run import reconcile
from rbm.i18n import t
from tests.web.conftest import Client

ClientFor = Callable[[Role | None], Client]


@pytest.fixture(scope="module")
def result(wipo: Dataset) -> Reconciliation:
    return reconcile(wipo)


def _dec(value: float) -> Decimal:
    return Decimal(str(value))


def _cites(finding: Finding, source: str) -> bool:
    sides = f"{finding.left.source}, {finding.right.source}"
    return source in re.split(r", | ÷ ", sides)


def test_the_page_shows_the_real_differences_and_the_counts_line(
    client_for: ClientFor, result: Reconciliation
) -> None:
    client = client_for(Role.VIEWER)
    data = client.get("/api/reconciliation?lang=en").json()
    summary = result.summary()
    assert data["summary"] == summary
    assert data["summary_text"] == t("reconcile.summary", "en", **summary)
    differences = [f for f in result.findings if f.klass == FindingClass.DIFFERENCE]
    assert data["filters"]["class"] == "difference"
    assert data["count"] == len(differences) > 0
    assert [(_dec(f["left"]["value"]), _dec(f["right"]["value"])) for f in data["findings"]] == [
        (f.left.value, f.right.value) for f in differences
    ]
    # a difference the source report holds: unallocated final budget, 表5 4,008 vs 表6 3,742
    assert any({f["left"]["value"], f["right"]["value"]} == {4008, 3742} for f in data["findings"])

    for lang in ("en", "zh"):
        page = client.get(f"/reconciliation?lang={lang}")
        assert page.status_code == 200
        root = lxml_html.fromstring(page.text)
        assert len(root.xpath("//h1")) == 1
        (counts,) = root.xpath('//*[@id="reconcile-summary"]')
        assert counts.text_content() == t("reconcile.summary", lang, **summary)
        captions = [c.text_content() for c in root.xpath("//caption")]
        assert captions == [t("reconcile.class.difference", lang, count=len(differences))]
        assert len(root.xpath("//table/tbody/tr")) == len(differences)
        first = root.xpath("//table/tbody/tr[1]/th")[0].text_content()
        assert first == t(f"check.{differences[0].check}", lang)


def test_findings_filter_by_class_and_source(client_for: ClientFor, result: Reconciliation) -> None:
    client = client_for(Role.VIEWER)
    for klass in FindingClass:
        data = client.get(f"/api/reconciliation?class={klass.value}").json()
        assert data["count"] == result.count(klass)
        assert {f["class"] for f in data["findings"]} <= {klass.value}
    everything = client.get("/api/reconciliation?class=all").json()
    assert everything["count"] == len(result.findings)

    for source in ("表5", "附件一"):
        data = client.get(f"/api/reconciliation?class=all&source={quote(source)}").json()
        cited = [f for f in result.findings if _cites(f, source)]
        assert cited and data["count"] == len(cited)
        differences = client.get(f"/api/reconciliation?source={quote(source)}").json()
        assert differences["count"] == sum(f.klass == FindingClass.DIFFERENCE for f in cited)

    page = client.get(f"/reconciliation?class=rounding&source={quote('附件一')}&lang=en")
    assert page.status_code == 200
    root = lxml_html.fromstring(page.text)
    assert root.xpath('//select[@name="class"]/option[@selected]/@value') == ["rounding"]
    rounding = [
        f for f in result.findings if f.klass == FindingClass.ROUNDING and _cites(f, "附件一")
    ]
    assert len(root.xpath("//table/tbody/tr")) == len(rounding)

    for url in ("/api/reconciliation?class=maybe", "/api/reconciliation?source=nowhere"):
        refused = client.get(url)
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "invalid"
    assert client.get("/reconciliation?class=maybe").status_code == 422
