"""The JSON API for what is on a board: its stickies and lanes, their history with undo, and
the design's problems (see `app.web.api` for authentication and the designs themselves)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import status
from pydantic import BaseModel, Field

from app.model import DesignError
from app.model.elements import ElementKind
from app.services import edits
from app.services.board import build_board, element_view
from app.services.previews import validated
from app.web.access import read_or_edit
from app.web.api import ActorDep, SavedOut, api_router, saved_out
from app.web.deps import StudioDep

router = api_router()


class ElementIn(BaseModel):
    lane: str = Field(description="id of the lane (bounded context)", max_length=100)
    kind: ElementKind
    data: dict[str, Any] = Field(description="the element as the storm file writes it")


class LaneIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class ElementPatch(BaseModel):
    changes: dict[str, Any] = Field(description="keys to replace; null removes a key")
    base: str | None = Field(
        default=None,
        max_length=64,
        description="the element's digest as you read it: refused with "
        "409 if someone changed it since",
    )


class MoveIn(BaseModel):
    lane: str | None = Field(default=None, max_length=100)
    before: str | None = Field(default=None, max_length=100)
    direction: Literal["earlier", "later"] | None = None


class ElementOut(BaseModel):
    id: str
    kind: str
    lane: str
    digest: str
    data: dict[str, Any]


class StickyOut(BaseModel):
    id: str
    kind: str
    name: str
    lane: str
    x: float
    links: list[str]


class ChangeOut(BaseModel):
    revision: int
    actor: str
    at: datetime
    summary: str
    element: str | None


class ProblemOut(BaseModel):
    path: str
    message: str
    line: int | None
    column: int | None


@router.get(
    "/designs/{design_id}/elements", response_model=list[StickyOut], dependencies=[read_or_edit]
)
def list_elements(design_id: str, studio: StudioDep) -> list[StickyOut]:
    """Every sticky, lane by lane along the timeline, with the ids it links to or from."""
    board = build_board(studio.document(design_id).data)
    return [
        StickyOut(id=s.id, kind=s.kind, name=s.name, lane=s.lane_id, x=s.x, links=list(s.links))
        for lane in board.lanes
        for s in lane.stickies
    ]


@router.post(
    "/designs/{design_id}/elements",
    response_model=SavedOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[read_or_edit],
)
def add_element(design_id: str, body: ElementIn, studio: StudioDep, actor: ActorDep) -> SavedOut:
    return saved_out(
        studio.apply(
            design_id, lambda data: edits.add_element(data, body.lane, body.kind, body.data), actor
        )
    )


@router.post(
    "/designs/{design_id}/lanes",
    response_model=SavedOut,
    status_code=status.HTTP_201_CREATED,
    dependencies=[read_or_edit],
)
def add_lane(design_id: str, body: LaneIn, studio: StudioDep, actor: ActorDep) -> SavedOut:
    return saved_out(
        studio.apply(design_id, lambda data: edits.add_context(data, body.name), actor)
    )


@router.get(
    "/designs/{design_id}/elements/{element_id}",
    response_model=ElementOut,
    dependencies=[read_or_edit],
)
def get_element(design_id: str, element_id: str, studio: StudioDep) -> ElementOut:
    view = element_view(studio.document(design_id).data, element_id)
    return ElementOut(
        id=view.id, kind=view.kind, lane=view.lane_id, digest=view.digest, data=view.data
    )


@router.patch(
    "/designs/{design_id}/elements/{element_id}",
    response_model=SavedOut,
    dependencies=[read_or_edit],
)
def update_element(
    design_id: str, element_id: str, body: ElementPatch, studio: StudioDep, actor: ActorDep
) -> SavedOut:
    """Change some keys of an element; with `base`, refused (409) if it changed meanwhile."""
    return saved_out(
        studio.apply(
            design_id,
            lambda data: edits.update_element(data, element_id, body.changes, base=body.base),
            actor,
        )
    )


@router.delete(
    "/designs/{design_id}/elements/{element_id}",
    response_model=SavedOut,
    dependencies=[read_or_edit],
)
def delete_element(design_id: str, element_id: str, studio: StudioDep, actor: ActorDep) -> SavedOut:
    """Delete an element; undo it with `POST …/changes/{revision}/undo`."""
    return saved_out(
        studio.apply(design_id, lambda data: edits.delete_element(data, element_id), actor)
    )


@router.post(
    "/designs/{design_id}/elements/{element_id}/move",
    response_model=SavedOut,
    dependencies=[read_or_edit],
)
def move_element(
    design_id: str, element_id: str, body: MoveIn, studio: StudioDep, actor: ActorDep
) -> SavedOut:
    return saved_out(
        studio.apply(
            design_id,
            lambda data: edits.move_element(
                data,
                element_id,
                context_id=body.lane,
                before_id=body.before,
                direction=body.direction,
            ),
            actor,
        )
    )


@router.get(
    "/designs/{design_id}/changes", response_model=list[ChangeOut], dependencies=[read_or_edit]
)
def list_changes(design_id: str, studio: StudioDep, limit: int = 50) -> list[ChangeOut]:
    """The latest changes, newest first."""
    studio.summary(design_id)
    return [
        ChangeOut(
            revision=c.revision, actor=c.actor, at=c.at, summary=c.summary, element=c.element_id
        )
        for c in studio.history(design_id, limit=max(1, min(limit, 500)))
    ]


@router.post(
    "/designs/{design_id}/changes/{revision}/undo",
    response_model=SavedOut,
    dependencies=[read_or_edit],
)
def undo_change(design_id: str, revision: int, studio: StudioDep, actor: ActorDep) -> SavedOut:
    """Undo one change for its element, keeping everything changed since."""
    return saved_out(studio.undo(design_id, revision, actor))


@router.get(
    "/designs/{design_id}/problems", response_model=list[ProblemOut], dependencies=[read_or_edit]
)
def list_problems(design_id: str, studio: StudioDep) -> list[ProblemOut]:
    """What is semantically wrong with the design (an empty list when nothing)."""
    document = studio.document(design_id)
    result = validated(document.digest, document.text)
    if not isinstance(result, DesignError):
        return []
    return [
        ProblemOut(path=p.path, message=p.message, line=p.line, column=p.column)
        for p in result.problems
    ]
