"""The Review tab: the design's findings by severity, and accepting one with a reason."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, Response

from app.services.board import sticky_of
from app.services.documents import StormDocument
from app.services.edits import EditRefused, iter_places
from app.services.previews import TABS, preview
from app.services.review import accept_finding, by_severity, design_review, markers
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep, ParticipantDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False, dependencies=[CsrfDep])


def review_context(
    document: StormDocument, message: str = "", stickies: list[Any] | None = None
) -> dict[str, Any]:
    """What the Review tab shows for a design's current content."""
    report = design_review(document.digest, document.text)
    return {
        "review": report,
        "review_groups": by_severity(report) if report else [],
        "markers": markers(report),
        "review_message": message,
        "review_stickies": [s for s in stickies or [] if s],
        "on_board": {element.get("id") for _place, element in iter_places(document.data)},
    }


def review_tab(
    request: Request, document: StormDocument, status: int = 200, **kwargs: Any
) -> Response:
    """The Review tab as the previews panel shows it."""
    return templates.TemplateResponse(
        request,
        "preview.html",
        {
            "design_id": document.design_id,
            "preview": preview(document.digest, document.text, "review"),
            "files": [],
            "tabs": TABS,
            "version": document.digest[:12],
            **review_context(document, **kwargs),
        },
        status_code=status,
        headers={"X-Design-Revision": str(document.revision)},
    )


@router.post("/designs/{design_id}/review/accept", response_class=HTMLResponse)
def accept(
    request: Request,
    design_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    rule: Annotated[str, Form(max_length=100)],
    element: Annotated[str, Form(max_length=100)],
    reason: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Accept a finding with the team's reason; it stays listed as accepted."""
    try:
        saved = studio.apply(
            design_id, lambda data: accept_finding(data, rule, element, reason), participant.name
        )
    except EditRefused as exc:
        if exc.status == 404:
            raise
        return review_tab(request, studio.document(design_id), exc.status, message=exc.message)
    stickies = [sticky_of(saved.document.data, element)]
    return review_tab(request, saved.document, stickies=stickies)
