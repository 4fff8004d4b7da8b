"""What a diff between two designs is made of: element changes and artifact sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["added", "removed", "renamed", "moved", "changed"]
ACTIONS: tuple[Action, ...] = ("added", "removed", "renamed", "moved", "changed")
"""Board order of actions within a context."""


@dataclass(frozen=True)
class Change:
    """One difference between the designs, said in one plain sentence.

    ``context`` is the bounded context it is listed under (the new one, or the old one for
    removals); None for the design itself and its settings. ``field`` is the path of the field
    that changed (``workload.memory_mb``) for ``changed``; ``old``/``new`` are its values.
    """

    action: Action
    kind: str
    element_id: str | None
    name: str
    context: str | None
    text: str
    field: str | None = None
    old: Any = None
    new: Any = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": self.action,
            "kind": self.kind,
            "element_id": self.element_id,
            "name": self.name,
            "context": self.context,
            "text": self.text,
        }
        if self.field is not None:
            data.update(field=self.field, old=self.old, new=self.new)
        return data


@dataclass(frozen=True)
class ArtifactDiff:
    """The differences of one artifact (OpenAPI, table plan, workflows, cost).

    ``unavailable`` says why the section could not be computed (one side cannot generate it);
    otherwise ``lines`` are its differences, empty when the artifact did not change.
    """

    artifact: str
    title: str
    lines: tuple[str, ...] = ()
    unavailable: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"artifact": self.artifact, "title": self.title}
        if self.unavailable is not None:
            data["unavailable"] = self.unavailable
        else:
            data["changes"] = list(self.lines)
        if self.figures:
            data["figures"] = self.figures
        return data


@dataclass(frozen=True)
class DesignDiff:
    """Every difference between an old and a new version of a design, in a stable order."""

    old_name: str
    new_name: str
    changes: tuple[Change, ...]
    artifacts: tuple[ArtifactDiff, ...] = ()

    @property
    def empty(self) -> bool:
        """Whether the designs say the same thing (artifacts then agree too)."""
        return not self.changes and not any(a.lines for a in self.artifacts)

    def counts(self) -> dict[str, int]:
        """How many elements were added, removed, renamed, moved and changed."""
        counted: dict[str, int] = {action: 0 for action in ACTIONS}
        seen: set[tuple[str, str | None, str]] = set()
        for change in self.changes:
            key = (change.action, change.element_id, change.kind)
            if change.action == "changed" and key in seen:
                continue
            seen.add(key)
            counted[change.action] += 1
        return counted
