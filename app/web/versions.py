"""Versions of a design: the list with "save version" and restore, and the diff of two versions.

Everyone with a role on the design sees the list and the diffs; saving and restoring change
things, so the router guard lets only editors and the owner post. The diff page shows the
plain-language diff that `stormdraft diff` prints, element by element and artifact by artifact,
and offers the same text, Markdown and JSON to download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, HTTPException, Request, status
from fastapi.responses import (
    HTMLResponse,
    JSONResponse,
    PlainTextResponse,
    RedirectResponse,
    Response,
)
from pydantic import BaseModel, Field

from app.generators.diff import Change
from app.services.versions import CURRENT, Version, VersionDiff, VersionNotFound, Versions
from app.web.access import AccessDep, Role, read_or_edit
from app.web.api import ActorDep, api_router
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep
from app.web.templating import is_htmx_request_for, templates

router = APIRouter()
pages = APIRouter(include_in_schema=False)
actions = APIRouter(include_in_schema=False, dependencies=[CsrfDep])
api = api_router("versions")

SIDE = re.compile(r"current|[1-9][0-9]{0,8}")
MARKS = {"added": "+", "removed": "−", "renamed": "~", "moved": "→", "changed": "~"}


def get_versions(studio: StudioDep) -> Versions:
    return Versions(studio)


VersionsDep = Annotated[Versions, Depends(get_versions)]


def _side(value: str) -> int | str:
    """A side of a comparison from the query: a version number or "current"."""
    value = value.strip().lower()
    if not SIDE.fullmatch(value):
        raise HTTPException(404, "Choose a version number or “current” to compare.")
    return CURRENT if value == CURRENT else int(value)


def _versions_call(call: Any) -> Any:
    try:
        return call()
    except VersionNotFound as exc:
        raise HTTPException(404, str(exc)) from None


# -- the list page --------------------------------------------------------------------------


@dataclass(frozen=True)
class VersionsPage:
    """What the versions page shows."""

    design_id: str
    name: str
    revision: int
    versions: list[Version]
    can_edit: bool
    flash: str = ""
    view: str = "versions"


def _flash(
    versions: list[Version], saved: int | None, restored: int | None, before: int | None
) -> str:
    known = {v.number: v for v in versions}
    if saved in known:
        return f"Saved version {saved} “{known[saved].name}”."
    if restored in known:
        undo = f" To undo, restore version {before}." if before in known else ""
        return f"Restored version {restored} “{known[restored].name}”.{undo}"
    return ""


@pages.get("/designs/{design_id}/versions", response_class=HTMLResponse, name="versions")
def versions_page(
    request: Request,
    design_id: str,
    studio: StudioDep,
    versions: VersionsDep,
    access: AccessDep,
    saved: int | None = None,
    restored: int | None = None,
    before: int | None = None,
) -> Response:
    """The design's versions, newest first: save one, restore one, compare two."""
    document = studio.document(design_id)
    found = versions.list_versions(design_id)
    page = VersionsPage(
        design_id,
        str(document.data.get("name", "")),
        document.revision,
        found,
        access.role >= Role.EDITOR,
        _flash(found, saved, restored, before),
    )
    block = "version_list" if is_htmx_request_for(request, "version-list") else None
    return templates.TemplateResponse(request, "versions.html", {"page": page}, block_name=block)


@actions.post("/designs/{design_id}/versions")
def save_version(
    design_id: str,
    versions: VersionsDep,
    access: AccessDep,
    name: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Keep the design as it is now, under a name."""
    version = versions.save_version(design_id, name, access.actor)
    return RedirectResponse(
        f"/designs/{design_id}/versions?saved={version.number}", status_code=303
    )


@actions.post("/designs/{design_id}/versions/{number}/restore")
def restore_version(
    design_id: str, number: int, versions: VersionsDep, access: AccessDep
) -> Response:
    """Make the design what the version was (the design before is kept as a version)."""
    restored = _versions_call(lambda: versions.restore(design_id, number, access.actor))
    return RedirectResponse(
        f"/designs/{design_id}/versions?restored={number}&before={restored.before.number}",
        status_code=303,
    )


@pages.get("/designs/{design_id}/versions/{number}/storm.yaml")
def version_storm_file(design_id: str, number: int, versions: VersionsDep) -> Response:
    """The storm file a version keeps (to diff or import elsewhere)."""
    snapshot = _versions_call(lambda: versions.snapshot(design_id, number))
    return Response(
        snapshot.text,
        media_type="application/yaml; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="version-{number}.storm.yaml"',
            "X-Content-Type-Options": "nosniff",
        },
    )


# -- the diff page --------------------------------------------------------------------------


@dataclass(frozen=True)
class ContextChanges:
    """The changes listed under one bounded context (None: the design itself)."""

    context: str | None
    changes: list[Change]


@dataclass(frozen=True)
class DiffPage:
    """What the diff page shows."""

    design_id: str
    name: str
    revision: int
    versions: list[Version]
    old: str
    new: str
    compared: VersionDiff
    groups: list[ContextChanges]
    counts: dict[str, int]
    text: str
    marks: dict[str, str]
    view: str = "versions"


def _groups(compared: VersionDiff) -> list[ContextChanges]:
    if compared.diff is None:
        return []
    return [
        ContextChanges(context, list(changes))
        for context, changes in groupby(compared.diff.changes, key=lambda c: c.context)
    ]


def _default_old(versions: list[Version]) -> str:
    if not versions:
        raise HTTPException(404, "This design has no versions yet: save one to compare with.")
    return str(versions[0].number)


@pages.get("/designs/{design_id}/versions/diff", response_class=HTMLResponse)
def diff_page(
    request: Request,
    design_id: str,
    studio: StudioDep,
    versions: VersionsDep,
    a: str | None = None,
    b: str = CURRENT,
    format: Literal["html", "txt", "md", "json"] = "html",
) -> Response:
    """What changed from version `a` to version `b` (either may be "current")."""
    found = versions.list_versions(design_id)
    old, new = _side(a if a is not None else _default_old(found)), _side(b)
    compared: VersionDiff = _versions_call(lambda: versions.diff(design_id, old, new))
    if format != "html":
        return _download(compared, format, old, new)
    document = studio.document(design_id)
    page = DiffPage(
        design_id,
        str(document.data.get("name", "")),
        document.revision,
        found,
        str(old),
        str(new),
        compared,
        _groups(compared),
        compared.diff.counts() if compared.diff is not None else {},
        compared.text(),
        MARKS,
    )
    return templates.TemplateResponse(request, "version_diff.html", {"page": page})


def _download(compared: VersionDiff, format: str, old: int | str, new: int | str) -> Response:
    if format == "json":
        return JSONResponse(compared.json())
    if compared.diff is None:
        raise HTTPException(422, "A version with problems cannot be compared.")
    filename = f"diff-{old}-{new}.{format}"
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'}
    if format == "md":
        return Response(
            compared.markdown(), media_type="text/markdown; charset=utf-8", headers=headers
        )
    return PlainTextResponse(compared.text(), headers=headers)


# -- the JSON API ---------------------------------------------------------------------------


class VersionOut(BaseModel):
    number: int
    name: str
    revision: int
    created_at: datetime
    created_by: str


class VersionIn(BaseModel):
    name: str = Field(default="", max_length=200, description="empty: “Revision N”")


class RestoredOut(BaseModel):
    revision: int = Field(description="the design's revision after the restore")
    summary: str
    restored: VersionOut
    before: VersionOut = Field(description="the design as it was before: restore it to undo")


def _out(version: Version) -> VersionOut:
    return VersionOut(
        number=version.number,
        name=version.name,
        revision=version.revision,
        created_at=version.created_at,
        created_by=version.created_by,
    )


@api.get(
    "/designs/{design_id}/versions",
    response_model=list[VersionOut],
    dependencies=[read_or_edit],
)
def list_versions_api(design_id: str, versions: VersionsDep) -> list[VersionOut]:
    """The design's versions, newest first."""
    return [_out(v) for v in versions.list_versions(design_id)]


@api.post(
    "/designs/{design_id}/versions",
    response_model=VersionOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[read_or_edit],
)
def save_version_api(
    design_id: str, body: VersionIn, versions: VersionsDep, actor: ActorDep
) -> VersionOut:
    """Save the design as it is now as a new version."""
    return _out(versions.save_version(design_id, body.name, actor))


@api.post(
    "/designs/{design_id}/versions/{number}/restore",
    response_model=RestoredOut,
    dependencies=[read_or_edit],
)
def restore_version_api(
    design_id: str, number: int, versions: VersionsDep, actor: ActorDep
) -> RestoredOut:
    """Make the design what version `number` was; restoring `before` undoes it."""
    restored = _versions_call(lambda: versions.restore(design_id, number, actor))
    return RestoredOut(
        revision=restored.saved.document.revision,
        summary=restored.saved.summary,
        restored=_out(restored.version),
        before=_out(restored.before),
    )


@api.get("/designs/{design_id}/versions/diff", dependencies=[read_or_edit])
def diff_api(design_id: str, versions: VersionsDep, a: str, b: str = CURRENT) -> dict[str, object]:
    """The plain-language diff from version `a` to `b` ("current": the design now), as JSON."""
    compared: VersionDiff = _versions_call(lambda: versions.diff(design_id, _side(a), _side(b)))
    return compared.json()


router.include_router(pages)
router.include_router(actions)
router.include_router(api)
