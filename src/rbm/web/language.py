"""The language of a request: ?lang=, else the language cookie, else Accept-Language."""

from __future__ import annotations

from starlette.requests import Request

from rbm.domain.text import Lang
from rbm.web.session import LANG_COOKIE


def language(request: Request) -> Lang:
    chosen = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if chosen in ("zh", "en"):
        return "zh" if chosen == "zh" else "en"
    accepted = request.headers.get("accept-language", "").lower()
    first = accepted.split(",")[0].strip()
    return "en" if first.startswith("en") else "zh"
