"""Login throttling: after `limit` failures within `window` for one user name or one client
address, further attempts are refused until the window has passed."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from datetime import datetime, timedelta


class Throttle:
    """In-process counts: enough for one server process; a farm would keep them in the store."""

    def __init__(self, limit: int = 5, window: timedelta = timedelta(minutes=15)) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[datetime]] = defaultdict(deque)
        self._lock = threading.Lock()

    @staticmethod
    def _keys(name: str, address: str) -> tuple[str, str]:
        return f"user:{name.strip().lower()}", f"address:{address}"

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        failures = self._failures[key]
        while failures and now - failures[0] >= self.window:
            failures.popleft()
        return failures

    def retry_after(self, name: str, address: str, now: datetime) -> int:
        """Seconds until another attempt is allowed (0 when it is allowed now)."""
        with self._lock:
            waits = [
                (failures[0] + self.window - now).total_seconds()
                for key in self._keys(name, address)
                if len(failures := self._recent(key, now)) >= self.limit
            ]
        return max(1, int(max(waits))) if waits else 0

    def failed(self, name: str, address: str, now: datetime) -> None:
        with self._lock:
            for key in self._keys(name, address):
                self._recent(key, now).append(now)

    def succeeded(self, name: str, address: str) -> None:
        with self._lock:
            self._failures.pop(self._keys(name, address)[0], None)
