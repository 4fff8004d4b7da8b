"""Panels beside the board: the design's problems, who is here, and the change history."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.model import DesignError
from app.services.documents import Data
from app.services.previews import validated
from app.web.deps import StudioDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class ProblemView:
    """One problem of the design, with the element it is about when known."""

    where: str
    message: str
    element_id: str | None


def _element_at(data: Data, loc: tuple[str | int, ...] | None) -> str | None:
    node: object = data
    found = None
    for key in loc or ():
        if isinstance(node, dict) and isinstance(key, str):
            node = node.get(key)
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            node = node[key]
        else:
            break
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            found = node["id"]
    return found


@router.get("/designs/{design_id}/problems", response_class=HTMLResponse)
def problems(request: Request, design_id: str, studio: StudioDep) -> Response:
    """Every semantic problem of the design (validated once per content)."""
    document = studio.document(design_id)
    result = validated(document.digest, document.text)
    found: list[ProblemView] = []
    if isinstance(result, DesignError):
        found = [
            ProblemView(p.path or "design", p.message, _element_at(document.data, p.loc))
            for p in result.problems
        ]
    return templates.TemplateResponse(
        request,
        "panels.html",
        {"design_id": design_id, "problems": found},
        block_name="problems",
    )


@router.get("/designs/{design_id}/presence", response_class=HTMLResponse)
def presence(request: Request, design_id: str, studio: StudioDep) -> Response:
    """Who is on this board now."""
    me = request.state.participant
    people = studio.participants(design_id)
    return templates.TemplateResponse(
        request,
        "panels.html",
        {"people": people, "me": me.session_id},
        block_name="presence",
    )


@router.get("/designs/{design_id}/history", response_class=HTMLResponse, name="history")
def history(request: Request, design_id: str, studio: StudioDep) -> Response:
    """The latest changes, who made them and when, with undo where it applies."""
    document = studio.document(design_id)
    changes = studio.history(design_id, limit=100)
    return templates.TemplateResponse(
        request,
        "history.html",
        {
            "design_id": design_id,
            "name": document.data.get("name", ""),
            "changes": changes,
            "revision": document.revision,
            "view": "history",
        },
    )
