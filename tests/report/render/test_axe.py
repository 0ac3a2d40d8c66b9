"""axe-core (WCAG 2.1 AA and best practices) on every page of both languages, in Debian's
Chromium driven by Playwright: no page may have a violation."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe

from rbm.datapackage.package import read_package
from rbm.report.build.report import build_report
from rbm.report.render import html
from tests.browser import chromium, describe, violations
from tests.languages import LANGS


@pytest.fixture(scope="module")
def site(wipo_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    dataset = read_package(wipo_path).dataset
    assert dataset is not None
    report = build_report(dataset)
    folder = tmp_path_factory.mktemp("axe-site")
    for lang in LANGS:
        html.write(report, folder, lang)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with chromium() as launched:
        yield launched


def test_every_page_has_no_axe_violation(site: Path, browser: Any) -> None:
    axe = Axe()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    failures: dict[str, list[dict[str, Any]]] = {}
    checked = 0
    try:
        for lang in LANGS:
            for path in sorted((site / lang).glob("*.html")):
                page.goto(path.as_uri())
                found = violations(axe.run(page))
                checked += 1
                if found:
                    failures[f"{lang}/{path.name}"] = found
    finally:
        page.close()
    assert checked >= 2 * 6
    report = "\n".join(f"{name}:\n{describe(v)}" for name, v in failures.items())
    print(report)
    assert not failures, report
