"""The security event log: one JSON object a line on the logger `rbm.security`, and appended to
a file when one is configured (WebConfig.security_log, or RBM_SECURITY_LOG for the CLI).

Every line has `time` (UTC, ISO 8601), `event`, `user` (or null), `address` (the client's,
or null outside the web) and `route` ("METHOD /path", or the command); some add details such
as `status`, `reason`, `token` (a token's id, never the token) or `retry_after`.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import os
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request

LOGGER = logging.getLogger("rbm.security")
LOGGER.setLevel(logging.INFO)
LOG_ENV = "RBM_SECURITY_LOG"

_files: dict[Path, logging.Handler] = {}
_files_lock = threading.Lock()


def _file_handler(path: Path) -> logging.Handler:
    """One handler a file, kept for the process; watched, so log rotation is noticed."""
    with _files_lock:
        handler = _files.get(path)
        if handler is None:
            handler = logging.handlers.WatchedFileHandler(path, encoding="utf-8")
            handler.setFormatter(logging.Formatter("%(message)s"))
            _files[path] = handler
        return handler


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a line is written (as logging's last resort
    does), so that replacing sys.stderr later (tests capturing it) breaks nothing."""

    @property
    def stream(self) -> object:
        return sys.stderr

    @stream.setter
    def stream(self, value: object) -> None:
        pass


def to_stderr() -> None:
    """Also write the events to standard error (once), beside the server's own lines."""
    if not any(isinstance(handler, _Stderr) for handler in LOGGER.handlers):
        handler = _Stderr()
        handler.setFormatter(logging.Formatter("%(message)s"))
        LOGGER.addHandler(handler)


def line(
    event: str, at: datetime, user: str | None, address: str | None, route: str, **details: object
) -> str:
    """The JSON line of one event."""
    fields: dict[str, object] = {
        "time": at.astimezone(UTC).isoformat(),
        "event": event,
        "user": user,
        "address": address,
        "route": route,
        **details,
    }
    return json.dumps(fields, ensure_ascii=False, default=str)


def emit(
    event: str,
    *,
    at: datetime | None = None,
    user: str | None = None,
    address: str | None = None,
    route: str,
    file: Path | None = None,
    **details: object,
) -> None:
    """Log one event to `rbm.security` and, when given or set in RBM_SECURITY_LOG, a file."""
    target = file or (Path(os.environ[LOG_ENV]) if os.environ.get(LOG_ENV) else None)
    if target is None and not LOGGER.isEnabledFor(logging.INFO):
        return
    text = line(event, at or datetime.now(UTC), user, address, route, **details)
    record = LOGGER.makeRecord(LOGGER.name, logging.INFO, __file__, 0, text, (), None)
    LOGGER.handle(record)
    if target is not None:
        # written by its own handler rather than one added to the logger, so two
        # applications in one process (tests) keep their files apart
        _file_handler(target).handle(record)


def web_event(request: Request, event: str, user: str | None = None, **details: object) -> None:
    """Log one event of a web request: its time by the application's clock, the client's
    address (trusted proxies considered) and the route."""
    # imported here so that the CLI logs its events without loading the web application
    from rbm.web.state import app_state
    from rbm.web.throttle import client_address

    state = app_state(request)
    config = state.config
    emit(
        event,
        at=config.clock(),
        user=user,
        address=client_address(request, config.trusted_proxies),
        route=f"{request.method} {request.url.path}",
        file=config.security_log,
        **details,
    )
