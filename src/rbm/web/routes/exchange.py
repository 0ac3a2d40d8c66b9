"""Exchange from the web: the IATI files and the fiscal data package of the current
biennium for everyone signed in; a sector's workbook template for its focal points and the
planners; a filled workbook's upload for those who may edit PIEs (each change is checked
again by the import, as the user who sends it)."""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel

from rbm.datapackage.resources import CODE
from rbm.domain.workflow import Role, User
from rbm.exchange.iati import ACTIVITY_FILE, ORGANISATION_FILE, iati_files
from rbm.web.auth import SignedIn, allow
from rbm.web.errors import ApiError
from rbm.web.language import language
from rbm.web.state import Current, app_state

router = APIRouter()

EDITORS = (Role.ADMINISTRATOR, Role.PLANNER, Role.FOCAL_POINT)
Editor = Annotated[User, allow(*EDITORS)]
SectorCode = Annotated[str, PathParam(pattern=CODE, max_length=64, description="A sector's code.")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookLoaded(BaseModel):
    changes: int
    summary: str


def _download(body: bytes, name: str, media: str) -> Response:
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _stem(snap: Current) -> str:
    """The start of a download's name: the organization and the period."""
    b = snap.dataset.biennium
    return f"{b.organization}-{b.code}"


@router.get(
    "/exchange/iati.zip",
    summary="Both IATI 2.03 files of the current biennium",
    include_in_schema=False,
)
def iati_zip(snap: Current, user: SignedIn) -> Response:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in iati_files(snap.dataset).items():
            archive.writestr(name, content)
    return _download(buffer.getvalue(), f"{_stem(snap)}-iati.zip", "application/zip")


@router.get(
    "/exchange/iati/activities.xml", summary="The IATI activity file", include_in_schema=False
)
def iati_activities(snap: Current, user: SignedIn) -> Response:
    body = iati_files(snap.dataset)[ACTIVITY_FILE]
    return _download(body, f"{_stem(snap)}-{ACTIVITY_FILE}", "application/xml")


@router.get(
    "/exchange/iati/organisations.xml",
    summary="The IATI organisation file",
    include_in_schema=False,
)
def iati_organisations(snap: Current, user: SignedIn) -> Response:
    body = iati_files(snap.dataset)[ORGANISATION_FILE]
    return _download(body, f"{_stem(snap)}-{ORGANISATION_FILE}", "application/xml")


@router.get(
    "/exchange/ofdp.zip",
    summary="The Open Fiscal Data Package of the biennium",
    include_in_schema=False,
)
def ofdp_zip(snap: Current, user: SignedIn) -> Response:
    from rbm.exchange.ofdp import write_ofdp  # another module's format, loaded on use

    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(buffer, "w") as archive:
        folder = Path(tmp)
        for path in write_ofdp(snap.dataset, folder):
            archive.write(path, path.relative_to(folder).as_posix())
    return _download(buffer.getvalue(), f"{_stem(snap)}-ofdp.zip", "application/zip")


def may_take_template(user: User | None, sector: str) -> bool:
    """Administrators and planners take any sector's workbook, a focal point its own."""
    if user is None or user.role not in EDITORS:
        return False
    return user.role != Role.FOCAL_POINT or sector in user.sectors


def _own(user: User, sector: str) -> None:
    if not may_take_template(user, sector):
        raise ApiError(403, "web.exchange.not_your_sector", sector=sector)


@router.get(
    "/exchange/template/{sector}",
    summary="A sector's workbook to fill in offline",
    include_in_schema=False,
)
def template(request: Request, snap: Current, user: Editor, sector: SectorCode) -> Response:
    from rbm.exchange.workbook.problems import WorkbookError
    from rbm.exchange.workbook.template import write_template

    _own(user, sector)
    if sector not in {s.code for s in snap.dataset.sectors}:
        raise ApiError(404, "web.exchange.no_sector", sector=sector)
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "template.xlsx"
        try:
            write_template(app_state(request).engine, snap.dataset.biennium.code, sector, target)
        except WorkbookError as exc:
            lang = language(request)
            details = {"errors": exc.messages(lang)}
            raise ApiError(422, "web.exchange.template_failed", details) from exc
        body = target.read_bytes()
    return _download(body, f"{_stem(snap)}-{sector}.xlsx", XLSX)


@router.post(
    "/exchange/workbook", summary="Load a filled workbook, all or nothing", include_in_schema=False
)
def upload_workbook(
    request: Request,
    snap: Current,
    user: Editor,
    workbook: Annotated[UploadFile, File(description="A workbook filled in offline (.xlsx).")],
) -> WorkbookLoaded:
    from rbm.exchange.workbook.load import import_workbook
    from rbm.exchange.workbook.problems import WorkbookError

    lang = language(request)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "upload.xlsx"
        path.write_bytes(workbook.file.read())
        try:
            result = import_workbook(
                app_state(request).engine, snap.dataset.biennium.code, path, user.name
            )
        except WorkbookError as exc:
            details = {"errors": exc.messages(lang)}
            # a workbook filled from an older version is refused as the web refuses an edit
            stale = any(e.type == "stale" for e in exc.errors)
            raise ApiError(409 if stale else 422, "web.exchange.workbook_refused", details) from exc
    return WorkbookLoaded(changes=result.changes, summary=result.summary(lang))
