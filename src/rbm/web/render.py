"""Pages: the report's Jinja environment with the web templates searched first, and the
context every page shares (user, language switch, CSRF token, navigation).

Rendering a page of report tables takes longer than everything else a request does: the
overview is four tables and two charts, some 40 KB of HTML and 1.4 ms of Jinja. The pages of
the templates in `CACHED_PAGES` are rendered once per snapshot, language, URL and user and
kept on the snapshot (`Snapshot.pages`); a request then only puts its session's CSRF token in
place of a mark. New data make a new snapshot, which starts with no pages."""

from __future__ import annotations

import logging
import secrets
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, Template, UndefinedError
from starlette.requests import Request
from starlette.responses import HTMLResponse

from rbm.domain.text import Lang
from rbm.i18n import languages
from rbm.report.render.html import environment
from rbm.store.workflow import Lock, lock_of
from rbm.web.auth import session_of
from rbm.web.labels import field_label
from rbm.web.language import language
from rbm.web.session import LANG_COOKIE, Session
from rbm.web.state import Snapshot, app_state

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

# Templates whose page is a function of the snapshot, the language, the URL and the user
# alone: the routes that use them read nothing else (no clock, no jobs, no other query), so a
# page rendered once is right until the snapshot changes. They are rendered without the
# request, and with a mark for the CSRF token (which they may only print as it is); one that
# reads the request is rendered afresh on every request.
CACHED_PAGES = frozenset({"web/section.html", "web/sector.html"})
CSRF_MARK = f"csrf-mark-{secrets.token_hex(16)}"  # no page holds this by chance
_UNCACHEABLE: set[str] = set()  # cached templates found to read the request after all
log = logging.getLogger("rbm.web.render")


@cache
def web_environment(lang: Lang) -> Environment:
    folder = Path(str(resources.files("rbm.web") / "templates"))
    env = environment(lang, folder)
    env.globals["field_label"] = lambda name: field_label(name, lang)
    # The templates ship with the package and do not change under a running server; with
    # auto_reload every get_template, and every {% include %} inside a loop, stats the
    # template files (a fifth of a page's time under load).
    env.auto_reload = False
    return env


def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` for this request; starts a session (for its CSRF token) if none."""
    lang = language(request)
    session = session_of(request)
    fresh = session is None
    if session is None:
        session = Session.anonymous()
        request.state.session = session
    variables = {
        "request": request,
        "user": getattr(request.state, "user", None),
        "csrf": session.csrf,
        "nav": NAV,
        "path": request.url.path,
        "switch_hrefs": {code: _with_lang(request, code) for code in languages()},
        "site_lock": context.get("lock") if "lock" in context else _lock(request),
        "currency": _currency(request, lang),
        **context,
    }
    found = web_environment(lang).get_template(template)
    response = HTMLResponse(_render(request, found, lang, status, variables), status)
    if fresh:
        app_state(request).sessions.write(request, response, session)
    if request.query_params.get("lang") in languages():
        response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _render(
    request: Request, template: Template, lang: Lang, status: int, variables: dict[str, Any]
) -> str:
    """The page, from the snapshot's cache when the template allows it."""
    snap = getattr(request.state, "snapshot", None)
    if (
        template.name not in CACHED_PAGES
        or template.name in _UNCACHEABLE
        or request.method != "GET"
        or status != 200
        or not isinstance(snap, Snapshot)
    ):
        return template.render(variables)
    query = tuple((k, v) for k, v in request.query_params.multi_items() if k != "lang")
    key = (template.name, lang, request.url.path, query, variables["user"])
    html = snap.pages.get(key)
    if html is None:
        shared = {k: v for k, v in variables.items() if k != "request"}
        try:
            html = template.render({**shared, "csrf": CSRF_MARK})
        except UndefinedError:
            _UNCACHEABLE.add(str(template.name))
            log.warning("%s reads the request: its pages are not cached", template.name)
            return template.render(variables)
        snap.pages.put(key, html)
    return html.replace(CSRF_MARK, variables["csrf"])


def _currency(request: Request, lang: Lang) -> str:
    """The currency as units print it, for the pages' unit lines."""
    snap = getattr(request.state, "snapshot", None)
    if not isinstance(snap, Snapshot) or snap.dataset is None:
        return ""
    return snap.dataset.biennium.currency_label.get(lang)


def _lock(request: Request) -> Lock | None:
    """Whether the biennium the page shows is locked (every page says so), read again only
    when the store has changed."""
    snap = getattr(request.state, "snapshot", None)
    if not isinstance(snap, Snapshot):
        return None
    state = app_state(request)
    code = snap.dataset.biennium.code
    return state.kept(("lock", code), lambda: lock_of(state.engine, code), request)


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
