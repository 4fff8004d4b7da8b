"""Comments in the studio and the JSON API: every role reads and writes them (a comment is a
viewer's only write); editors and the owner resolve and reopen threads.

The fragment at /designs/{id}/comments lists the threads (one element's with ``?element=``) and
carries the form; the board, the inspector and the review view load it and load it again on
the live stream's ``comments`` event.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import escape
from pydantic import BaseModel, Field

from app.services.comments import MAX_BODY, CommentRefused, Comments, Thread, subject_of
from app.web.access import AccessDep, Role, editors_only
from app.web.api import api_router
from app.web.deps import StudioDep
from app.web.sessions import CsrfDep
from app.web.templating import templates

router = APIRouter()
pages = APIRouter(include_in_schema=False)
actions = APIRouter(include_in_schema=False, dependencies=[CsrfDep])
api = api_router("comments")


def get_comments(studio: StudioDep) -> Comments:
    return Comments(studio)


CommentsDep = Annotated[Comments, Depends(get_comments)]
FORM_ID = re.compile(r"comment-form-[a-z]+|reply-[0-9]+")
"""The forms that post comments (their error slot is the id plus "-error")."""


@dataclass(frozen=True)
class CommentsPanel:
    design_id: str
    threads: list[Thread]
    element_id: str | None
    subject: str
    can_resolve: bool
    show_resolved: bool
    max_body: int = MAX_BODY

    @property
    def open_count(self) -> int:
        return sum(not t.resolved for t in self.threads)

    @property
    def resolved_count(self) -> int:
        return sum(t.resolved for t in self.threads)


def _panel(
    request: Request,
    design_id: str,
    comments: Comments,
    access: AccessDep,
    element: str | None,
    *,
    show_resolved: bool = False,
) -> Response:
    names = comments.element_names(design_id)
    panel = CommentsPanel(
        design_id=design_id,
        threads=comments.threads(design_id, element, names),
        element_id=element,
        subject=subject_of(element, names),
        can_resolve=access.role >= Role.EDITOR,
        show_resolved=show_resolved,
    )
    return templates.TemplateResponse(request, "_comments.html", {"panel": panel})


@pages.get("/designs/{design_id}/comments", response_class=HTMLResponse)
def comments_fragment(
    request: Request,
    design_id: str,
    comments: CommentsDep,
    access: AccessDep,
    element: str | None = None,
    resolved: bool = False,
) -> Response:
    """The threads on the design (or on one element) with the form to add one."""
    return _panel(request, design_id, comments, access, element or None, show_resolved=resolved)


@actions.post("/designs/{design_id}/comments", response_class=HTMLResponse)
def add_comment(
    request: Request,
    design_id: str,
    comments: CommentsDep,
    access: AccessDep,
    body: Annotated[str, Form(max_length=2 * MAX_BODY)],
    element: Annotated[str, Form(max_length=64)] = "",
    parent: Annotated[int | None, Form()] = None,
    view: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Comment on the design or an element, or answer a thread; the threads come back. A
    refused comment's reason goes beside the form that sent it, which keeps what was typed."""
    try:
        comments.add(design_id, access.actor, body, element_id=element or None, parent_id=parent)
    except CommentRefused as refused:
        form = request.headers.get("HX-Trigger", "")
        if not FORM_ID.fullmatch(form):
            raise
        return HTMLResponse(
            escape(refused.message),
            status_code=refused.status,
            headers={"HX-Retarget": f"#{form}-error", "HX-Reswap": "innerHTML"},
        )
    return _panel(request, design_id, comments, access, view or None)


@actions.post(
    "/designs/{design_id}/comments/{comment_id}/resolve",
    response_class=HTMLResponse,
    dependencies=[editors_only],
)
def resolve_comment(
    request: Request,
    design_id: str,
    comment_id: int,
    comments: CommentsDep,
    access: AccessDep,
    reopen: Annotated[bool, Form()] = False,
    view: Annotated[str, Form(max_length=64)] = "",
) -> Response:
    """Resolve a thread (or open it again with ``reopen``)."""
    comments.resolve(design_id, comment_id, access.actor, resolved=not reopen)
    return _panel(request, design_id, comments, access, view or None, show_resolved=reopen)


# -- the JSON API ---------------------------------------------------------------------------


class CommentOut(BaseModel):
    id: int
    author: str
    body: str
    created_at: datetime


class ThreadOut(BaseModel):
    id: int = Field(description="The thread's first comment; answer or resolve it by this id.")
    element_id: str | None = Field(description="The element it is about; null for the design.")
    subject: str
    resolved: bool
    resolved_by: str | None
    comment: CommentOut
    replies: list[CommentOut]


class CommentIn(BaseModel):
    body: str = Field(min_length=1, max_length=MAX_BODY)
    element_id: str | None = Field(default=None, max_length=64)
    parent_id: int | None = Field(default=None, description="Answer this thread.")


class ResolveIn(BaseModel):
    resolved: bool = True


def _thread_out(thread: Thread) -> ThreadOut:
    return ThreadOut(
        id=thread.comment.id,
        element_id=thread.element_id,
        subject=thread.subject,
        resolved=thread.resolved,
        resolved_by=thread.resolved_by,
        comment=CommentOut(**vars(thread.comment)),
        replies=[CommentOut(**vars(reply)) for reply in thread.replies],
    )


@api.get("/designs/{design_id}/comments")
def list_comments(
    design_id: str, comments: CommentsDep, element_id: str | None = None
) -> list[ThreadOut]:
    """The design's comment threads, open ones first."""
    return [_thread_out(t) for t in comments.threads(design_id, element_id)]


@api.post("/designs/{design_id}/comments", status_code=201)
def post_comment(
    design_id: str, body: CommentIn, comments: CommentsDep, access: AccessDep
) -> CommentOut:
    """Comment on the design or an element, or answer a thread (viewers may too)."""
    comment = comments.add(
        design_id,
        access.actor,
        body.body,
        element_id=body.element_id,
        parent_id=body.parent_id,
    )
    return CommentOut(**vars(comment))


@api.post(
    "/designs/{design_id}/comments/{comment_id}/resolve",
    status_code=204,
    dependencies=[editors_only],
)
def resolve_thread(
    design_id: str, comment_id: int, body: ResolveIn, comments: CommentsDep, access: AccessDep
) -> Response:
    """Resolve a thread, or open it again with ``{"resolved": false}`` (editors and owner)."""
    comments.resolve(design_id, comment_id, access.actor, resolved=body.resolved)
    return Response(status_code=204)


router.include_router(pages)
router.include_router(actions)
router.include_router(api)
