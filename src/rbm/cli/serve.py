"""`rbm serve`: the web application on uvicorn.

With `--workers N` uvicorn starts N processes, each importing the application anew: it gets
`web_app`, a factory that reads the configuration from the environment `serve` sets up. The
workers must sign sessions with one secret, or a cookie signed by one would be refused by the
next; without RBM_SECRET_KEY, `serve` draws one and hands it to all of them. Each worker keeps
its own snapshot (the store tells every worker about a change), login throttle and build
jobs (see rbm.web.jobs); sessions live in the store, so signing out holds on every worker.

X-Forwarded-For and X-Forwarded-Proto are believed only from `--trusted-proxy` addresses
(by default the loopback, for a proxy on the same machine), both by uvicorn and by the
application's sign-in throttle and security log.
"""

from __future__ import annotations

import os
import secrets
from importlib import import_module
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Annotated

import typer

from rbm.cli.app import app, err, settings_of
from rbm.i18n import t
from rbm.store.database import URL_ENV, database_url

if TYPE_CHECKING:
    from fastapi import FastAPI

    from rbm.web.config import WebConfig

BUILDS_ENV = "RBM_WEB_BUILDS"
PROXIES_ENV = "RBM_TRUSTED_PROXIES"
LOOPBACK = ("127.0.0.1", "::1")


def __getattr__(name: str) -> ModuleType:
    """`uvicorn`, imported on first use: the web stack is imported by `serve` and its workers
    only, not by every command (tests reach uvicorn through this module)."""
    if name == "uvicorn":
        return import_module("uvicorn")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def create_app(config: WebConfig) -> FastAPI:
    """The web application (rbm.web.app.create_app), its stack imported on first use."""
    from rbm.web.app import create_app as create

    return create(config)


def _proxies() -> tuple[str, ...]:
    return tuple(p for p in os.environ.get(PROXIES_ENV, "").split(",") if p)


def _log_file() -> Path | None:
    from rbm.web.security_log import LOG_ENV

    return Path(os.environ[LOG_ENV]) if os.environ.get(LOG_ENV) else None


def web_app() -> FastAPI:
    """The application as a worker process builds it: `uvicorn --factory rbm.cli.serve:web_app`
    with RBM_DATABASE_URL, RBM_SECRET_KEY, RBM_WEB_BUILDS, RBM_TRUSTED_PROXIES and
    RBM_SECURITY_LOG in the environment."""
    from rbm.web.config import WebConfig
    from rbm.web.security_log import to_stderr

    builds = Path(os.environ.get(BUILDS_ENV) or "build/web")
    if _log_file() is None:
        to_stderr()
    config = WebConfig(
        database_url(), builds=builds, trusted_proxies=_proxies(), security_log=_log_file()
    )
    return create_app(config)


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    builds: Annotated[
        Path, typer.Option("--builds", help="Folder for reports built from the web.")
    ] = Path("build/web"),
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers/--no-proxy-headers",
            help="Trust X-Forwarded-Proto from a local proxy (cookies become Secure over https).",
        ),
    ] = True,
    workers: Annotated[
        int,
        typer.Option("--workers", min=1, help="Worker processes (about one per core)."),
    ] = 1,
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            metavar="ADDRESS",
            help="A reverse proxy's address or network whose X-Forwarded-For is believed "
            "(repeat for several; default: the loopback).",
        ),
    ] = None,
    security_log: Annotated[
        Path | None,
        typer.Option(
            "--security-log",
            metavar="FILE",
            help="Append security events (JSON lines) to this file.",
        ),
    ] = None,
) -> None:
    """Serve the web application: pages, the JSON API under /api and the workflow."""
    import uvicorn

    from rbm.web.config import SECRET_ENV, WebConfig
    from rbm.web.security_log import LOG_ENV, to_stderr
    from rbm.web.throttle import networks

    settings = settings_of(ctx)
    proxies = tuple(trusted_proxy or LOOPBACK) if proxy_headers else ()
    for value in proxies:
        try:
            networks((value,))
        except ValueError:
            err.print(t("web.serve.trusted_proxy", settings.lang, value=value), soft_wrap=True)
            raise typer.Exit(2) from None
    if security_log is None:
        to_stderr()  # the events would go nowhere otherwise

    if not os.environ.get(SECRET_ENV):
        err.print(t("web.serve.ephemeral_secret", settings.lang, env=SECRET_ENV), soft_wrap=True)
    err.print(t("web.serve.listening", settings.lang, url=f"http://{host}:{port}/"), soft_wrap=True)
    if workers == 1:
        config = WebConfig(
            settings.url, builds=builds, trusted_proxies=proxies, security_log=security_log
        )
        uvicorn.run(
            create_app(config),
            host=host,
            port=port,
            proxy_headers=proxy_headers,
            forwarded_allow_ips=list(proxies),
        )
        return
    os.environ[URL_ENV] = settings.url
    os.environ[BUILDS_ENV] = str(builds)
    os.environ[PROXIES_ENV] = ",".join(proxies)
    if security_log is not None:
        os.environ[LOG_ENV] = str(security_log)
    if not os.environ.get(SECRET_ENV):
        os.environ[SECRET_ENV] = secrets.token_hex(32)  # one key for every worker
    uvicorn.run(
        f"{__name__}:web_app",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        proxy_headers=proxy_headers,
        forwarded_allow_ips=list(proxies),
        # on a busy 2-core machine, workers still importing the report stack missed uvicorn's
        # 5 s health check, and the supervisor killed and restarted them
        timeout_worker_healthcheck=30,
    )
