"""The FastAPI application: `create_app(config)`; `rbm serve` runs it with uvicorn."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from fastapi.routing import APIRoute

from rbm.store.database import open_store
from rbm.web import errors
from rbm.web.auth import Rule, csrf_check
from rbm.web.config import WebConfig
from rbm.web.routes import (
    account,
    audit,
    build,
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
)


def create_app(config: WebConfig) -> FastAPI:
    app = FastAPI(
        title="rbm",
        summary="Results-based management: results framework, budgets, ratings and workflow.",
        version="1",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
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
    return app


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
