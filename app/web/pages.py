"""The designs page: list, search, create (blank, starter, import), duplicate, rename, delete."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app import catalog
from app.model import DesignError
from app.services.studio import DesignSummary
from app.store.db import schema_is_ready
from app.web.access import IdentityDep, SignInNeeded, UserDep, owner_only, read_or_edit
from app.web.deps import EngineDep, StudioDep
from app.web.sessions import CsrfDep, ParticipantDep, clean_name, set_participant
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
    identity: IdentityDep,
    q: str = "",
    deleted: str = "",
    error: str = "",
) -> Response:
    """The design list; with htmx, only the list fragment for the search box."""
    query = q.strip()[:200]
    # Before `alembic upgrade head` has run there are no tables: show the empty state.
    store_ready = schema_is_ready(engine)
    user = identity.user
    if store_ready and user is None:
        raise SignInNeeded("/")
    records = studio.list_designs(query, owner=user.id) if user else []
    trash = studio.list_designs(deleted=True, owner=user.id)[:10] if user else []
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
    user: UserDep,
    name: Annotated[str, Form(max_length=400)] = "",
    starter: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """A new design, blank or from a starter; then its board."""
    if starter:
        created = studio.create_from_starter(starter, name, user.display_name, user.id)
    else:
        created = studio.create_blank(name or "Untitled design", user.display_name, user.id)
    return _to_board(created.id)


@actions.post("/designs/import")
async def import_design(
    studio: StudioDep,
    user: UserDep,
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
        created = studio.import_text(content, user.display_name, owner=user.id)
    except DesignError as exc:
        first = "; ".join(str(p) for p in exc.problems[:3])
        return _home_with_error(f"That storm file cannot be imported: {first}")
    return _to_board(created.id)


@actions.post("/designs/{design_id}/duplicate", dependencies=[owner_only])
def duplicate_design(design_id: str, studio: StudioDep, user: UserDep) -> Response:
    return _to_board(studio.duplicate(design_id, user.display_name, user.id).id)


@actions.post("/designs/{design_id}/rename", dependencies=[read_or_edit])
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


@actions.post("/designs/{design_id}/delete", dependencies=[owner_only])
def delete_design(design_id: str, studio: StudioDep, participant: ParticipantDep) -> Response:
    studio.delete(design_id, participant.name)
    return RedirectResponse(f"/?deleted={design_id}", status_code=303)


@actions.post("/designs/{design_id}/restore", dependencies=[owner_only])
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
    target = local_path(back)
    response: Response
    if request.headers.get("HX-Request") == "true":
        response = HTMLResponse(str(templates.env.from_string("{{ n }}").render(n=chosen)))
    else:
        response = RedirectResponse(target, status_code=303)
    set_participant(request, response, replace(participant, name=chosen))
    return response


def local_path(target: str) -> str:
    """`target` when it is a path on this site, else `/` (no open redirects)."""
    if target.startswith("/") and not target.startswith(("//", "/\\")) and "\\" not in target:
        return target
    return "/"


router.include_router(actions)
