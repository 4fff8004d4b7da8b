"""A design's generated API as readable docs: its OpenAPI JSON, shown by the vendored Swagger UI."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.services.api_docs import openapi_json
from app.web.deps import StudioDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)

INVALID = "Fix the design's problems before its API docs can be made."


@router.get("/designs/{design_id}/openapi.json")
def design_openapi(design_id: str, studio: StudioDep) -> Response:
    """The OpenAPI document generated from the design's current content."""
    document = studio.document(design_id)
    found = openapi_json(document.digest, document.text)
    if found is None:
        raise HTTPException(409, INVALID)
    return Response(
        found,
        media_type="application/json",
        headers={"Cache-Control": "no-cache", "ETag": f'"{document.digest[:16]}"'},
    )


@router.get("/designs/{design_id}/api-docs", response_class=HTMLResponse)
def design_api_docs(request: Request, design_id: str, studio: StudioDep) -> Response:
    """Swagger UI over the design's OpenAPI document, from static/vendor (no CDN)."""
    document = studio.document(design_id)
    if openapi_json(document.digest, document.text) is None:
        raise HTTPException(409, INVALID)
    return swagger_page(
        request,
        f"/designs/{design_id}/openapi.json?v={document.digest[:12]}",
        f"{document.data.get('name', 'Design')} · API docs",
    )


def swagger_page(request: Request, openapi_url: str, title: str) -> Response:
    """Swagger UI over an OpenAPI document, from static/vendor (no CDN, no inline script)."""
    context = {"openapi_url": openapi_url, "title": title}
    return templates.TemplateResponse(request, "swagger.html", context)
