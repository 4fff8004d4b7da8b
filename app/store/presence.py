"""Who is on which board: participants seen lately, shared by every studio instance.

Functions flush but never commit: the caller owns the transaction.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel import Session, col, delete, select

from app.store.tables import PresenceRecord


def mark_present(
    session: Session, design_id: str, session_id: str, display_name: str, at: datetime
) -> None:
    """Record that a participant is on the board now (insert or refresh)."""
    record = session.get(PresenceRecord, (design_id, session_id))
    if record is None:
        session.add(
            PresenceRecord(
                design_id=design_id,
                session_id=session_id,
                display_name=display_name,
                last_seen=at,
            )
        )
    else:
        record.display_name = display_name
        record.last_seen = at
        session.add(record)
    session.flush()


def mark_absent(session: Session, design_id: str, session_id: str) -> None:
    """Forget a participant who left the board."""
    session.exec(  # type: ignore[call-overload]
        delete(PresenceRecord).where(
            col(PresenceRecord.design_id) == design_id,
            col(PresenceRecord.session_id) == session_id,
        )
    )
    session.flush()


def present(
    session: Session, design_id: str, *, now: datetime, within: timedelta
) -> Sequence[PresenceRecord]:
    """Participants of a design seen within `within` of `now`, by name."""
    query = (
        select(PresenceRecord)
        .where(PresenceRecord.design_id == design_id)
        .where(col(PresenceRecord.last_seen) >= now - within)
        .order_by(col(PresenceRecord.display_name), col(PresenceRecord.session_id))
    )
    return session.exec(query).all()
