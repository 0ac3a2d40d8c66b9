"""Building the report from the web: a form to start a build of the current biennium in the
background, its progress, and its files to download. Administrators and planners start
builds; everyone signed in follows them and downloads what they wrote.

A build's files are served from its folder only if they are among the files it wrote:
`/build/<job>/files/en/index.html` opens the HTML site in place (its links are relative),
other formats download as attachments.
"""

from __future__ import annotations

import mimetypes
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import FileResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from rbm.domain.text import Lang
from rbm.domain.workflow import Role, User
from rbm.i18n import keys, language_name, t
from rbm.report.render.html import format_value, html_lang
from rbm.web.auth import SignedIn, allow
from rbm.web.errors import ApiError
from rbm.web.headers import CSP, policy_for
from rbm.web.jobs import FORMATS, JOB_ID_PATTERN, Busy, Format, Job
from rbm.web.language import language
from rbm.web.render import page
from rbm.web.state import Current, app_state

router = APIRouter()

BUILDERS = (Role.ADMINISTRATOR, Role.PLANNER)
Builder = Annotated[User, allow(*BUILDERS)]
JobId = Annotated[str, Path(pattern=JOB_ID_PATTERN, max_length=32, description="A build's id.")]
FileName = Annotated[
    str, Path(max_length=300, description="A file of the build, e.g. tables.json.")
]
INLINE = (".html", ".css")  # the HTML site opens in the browser; the rest downloads
# the built pages are our own, but served from this origin they get no scripts, no forms
FILE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
}


class BuildRequest(BaseModel):
    """What to build: formats and languages (all of each if left out: every format, the
    package's languages)."""

    model_config = ConfigDict(extra="forbid")
    formats: list[Format] = Field(default_factory=lambda: list(FORMATS), min_length=1, max_length=8)
    langs: list[Lang] | None = Field(default=None, min_length=1, max_length=16)


class BuiltFile(BaseModel):
    name: str
    size: int
    href: str


class JobOut(BaseModel):
    id: str
    state: str
    user: str
    formats: list[str]
    langs: list[str]
    done: int
    total: int
    step: str | None
    status: str  # the state and the step under way, in the request's language
    created: str
    started: str | None
    finished: str | None
    error: str | None
    files: list[BuiltFile]
    href: str
    api_href: str


class JobList(BaseModel):
    jobs: list[JobOut]
    running: str | None
    may_build: bool


def _moment(value: Any) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None


def status(job: Job, lang: Lang) -> str:
    """Where a job stands, as a sentence: "Step 4 of 9: writing the XLSX (English)"."""
    if job.state in ("done", "failed"):
        return t(f"web.build.state.{job.state}", lang)
    if job.step is None or job.total == 0:
        return t("web.build.state.queued", lang)
    params = dict(job.params)
    code = params.get("lang")
    if code:
        named = f"web.build.lang.{code}"
        params["lang"] = t(named, lang) if named in keys(lang) else language_name(code, lang)
    params["format"] = params.get("format", "").upper()
    step = t(job.step, lang, **params)
    return t("web.build.progress_of", lang, step=min(job.done + 1, job.total), total=job.total,
             label=step)  # fmt: skip


def files_of(job: Job) -> list[BuiltFile]:
    """The job's files still on disk, with their sizes and download links."""
    found = []
    for name in job.files:
        path = job.path_of(name)
        if path is not None:
            found.append(BuiltFile(name=name, size=path.stat().st_size, href=_file_href(job, name)))
    return found


def _file_href(job: Job, name: str) -> str:
    return f"/build/{job.id}/files/{name}"


def job_out(job: Job, lang: Lang) -> JobOut:
    return JobOut(
        id=job.id,
        state=job.state,
        user=job.user,
        formats=list(job.formats),
        langs=list(job.langs),
        done=job.done,
        total=job.total,
        step=job.step,
        status=status(job, lang),
        created=job.created.isoformat(timespec="seconds"),
        started=_moment(job.started),
        finished=_moment(job.finished),
        error=job.error,
        files=files_of(job),
        href=f"/build/{job.id}",
        api_href=f"/api/builds/{job.id}",
    )


def _find(request: Request, job_id: str) -> Job:
    found = app_state(request).jobs.get(job_id, app_state(request).config.builds)
    if found is None:
        raise ApiError(404, "web.build.no_job", {"job": job_id})
    return found


def _start(
    request: Request, user: User, snap: Current, formats: list[Format], langs: list[Lang]
) -> Job:
    state = app_state(request)
    try:
        return state.jobs.start(
            snap.dataset, state.config.builds, user.name, formats, langs, state.config.clock
        )
    except Busy as busy:
        raise ApiError(409, "web.build.busy", {"job": busy.job.id}, user=busy.job.user) from None


def _list_page(request: Request, user: User, status_code: int = 200, **context: Any) -> Response:
    state = app_state(request)
    lang = language(request)
    jobs = state.jobs.all(state.config.builds)
    context.setdefault("chosen_formats", FORMATS)
    langs = state.snapshot().dataset.biennium.settings.languages
    context.setdefault("chosen_langs", langs)
    return page(
        request,
        "web/build.html",
        status_code,
        jobs=jobs,
        statuses={job.id: status(job, lang) for job in jobs},
        running=state.jobs.active(),
        may_build=user.role in BUILDERS,
        formats=FORMATS,
        langs=langs,
        lang_names={code: (html_lang(code), language_name(code, code)) for code in langs},
        api_href="/api/builds",
        **context,
    )


@router.get("/build", include_in_schema=False)
def build_page(request: Request, user: SignedIn) -> Response:
    return _list_page(request, user)


@router.post("/build", include_in_schema=False)
def build_form(
    request: Request,
    user: Builder,
    snap: Current,
    formats: Annotated[list[str], Form(max_length=8)] = [],  # noqa: B006 (FastAPI copies it)
    langs: Annotated[list[str], Form(max_length=4)] = [],  # noqa: B006
) -> Response:
    chosen = [f for f in FORMATS if f in formats]
    known = snap.dataset.biennium.settings.languages
    chosen_langs = [lang for lang in known if lang in langs]
    unknown = set(formats) - set(FORMATS) or set(langs) - set(known)
    if unknown or not chosen or not chosen_langs:
        message = t("web.build.choose", language(request))
        return _list_page(request, user, 422, problem=message, chosen_formats=chosen,
                          chosen_langs=chosen_langs)  # fmt: skip
    try:
        job = _start(request, user, snap, chosen, chosen_langs)
    except ApiError as refused:
        if refused.status != 409:
            raise
        message = t(refused.key, language(request), **refused.params)
        return _list_page(request, user, 409, problem=message, chosen_formats=chosen,
                          chosen_langs=chosen_langs)  # fmt: skip
    return RedirectResponse(f"/build/{job.id}", 303)


@router.get("/build/{job_id}", include_in_schema=False)
def job_page(request: Request, user: SignedIn, job_id: JobId) -> Response:
    job = _find(request, job_id)
    lang = language(request)
    files = files_of(job)
    kilobytes = {f.name: format_value(Decimal(f.size) / 1024, "decimal1", lang) for f in files}
    names = {f.name for f in files}
    sites = [(code, _file_href(job, f"{code}/index.html")) for code in job.langs
             if f"{code}/index.html" in names]  # fmt: skip
    response = page(
        request,
        "web/job.html",
        job=job,
        job_status=status(job, lang),
        files=files,
        sizes=kilobytes,
        sites=sites,
        api_href=f"/api/builds/{job.id}",
    )
    # the page follows a running build with an inline script: allowed by its hash alone
    response.headers[CSP] = policy_for(bytes(response.body).decode("utf-8"))
    return response


def _download(request: Request, job_id: str, name: str) -> Response:
    job = _find(request, job_id)
    path = job.path_of(name)
    if path is None:
        raise ApiError(404, "web.build.no_file", {"job": job_id, "file": name})
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if media_type.startswith("text/") or media_type == "application/json":
        media_type += "; charset=utf-8"
    disposition = "inline" if path.suffix in INLINE else "attachment"
    return FileResponse(
        path,
        media_type=media_type,
        filename=path.name,
        content_disposition_type=disposition,
        headers=FILE_HEADERS,
    )


@router.get("/build/{job_id}/files/{name:path}", include_in_schema=False)
def job_file(request: Request, user: SignedIn, job_id: JobId, name: FileName) -> Response:
    return _download(request, job_id, name)


@router.post("/api/builds", response_model=JobOut, status_code=202)
def start_build_api(
    request: Request,
    response: Response,
    user: Builder,
    snap: Current,
    body: BuildRequest | None = None,
) -> JobOut:
    """Start building the report of the current biennium; 409 while another build runs."""
    wanted = body or BuildRequest()
    known = snap.dataset.biennium.settings.languages
    if wanted.langs is not None and set(wanted.langs) - set(known):
        raise ApiError(422, "web.error.422")
    job = _start(request, user, snap, wanted.formats, wanted.langs or list(known))
    response.headers["Location"] = f"/api/builds/{job.id}"
    return job_out(job, language(request))


@router.get("/api/builds", response_model=JobList)
def builds_api(request: Request, user: SignedIn) -> JobList:
    """The builds of this server process and those found on disk, newest first."""
    state = app_state(request)
    lang = language(request)
    running = state.jobs.active()
    return JobList(
        jobs=[job_out(job, lang) for job in state.jobs.all(state.config.builds)],
        running=running.id if running else None,
        may_build=user.role in BUILDERS,
    )


@router.get("/api/builds/{job_id}", response_model=JobOut)
def build_api(request: Request, user: SignedIn, job_id: JobId) -> JobOut:
    """A build: its state, the step under way and the files written so far."""
    return job_out(_find(request, job_id), language(request))


@router.get("/api/builds/{job_id}/files/{name:path}", response_class=Response)
def build_file_api(request: Request, user: SignedIn, job_id: JobId, name: FileName) -> Response:
    """A file a build wrote (one of its `files`)."""
    return _download(request, job_id, name)
