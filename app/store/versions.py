"""Named snapshots of a design's storm file, numbered per design. Functions flush, never commit."""

from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from app.store.tables import DesignRecord, VersionRecord


class VersionNumberTaken(Exception):
    """Another save took the number at the same moment (try again with the next one)."""


def add_version(session: Session, version: VersionRecord) -> VersionRecord:
    """Save a snapshot as the design's next version number. The design's row is locked
    first (PostgreSQL), so saves at once take their numbers in turn."""
    lock = select(DesignRecord.id).where(DesignRecord.id == version.design_id)
    session.exec(lock.with_for_update()).first()
    latest = session.exec(
        select(func.max(VersionRecord.number)).where(VersionRecord.design_id == version.design_id)
    ).one()
    version.number = (latest or 0) + 1
    session.add(version)
    try:
        session.flush()
    except IntegrityError as exc:
        raise VersionNumberTaken(version.number) from exc
    return version


def versions_of(session: Session, design_id: str) -> Sequence[VersionRecord]:
    """A design's versions, newest first."""
    query = select(VersionRecord).where(VersionRecord.design_id == design_id)
    return session.exec(query.order_by(col(VersionRecord.number).desc())).all()


def get_version(session: Session, design_id: str, number: int) -> VersionRecord | None:
    """Version `number` of a design, or None."""
    query = select(VersionRecord).where(
        VersionRecord.design_id == design_id, VersionRecord.number == number
    )
    return session.exec(query).first()
