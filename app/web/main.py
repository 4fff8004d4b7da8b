"""Builds the studio's FastAPI application: `create_app()` is the uvicorn factory."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from app.services.live import Hub
from app.services.studio import Studio
from app.settings import Settings, get_settings
from app.store.db import create_db_engine
from app.web import (
    api,
    api_docs,
    board,
    diagrams,
    dry_runs,
    events,
    health,
    pages,
    panels,
    previews,
    review,
    text,
)
from app.web.errors import install_user_error_handlers
from app.web.limits import BodySizeLimit
from app.web.paths import STATIC_DIR
from app.web.problems import install_problem_handlers
from app.web.sessions import SessionMiddleware


def create_app(settings: Settings | None = None) -> FastAPI:
    """The studio application for `settings` (by default, read from the environment)."""
    settings = settings or get_settings()
    engine = create_db_engine(settings.database_url)
    hub = Hub(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        hub.start(asyncio.get_running_loop())
        yield
        hub.stop()
        engine.dispose()

    app = FastAPI(
        title="Stormdraft",
        summary="Design serverless systems by event storming; drive the studio from scripts.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.hub = hub
    app.state.studio = Studio(engine, hub)

    app.add_middleware(
        SessionMiddleware,
        secret=settings.secret_key.get_secret_value(),
        secure=settings.environment == "production",
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    install_problem_handlers(app)
    install_user_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(board.router)
    app.include_router(text.router)
    app.include_router(panels.router)
    app.include_router(previews.router)
    app.include_router(diagrams.router)
    app.include_router(dry_runs.router)
    app.include_router(review.router)
    app.include_router(api_docs.router)
    app.include_router(events.router)
    app.include_router(api.router)
    app.include_router(health.router)
    app.add_api_route("/docs", _api_docs, include_in_schema=False, response_class=HTMLResponse)
    return app


def _api_docs() -> HTMLResponse:
    # Served from static/vendor (filled by `make setup`), so the docs work offline.
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Stormdraft API",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
