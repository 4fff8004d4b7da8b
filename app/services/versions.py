"""Versions of a design: named snapshots of its storm file, restored and compared.

A version is saved by hand ("save version") or automatically at each export. Restoring one is
an ordinary change of the design (through `Studio.apply`: recorded in the history, announced
live); the design as it was just before is kept as a version first, so restoring that one
undoes the restore. Two versions (or a version and the current design) are compared by the
same diff `stormdraft diff` prints.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from app.generators.diff import DesignDiff, diff_designs, diff_json, diff_markdown, format_diff
from app.model import DesignError, design_data, parse_design
from app.model.stormfile import parse_yaml
from app.services.documents import Data, StormDocument, content_digest
from app.services.edits import EditRefused, Outcome
from app.services.previews import validated
from app.services.studio import Saved, Studio, structured_text
from app.store import versions as stored
from app.store.db import session_scope
from app.store.tables import VersionRecord

Clock = Callable[[], datetime]
CURRENT = "current"
"""What a comparison calls the design as it is now."""
MAX_NAME = 200
MAX_ATTEMPTS = 5


class VersionNotFound(Exception):
    """A design has no version with that number."""

    def __init__(self, design_id: str, number: int) -> None:
        super().__init__(f"There is no version {number} of this design.")
        self.design_id = design_id
        self.number = number


@dataclass(frozen=True)
class Version:
    """One row of a design's version list."""

    number: int
    name: str
    revision: int
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class Snapshot:
    """One side of a comparison: a version, or the current design (``number`` None)."""

    number: int | None
    name: str
    revision: int
    text: str

    @property
    def label(self) -> str:
        if self.number is None:
            return f"the current design (revision {self.revision})"
        return f"version {self.number} “{self.name}”"


@dataclass(frozen=True)
class Restored:
    """A restore: the change it made, the version it restored and the one that undoes it."""

    saved: Saved
    version: Version
    before: Version


@dataclass(frozen=True)
class VersionDiff:
    """What changed from ``old`` to ``new``: the diff, or the problems that prevent one."""

    old: Snapshot
    new: Snapshot
    diff: DesignDiff | None
    problems: tuple[tuple[Snapshot, DesignError], ...] = ()

    def text(self) -> str:
        """The diff exactly as ``stormdraft diff OLD NEW`` prints it."""
        return format_diff(self.diff) if self.diff is not None else ""

    def markdown(self) -> str:
        return diff_markdown(self.diff) if self.diff is not None else ""

    def json(self) -> dict[str, object]:
        data: dict[str, object] = {
            "old": _side_json(self.old),
            "new": _side_json(self.new),
        }
        if self.diff is not None:
            data["diff"] = diff_json(self.diff)
        data["problems"] = [
            {"version": _side_json(side), "problems": [str(p) for p in error.problems]}
            for side, error in self.problems
        ]
        return data


def _side_json(side: Snapshot) -> dict[str, object]:
    return {"version": side.number, "name": side.name, "revision": side.revision}


def utc_now() -> datetime:
    return datetime.now(UTC)


def _version(record: VersionRecord) -> Version:
    return Version(
        record.number, record.name, record.revision, record.created_at, record.created_by
    )


def version_name(name: str, fallback: str) -> str:
    """A version's name: printable, single-spaced, at most 200 characters; `fallback` if empty."""
    if any(not ch.isprintable() and not ch.isspace() for ch in name):
        raise EditRefused("A version's name cannot contain control characters.")
    name = " ".join(name.split())
    if len(name) > MAX_NAME:
        raise EditRefused(f"A version's name has at most {MAX_NAME} characters.")
    return name or fallback


class Versions:
    """The versions of the designs a studio keeps."""

    def __init__(self, studio: Studio, clock: Clock = utc_now) -> None:
        self.studio = studio
        self.clock = clock

    def save_version(self, design_id: str, name: str, actor: str) -> Version:
        """Keep the design as it is now under a name (by default, its revision)."""
        document = self.studio.document(design_id)
        name = version_name(name, f"Revision {document.revision}")
        return self._add(design_id, name, document.revision, document.text, actor)

    def snapshot_export(
        self, design_id: str, actor: str, exported: StormDocument | None = None
    ) -> Version:
        """The automatic version of an export (of `exported`, by default the design now): a
        new one, unless the newest version already holds this very revision (exporting an
        unchanged design twice adds nothing)."""
        document = exported or self.studio.document(design_id)
        newest = self._newest(design_id)
        if newest is not None and newest.revision == document.revision:
            return newest
        name = f"Exported at revision {document.revision}"
        return self._add(design_id, name, document.revision, document.text, actor)

    def list_versions(self, design_id: str) -> list[Version]:
        """The design's versions, newest first."""
        self.studio.summary(design_id)  # DesignNotFound for a design that is gone
        with session_scope(self.studio.engine) as session:
            return [_version(r) for r in stored.versions_of(session, design_id)]

    def snapshot(self, design_id: str, number: int | str) -> Snapshot:
        """Version `number` of the design, or the current design for ``"current"``."""
        if number == CURRENT:
            document = self.studio.document(design_id)
            name = str(document.data.get("name", ""))
            return Snapshot(None, name, document.revision, document.text)
        version, text = self._get(design_id, int(number))
        return Snapshot(version.number, version.name, version.revision, text)

    def restore(self, design_id: str, number: int, actor: str) -> Restored:
        """Make the design what version `number` was: one change, undone by restoring the
        version kept of the design just before."""
        version, text = self._get(design_id, number)
        canonical = structured_text(text)
        data = design_data(parse_design(parse_yaml(canonical)[0]))
        document = self.studio.document(design_id)
        if document.text == canonical:
            raise EditRefused(
                f"The design already is as version {number} keeps it: nothing to restore.",
                status=409,
            )
        before = self._kept(design_id, document.text) or self._add(
            design_id,
            f"Before restoring version {number}",
            document.revision,
            document.text,
            actor,
        )
        summary = f"Restored version {number} “{version.name}”"[:300]

        def edit(_current: Data) -> Outcome:
            return Outcome(data, None, summary)

        saved = self.studio.apply(design_id, edit, actor, rename_to=str(data["name"]))
        return Restored(saved, version, before)

    def diff(self, design_id: str, old: int | str, new: int | str) -> VersionDiff:
        """What changed from one version (or the current design) to another."""
        sides = (self.snapshot(design_id, old), self.snapshot(design_id, new))
        loaded = [validated(content_digest(side.text), side.text) for side in sides]
        problems = tuple(
            (side, found)
            for side, found in zip(sides, loaded, strict=True)
            if isinstance(found, DesignError)
        )
        if problems:
            return VersionDiff(sides[0], sides[1], None, problems)
        a, b = loaded
        assert not isinstance(a, DesignError) and not isinstance(b, DesignError)
        return VersionDiff(sides[0], sides[1], diff_designs(a, b))

    # -- helpers -----------------------------------------------------------------------------

    def _get(self, design_id: str, number: int) -> tuple[Version, str]:
        with session_scope(self.studio.engine) as session:
            record = stored.get_version(session, design_id, number)
            if record is None:
                raise VersionNotFound(design_id, number)
            return _version(record), record.storm_yaml

    def _add(self, design_id: str, name: str, revision: int, text: str, actor: str) -> Version:
        at = self.clock()
        # Two saves at once can both pick the next number: the loser takes the one after.
        for _attempt in range(MAX_ATTEMPTS):
            record = VersionRecord(
                design_id=design_id,
                number=0,
                name=name,
                revision=revision,
                storm_yaml=text,
                created_at=at,
                created_by=actor[:80],
            )
            try:
                with session_scope(self.studio.engine) as session:
                    return _version(stored.add_version(session, record))
            except stored.VersionNumberTaken:
                continue
        raise EditRefused("Versions are being saved very fast; try again.", status=503)

    def _newest(self, design_id: str) -> Version | None:
        with session_scope(self.studio.engine) as session:
            records = stored.versions_of(session, design_id)
            return _version(records[0]) if records else None

    def _kept(self, design_id: str, text: str) -> Version | None:
        """The newest version that already keeps the design exactly as `text` says, if any."""
        with session_scope(self.studio.engine) as session:
            for record in stored.versions_of(session, design_id):
                if record.storm_yaml == text:
                    return _version(record)
        return None
