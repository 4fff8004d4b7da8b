"""Saved designs: create, read, list, update with optimistic revisions, soft delete and restore.

Functions flush but never commit: the caller owns the transaction (see `db.session_scope`).
The clock and the id source are parameters, so tests and services decide what "now" is.
"""

import uuid
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from sqlalchemy.orm import defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, func, select, update

from app.store.tables import ChangeRecord, DesignRecord

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC; the default clock."""
    return datetime.now(UTC)


def new_design_id() -> str:
    """A fresh, unguessable design id; the default id source."""
    return uuid.uuid4().hex


class DesignNotFound(LookupError):
    """No design has this id (or it is deleted and deleted designs were not asked for)."""

    def __init__(self, design_id: str) -> None:
        super().__init__(f"no design with id {design_id!r}")
        self.design_id = design_id


class StaleRevision(Exception):
    """The design changed since the caller read it; the caller must reload and retry."""

    def __init__(self, design_id: str, expected: int, actual: int) -> None:
        super().__init__(
            f"design {design_id!r} is at revision {actual}, not {expected}: reload and retry"
        )
        self.design_id = design_id
        self.expected = expected
        self.actual = actual


def create_design(
    session: Session,
    *,
    name: str,
    storm_yaml: str,
    actor: str,
    owner_id: str | None = None,
    now: Clock = utc_now,
    make_id: Callable[[], str] = new_design_id,
) -> DesignRecord:
    """Save a new design at revision 1 and record its creation."""
    at = now()
    design = DesignRecord(
        id=make_id(),
        owner_id=owner_id,
        name=name,
        storm_yaml=storm_yaml,
        revision=1,
        data_revision=1,
        created_at=at,
        updated_at=at,
    )
    session.add(design)
    # No ORM relationship links the two tables, so flush the design before its first change.
    session.flush()
    session.add(
        ChangeRecord(design_id=design.id, revision=1, actor=actor, at=at, summary="Created")
    )
    session.flush()
    return design


_DEFERRED = [defer(DesignRecord.storm_yaml), defer(DesignRecord.data_json)]  # type: ignore[arg-type]


def get_design(
    session: Session, design_id: str, *, include_deleted: bool = False, for_update: bool = False
) -> DesignRecord | None:
    """The design with this id, or None (deleted designs only when asked for). Its storm file,
    the one big column, is read only when used (most callers know it from their cache). With
    `for_update`, its row stays locked until the transaction ends (PostgreSQL: writers on
    several instances take turns instead of failing each other's compare-and-set)."""
    design = session.get(
        DesignRecord,
        design_id,
        populate_existing=True,
        options=_DEFERRED,
        # FOR NO KEY UPDATE: rows pointing at the design (presence, changes) lock it FOR KEY
        # SHARE, which that does not wait for.
        with_for_update={"key_share": True} if for_update else None,
    )
    if design is None or (design.deleted_at is not None and not include_deleted):
        return None
    return design


def list_designs(
    session: Session,
    *,
    name_contains: str | None = None,
    include_deleted: bool = False,
    owner_id: str | None = None,
    limit: int = 100,
) -> Sequence[DesignRecord]:
    """Designs, most recently updated first, optionally those whose name contains a text
    or those of one owner."""
    query = select(DesignRecord)
    if owner_id is not None:
        query = query.where(DesignRecord.owner_id == owner_id)
    if not include_deleted:
        query = query.where(col(DesignRecord.deleted_at).is_(None))
    if name_contains:
        query = query.where(
            func.lower(DesignRecord.name).contains(name_contains.lower(), autoescape=True)
        )
    query = query.order_by(col(DesignRecord.updated_at).desc(), col(DesignRecord.name))
    return session.exec(query.limit(limit)).all()


def update_design(
    session: Session,
    design_id: str,
    *,
    expected_revision: int,
    actor: str,
    summary: str,
    name: str | None = None,
    storm_yaml: str | None = None,
    data_json: str | None = None,
    element_id: str | None = None,
    element_before: str | None = None,
    element_after: str | None = None,
    storm_yaml_before: str | None = None,
    now: Clock = utc_now,
) -> DesignRecord:
    """Change a design's name or storm file, if nobody changed it since `expected_revision`.

    The history keeps what the caller gives of the design before: `element_id` names the one
    element the change is about and `element_before` what undo needs of it; a change not about
    one element keeps `storm_yaml_before`, the storm file at `expected_revision`. A change of
    one element may leave the design's data as it is and keep only `element_after` (see
    `ChangeRecord.element_after`): the caller vouches that replaying it gives the design after.

    Raises StaleRevision when the stored revision differs, DesignNotFound when there is no
    such (live) design.
    """
    # The design as this session last read it, without asking again (the caller has usually
    # just read it, locked): the compare-and-set below catches any change since.
    design = session.get(DesignRecord, design_id, options=_DEFERRED)
    if design is None or design.deleted_at is not None:
        raise DesignNotFound(design_id)
    values: dict[str, object] = {}
    if name is not None:
        values["name"] = name
    if storm_yaml is not None or data_json is not None:
        # The design is one of the two: its JSON data when given (its storm file is dumped from
        # that, and not written again on every edit), else its storm file.
        values["storm_yaml"] = None if data_json is not None else storm_yaml
        values["data_json"] = data_json
        values["data_revision"] = expected_revision + 1
    return _advance(
        session,
        design,
        expected_revision,
        values,
        actor=actor,
        summary=summary,
        at=now(),
        element_id=element_id,
        element_before=element_before,
        element_after=element_after,
        before=storm_yaml_before,
    )


def delete_design(
    session: Session, design_id: str, *, actor: str, now: Clock = utc_now
) -> DesignRecord:
    """Move a design to the trash; `restore_design` brings it back."""
    design = _live_design(session, design_id)
    at = now()
    values: dict[str, object] = {"deleted_at": at}
    return _advance(session, design, design.revision, values, actor=actor, summary="Deleted", at=at)


def restore_design(
    session: Session, design_id: str, *, actor: str, now: Clock = utc_now
) -> DesignRecord:
    """Bring a deleted design back from the trash."""
    design = get_design(session, design_id, include_deleted=True)
    if design is None or design.deleted_at is None:
        raise DesignNotFound(design_id)
    values: dict[str, object] = {"deleted_at": None}
    return _advance(
        session, design, design.revision, values, actor=actor, summary="Restored", at=now()
    )


def list_changes(
    session: Session, design_id: str, *, newest_first: bool = False, limit: int | None = None
) -> Sequence[ChangeRecord]:
    """A design's change history, oldest first (or the latest `limit`, newest first)."""
    order = col(ChangeRecord.revision)
    query = (
        select(ChangeRecord)
        .where(ChangeRecord.design_id == design_id)
        .order_by(order.desc() if newest_first else order)
    )
    if limit is not None:
        query = query.limit(limit)
    return session.exec(query).all()


def get_change(session: Session, design_id: str, revision: int) -> ChangeRecord | None:
    """The change that brought a design to `revision`, or None."""
    query = select(ChangeRecord).where(
        ChangeRecord.design_id == design_id, ChangeRecord.revision == revision
    )
    return session.exec(query).first()


def stored_data(session: Session, design_id: str) -> tuple[int, str | None, str | None]:
    """The revision a design's stored data is of, with that data: its JSON and its storm file
    (one of the two is None), read together so they always agree."""
    query = select(DesignRecord.data_revision, DesignRecord.data_json, DesignRecord.storm_yaml)
    row = session.exec(query.where(col(DesignRecord.id) == design_id)).one_or_none()
    if row is None:
        raise DesignNotFound(design_id)
    return row[0], row[1], row[2]


def changes_between(
    session: Session, design_id: str, after: int, upto: int
) -> list[tuple[int, str | None]]:
    """The (revision, element after) of a design's changes after revision `after` up to
    `upto`, oldest first: what replaying its stored data needs."""
    query = (
        select(ChangeRecord.revision, ChangeRecord.element_after)
        .where(ChangeRecord.design_id == design_id)
        .where(col(ChangeRecord.revision) > after, col(ChangeRecord.revision) <= upto)
        .order_by(col(ChangeRecord.revision))
    )
    return [(revision, element_after) for revision, element_after in session.exec(query)]


def _live_design(session: Session, design_id: str) -> DesignRecord:
    design = get_design(session, design_id)
    if design is None:
        raise DesignNotFound(design_id)
    return design


def _advance(
    session: Session,
    design: DesignRecord,
    expected_revision: int,
    values: dict[str, object],
    *,
    actor: str,
    summary: str,
    at: datetime,
    element_id: str | None = None,
    element_before: str | None = None,
    element_after: str | None = None,
    before: str | None = None,
) -> DesignRecord:
    """Write `values` as the next revision, guarded so concurrent writers cannot both win."""
    # The WHERE on the revision makes this a compare-and-set across processes and instances.
    result = session.exec(
        update(DesignRecord)
        .where(col(DesignRecord.id) == design.id)
        .where(col(DesignRecord.revision) == expected_revision)
        .values(**values, revision=expected_revision + 1, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        session.refresh(design)
        raise StaleRevision(design.id, expected_revision, design.revision)
    session.add(
        ChangeRecord(
            design_id=design.id,
            revision=expected_revision + 1,
            actor=actor,
            at=at,
            summary=summary,
            storm_yaml_before=before,
            element_id=element_id,
            element_before=element_before,
            element_after=element_after,
        )
    )
    session.flush()
    # The row now holds what was just written: no need to read it back.
    set_committed_value(design, "revision", expected_revision + 1)
    set_committed_value(design, "updated_at", at)
    for key in ("name", "deleted_at", "data_revision"):
        if key in values:
            set_committed_value(design, key, values[key])
    return design


def adopt_ownerless(session: Session, owner_id: str) -> int:
    """Give every design without an owner to this user (the first account adopts the seeds)."""
    result = session.exec(
        update(DesignRecord)
        .where(col(DesignRecord.owner_id).is_(None))
        .values(owner_id=owner_id)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)
