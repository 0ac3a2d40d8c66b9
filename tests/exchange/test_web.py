"""Exchange downloads from the web: who may have the IATI files, a sector's template and
the workbook upload, and the pages that link them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from rbm.domain.workflow import Role
from rbm.exchange.iati import ACTIVITY_FILE, ORGANISATION_FILE
from rbm.web.routes import exchange
from tests.web.conftest import Client

ClientFor = Callable[[Role | None], Client]


def test_everyone_signed_in_downloads_the_iati_files(client_for: ClientFor) -> None:
    viewer = client_for(Role.VIEWER)
    response = viewer.get("/exchange/iati.zip")
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == sorted([ACTIVITY_FILE, ORGANISATION_FILE])
        assert archive.read(ACTIVITY_FILE).startswith(b"<?xml")
    single = viewer.get("/exchange/iati/organisations.xml")
    assert single.status_code == 200 and b"<iati-organisations" in single.content
    anonymous = client_for(None).get("/exchange/iati.zip")
    assert anonymous.status_code in (303, 401)


def test_a_focal_point_has_the_template_of_its_own_sectors_only(client_for: ClientFor) -> None:
    focal = client_for(Role.FOCAL_POINT)
    assert focal.get("/exchange/template/bd").status_code == 403
    assert client_for(Role.VIEWER).get("/exchange/template/pt").status_code == 403
    assert client_for(Role.PLANNER).get("/exchange/template/nowhere").status_code == 404


def test_viewers_may_not_upload_a_workbook(client_for: ClientFor) -> None:
    viewer = client_for(Role.VIEWER)
    response = viewer.http.post(
        "/exchange/workbook",
        files={"workbook": ("w.xlsx", b"not a workbook", "application/octet-stream")},
        headers={"X-CSRF-Token": viewer.csrf},
    )
    assert response.status_code == 403


def test_the_focal_point_downloads_its_sector_template(client_for: ClientFor) -> None:
    response = client_for(Role.FOCAL_POINT).get("/exchange/template/pt")
    assert response.status_code == 200, response.text
    assert response.content.startswith(b"PK")  # an xlsx is a zip
    assert response.headers["content-disposition"].endswith('-pt.xlsx"')


def test_the_fiscal_data_package_downloads_as_a_zip(client_for: ClientFor) -> None:
    response = client_for(Role.VALIDATOR).get("/exchange/ofdp.zip")
    assert response.status_code == 200, response.text
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert "datapackage.json" in archive.namelist()


def test_the_downloads_stay_out_of_the_api_document() -> None:
    assert all(not route.include_in_schema for route in exchange.router.routes)  # type: ignore[attr-defined]


def test_pages_link_the_downloads_for_those_who_may_take_them(client_for: ClientFor) -> None:
    """The finance page links both exports; a sector's page its workbook, for its focal
    point and the planners only."""
    viewer, focal = client_for(Role.VIEWER), client_for(Role.FOCAL_POINT)
    finance = viewer.get("/finance").text
    assert 'href="/exchange/iati.zip"' in finance and 'href="/exchange/ofdp.zip"' in finance
    assert 'href="/exchange/template/pt"' in focal.get("/sectors/pt").text
    assert "/exchange/template/" not in focal.get("/sectors/bd").text
    assert "/exchange/template/" not in viewer.get("/sectors/pt").text
    assert 'href="/exchange/template/bd"' in client_for(Role.PLANNER).get("/sectors/bd").text
