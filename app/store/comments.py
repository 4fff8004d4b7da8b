"""Comments on designs and their elements, threaded by parent. Functions flush, never commit."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from app.store.tables import CommentRecord


def add_comment(session: Session, comment: CommentRecord) -> CommentRecord:
    """Save a new comment."""
    session.add(comment)
    session.flush()
    return comment


def get_comment(session: Session, design_id: str, comment_id: int) -> CommentRecord | None:
    """The comment with this id on this design, or None."""
    comment = session.get(CommentRecord, comment_id)
    return comment if comment is not None and comment.design_id == design_id else None


def comments_of(session: Session, design_id: str) -> Sequence[CommentRecord]:
    """Every comment on a design, oldest first."""
    query = select(CommentRecord).where(CommentRecord.design_id == design_id)
    return session.exec(query.order_by(col(CommentRecord.created_at), col(CommentRecord.id))).all()
