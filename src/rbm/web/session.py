"""The session cookie: signed (itsdangerous), holding a CSRF token and, once signed in, a
random session id whose record in the store (rbm.store.accounts) says who it is and whether
it still holds: signing out, disabling the user, the absolute lifetime and the idle time
end it on every worker, so a cookie replayed afterwards is anonymous.

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
    sid: str | None  # the session id when signed in
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
        sid = data.get("s")
        return Session(sid if isinstance(sid, str) else None, data["c"])

    def write(self, request: Request, response: Response, session: Session) -> None:
        response.set_cookie(
            COOKIE,
            self._signer.dumps({"s": session.sid, "c": session.csrf}),
            max_age=self.max_age,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )
