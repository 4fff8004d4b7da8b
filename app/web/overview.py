"""The review view: a read-only page for stakeholders that prints cleanly (where a viewer link
lands). Every role may read it; only editors and owners are offered the way to the board."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from app.services.comments import comment_subjects
from app.services.overview import MAIN_DIAGRAMS, Overview, design_overview
from app.web.access import Access, Role
from app.web.deps import StudioDep
from app.web.diagrams import DIAGRAMS
from app.web.templating import templates

router = APIRouter(include_in_schema=False)

DIAGRAM_TITLES = {
    "context-map": (
        "Context map",
        "The bounded contexts (the parts of the system) and how they talk to each other.",
    ),
    "event-flow": (
        "Event flow",
        "Who does what: commands, the events they raise and the policies that react to them.",
    ),
    "entities": (
        "Entities",
        "The data the system keeps, how the pieces relate, and which access patterns use them.",
    ),
}
assert set(MAIN_DIAGRAMS) == set(DIAGRAMS), "every diagram the studio draws, and only those"


@dataclass(frozen=True)
class Diagram:
    name: str
    title: str
    explains: str


@dataclass(frozen=True)
class OverviewPage:
    """What the review view shows: the design's overview, and what the reader may do."""

    design_id: str
    revision: int
    version: str
    """A short content hash, so images and links ask for this content, not a cached older one."""
    overview: Overview
    can_edit: bool
    diagrams: tuple[Diagram, ...]
    subjects: list[tuple[str, str]]
    """What a comment may be about besides the whole design."""


@router.get("/designs/{design_id}/overview", response_class=HTMLResponse, name="overview")
def overview_page(request: Request, design_id: str, studio: StudioDep) -> Response:
    """The design told for stakeholders: diagrams, table plan, workflows, API, cost, review."""
    document = studio.document(design_id)
    access: Access = request.state.access
    page = OverviewPage(
        design_id=design_id,
        revision=document.revision,
        version=document.digest[:12],
        overview=design_overview(document),
        can_edit=access.role >= Role.EDITOR,
        diagrams=tuple(Diagram(name, *DIAGRAM_TITLES[name]) for name in MAIN_DIAGRAMS),
        subjects=comment_subjects(document.data),
    )
    return templates.TemplateResponse(request, "overview.html", {"page": page})
