"""The JSON API: everything the pages can do, for scripts and CI (documented at /docs).

Scripts authenticate with a personal API token (`Authorization: Bearer sdt_…`, read or write
scope); the studio's own pages may call it with their session cookie, and then a state-changing
call must carry the session's CSRF token (`X-CSRF-Token`). State-changing requests must send
JSON (or YAML for a storm file). The actor recorded in the history is the caller's name, or
`X-Stormdraft-Actor`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, status
from fastapi.responses import Response
from pydantic import BaseModel, Field

from app.model import DesignError
from app.services.accounts import LinkRole
from app.services.previews import TABS, find_artifact, preview
from app.services.studio import DesignSummary, Saved
from app.web.access import AccountsDep, IdentityDep, UserDep, bearer_token, owner_only, read_or_edit
from app.web.deps import StudioDep
from app.web.sessions import clean_name, require_csrf
from app.web.sharing import join_url, revoke_and_announce

JSON_TYPES = ("application/json",)
YAML_TYPES = ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml")


async def require_api_body_type(request: Request) -> None:
    """Refuse state-changing requests that a cross-site form could send (415)."""
    if request.method in {"GET", "HEAD", "OPTIONS", "DELETE"}:
        return
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in JSON_TYPES + YAML_TYPES:
        raise HTTPException(415, "Send JSON (application/json), or YAML for a storm file.")


async def require_api_csrf(request: Request) -> None:
    """A call made with the session cookie (not a token) needs the CSRF token to change things."""
    if bearer_token(request) is None:
        await require_csrf(request)


def api_router(tag: str = "designs") -> APIRouter:
    """A router of the JSON API: under /api, JSON bodies, and the CSRF check for cookie calls."""
    return APIRouter(
        prefix="/api",
        tags=[tag],
        dependencies=[Depends(require_api_body_type), Depends(require_api_csrf)],
    )


router = api_router()


def actor_of(
    identity: IdentityDep,
    x_stormdraft_actor: Annotated[str | None, Header(max_length=200)] = None,
) -> str:
    """Who the history records for this request."""
    return clean_name(x_stormdraft_actor or "") or identity.actor


ActorDep = Annotated[str, Depends(actor_of)]


class DesignOut(BaseModel):
    id: str
    name: str
    revision: int
    updated_at: datetime
    deleted: bool = False


class DesignIn(BaseModel):
    """A new design: blank, from a starter, or from storm-file text (one of them)."""

    name: str = Field(default="", max_length=200)
    starter: str | None = Field(default=None, max_length=100)
    storm: str | None = Field(default=None, max_length=5_000_000)


class RenameIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class SavedOut(BaseModel):
    revision: int
    element: str | None
    summary: str


class ArtifactOut(BaseModel):
    path: str
    kind: str
    bytes: int
    sha256: str


class TabOut(BaseModel):
    tab: str
    status: str
    message: str
    files: list[ArtifactOut]


def _design(summary: DesignSummary) -> DesignOut:
    return DesignOut(
        id=summary.id,
        name=summary.name,
        revision=summary.revision,
        updated_at=summary.updated_at,
        deleted=summary.deleted,
    )


def saved_out(saved: Saved) -> SavedOut:
    return SavedOut(
        revision=saved.document.revision, element=saved.element_id, summary=saved.summary
    )


@router.get("/designs", response_model=list[DesignOut])
def list_designs(
    studio: StudioDep, user: UserDep, q: str = "", deleted: bool = False
) -> list[DesignOut]:
    """Your designs, most recently changed first; `q` filters by name."""
    return [_design(d) for d in studio.list_designs(q[:200], deleted=deleted, owner=user.id)]


@router.post("/designs", response_model=DesignOut, status_code=status.HTTP_201_CREATED)
def create_design(body: DesignIn, studio: StudioDep, user: UserDep, actor: ActorDep) -> DesignOut:
    """Create a design of yours: from `storm` text, from a `starter`, or blank."""
    if body.storm is not None:
        return _design(studio.import_text(body.storm, actor, body.name, owner=user.id))
    if body.starter:
        return _design(studio.create_from_starter(body.starter, body.name, actor, user.id))
    return _design(studio.create_blank(body.name or "Untitled design", actor, user.id))


@router.get("/designs/{design_id}", response_model=DesignOut, dependencies=[read_or_edit])
def get_design(design_id: str, studio: StudioDep) -> DesignOut:
    return _design(studio.summary(design_id))


@router.patch("/designs/{design_id}", response_model=SavedOut, dependencies=[read_or_edit])
def rename_design(design_id: str, body: RenameIn, studio: StudioDep, actor: ActorDep) -> SavedOut:
    return saved_out(studio.rename(design_id, body.name, actor))


@router.delete(
    "/designs/{design_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[owner_only]
)
def delete_design(design_id: str, studio: StudioDep, actor: ActorDep) -> Response:
    """Move a design to the trash (`POST …/restore` brings it back)."""
    studio.delete(design_id, actor)
    return Response(status_code=204)


@router.post("/designs/{design_id}/restore", response_model=DesignOut, dependencies=[owner_only])
def restore_design(design_id: str, studio: StudioDep, actor: ActorDep) -> DesignOut:
    return _design(studio.restore(design_id, actor))


@router.post(
    "/designs/{design_id}/duplicate",
    response_model=DesignOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[owner_only],
)
def duplicate_design(
    design_id: str, studio: StudioDep, user: UserDep, actor: ActorDep
) -> DesignOut:
    return _design(studio.duplicate(design_id, actor, user.id))


@router.get(
    "/designs/{design_id}/storm",
    responses={200: {"content": {"application/yaml": {}}}},
    dependencies=[read_or_edit],
)
def export_storm(design_id: str, studio: StudioDep) -> Response:
    """The storm file; its revision is in the `ETag` header."""
    document = studio.document(design_id)
    return Response(
        document.text,
        media_type="application/yaml; charset=utf-8",
        headers={"ETag": f'"{document.revision}"'},
    )


@router.put("/designs/{design_id}/storm", response_model=SavedOut, dependencies=[read_or_edit])
async def import_storm(
    request: Request,
    design_id: str,
    studio: StudioDep,
    actor: ActorDep,
    if_match: Annotated[str, Header(description="the revision you read (ETag)")],
) -> SavedOut:
    """Replace the storm file, unless the design changed since the revision in `If-Match`."""
    try:
        revision = int(if_match.strip().strip('"').removeprefix("W/").strip('"'))
    except ValueError:
        raise HTTPException(400, "If-Match carries the revision number you read.") from None
    body = await request.body()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise DesignError.one("", "the storm file is not UTF-8 text") from None
    return saved_out(studio.apply_text(design_id, text, revision, actor))


@router.get(
    "/designs/{design_id}/artifacts", response_model=list[TabOut], dependencies=[read_or_edit]
)
def list_artifacts(design_id: str, studio: StudioDep) -> list[TabOut]:
    """Every preview tab's status and generated files (generated on demand, cached)."""
    document = studio.document(design_id)
    found = []
    for each in TABS:
        result = preview(document.digest, document.text, each.slug)
        found.append(
            TabOut(
                tab=each.slug,
                status=result.status,
                message=result.message,
                files=[
                    ArtifactOut(path=a.path, kind=a.kind, bytes=len(a.content), sha256=a.sha256)
                    for a in result.artifacts
                ],
            )
        )
    return found


@router.get("/designs/{design_id}/artifacts/{path:path}", dependencies=[read_or_edit])
def get_artifact(design_id: str, path: str, studio: StudioDep) -> Response:
    """One generated file."""
    document = studio.document(design_id)
    found = find_artifact(document.digest, document.text, path)
    if found is None:
        raise HTTPException(404, "That file is not generated for this design.")
    return Response(
        found.content,
        media_type="application/octet-stream",
        headers={"X-Content-Type-Options": "nosniff"},
    )


class LinkIn(BaseModel):
    role: LinkRole = Field(description="`editor` (workshop) or `viewer` (stakeholders)")


class LinkOut(BaseModel):
    id: str
    role: LinkRole
    created_at: datetime
    revoked: bool
    url: str | None = Field(default=None, description="only in the answer that creates it")


@router.get("/designs/{design_id}/links", response_model=list[LinkOut], dependencies=[owner_only])
def list_links(design_id: str, accounts: AccountsDep) -> list[LinkOut]:
    """The design's share links (owner only); their secrets are never shown again."""
    return [
        LinkOut(id=k.id, role=k.role, created_at=k.created_at, revoked=k.revoked)
        for k in accounts.links(design_id)
    ]


@router.post(
    "/designs/{design_id}/links",
    response_model=LinkOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[owner_only],
)
def create_link(request: Request, design_id: str, body: LinkIn, accounts: AccountsDep) -> LinkOut:
    """A new share link; `url` carries its secret, shown this once."""
    link, token = accounts.create_link(design_id, body.role)
    return LinkOut(
        id=link.id,
        role=link.role,
        created_at=link.created_at,
        revoked=False,
        url=join_url(request, token),
    )


@router.delete(
    "/designs/{design_id}/links/{link_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[owner_only],
)
def revoke_link(design_id: str, link_id: str, studio: StudioDep, accounts: AccountsDep) -> Response:
    """Revoke a link: it stops working at once, open boards included."""
    revoke_and_announce(design_id, link_id, studio, accounts)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
