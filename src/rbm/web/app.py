"""The FastAPI application: `create_app(config)`; `rbm serve` runs it with uvicorn."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import fastapi_offline
from fastapi import Depends, FastAPI
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.routing import APIRoute
from starlette.routing import Match
from starlette.types import Scope

from rbm.store.database import open_store
from rbm.web import errors
from rbm.web.auth import Rule, csrf_check
from rbm.web.config import WebConfig
from rbm.web.errors import ApiError
from rbm.web.headers import SecurityHeaders
from rbm.web.jobs import remove_leftovers
from rbm.web.limits import BodyLimits
from rbm.web.routes import (
    account,
    audit,
    build,
    exchange,
    finance,
    framework,
    overview,
    pie,
    projects,
    reconciliation,
    records,
    risks,
    sectors,
    workflow,
)
from rbm.web.session import Sessions
from rbm.web.state import AppState, lifespan

ROUTERS = (
    account.router,
    overview.router,
    framework.router,
    pie.router,
    workflow.router,
    sectors.router,
    finance.router,
    risks.router,
    projects.router,
    reconciliation.router,
    audit.router,
    build.router,
    records.router,
    exchange.router,
)


def create_app(config: WebConfig) -> FastAPI:
    app = FastAPI(
        title="rbm",
        summary="Results-based management: results framework, budgets, ratings and workflow.",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url=None,  # served below from the installed Swagger UI, not from a CDN
        redoc_url=None,
        dependencies=[Depends(csrf_check)],
        lifespan=lifespan,
    )
    engine = open_store(config.url)
    app.state.rbm = AppState(config, engine, Sessions(config.secret, config.session_hours * 3600))
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    missing = [route.path for route in routes() if rule_of(route) is None]
    if missing:
        raise RuntimeError(f"routes without an access rule: {missing}")
    api_viewer(app)
    # the last added runs first: headers on everything, then errors, then the body limits
    app.add_middleware(
        BodyLimits,
        max_bytes=config.max_body_bytes,
        max_depth=config.max_json_depth,
        seconds=config.body_seconds,
        needs_sign_in=sign_in_needed(routes()),
    )
    app.add_middleware(errors.Crashes)
    app.add_middleware(SecurityHeaders)
    remove_leftovers(config.builds)
    return app


def sign_in_needed(served: list[APIRoute]) -> Callable[[Scope], bool]:
    """Whether the route a request goes to needs a signed-in user (its rule names roles)."""
    rules = [(route, rule_of(route)) for route in served]

    def needs(scope: Scope) -> bool:
        for route, rule in rules:
            if route.matches(scope)[0] is Match.FULL:
                return rule is not None and rule.roles is not None
        return False

    return needs


SWAGGER = Path(fastapi_offline.__file__).parent / "static"  # Swagger UI 5 (OpenAPI 3.1)
SWAGGER_FILES = ("swagger-ui.css", "swagger-ui-bundle.js", "favicon.png")
VIEWER_SCRIPT = """window.ui = SwaggerUIBundle({url: "/api/openapi.json", dom_id: "#swagger-ui",
  presets: [SwaggerUIBundle.presets.apis], layout: "BaseLayout", deepLinking: true});
"""
VIEWER_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>rbm API</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
<link rel="icon" href="/api/docs/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/api/docs/swagger-ui-bundle.js"></script>
<script src="/api/docs/viewer.js"></script>
</body>
</html>
"""
ASSET_CACHE = {"Cache-Control": "public, max-age=86400"}


def api_viewer(app: FastAPI) -> None:
    """The OpenAPI viewer at /api/docs, its assets from the files the fastapi-offline package
    ships (nothing from another origin); it runs under the pages' policy (no inline code)."""

    @app.get("/api/docs", include_in_schema=False)
    def viewer() -> HTMLResponse:
        return HTMLResponse(VIEWER_PAGE)

    @app.get("/api/docs/viewer.js", include_in_schema=False)
    def viewer_script() -> Response:
        return Response(VIEWER_SCRIPT, media_type="text/javascript", headers=ASSET_CACHE)

    @app.get("/api/docs/{name}", include_in_schema=False)
    def viewer_asset(name: str) -> FileResponse:
        if name not in SWAGGER_FILES:
            raise ApiError(404, "web.error.404")
        return FileResponse(SWAGGER / name, headers=ASSET_CACHE)


def routes() -> list[APIRoute]:
    """Every route the application serves but the OpenAPI document and its viewer."""
    return [route for router in ROUTERS for route in router.routes if isinstance(route, APIRoute)]


def rule_of(route: APIRoute) -> Rule | None:
    """The access rule a route declares (a `Rule` among its dependencies)."""
    pending = list(route.dependant.dependencies)
    while pending:
        dependency = pending.pop()
        if isinstance(dependency.call, Rule):
            return dependency.call
        pending.extend(dependency.dependencies)
    return None
