"""Security headers on every response, as a pure ASGI middleware.

Pages get a Content-Security-Policy as strict as they allow: scripts, styles and images from
this origin only (no inline script but the ones a page declares by hash, no inline style, no
plugins), no framing, forms posting only here. Every response gets nosniff, a same-origin
Referrer-Policy, over https Strict-Transport-Security, and, unless it sets its own
Cache-Control (stylesheets, the API viewer's assets), `no-store`: pages and API answers
carry a user's data and must not be kept by a browser or a shared cache. A header a route
sets itself is kept (the built report's files have a stricter policy of their own).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = "Content-Security-Policy"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def policy(scripts: Iterable[str] = (), styles: str = "'self'") -> str:
    """The page policy, allowing the inline `scripts` (their exact text) by hash."""
    hashes = " ".join(f"'{script_hash(script)}'" for script in scripts)
    return (
        "default-src 'none'; "
        f"script-src 'self'{' ' + hashes if hashes else ''}; "
        f"style-src {styles}; img-src 'self' data:; connect-src 'self'; "
        "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def policy_for(html: str) -> str:
    """The page policy allowing exactly the inline scripts `html` holds."""
    return policy(INLINE_SCRIPT.findall(html))


DEFAULTS: tuple[tuple[str, str], ...] = (
    (CSP, policy()),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),  # for browsers without frame-ancestors
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
)


HSTS = "max-age=31536000"  # a year; only said over https, where it means something


class SecurityHeaders:
    """The middleware: `app.add_middleware(SecurityHeaders)`; outermost, so that refusals
    and errors carry the headers too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        secure = scope.get("scheme") == "https"  # behind a proxy: with --proxy-headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in DEFAULTS:
                    headers.setdefault(name, value)
                if secure:
                    headers.setdefault("Strict-Transport-Security", HSTS)
            await send(message)

        await self.app(scope, receive, send_with_headers)
