"""The workflow as people do it, in Debian's Chromium (Playwright) against a live server: a
focal point enters performance data and submits, the validator returns it with a comment,
the focal point corrects and resubmits, the validator validates, a planner rebuilds the
report from the web and it shows the new value and rating. axe-core checks the main pages.

Screenshots go to $RBM_SCREENSHOTS when set (docs/screenshots/ holds a set), else tmp."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from axe_playwright_python.sync_playwright import Axe
from fastapi import FastAPI

from rbm.engine.rating.report import rating_report
from rbm.i18n import t
from rbm.store.read import read_dataset
from tests.browser import chromium, describe, violations
from tests.web.conftest import PASSWORD

PIE = "1.1-06.1"  # an indicator of sector pt, fay's sector
MARKER = "2025 年：50%（6 份中的 3 份）"
# the main pages, as the planner sees them
PAGES = (
    "/",
    "/framework",
    "/framework/pillars/1",
    "/framework/indicators/1.1-06",
    f"/pies/{PIE}",
    "/sectors",
    "/sectors/pt",
    "/finance",
    "/finance/budget",
    "/risks",
    "/projects",
    "/reconciliation",
    "/workflow",
    "/audit",
    "/build",
)


@pytest.fixture
def server(app: FastAPI) -> Iterator[str]:
    """The app on a free loopback port, in a thread, for the test's lifetime."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    live = uvicorn.Server(config)
    thread = threading.Thread(target=live.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not live.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    live.should_exit = True
    thread.join(10)


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("RBM_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sign_in(browser: Any, base: str, name: str, lang: str = "en") -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/login?lang={lang}")
    page.fill("#name", name)
    page.fill("#password", PASSWORD)
    page.click("form[action='/login'] button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _act(page: Any, action: str, comment: str = "") -> None:
    form = page.locator(f"form.action-form:has(input[name=action][value={action}])")
    if comment:
        form.locator("textarea[name=comment]").fill(comment)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def _state(page: Any, base: str) -> str:
    found: str = page.request.get(f"{base}/api/pies/{PIE}").json()["workflow"]["state"]
    return found


def test_the_workflow_from_entry_to_the_rebuilt_report(
    app: FastAPI, server: str, shots: Path
) -> None:
    with chromium() as browser:
        fay = _sign_in(browser, server, "fay")
        fay.goto(f"{server}/pies/{PIE}")
        fay.fill("#f-actual_text_zh", MARKER)
        fay.fill("#f-actual_value", "50")
        fay.fill("#f-reason", "2025 survey")
        fay.click("form.pie-form button[type=submit]")
        fay.wait_for_load_state()
        _act(fay, "submit", "Half of the summaries are translated.")
        assert _state(fay, server) == "submitted"

        vic = _sign_in(browser, server, "vic")
        vic.goto(f"{server}/pies/{PIE}")
        vic.screenshot(path=str(shots / "web-pie-validator.png"), full_page=True)
        _act(vic, "return", "Please cite the source of the 2025 figure.")
        assert _state(vic, server) == "returned"

        fay.goto(f"{server}/pies/{PIE}")
        assert "Please cite the source of the 2025 figure." in fay.content()
        fay.fill("#f-actual_text_zh", MARKER + "（翻译调查）")
        fay.fill("#f-reason", "source added")
        fay.click("form.pie-form button[type=submit]")
        fay.wait_for_load_state()
        fay.screenshot(path=str(shots / "web-pie-focal-point.png"), full_page=True)
        _act(fay, "submit")
        assert _state(fay, server) == "submitted"

        vic.goto(f"{server}/pies/{PIE}")
        _act(vic, "validate")
        assert _state(vic, server) == "validated"

        pia = _sign_in(browser, server, "pia")
        pia.goto(f"{server}/build")
        for box in pia.locator("input[name=formats]").all():
            box.set_checked(box.get_attribute("value") in ("json", "html"))
        for box in pia.locator("input[name=langs]").all():
            box.set_checked(box.get_attribute("value") == "en")
        pia.click("form[action='/build'] button[type=submit]")
        pia.wait_for_url(f"{server}/build/*")
        job = pia.url.rsplit("/", 1)[1]
        pia.wait_for_selector("#files-caption", timeout=120_000)  # the page reloads when done
        pia.screenshot(path=str(shots / "web-build-done.png"), full_page=True)
        tables = pia.request.get(f"{server}/build/{job}/files/tables.json").json()

    # what the engine rates the stored, edited PIE; the rebuilt report must show the same
    dataset = read_dataset(app.state.rbm.engine)
    assert dataset is not None
    edited = next(a for a in rating_report(dataset).assessments if a.pie.id == PIE)
    assert edited.pie.actual_value == 50
    expected = t(f"rating.{edited.final.value}", "en")
    rows = [row for table in tables["tables"] if table["id"] == "pies-1.1" for row in table["rows"]]
    shown = [
        row
        for row in rows
        if any(MARKER in json.dumps(v, ensure_ascii=False) for v in row["values"])
    ]
    assert len(shown) == 1, "the rebuilt report has the new performance data"
    assert {"zh": t(f"rating.{edited.final.value}", "zh"), "en": expected} in shown[0]["values"]


def test_the_main_pages_have_no_axe_violation(server: str, shots: Path) -> None:
    axe = Axe()
    failures: dict[str, list[dict[str, Any]]] = {}
    with chromium() as browser:
        for lang in ("en", "zh"):
            page = _sign_in(browser, server, "pia", lang)
            for path in PAGES:
                page.goto(f"{server}{path}")
                found = violations(axe.run(page))
                if found:
                    failures[f"{lang} {path}"] = found
            if lang == "zh":
                for path, name in (
                    ("/", "overview"),
                    ("/sectors/pt", "sector"),
                    ("/workflow", "workflow"),
                ):
                    page.goto(f"{server}{path}")
                    # the work queue lists every PIE: its first screen is enough
                    full = name != "workflow"
                    page.screenshot(path=str(shots / f"web-zh-{name}.png"), full_page=full)
        anonymous = browser.new_page()
        anonymous.goto(f"{server}/login")
        if found := violations(axe.run(anonymous)):
            failures["/login"] = found
    report = "\n".join(f"{name}:\n{describe(v)}" for name, v in failures.items())
    assert not failures, report
