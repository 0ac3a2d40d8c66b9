"""Sign-in throttling with exponential back-off, and the client address it is keyed by.

The policy, chosen so that nobody can lock anybody else out: failures are counted per
(account, address) pair and per address, never per account alone. The first `free` failures
of a pair cost nothing; each later one doubles the wait before the next attempt from that
pair (1 s, 2 s, 4 s, ... up to `cap`). An address that fails against many accounts backs
off the same way after `address_free` failures. Someone guessing a user's password from
their own address slows only themselves: the user, from any other address, signs in at once.
A pair is forgotten after a successful sign-in or after `forget` without failures.

Memory is bounded: at most `size` entries, the least recently failed dropped first. Dropping
a pair early only gives back its free attempts; spraying names to push entries out counts
against the sprayer's address, which stays recent because it keeps failing.
"""

from __future__ import annotations

import ipaddress
import math
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from starlette.requests import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass
class _Failures:
    count: int
    last: datetime


class Throttle:
    """In-process counts: enough for one server process; each worker keeps its own."""

    def __init__(
        self,
        free: int = 5,
        address_free: int = 50,
        base: timedelta = timedelta(seconds=1),
        cap: timedelta = timedelta(minutes=15),
        forget: timedelta = timedelta(hours=1),
        size: int = 10_000,
    ) -> None:
        self.free = free
        self.address_free = address_free
        self.base = base
        self.cap = cap
        self.forget = forget
        self.size = size
        self._failures: OrderedDict[tuple[str, ...], _Failures] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._failures)

    @staticmethod
    def _keys(name: str, address: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        return ("pair", name.strip().casefold(), address), ("address", address)

    def _wait(self, failures: _Failures | None, free: int, now: datetime) -> float:
        """Seconds until the next attempt, 0 when allowed."""
        if failures is None or now - failures.last >= self.forget or failures.count < free:
            return 0.0
        # 2**n overflows a timedelta long before the cap matters, so compare exponents first
        doublings = failures.count - free
        cap = self.cap.total_seconds()
        base = self.base.total_seconds()
        delay = cap if doublings >= 64 else min(cap, base * 2**doublings)
        return max(0.0, (failures.last - now).total_seconds() + delay)

    def retry_after(self, name: str, address: str, now: datetime) -> int:
        """Seconds until another attempt is allowed (0 when it is allowed now)."""
        pair, place = self._keys(name, address)
        with self._lock:
            wait = max(
                self._wait(self._failures.get(pair), self.free, now),
                self._wait(self._failures.get(place), self.address_free, now),
            )
        return max(1, math.ceil(wait)) if wait > 0 else 0

    def failed(self, name: str, address: str, now: datetime) -> None:
        with self._lock:
            for key in self._keys(name, address):
                found = self._failures.get(key)
                if found is None or now - found.last >= self.forget:
                    found = self._failures[key] = _Failures(0, now)
                found.count += 1
                found.last = now
                self._failures.move_to_end(key)
            while len(self._failures) > self.size:
                self._failures.popitem(last=False)

    def succeeded(self, name: str, address: str) -> None:
        """Forget the pair's failures; the address's stay, so that signing in to one's own
        account does not reset a spray against others."""
        with self._lock:
            self._failures.pop(self._keys(name, address)[0], None)


@lru_cache(maxsize=16)
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    """Trusted proxies as networks (a plain address is a network of one); ValueError names
    an entry that is neither."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in trusted)


def _within(host: str, trusted: tuple[Network, ...]) -> bool:
    try:
        address = ipaddress.ip_address(host.strip())
    except ValueError:
        return False
    return any(address in network for network in trusted)


def client_address(request: Request, trusted: Iterable[str]) -> str:
    """The client's address: the peer's, or, when the peer is a trusted proxy, the last
    address in X-Forwarded-For that is not a trusted proxy (a client can write anything at
    the start of that header, only the proxies' own entries are believed)."""
    peer = request.client.host if request.client else "unknown"
    proxies = networks(tuple(trusted))
    if not proxies or not _within(peer, proxies):
        return peer
    forwarded = [
        entry.strip()
        for header in request.headers.getlist("x-forwarded-for")
        for entry in header.split(",")
        if entry.strip()
    ]
    for entry in reversed(forwarded):
        if not _within(entry, proxies):
            return entry
    return forwarded[0] if forwarded else peer
