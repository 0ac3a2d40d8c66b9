"""`rbm serve`: the web application on uvicorn."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from rbm.cli.app import app, err, settings_of
from rbm.i18n import t
from rbm.web.app import create_app
from rbm.web.config import SECRET_ENV, WebConfig


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
) -> None:
    """Serve the web application: pages, the JSON API under /api and the workflow."""
    settings = settings_of(ctx)
    config = WebConfig(settings.url, builds=builds)

    if not os.environ.get(SECRET_ENV):
        err.print(t("web.serve.ephemeral_secret", settings.lang, env=SECRET_ENV), soft_wrap=True)
    err.print(t("web.serve.listening", settings.lang, url=f"http://{host}:{port}/"), soft_wrap=True)
    uvicorn.run(create_app(config), host=host, port=port, proxy_headers=proxy_headers)
