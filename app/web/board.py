"""The board: lanes of stickies, the inspector beside them, and every edit as an htmx request.

Each edit answers with only what changed: the inspector, plus out-of-band swaps of the sticky
(or lanes) it touched, and the new revision in `X-Design-Revision` so the page can tell its
own changes from other people's when the live stream announces them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.services import edits
from app.services.board import (
    ADDABLE,
    KIND_ICONS,
    KIND_LABELS,
    REQUIRED_ON_ADD,
    Board,
    ElementView,
    build_board,
    element_view,
    sticky_of,
)
from app.services.comments import comment_subjects
from app.services.documents import StormDocument
from app.services.edits import Data, EditRefused, ElementConflict, Outcome
from app.services.review import markers, review_of
from app.services.studio import Saved, Studio
from app.web.access import Role
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep, ParticipantDep
from app.web.templating import templates

router = APIRouter(include_in_schema=False)
actions = APIRouter(include_in_schema=False, dependencies=[CsrfDep])

Text = Annotated[str, Form(max_length=20_000)]
ShortText = Annotated[str, Form(max_length=400)]
MaybeText = Annotated[str | None, Form(max_length=400)]


@dataclass(frozen=True)
class BoardPage:
    """What the board page shows."""

    design_id: str
    name: str
    revision: int
    board: Board
    addable: tuple[str, ...] = ADDABLE
    labels: dict[str, str] = field(default_factory=lambda: KIND_LABELS)
    icons: dict[str, str] = field(default_factory=lambda: KIND_ICONS)
    view: str = "board"
    subjects: list[tuple[str, str]] = field(default_factory=list)
    """What a comment may be about besides the whole design (the comments tab)."""


@dataclass(frozen=True)
class EditAnswer:
    """The fragments an edit sends back, and the document they show."""

    document: StormDocument
    inspector: ElementView | None = None
    stickies: list[Any] = field(default_factory=list)
    lanes: list[Any] = field(default_factory=list)
    all_lanes: Board | None = None
    removed: list[str] = field(default_factory=list)
    flash: str = ""
    undo_revision: int | None = None
    message: str = ""
    conflict: bool = False
    icons: dict[str, str] = field(default_factory=lambda: KIND_ICONS)
    labels: dict[str, str] = field(default_factory=lambda: KIND_LABELS)

    @property
    def design_id(self) -> str:
        return self.document.design_id

    @property
    def revision(self) -> int:
        return self.document.revision


def _page(document: StormDocument) -> BoardPage:
    return BoardPage(
        document.design_id,
        document.data.get("name", ""),
        document.revision,
        build_board(document.data),
    )


@router.get("/designs/{design_id}", response_class=HTMLResponse, name="board")
def board_page(request: Request, design_id: str, studio: StudioDep) -> Response:
    """The board of a design, with its inspector, previews and problems beside it. Viewers
    are shown the review view instead: the board is for changing the design."""
    if request.state.access.role < Role.EDITOR:
        return RedirectResponse(f"/designs/{design_id}/overview", status_code=303)
    document = studio.document(design_id)
    page = replace(_page(document), subjects=comment_subjects(document.data))
    review = _review_of(document, studio, wait=True)
    return templates.TemplateResponse(request, "board.html", {"page": page, **review})


@router.get("/designs/{design_id}/lanes", response_class=HTMLResponse)
def lanes_fragment(request: Request, design_id: str, studio: StudioDep) -> Response:
    """Every lane (the live stream asks for this after someone else's change)."""
    document = studio.document(design_id)
    page = _page(document)
    return templates.TemplateResponse(
        request,
        "board.html",
        {"page": page, **_review_of(document, studio)},
        block_name="lanes",
        headers={"X-Design-Revision": str(document.revision)},
    )


@router.get("/designs/{design_id}/elements/{element_id}", response_class=HTMLResponse)
def inspector(request: Request, design_id: str, element_id: str, studio: StudioDep) -> Response:
    """The inspector of one sticky or lane."""
    document = studio.document(design_id)
    answer = EditAnswer(document, element_view(document.data, element_id))
    return _answer(request, answer)


def _saved_answer(saved: Saved, *, inspect: str | None, **kwargs: Any) -> EditAnswer:
    data = saved.document.data
    view = element_view(data, inspect) if inspect else None
    return EditAnswer(saved.document, view, **kwargs)


def _lane_of(board: Board, lane_id: str) -> Any:
    return next((lane for lane in board.lanes if lane.id == lane_id), None)


REVIEW_WAIT_S = 10.0
"""How long the board page waits for its design's review (edits and refreshes do not)."""


def _review_of(document: StormDocument, studio: Studio, *, wait: bool = False) -> dict[str, Any]:
    """The review the stickies' markers and the inspector's findings come from: the one of
    this content when it is ready (the board page waits for it), else the latest at hand; the
    board hears `review` when a finished review moves a marker."""
    report = review_of(
        document.design_id,
        document.digest,
        document.text,
        wait_s=REVIEW_WAIT_S if wait else 0.0,
        announce=lambda design_id: studio.broadcast(design_id, {"type": "review"}),
    )
    return {"review": report, "markers": markers(report)}


def _answer(request: Request, answer: EditAnswer, status: int = 200) -> Response:
    studio: Studio = request.app.state.studio
    return templates.TemplateResponse(
        request,
        "board_answer.html",
        {"a": answer, **_review_of(answer.document, studio)},
        status_code=status,
        headers={"X-Design-Revision": str(answer.revision)},
    )


def edit_in_inspector(
    request: Request,
    studio: Studio,
    design_id: str,
    element_id: str,
    actor: str,
    change: Callable[[Data], Outcome],
) -> Response:
    """Apply an inspector edit; answer the inspector and the sticky, or why not."""
    try:
        saved = studio.apply(design_id, change, actor)
    except ElementConflict as exc:
        document = studio.document(design_id)
        view = element_view(document.data, element_id)
        answer = EditAnswer(document, view, message=exc.message, conflict=True)
        return _answer(request, answer, exc.status)
    except EditRefused as exc:
        if exc.status == 404:
            raise
        document = studio.document(design_id)
        view = element_view(document.data, element_id)
        return _answer(request, EditAnswer(document, view, message=exc.message), exc.status)
    sticky = sticky_of(saved.document.data, element_id)
    if sticky is None:  # a lane: its title changed
        board = build_board(saved.document.data)
        return _answer(
            request, _saved_answer(saved, inspect=element_id, lanes=[_lane_of(board, element_id)])
        )
    return _answer(request, _saved_answer(saved, inspect=element_id, stickies=[sticky]))


@actions.post("/designs/{design_id}/elements", response_class=HTMLResponse)
async def add_element(
    request: Request, design_id: str, studio: StudioDep, participant: ParticipantDep
) -> Response:
    """Add a sticky to a lane; the inspector opens on it."""
    form = await request.form()
    kind = form_text(form.get("kind"))
    lane_id = form_text(form.get("context"))
    raw: dict[str, Any] = {"name": form_text(form.get("name"))}
    for need in REQUIRED_ON_ADD.get(kind, ()):
        value = form_text(form.get(need)).strip()
        if value:
            raw[need] = value
    if kind == "workflows":
        raw["steps"] = [{"name": "Done", "succeed": {}}]
    if kind == "sources":
        raw["kind"] = form_text(form.get("source_kind")) or "bucket"
    saved = studio.apply(
        design_id, lambda data: edits.add_element(data, lane_id, kind, raw), participant.name
    )
    assert saved.element_id is not None
    board = build_board(saved.document.data)
    answer = _saved_answer(
        saved, inspect=saved.element_id, lanes=[_lane_of(board, lane_id)], flash=f"{saved.summary}."
    )
    return _answer(request, answer)


@actions.post("/designs/{design_id}/lanes", response_class=HTMLResponse)
def add_lane(
    request: Request,
    design_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    name: ShortText,
) -> Response:
    """Add a lane (a bounded context) at the bottom of the board."""
    saved = studio.apply(design_id, lambda data: edits.add_context(data, name), participant.name)
    board = build_board(saved.document.data)
    return _answer(
        request,
        _saved_answer(saved, inspect=saved.element_id, all_lanes=board, flash=f"{saved.summary}."),
    )


@actions.post("/designs/{design_id}/elements/{element_id}/move", response_class=HTMLResponse)
def move_element(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
    context: ShortText = "",
    before: ShortText = "",
    direction: ShortText = "",
    lane_step: ShortText = "",
    inspect: ShortText = "",
) -> Response:
    """Move a sticky along the timeline or to another lane (drag and drop, keys, buttons)."""
    document = studio.document(design_id)
    source_lane = element_view(document.data, element_id).lane_id
    target_lane = context or None
    if lane_step in {"up", "down"}:
        lane_ids = [c["id"] for c in document.data.get("contexts", [])]
        at = lane_ids.index(source_lane)
        step = -1 if lane_step == "up" else 1
        if 0 <= at + step < len(lane_ids):
            target_lane = lane_ids[at + step]
    saved = studio.apply(
        design_id,
        lambda data: edits.move_element(
            data,
            element_id,
            context_id=target_lane,
            before_id=before or None,
            direction=direction or None,
        ),
        participant.name,
    )
    board = build_board(saved.document.data)
    view = element_view(saved.document.data, element_id)
    if view.kind == "contexts":
        return _answer(request, _saved_answer(saved, inspect=element_id, all_lanes=board))
    lanes = [_lane_of(board, lane_id) for lane_id in dict.fromkeys([source_lane, view.lane_id])]
    answer = _saved_answer(
        saved, inspect=element_id if inspect else None, lanes=lanes, flash=f"{saved.summary}."
    )
    return _answer(request, answer)


@actions.post("/designs/{design_id}/elements/{element_id}/delete", response_class=HTMLResponse)
def delete_element(
    request: Request,
    design_id: str,
    element_id: str,
    studio: StudioDep,
    participant: ParticipantDep,
) -> Response:
    """Delete a sticky (or a lane); the answer offers to undo it."""
    saved = studio.apply(
        design_id, lambda data: edits.delete_element(data, element_id), participant.name
    )
    answer = EditAnswer(
        saved.document,
        None,
        removed=[element_id],
        flash=f"{saved.summary}.",
        undo_revision=saved.document.revision,
    )
    return _answer(request, answer)


@actions.post("/designs/{design_id}/changes/{revision}/undo", response_class=HTMLResponse)
def undo_change(
    request: Request, design_id: str, revision: int, studio: StudioDep, participant: ParticipantDep
) -> Response:
    """Undo one change, for its one element, on top of everything since."""
    saved = studio.undo(design_id, revision, participant.name)
    board = build_board(saved.document.data)
    inspect = saved.element_id
    try:
        view = element_view(saved.document.data, inspect) if inspect else None
    except EditRefused:
        view = None
    answer = EditAnswer(saved.document, view, all_lanes=board, flash=f"{saved.summary}.")
    return _answer(request, answer)


def refuse_in_inspector(
    request: Request, studio: Studio, design_id: str, element_id: str, message: str
) -> Response:
    document = studio.document(design_id)
    view = element_view(document.data, element_id)
    return _answer(request, EditAnswer(document, view, message=message), 422)


def form_text(value: object) -> str:
    """A form value as text (a file or nothing counts as empty), at most 20,000 characters."""
    return value[:20_000] if isinstance(value, str) else ""


router.include_router(actions)
