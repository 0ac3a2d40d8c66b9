"""Pages: the report's Jinja environment with the web templates searched first, and the
context every page shares (user, language switch, CSRF token, navigation)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment
from starlette.requests import Request
from starlette.responses import HTMLResponse

from rbm.domain.text import Lang
from rbm.i18n import t
from rbm.report.render.html import environment
from rbm.web.auth import session_of
from rbm.web.language import language
from rbm.web.session import LANG_COOKIE, Session
from rbm.web.state import app_state

# (path, catalogue key) of the navigation, in order
NAV: tuple[tuple[str, str], ...] = (
    ("/", "web.nav.overview"),
    ("/framework", "web.nav.framework"),
    ("/sectors", "web.nav.sectors"),
    ("/finance", "web.nav.finance"),
    ("/risks", "web.nav.risks"),
    ("/projects", "web.nav.projects"),
    ("/reconciliation", "web.nav.reconciliation"),
    ("/workflow", "web.nav.workflow"),
    ("/audit", "web.nav.audit"),
    ("/build", "web.nav.build"),
)


@cache
def web_environment(lang: Lang) -> Environment:
    folder = Path(str(resources.files("rbm.web") / "templates"))
    return environment(lang, folder)


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` for this request; starts a session (for its CSRF token) if none."""
    lang = language(request)
    session = session_of(request)
    fresh = session is None
    if session is None:
        session = Session.anonymous()
        request.state.session = session
    other: Lang = "en" if lang == "zh" else "zh"
    html = (
        web_environment(lang)
        .get_template(template)
        .render(
            request=request,
            user=getattr(request.state, "user", None),
            csrf=session.csrf,
            nav=NAV,
            path=request.url.path,
            switch_href=_with_lang(request, other),
            other_label=t("report.html.lang_name", other),
            **context,
        )
    )
    response = HTMLResponse(html, status)
    if fresh:
        app_state(request).sessions.write(request, response, session)
    if request.query_params.get("lang") in ("zh", "en"):
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _with_lang(request: Request, lang: Lang) -> str:
    query = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    query.append(("lang", lang))
    return f"{request.url.path}?{urlencode(query)}"


def error_page(
    request: Request,
    status: int,
    message: str,
    details: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    response = page(request, "web/error.html", status, error_status=status, message=message)
    response.headers.update(headers or {})
    return response
