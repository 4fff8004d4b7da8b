"""The designs page: list, search, create (blank, starter, import), duplicate, rename, delete."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import catalog
from app.model import DesignError
from app.services.studio import DesignSummary
from app.store.db import schema_is_ready
from app.web.deps import EngineDep, StudioDep
from app.web.sessions import CsrfDep, ParticipantDep, clean_name
from app.web.templating import is_htmx_request_for, templates

# HTML pages are for people; the OpenAPI document describes the JSON API only.
router = APIRouter(include_in_schema=False)
actions = APIRouter(include_in_schema=False, dependencies=[CsrfDep])


@dataclass(frozen=True)
class StarterChoice:
    slug: str
    name: str
    description: str


@dataclass(frozen=True)
class HomePage:
    """What the home page template shows."""

    designs: list[DesignSummary]
    trash: list[DesignSummary]
    query: str
    store_ready: bool
    starters: list[StarterChoice]
    deleted: DesignSummary | None
    error: str


@router.get("/", response_class=HTMLResponse, name="home")
def home(
    request: Request,
    engine: EngineDep,
    studio: StudioDep,
    q: str = "",
    deleted: str = "",
    error: str = "",
) -> Response:
    """The design list; with htmx, only the list fragment for the search box."""
    query = q.strip()[:200]
    # Before `alembic upgrade head` has run there are no tables: show the empty state.
    store_ready = schema_is_ready(engine)
    records = studio.list_designs(query) if store_ready else []
    trash = studio.list_designs(deleted=True)[:10] if store_ready else []
    just_deleted = next((d for d in trash if d.id == deleted), None)
    page = HomePage(
        designs=records,
        trash=trash,
        query=query,
        store_ready=store_ready,
        starters=[StarterChoice(s.slug, s.name, s.description) for s in catalog.starters()],
        deleted=just_deleted,
        error=error[:300],
    )
    block = "design_list" if is_htmx_request_for(request, "design-list") else None
    return templates.TemplateResponse(request, "home.html", {"page": page}, block_name=block)


def _to_board(design_id: str) -> RedirectResponse:
    return RedirectResponse(f"/designs/{design_id}", status_code=303)


def _home_with_error(message: str) -> RedirectResponse:
    return RedirectResponse(f"/?error={quote(message[:300])}", status_code=303)


@actions.post("/designs/new")
def create_design(
    studio: StudioDep,
    participant: ParticipantDep,
    name: Annotated[str, Form(max_length=400)] = "",
    starter: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """A new design, blank or from a starter; then its board."""
    if starter:
        created = studio.create_from_starter(starter, name, participant.name)
    else:
        created = studio.create_blank(name or "Untitled design", participant.name)
    return _to_board(created.id)


@actions.post("/designs/import")
async def import_design(
    studio: StudioDep,
    participant: ParticipantDep,
    storm_text: Annotated[str, Form(max_length=5_000_000)] = "",
    storm_file: UploadFile | None = None,
) -> Response:
    """A new design from an uploaded or pasted storm file."""
    content: str | bytes = storm_text
    if storm_file is not None and storm_file.filename:
        content = await storm_file.read()
    if not content or not content.strip():
        return _home_with_error("Choose a storm file or paste its text to import it.")
    try:
        created = studio.import_text(content, participant.name)
    except DesignError as exc:
        first = "; ".join(str(p) for p in exc.problems[:3])
        return _home_with_error(f"That storm file cannot be imported: {first}")
    return _to_board(created.id)


@actions.post("/designs/{design_id}/duplicate")
def duplicate_design(design_id: str, studio: StudioDep, participant: ParticipantDep) -> Response:
    return _to_board(studio.duplicate(design_id, participant.name).id)


@actions.post("/designs/{design_id}/rename")
def rename_design(
    request: Request,
    design_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    name: Annotated[str, Form(max_length=400)],
    back: Annotated[str, Form(max_length=20)] = "home",
) -> Response:
    saved = studio.rename(design_id, name, participant.name)
    if request.headers.get("HX-Request") == "true":
        return HTMLResponse(
            str(templates.env.from_string("{{ name }}").render(name=saved.name)),
            headers={"X-Design-Revision": str(saved.document.revision)},
        )
    return RedirectResponse("/" if back == "home" else f"/designs/{design_id}", status_code=303)


@actions.post("/designs/{design_id}/delete")
def delete_design(design_id: str, studio: StudioDep, participant: ParticipantDep) -> Response:
    studio.delete(design_id, participant.name)
    return RedirectResponse(f"/?deleted={design_id}", status_code=303)


@actions.post("/designs/{design_id}/restore")
def restore_design(design_id: str, studio: StudioDep, participant: ParticipantDep) -> Response:
    studio.restore(design_id, participant.name)
    return RedirectResponse("/", status_code=303)


@actions.post("/session/name")
def choose_name(
    request: Request,
    participant: ParticipantDep,
    name: Annotated[str, Form(max_length=200)],
    back: Annotated[str, Form(max_length=300)] = "/",
) -> Response:
    """Set the display name others see on the board."""
    chosen = clean_name(name) or participant.name
    cookies = request.state.session_cookies
    renamed = cookies.participant(participant.session_id, chosen)
    target = back if back.startswith("/") and not back.startswith("//") else "/"
    response: Response
    if request.headers.get("HX-Request") == "true":
        response = HTMLResponse(str(templates.env.from_string("{{ n }}").render(n=chosen)))
    else:
        response = RedirectResponse(target, status_code=303)
    response.set_cookie(
        "stormdraft_session",
        cookies.encode(renamed),
        httponly=True,
        samesite="lax",
        max_age=31536000,
        path="/",
    )
    return response


router.include_router(actions)
