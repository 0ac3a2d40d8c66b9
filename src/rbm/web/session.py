"""The session cookie: signed (itsdangerous), holding the user's name and a CSRF token.

HttpOnly and SameSite=Lax always; Secure whenever the request came over https (behind a
proxy, start uvicorn with --proxy-headers so the scheme is known)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

COOKIE = "rbm_session"
LANG_COOKIE = "rbm_lang"


@dataclass(frozen=True)
class Session:
    user: str | None
    csrf: str

    @classmethod
    def anonymous(cls) -> Session:
        return cls(None, secrets.token_urlsafe(24))


class Sessions:
    """Reads and writes the session cookie with one secret and a maximum age."""

    def __init__(self, secret: str, max_age: int) -> None:
        self._signer = URLSafeTimedSerializer(secret, salt="rbm-session")
        self.max_age = max_age

    def read(self, request: Request) -> Session | None:
        raw = request.cookies.get(COOKIE)
        if not raw:
            return None
        try:
            data = self._signer.loads(raw, max_age=self.max_age)
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("c"), str):
            return None
        user = data.get("u")
        return Session(user if isinstance(user, str) else None, data["c"])

    def write(self, request: Request, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self._signer.dumps({"u": session.user, "c": session.csrf}),
            max_age=self.max_age,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
