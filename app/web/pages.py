"""The studio's pages: the home page lists the saved designs."""

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.store import designs
from app.store.db import schema_is_ready
from app.web.deps import EngineDep, SessionDep
from app.web.templating import is_htmx_request_for, templates

# HTML pages are for people; the OpenAPI document describes the JSON API only.
router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class DesignSummary:
    """One row of the design list."""

    id: str
    name: str
    revision: int
    updated_at: datetime


@dataclass(frozen=True)
class HomePage:
    """What the home page template shows."""

    designs: list[DesignSummary]
    query: str
    store_ready: bool


@router.get("/", response_class=HTMLResponse, name="home")
def home(request: Request, engine: EngineDep, session: SessionDep, q: str = "") -> Response:
    """The design list; with htmx, only the list fragment for the search box."""
    query = q.strip()
    # Before `alembic upgrade head` has run there are no tables: show the empty state.
    store_ready = schema_is_ready(engine)
    records = designs.list_designs(session, name_contains=query or None) if store_ready else []
    page = HomePage(
        designs=[DesignSummary(r.id, r.name, r.revision, r.updated_at) for r in records],
        query=query,
        store_ready=store_ready,
    )
    block = "design_list" if is_htmx_request_for(request, "design-list") else None
    return templates.TemplateResponse(request, "home.html", {"page": page}, block_name=block)
