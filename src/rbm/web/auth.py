"""Who is asking, and whether they may: an API token (Authorization: Bearer) or the session
cookie; every route declares its rule with `allow(...)` or `PUBLIC`, and the tests read the
rules back from the routes."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends
from starlette.requests import Request

from rbm.domain.workflow import Role, User
from rbm.store.accounts import find_user, user_for_token
from rbm.web.errors import ApiError
from rbm.web.session import Session
from rbm.web.state import app_state

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ANYONE = frozenset(Role)
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"


def bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def session_of(request: Request) -> Session | None:
    if not hasattr(request.state, "session"):
        request.state.session = app_state(request).sessions.read(request)
    session = request.state.session
    return session if isinstance(session, Session) else None


def current_user(request: Request) -> User | None:
    """The signed-in user (token first, then session), looked up once per request."""
    if hasattr(request.state, "user"):
        found = request.state.user
        return found if isinstance(found, User) else None
    engine = app_state(request).engine
    token = bearer(request)
    user: User | None
    if token is not None:
        user = user_for_token(engine, token)
        if user is None:
            raise ApiError(401, "web.error.token")
    else:
        session = session_of(request)
        user = find_user(engine, session.user) if session and session.user else None
    request.state.user = user
    return user


class Rule:
    """A route's access rule: the roles allowed, or None for a public route."""

    def __init__(self, roles: frozenset[Role] | None) -> None:
        self.roles = roles

    def __call__(self, request: Request) -> User | None:
        user = current_user(request)
        if self.roles is None:
            return user
        if user is None:
            raise ApiError(401, "web.error.401")
        if user.role not in self.roles:
            raise ApiError(403, "web.error.403")
        return user

    def allows(self, role: Role | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)


def allow(*roles: Role) -> Any:
    """`user: User = allow(Role.PLANNER)`; with no roles, any signed-in user."""
    return Depends(Rule(frozenset(roles) or ANYONE))


PUBLIC: Any = Depends(Rule(None))
SignedIn = Annotated[User, allow()]  # any signed-in user
Anyone = Annotated[User | None, PUBLIC]  # public; the user when signed in


async def csrf_check(request: Request) -> None:
    """Every state-changing request made with the session cookie carries the session's CSRF
    token, in the X-CSRF-Token header or the `csrf` form field; token clients need none."""
    if request.method in SAFE_METHODS or bearer(request) is not None:
        return
    session = session_of(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if session is None or sent is None or not hmac.compare_digest(sent, session.csrf):
        raise ApiError(403, "web.error.csrf")
