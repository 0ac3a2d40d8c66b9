"""What the web application is started with: the store, the signing secret, where built
reports go, and the clock (passed in so tests can move time)."""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

SECRET_ENV = "RBM_SECRET_KEY"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class WebConfig:
    url: str
    secret: str = field(default_factory=lambda: os.environ.get(SECRET_ENV) or secrets.token_hex(32))
    builds: Path = Path("build/web")
    session_hours: int = 12  # a session's absolute lifetime from sign-in
    session_idle_minutes: int = 60  # a session unused this long ends
    trusted_proxies: tuple[str, ...] = ()  # addresses or networks whose X-Forwarded-For counts
    security_log: Path | None = None  # JSON lines of security events, besides `rbm.security`
    clock: Callable[[], datetime] = utc_now
    # request bodies (rbm.web.limits): no route takes file uploads, so one size for all
    max_body_bytes: int = 1024 * 1024
    max_json_depth: int = 32
    body_seconds: float = 30.0  # to receive a whole body, however slowly it trickles in
