"""A design's generated API as readable docs: its OpenAPI JSON, shown by the vendored Swagger UI."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from app.services.api_docs import openapi_json
from app.web.deps import StudioDep

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
def design_api_docs(design_id: str, studio: StudioDep) -> HTMLResponse:
    """Swagger UI over the design's OpenAPI document, from static/vendor (no CDN)."""
    document = studio.document(design_id)
    if openapi_json(document.digest, document.text) is None:
        raise HTTPException(409, INVALID)
    return get_swagger_ui_html(
        openapi_url=f"/designs/{design_id}/openapi.json?v={document.digest[:12]}",
        title=f"{document.data.get('name', 'Design')} · API docs",
        swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
        swagger_favicon_url="/static/favicon.svg",
    )
