"""The language of a request: ?lang=, else the language cookie, else Accept-Language, else
the first language of the current biennium; the languages are those with a catalogue."""

from __future__ import annotations

from starlette.requests import Request

from rbm.domain.text import Lang
from rbm.i18n import FALLBACK, languages
from rbm.web.session import LANG_COOKIE


def language(request: Request) -> Lang:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in languages():
        return chosen
    for entry in request.headers.get("accept-language", "").lower().split(","):
        code = entry.split(";")[0].strip().split("-")[0]
        if code in languages():
            return code
    return _package_language(request)


def _package_language(request: Request) -> Lang:
    """The first of the biennium's languages that has a catalogue (English without one)."""
    from rbm.web.state import app_state  # the state imports the pages, which import this

    snap = getattr(request.state, "snapshot", None)
    try:
        state = app_state(request)
        snap = snap or state.unchanged(request) or state.snapshot(request)
    except Exception:  # no biennium yet, or the store is down: the page still renders
        return FALLBACK
    found = (lang for lang in snap.dataset.biennium.settings.languages if lang in languages())
    return next(found, FALLBACK)
