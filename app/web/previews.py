"""Artifact previews in tabs beside the board, the generated files, and the export archive."""

from __future__ import annotations

import mimetypes

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.services.overview import table_view
from app.services.previews import TABS, TABS_BY_SLUG, find_artifact, preview
from app.services.table_proof import table_proof, table_samples
from app.web.deps import StudioDep
from app.web.diagrams import diagrams_context
from app.web.dry_runs import dry_run_context
from app.web.review import review_context
from app.web.templating import templates
from app.web.what_if import cost_context

router = APIRouter(include_in_schema=False)

SHOWN_BYTES = 60_000
# Generated files are shown, never run: an SVG opened directly cannot run script or load more.
ARTIFACT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


@router.get("/designs/{design_id}/previews/{slug}", response_class=HTMLResponse)
def preview_tab(
    request: Request, design_id: str, slug: str, studio: StudioDep, view: str = "all"
) -> Response:
    """One preview tab: its files as they stand for the design's current content."""
    if slug not in TABS_BY_SLUG:
        raise HTTPException(404, "There is no such preview.")
    document = studio.document(design_id)
    found = preview(document.digest, document.text, slug)
    extra = review_context(document) if slug == "review" else {}
    if slug == "diagrams" and found.status == "ready":
        extra = diagrams_context(document.digest, document.text, view)
    if slug == "workflows" and found.status == "ready":
        extra = dry_run_context(document.digest, document.text)
    if slug == "table" and found.status == "ready":
        extra = {
            "table": table_view(found),
            "samples": table_samples(document.digest, document.text),
        }
    if slug == "cost" and found.status == "ready":
        extra = cost_context(found, document.digest, document.text)
    shown = []
    for artifact in found.artifacts:
        is_svg = artifact.path.endswith(".svg")
        text = None
        if not is_svg and not artifact.path.endswith(".png"):
            text = artifact.content[:SHOWN_BYTES].decode("utf-8", errors="replace")
        shown.append(
            {
                "path": artifact.path,
                "kind": artifact.kind,
                "size": len(artifact.content),
                "svg": is_svg,
                "text": text,
                "alt": artifact.path.endswith((".dot", ".mmd")),
                "cut": len(artifact.content) > SHOWN_BYTES,
            }
        )
    return templates.TemplateResponse(
        request,
        "preview.html",
        {
            "design_id": design_id,
            "preview": found,
            "files": shown,
            "tabs": TABS,
            "version": document.digest[:12],
            **extra,
        },
    )


@router.get("/designs/{design_id}/table-proof", response_class=HTMLResponse)
def table_proof_fragment(request: Request, design_id: str, studio: StudioDep) -> Response:
    """Each access pattern's operation and its proof on an emulated table (run on demand)."""
    document = studio.document(design_id)
    found = table_proof(document.digest, document.text)
    return templates.TemplateResponse(request, "_table_proof.html", {"proof": found})


@router.get("/designs/{design_id}/artifacts/{path:path}")
def artifact(design_id: str, path: str, studio: StudioDep) -> Response:
    """One generated file of the design's current content."""
    document = studio.document(design_id)
    found = find_artifact(document.digest, document.text, path)
    if found is None:
        raise HTTPException(404, "That file is not generated for this design.")
    media_type = mimetypes.guess_type(found.path)[0] or "text/plain"
    if media_type.startswith("text/") or media_type in {"application/json", "application/yaml"}:
        media_type += "; charset=utf-8"
    return Response(
        found.content,
        media_type=media_type,
        headers={
            "Content-Security-Policy": ARTIFACT_POLICY,
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "private, max-age=60",
        },
    )
