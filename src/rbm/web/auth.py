"""Who is asking, and whether they may: an API token (Authorization: Bearer) or the session
cookie; every route declares its rule with `allow(...)` or `PUBLIC`, and the tests read the
rules back from the routes."""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
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
    state = app_state(request)
    token = bearer(request)
    user: User | None
    if token is not None:
        user = user_for_token(state.engine, token)
        if user is None:
            raise ApiError(401, "web.error.token")
    else:
        session = session_of(request)
        name = session.user if session else None
        # kept until the next commit, so a disabled user is refused from the next request on
        user = state.kept(_user_key(name), lambda: find_user(state.engine, name)) if name else None
    request.state.user = user
    return user


def known_user(request: Request) -> tuple[bool, User | None]:
    """(True, the user) if `current_user` can tell without asking the store, else (False,
    None); token users are always looked up."""
    if hasattr(request.state, "user"):
        return True, current_user(request)
    if bearer(request) is not None:
        return False, None
    session = session_of(request)
    if session is None or session.user is None:
        request.state.user = None
        return True, None
    found, user = app_state(request).recall(_user_key(session.user))
    if not found or not (user is None or isinstance(user, User)):
        return False, None
    request.state.user = user
    return True, user


def _user_key(name: str) -> tuple[str, str]:
    return ("user", name)


class Rule:
    """A route's access rule: the roles allowed, or None for a public route."""

    def __init__(self, roles: frozenset[Role] | None) -> None:
        self.roles = roles

    async def __call__(self, request: Request) -> User | None:
        # on the event loop when the user is known since the last commit; the store is asked
        # in a worker thread (a sync dependency would make that hop on every request)
        found, user = known_user(request)
        if not found:
            user = await run_in_threadpool(current_user, request)
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
