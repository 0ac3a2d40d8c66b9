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
    session_hours: int = 12
    clock: Callable[[], datetime] = utc_now
