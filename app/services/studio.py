"""The studio's operations on saved designs: lifecycle, element edits, text, undo, live news.

Web pages and the JSON API both call a `Studio`; each operation is one transaction that records
the change (who, when, what, before and after), saves the whole design when the change is not
one element's or now and then (see `WRITE_WHOLE_EVERY`), and announces it to the design's
listeners (in-process on SQLite, NOTIFY on PostgreSQL).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from app import catalog
from app.generators.table import is_workbench_model
from app.model import DesignError, design_data, dump_design, parse_design
from app.model.stormfile import parse_yaml
from app.services.designs import design_from_starter, workbench_design
from app.services.documents import (
    DOCUMENTS,
    Data,
    StormDocument,
    UnreadableDesign,
    canonical_text,
    data_json,
    document_of,
    replayed,
)
from app.services.edits import EditRefused, Outcome, element_snapshot, revert_element
from app.services.live import Hub, Message, notification
from app.store import designs as stored
from app.store import presence
from app.store.db import Engine, Session, session_scope
from app.store.designs import DesignNotFound, StaleRevision
from app.store.notify import notify
from app.store.tables import ChangeRecord, DesignRecord

Edit = Callable[[Data], Outcome]
MAX_ATTEMPTS = 8
WRITE_WHOLE_EVERY = 50
"""An edit of one element writes only that element, except every this many revisions, when
it writes the whole design: reading a design never replays more changes than that."""
PRESENCE_WINDOW = timedelta(seconds=45)


class StaleText(Exception):
    """Text from the text view that was loaded before someone else's change."""

    def __init__(self, loaded: int, current: int) -> None:
        super().__init__(
            f"The design changed since you loaded the text (you had revision {loaded}, it is "
            f"now at {current}). Your text was not applied: reload the current text and apply "
            "your change again."
        )
        self.loaded = loaded
        self.current = current


@dataclass(frozen=True)
class Saved:
    """A saved change: the new document and what changed."""

    document: StormDocument
    element_id: str | None
    summary: str
    name: str


@dataclass(frozen=True)
class DesignSummary:
    """One row of the design list."""

    id: str
    name: str
    revision: int
    updated_at: datetime
    deleted: bool
    owner_id: str | None = None


def _summary(record: DesignRecord) -> DesignSummary:
    return DesignSummary(
        record.id,
        record.name,
        record.revision,
        record.updated_at,
        record.deleted_at is not None,
        record.owner_id,
    )


def blank_design_text(name: str) -> str:
    """The storm file of a new, empty design with one lane to start in."""
    design = parse_design({"name": name, "contexts": [{"name": "Main"}]})
    return dump_design(design)


def structured_text(text: str | bytes) -> str:
    """Storm-file text made canonical; DesignError (with lines) when its structure is wrong.
    A NoSQL Workbench model (JSON) is taken too: it becomes a design of its entities and their
    key patterns.

    Semantic problems (an unknown reference, say) are kept: the board shows them.
    """
    data, marks = parse_yaml(text)
    if is_workbench_model(data):
        return workbench_design(data)
    return dump_design(parse_design(data, marks))


class Studio:
    """Saved designs as a workshop sees them, on one database, announcing to one hub."""

    def __init__(self, engine: Engine, hub: Hub) -> None:
        self.engine = engine
        self.hub = hub
        self._design_locks: dict[str, threading.Lock] = {}
        self._locks_lock = threading.Lock()

    def _lock_of(self, design_id: str) -> threading.Lock:
        # Edits of one design take turns inside a process: racing them would only make all
        # but one retry. Across processes the revision check still decides.
        with self._locks_lock:
            return self._design_locks.setdefault(design_id, threading.Lock())

    # -- the design list ---------------------------------------------------------------------

    def list_designs(
        self, query: str = "", *, deleted: bool = False, owner: str | None = None
    ) -> list[DesignSummary]:
        """Live (or deleted) designs, optionally of one owner and matching a name."""
        with session_scope(self.engine) as session:
            records = stored.list_designs(
                session, name_contains=query or None, include_deleted=deleted, owner_id=owner
            )
            return [_summary(r) for r in records if deleted == (r.deleted_at is not None)]

    def summary(self, design_id: str, *, include_deleted: bool = False) -> DesignSummary:
        with session_scope(self.engine) as session:
            record = stored.get_design(session, design_id, include_deleted=include_deleted)
            if record is None:
                raise DesignNotFound(design_id)
            return _summary(record)

    def create(self, text: str, actor: str, owner: str | None = None) -> DesignSummary:
        """Save canonical storm-file text as a new design of `owner`."""
        data = parse_yaml(text)[0]
        with session_scope(self.engine) as session:
            record = stored.create_design(
                session, name=str(data["name"]), storm_yaml=text, actor=actor, owner_id=owner
            )
            return _summary(record)

    def create_blank(self, name: str, actor: str, owner: str | None = None) -> DesignSummary:
        return self.create(blank_design_text(_name(name)), actor, owner)

    def create_from_starter(
        self, slug: str, name: str, actor: str, owner: str | None = None
    ) -> DesignSummary:
        found = catalog.starter(slug)
        if found is None:
            raise DesignError.one("", f"there is no starter called “{slug}”")
        return self.create(design_from_starter(slug, _name(name or found.name)), actor, owner)

    def import_text(
        self, text: str | bytes, actor: str, name: str = "", owner: str | None = None
    ) -> DesignSummary:
        canonical = structured_text(text)
        if name.strip():
            data = design_data(parse_design(parse_yaml(canonical)[0]))
            canonical = dump_design(parse_design({**data, "name": _name(name)}))
        return self.create(canonical, actor, owner)

    def duplicate(self, design_id: str, actor: str, owner: str | None = None) -> DesignSummary:
        document = self.document(design_id)
        name = f"{document.data['name']} (copy)"[:200]
        data = {k: v for k, v in document.data.items() if k != "id"}
        return self.create(dump_design(parse_design({**data, "name": name})), actor, owner)

    def rename(self, design_id: str, name: str, actor: str) -> Saved:
        name = _name(name)

        def edit(data: Data) -> Outcome:
            return Outcome({**data, "name": name}, None, f"Renamed the design to “{name}”")

        return self.apply(design_id, edit, actor, rename_to=name)

    def delete(self, design_id: str, actor: str) -> DesignSummary:
        with session_scope(self.engine) as session:
            return _summary(stored.delete_design(session, design_id, actor=actor))

    def restore(self, design_id: str, actor: str) -> DesignSummary:
        with session_scope(self.engine) as session:
            return _summary(stored.restore_design(session, design_id, actor=actor))

    # -- one design --------------------------------------------------------------------------

    def document(self, design_id: str) -> StormDocument:
        """The latest document of a live design (DesignNotFound, UnreadableDesign)."""
        with session_scope(self.engine) as session:
            record = stored.get_design(session, design_id)
            if record is None:
                raise DesignNotFound(design_id)
            return _document(session, record)

    def apply(
        self,
        design_id: str,
        edit: Edit,
        actor: str,
        *,
        rename_to: str | None = None,
        loaded_revision: int | None = None,
    ) -> Saved:
        """Apply an edit to the latest design and save it; retried when another edit won.

        With `loaded_revision`, the edit replaces what was loaded at that revision: it is not
        retried, and StaleText says so when the design has moved on.
        """
        with self._lock_of(design_id):
            return self._apply(design_id, edit, actor, rename_to, loaded_revision)

    def _apply(
        self,
        design_id: str,
        edit: Edit,
        actor: str,
        rename_to: str | None,
        loaded_revision: int | None,
    ) -> Saved:
        attempts = 1 if loaded_revision is not None else MAX_ATTEMPTS
        for _attempt in range(attempts):
            with session_scope(self.engine) as session:
                record = stored.get_design(session, design_id, for_update=True)
                if record is None:
                    raise DesignNotFound(design_id)
                if loaded_revision is not None and record.revision != loaded_revision:
                    raise StaleText(loaded_revision, record.revision)
                document = _document(session, record)
                outcome = edit(document.data)
                text = canonical_text(outcome.data)
                written = data_json(outcome.data)
                after = _element_after(document.data, outcome, written)
                whole = (
                    after is None or record.revision + 1 - record.data_revision >= WRITE_WHOLE_EVERY
                )
                try:
                    record = stored.update_design(
                        session,
                        design_id,
                        expected_revision=record.revision,
                        actor=actor,
                        summary=outcome.summary,
                        data_json=written if whole else None,
                        name=rename_to,
                        element_id=outcome.element_id,
                        element_before=_element_before(document.data, outcome.element_id),
                        element_after=after,
                        storm_yaml_before=document.text if outcome.element_id is None else None,
                    )
                except StaleRevision as exc:
                    if loaded_revision is not None:
                        raise StaleText(loaded_revision, exc.actual) from None
                    session.rollback()
                    continue
                saved = Saved(
                    StormDocument(design_id, record.revision, outcome.data, text),
                    outcome.element_id,
                    outcome.summary,
                    record.name,
                )
                message = {
                    "type": "change",
                    "revision": record.revision,
                    "element": outcome.element_id,
                    "summary": outcome.summary[:300],
                    "actor": actor[:80],
                }
                if self.hub.shared:
                    notify(session, notification(design_id, message))
            DOCUMENTS.put(saved.document)
            self.hub.announce_locally(design_id, message)
            return saved
        raise EditRefused(
            "The board is very busy; your change was not saved. Try again.", status=503
        )

    def apply_text(self, design_id: str, text: str, loaded_revision: int, actor: str) -> Saved:
        """Replace the storm file from the text view, unless it was loaded before a change."""
        canonical = structured_text(text)
        data = design_data(parse_design(parse_yaml(canonical)[0]))

        def edit(_current: Data) -> Outcome:
            return Outcome(data, None, "Edited the storm file")

        return self.apply(
            design_id, edit, actor, rename_to=data["name"], loaded_revision=loaded_revision
        )

    def undo(self, design_id: str, revision: int, actor: str) -> Saved:
        """Undo the change that made `revision`, for its one element, on the latest design."""
        with session_scope(self.engine) as session:
            change = stored.get_change(session, design_id, revision)
            if change is None or change.element_id is None:
                raise EditRefused("That change cannot be undone from the board.", status=409)
            snapshot = _snapshot_of(design_id, change)
            summary = change.summary

        def edit(data: Data) -> Outcome:
            return revert_element(data, snapshot, f"Undid: {summary}"[:300])

        return self.apply(design_id, edit, actor)

    def history(self, design_id: str, limit: int = 30) -> Sequence[ChangeRecord]:
        with session_scope(self.engine) as session:
            changes = stored.list_changes(session, design_id, newest_first=True, limit=limit)
            for change in changes:
                session.expunge(change)
            return changes

    # -- presence ----------------------------------------------------------------------------

    def arrive(self, design_id: str, session_id: str, name: str) -> None:
        with session_scope(self.engine) as session:
            presence.mark_present(session, design_id, session_id, name[:80], datetime.now(UTC))
            self._announce_presence(session, design_id)
        self.hub.announce_locally(design_id, {"type": "presence"})

    def still_here(self, design_id: str, session_id: str, name: str) -> None:
        with session_scope(self.engine) as session:
            presence.mark_present(session, design_id, session_id, name[:80], datetime.now(UTC))

    def leave(self, design_id: str, session_id: str) -> None:
        with session_scope(self.engine) as session:
            presence.mark_absent(session, design_id, session_id)
            self._announce_presence(session, design_id)
        self.hub.announce_locally(design_id, {"type": "presence"})

    def participants(self, design_id: str) -> list[tuple[str, str]]:
        """(session id, display name) of everyone on the board lately."""
        with session_scope(self.engine) as session:
            rows = presence.present(
                session, design_id, now=datetime.now(UTC), within=PRESENCE_WINDOW
            )
            return [(row.session_id, row.display_name) for row in rows]

    def broadcast(self, design_id: str, message: Message) -> None:
        """Tell everyone on the design's board, on every instance (comments, revoked links)."""
        if self.hub.shared:
            with session_scope(self.engine) as session:
                notify(session, notification(design_id, message))
        else:
            self.hub.announce_locally(design_id, message)

    def _announce_presence(self, session: object, design_id: str) -> None:
        if self.hub.shared:
            notify(session, notification(design_id, {"type": "presence"}))  # type: ignore[arg-type]


def _document(session: Session, record: DesignRecord) -> StormDocument:
    """A stored design's document: this process's copy of that revision when it has one; else
    its newest copy, or failing that the stored data, with the changes since replayed. So an
    edit made on another instance is read as its one element, not as the whole design, and the
    storm file is dumped from the data (far quicker than reading it)."""
    cached = DOCUMENTS.get(record.id, record.revision)
    if cached is not None:
        return cached
    known = DOCUMENTS.latest(record.id)
    if known is None or not record.data_revision <= known.revision < record.revision:
        data_revision, stored_json, text = stored.stored_data(session, record.id)
        known = document_of(record.id, data_revision, None if stored_json else text, stored_json)
    # Without a lock, the stored data may be newer than the row read a moment before.
    latest = max(known.revision, record.revision)
    changes = stored.changes_between(session, record.id, known.revision, latest)
    if [revision for revision, _ in changes] != list(range(known.revision + 1, latest + 1)):
        raise UnreadableDesign(f"changes of design {record.id} are missing from its history")
    if not changes:
        return known
    data = replayed(known.data, (after for _, after in changes))
    document = StormDocument(record.id, latest, data, canonical_text(data))
    DOCUMENTS.put(document)
    return document


def _element_before(before: Data, element_id: str | None) -> str | None:
    """What the history keeps of the one element a change is about (see ``element_snapshot``)."""
    if element_id is None:
        return None
    return json.dumps(element_snapshot(before, element_id), ensure_ascii=False)


def _element_after(before: Data, outcome: Outcome, written: str) -> str | None:
    """What the history keeps of a change's one element after it (see ``element_snapshot``),
    when replaying that on the design before gives exactly the design after (`written`, its
    JSON), so the change need not write the whole design; else None (a change of the design
    itself, or one whose replay would differ)."""
    if outcome.element_id is None:
        return None
    after = json.dumps(element_snapshot(outcome.data, outcome.element_id), ensure_ascii=False)
    try:
        again = replayed(before, [after])
    except (EditRefused, LookupError):
        return None
    return after if data_json(again) == written else None


def _snapshot_of(design_id: str, change: ChangeRecord) -> Data:
    """What undo needs of a change's element; older changes kept the whole storm file."""
    assert change.element_id is not None
    if change.element_before is not None:
        snapshot: Data = json.loads(change.element_before)
        return snapshot
    if change.storm_yaml_before is None:
        raise EditRefused("That change cannot be undone from the board.", status=409)
    try:
        before = document_of(design_id, change.revision - 1, change.storm_yaml_before).data
    except UnreadableDesign:
        raise EditRefused("That change cannot be undone.", status=409) from None
    return element_snapshot(before, change.element_id)


def _name(name: str) -> str:
    if any(not ch.isprintable() and not ch.isspace() for ch in name):
        raise EditRefused("A name cannot contain control characters.")
    name = " ".join(name.split())
    if not name:
        raise EditRefused("A design needs a name.")
    if len(name) > 200:
        raise EditRefused("A name has at most 200 characters.")
    return name
