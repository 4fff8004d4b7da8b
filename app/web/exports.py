"""Downloads of a design: every generated file as one archive, and the deployable AWS SAM
repository, built in the background with its progress shown in the Export tab. Every role may
download; an editor's or the owner's download keeps the design exported as a version."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.model import DesignError
from app.services.documents import StormDocument
from app.services.export import BUILDS, Build
from app.services.previews import export_archive, validated
from app.services.versions import Versions
from app.web.access import AccessDep, Role
from app.web.deps import StudioDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)

BUILD_WAIT_S = 120.0
POLL_MS = 400


def _zip(archive: bytes, filename: str) -> Response:
    return Response(
        archive,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _keep_version(studio: StudioDep, access: AccessDep, document: StormDocument) -> None:
    """The design as exported becomes a version, when an editor or the owner exports it."""
    if access.role >= Role.EDITOR:
        Versions(studio).snapshot_export(document.design_id, access.actor, document)


def _build(studio: StudioDep, design_id: str) -> tuple[StormDocument, Build]:
    document = studio.document(design_id)
    valid = validated(document.digest, document.text)
    if isinstance(valid, DesignError):
        raise HTTPException(409, "Fix the design's problems before exporting it.")
    return document, BUILDS.ensure(document.digest, valid)


@router.get("/designs/{design_id}/export.zip")
def export_zip(design_id: str, studio: StudioDep, access: AccessDep) -> Response:
    """Every generated file as one archive."""
    document = studio.document(design_id)
    archive = export_archive(document.digest, document.text, "stormdraft-export")
    if archive is None:
        raise HTTPException(409, "Fix the design's problems before exporting it.")
    _keep_version(studio, access, document)
    return _zip(archive, "export.zip")


@router.get("/designs/{design_id}/repository", response_class=HTMLResponse)
def repository_progress(request: Request, design_id: str, studio: StudioDep) -> Response:
    """The SAM repository's build for the current content: started if need be, its progress
    while it runs (the fragment asks again), then the download."""
    document, build = _build(studio, design_id)
    return templates.TemplateResponse(
        request,
        "_repository.html",
        {"design_id": design_id, "build": build, "poll_ms": POLL_MS, "v": document.digest[:12]},
    )


@router.get("/designs/{design_id}/repository.zip")
def repository_zip(design_id: str, studio: StudioDep, access: AccessDep) -> Response:
    """The deployable AWS SAM repository of the design as it is now."""
    document, build = _build(studio, design_id)
    if not build.finished.wait(BUILD_WAIT_S) or build.archive is None:
        raise HTTPException(503, build.error or "The export is taking too long; try again.")
    _keep_version(studio, access, document)
    return _zip(build.archive, "sam-repository.zip")
