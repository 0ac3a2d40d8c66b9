"""The web application for an organization unlike WIPO: its pages find the package's own
tables, in its languages (English and French)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from markupsafe import escape

from rbm.datapackage.package import read_package
from rbm.domain.workflow import Role
from rbm.store.accounts import add_user
from rbm.store.database import open_store
from rbm.store.load import load_dataset
from rbm.web.app import create_app
from rbm.web.config import WebConfig
from rbm.web.labels import field_label
from tests.conftest import ROOT
from tests.web.conftest import PASSWORD, START, Client

NORTHWIND = ROOT / "examples" / "northwind-2026-28"


@pytest.fixture(scope="module")
def northwind_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    folder = tmp_path_factory.mktemp("northwind")
    url = f"sqlite:///{folder / 'rbm.db'}"
    dataset = read_package(NORTHWIND).dataset
    assert dataset is not None
    engine = open_store(url)
    load_dataset(engine, dataset)
    add_user(engine, "pia", Role.PLANNER, PASSWORD, (), START)
    engine.dispose()
    app = create_app(WebConfig(url, secret="test-secret", builds=folder / "builds"))
    yield app
    app.state.rbm.engine.dispose()


@pytest.fixture
def pia(northwind_app: FastAPI) -> Client:
    client = Client(northwind_app)
    assert client.login("pia").status_code == 303
    return client


def test_the_pages_find_the_packages_own_tables(pia: Client) -> None:
    overview = pia.get("/api/overview").json()
    ids = [block["id"] for block in overview["blocks"]]
    assert "budget-by-sector" in ids and "expenditure-by-pillar" in ids
    finance = pia.get("/api/finance").json()
    groups = {s["id"]: [b["id"] for b in s["blocks"]] for s in finance["sections"]}
    assert "budget-by-cost-category" in groups["finance-budget"]
    assert groups["finance-transfers"] == ["transfers"]
    sectors = pia.get("/api/sectors").json()
    assert sectors["source"] == "budget-by-sector"
    assert sectors["unit"].endswith("EUR")
    assert all(s["budget"]["approved"] is not None for s in sectors["sectors"])


def test_the_interface_speaks_the_packages_languages(pia: Client) -> None:
    page = pia.get("/?lang=fr").text
    assert '<html lang="fr">' in page and "Services cliniques" in page
    pie = pia.get("/pies/A.1-01.1", headers={"accept-language": "fr"}).text
    for name in ("actual_text_en", "actual_text_fr", "target_text_fr"):
        assert f'name="{name}"' in pie
    assert f">{escape(field_label('actual_text_en', 'fr'))}</label>" in pie
    assert field_label("actual_text_en", "fr").endswith("(anglais)")
    build = pia.get("/build", headers={"accept-language": "en"}).text
    assert 'value="fr"' in build and 'value="zh"' not in build
