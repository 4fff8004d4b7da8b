"""Builds the studio's FastAPI application: `create_app()` is the uvicorn factory."""

import asyncio
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from app.services.accounts import Accounts
from app.services.live import Hub
from app.services.review import start_reviewer, stop_reviewer
from app.services.studio import Studio
from app.settings import Settings, get_settings
from app.store.db import create_db_engine
from app.web import (
    api,
    api_docs,
    api_elements,
    auth,
    board,
    comments,
    diagrams,
    dry_runs,
    events,
    exports,
    health,
    inspector,
    overview,
    pages,
    panels,
    patterns,
    previews,
    review,
    sharing,
    text,
    versions,
    what_if,
    workflow_steps,
)
from app.web.access import read_or_comment, read_or_edit
from app.web.api_docs import swagger_page
from app.web.errors import install_user_error_handlers
from app.web.limits import BodySizeLimit
from app.web.paths import STATIC_DIR
from app.web.problems import install_problem_handlers
from app.web.security import SecurityHeaders
from app.web.sessions import SessionMiddleware

GC_THRESHOLDS = (50_000, 20, 1000)
"""The studio keeps validated designs, reviews and documents of big designs in memory: with
Python's default thresholds the collector walks them every few requests (pauses of 150-230 ms
on the large benchmark design). The studio's data is acyclic, so collections can be rare."""


def tune_garbage_collector() -> None:
    """Collect cyclic garbage rarely, and never walk what start-up made (modules, catalog)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


def create_app(settings: Settings | None = None) -> FastAPI:
    """The studio application for `settings` (by default, read from the environment)."""
    settings = settings or get_settings()
    engine = create_db_engine(settings.database_url)
    hub = Hub(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        tune_garbage_collector()
        start_reviewer()
        hub.start(asyncio.get_running_loop())
        yield
        hub.stop()
        stop_reviewer()
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
    app.state.accounts = Accounts(engine)

    app.add_middleware(
        SessionMiddleware,
        secret=settings.secret_key.get_secret_value(),
        secure=settings.environment == "production",
    )
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders, production=settings.environment == "production")
    install_problem_handlers(app)
    install_user_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.include_router(pages.router)
    app.include_router(auth.router)
    app.include_router(sharing.router)
    # Every route of these names a design: reads need a role on it, changes an editor's.
    for design_router in (
        board.router,
        inspector.router,
        text.router,
        panels.router,
        previews.router,
        diagrams.router,
        dry_runs.router,
        review.router,
        api_docs.router,
        events.router,
        versions.router,
        overview.router,
        what_if.router,
        patterns.router,
        workflow_steps.router,
        exports.router,
    ):
        app.include_router(design_router, dependencies=[read_or_edit])
    # A comment is the one change a viewer may make.
    app.include_router(comments.router, dependencies=[read_or_comment])
    app.include_router(api.router)
    app.include_router(api_elements.router)
    app.include_router(health.router)
    app.add_api_route("/docs", _api_docs, include_in_schema=False, response_class=HTMLResponse)
    return app


def _api_docs(request: Request) -> Response:
    # Served from static/vendor (filled by `make setup`), so the docs work offline.
    return swagger_page(request, "/openapi.json", "Stormdraft API")
