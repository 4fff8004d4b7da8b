"""Comments on a design and its elements: threads of replies, resolvable, live for everyone.

A thread starts with a comment on the design as a whole or on one element (or context); replies
join the thread of the comment they answer, so threads are one level deep. Editors and the owner
resolve and reopen threads; everyone with a role on the design, viewers included, may comment.
Every change is announced on the design's live stream as ``{"type": "comments"}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.services.edits import Data, iter_places
from app.services.studio import Studio
from app.store import comments as stored
from app.store.db import session_scope
from app.store.tables import CommentRecord

MAX_BODY = 4000
"""Longest comment, in characters."""


class CommentRefused(Exception):
    """A comment that cannot be saved, with what to do about it."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Comment:
    id: int
    author: str
    body: str
    created_at: datetime


@dataclass(frozen=True)
class Thread:
    """A comment and its replies, with what it is about."""

    comment: Comment
    replies: tuple[Comment, ...]
    element_id: str | None
    subject: str
    """The element's name, "the design" or "a deleted element"."""
    resolved_by: str | None
    resolved_at: datetime | None

    @property
    def resolved(self) -> bool:
        return self.resolved_at is not None


class Comments:
    def __init__(self, studio: Studio) -> None:
        self.studio = studio

    def threads(
        self,
        design_id: str,
        element_id: str | None = None,
        names: dict[str, str] | None = None,
    ) -> list[Thread]:
        """The design's threads, open ones first then newest first; only one element's when
        `element_id` is given. `names`: the design's element names, when the caller has them."""
        names = self.element_names(design_id) if names is None else names
        replies: dict[int, list[Comment]] = {}
        roots = []
        with session_scope(self.studio.engine) as session:
            for record in stored.comments_of(session, design_id):
                if record.parent_id is not None:
                    replies.setdefault(record.parent_id, []).append(_comment(record))
                elif element_id is None or record.element_id == element_id:
                    roots.append(
                        (
                            _comment(record),
                            record.element_id,
                            record.resolved_by,
                            record.resolved_at,
                        )
                    )
        found = [
            Thread(
                comment=comment,
                replies=tuple(replies.get(comment.id, ())),
                element_id=about,
                subject=subject_of(about, names),
                resolved_by=resolved_by,
                resolved_at=resolved_at,
            )
            for comment, about, resolved_by, resolved_at in roots
        ]
        found.sort(key=lambda t: t.comment.created_at, reverse=True)
        found.sort(key=lambda t: t.resolved)
        return found

    def element_names(self, design_id: str) -> dict[str, str]:
        """Every element and context of the design by id, with its name."""
        return dict(comment_subjects(self.studio.document(design_id).data))

    def add(
        self,
        design_id: str,
        author: str,
        body: str,
        *,
        element_id: str | None = None,
        parent_id: int | None = None,
    ) -> Comment:
        """Save a comment (a reply when `parent_id` names a comment) and tell the board."""
        body = _body(body)
        with session_scope(self.studio.engine) as session:
            if parent_id is not None:
                parent = stored.get_comment(session, design_id, parent_id)
                if parent is None:
                    raise CommentRefused(
                        "The comment you answered is no longer there; reload the comments.", 404
                    )
                root = parent.parent_id or parent.id
                element_id = parent.element_id
            else:
                root = None
                if element_id and element_id not in self.element_names(design_id):
                    raise CommentRefused(
                        "That element is no longer on the board; someone may have deleted it.",
                        404,
                    )
            record = stored.add_comment(
                session,
                CommentRecord(
                    design_id=design_id,
                    element_id=element_id or None,
                    parent_id=root,
                    author=author[:80],
                    body=body,
                    created_at=datetime.now(UTC),
                ),
            )
            comment = _comment(record)
        self.studio.broadcast(design_id, {"type": "comments"})
        return comment

    def resolve(self, design_id: str, comment_id: int, by: str, *, resolved: bool = True) -> None:
        """Mark a thread resolved (or open again) and tell the board."""
        with session_scope(self.studio.engine) as session:
            record = stored.get_comment(session, design_id, comment_id)
            if record is None or record.parent_id is not None:
                raise CommentRefused("There is no such thread on this design.", 404)
            record.resolved_at = datetime.now(UTC) if resolved else None
            record.resolved_by = by[:80] if resolved else None
            session.add(record)
        self.studio.broadcast(design_id, {"type": "comments"})


def comment_subjects(data: Data) -> list[tuple[str, str]]:
    """What one may comment on besides the whole design: each context and element, in the
    storm file's order, as (id, name)."""
    return [
        (str(element["id"]), str(element.get("name") or element["id"]))
        for _place, element in iter_places(data)
        if element.get("id")
    ]


def _body(body: str) -> str:
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise CommentRefused("Write something to comment.")
    if len(body) > MAX_BODY:
        raise CommentRefused(f"A comment has at most {MAX_BODY:,} characters.")
    if any(not ch.isprintable() and ch not in "\n\t" for ch in body):
        raise CommentRefused("A comment cannot contain control characters.")
    return body


def subject_of(element_id: str | None, names: dict[str, str]) -> str:
    """What a comment is about, in words: the element's name, "the design" or "a deleted
    element"."""
    if element_id is None:
        return "the design"
    return names.get(element_id, "a deleted element")


def _comment(record: CommentRecord) -> Comment:
    created = record.created_at
    if created.tzinfo is None:
        created = created.replace(tzinfo=UTC)
    return Comment(record.id or 0, record.author, record.body, created)
