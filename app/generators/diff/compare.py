"""Field-by-field differences of one element between two designs, references resolved.

An element is compared as its data with every reference replaced by the element it names
(``ref:<id>``, old ids translated to their new match), so renaming an event does not read as
every command now emitting another event. Keyed collections (fields, emits, relationships,
reference lists) are compared item by item; everything else value by value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.model import ValidDesign
from app.model.index import Entry
from app.model.workflow import MapStep, ParallelStep

REF_LISTS = ("actors", "access_patterns", "include", "called_by")
"""Lists of references, compared as sets: what joined, what left."""
REF_ONES = (
    "aggregate", "entity", "event", "command", "workflow", "caller", "callee",
    "consumer", "about", "task", "compensate", "target",
)  # fmt: skip
FIELD_MAPS = ("input", "fields", "attributes")
"""Field definitions, compared field by field."""


@dataclass(frozen=True)
class Delta:
    """One difference at ``path``: ``item`` names the member of a keyed collection, if any.

    ``old`` is None for an addition and ``new`` None for a removal (``present`` tells a value
    that is None apart from an absent one).
    """

    path: tuple[str, ...]
    old: Any
    new: Any
    item: str | None = None
    present: tuple[bool, bool] = (True, True)


class Side:
    """One design seen from the diff: references become tokens, tokens have display names."""

    def __init__(self, valid: ValidDesign, new_id: dict[str, str] | None) -> None:
        self.valid = valid
        self.new_id = new_id
        """For the old design: old id → new id of matched elements; None for the new design."""

    def token(self, entry: Entry) -> str:
        if self.new_id is None:
            return f"ref:{entry.id}"
        matched = self.new_id.get(entry.id)
        return f"ref:{matched}" if matched else f"ref:old:{entry.id}"

    def name_of(self, token: str) -> str:
        element_id = token.removeprefix("ref:").removeprefix("old:")
        entry = self.valid.entries.get(element_id)
        if entry is None and self.new_id is not None:
            old_id = next((k for k, v in self.new_id.items() if v == element_id), "")
            entry = self.valid.entries.get(old_id)
        return entry.element.name if entry is not None else element_id

    def data(self, entry: Entry) -> dict[str, Any]:
        """The element's comparable data: identity left out, references as tokens."""
        element = entry.element
        data = element.model_dump(mode="json", exclude={"id", "name", "code"})
        data.pop("steps", None)  # a workflow's steps are compared one by one
        links = self.valid.targets
        for key in REF_LISTS:
            if key in data:
                data[key] = [self.token(e) for e in links(element, key)]
        for key in REF_ONES:
            if key in data and data[key] is not None:
                found = links(element, key)
                data[key] = self.token(found[0]) if found else data[key]
        if "emits" in data:
            data["emits"] = self._emits(entry, "emits", data["emits"])
        if data.get("webhook"):
            hook = data["webhook"]
            hook["emits"] = self._emits(entry, "webhook.emits", hook["emits"])
            found = links(element, "webhook.command")
            if found:
                hook["command"] = self.token(found[0])
        if "relationships" in data:
            found = links(element, "relationships")
            data["relationships"] = {
                self.token(e): r["kind"] for e, r in zip(found, data["relationships"], strict=True)
            }
        if "approval" in data:
            found = links(element, "approver")
            if found:
                data["approval"]["approver"] = self.token(found[0])
        if isinstance(element, ParallelStep):
            data["parallel"] = [
                {"name": b.name, "steps": [s.name for s in b.steps]} for b in element.parallel
            ]
        if isinstance(element, MapStep):
            data["map"]["steps"] = [s.name for s in element.map.steps]
        return data

    def _emits(self, entry: Entry, field: str, emits: list[dict[str, Any]]) -> dict[str, Any]:
        found = self.valid.targets(entry.element, field)
        return {
            self.token(e): {"probability": m["probability"], "count": m["count"]}
            for e, m in zip(found, emits, strict=True)
        }


def deltas(old: dict[str, Any], new: dict[str, Any], path: tuple[str, ...] = ()) -> list[Delta]:
    """Every difference between two elements' comparable data, in field order."""
    found: list[Delta] = []
    for key in [*old, *(k for k in new if k not in old)]:
        a, b = old.get(key), new.get(key)
        here = (*path, key)
        if a == b:
            continue
        if key in REF_LISTS and isinstance(a, list) and isinstance(b, list):
            found += [Delta(here, None, t, t, (False, True)) for t in b if t not in a]
            found += [Delta(here, t, None, t, (True, False)) for t in a if t not in b]
        elif key in (*FIELD_MAPS, "emits", "relationships", "filters") and _maps(a, b):
            found += _keyed(here, a or {}, b or {})
        elif isinstance(a, dict) and isinstance(b, dict) and key not in ("succeed",):
            found += deltas(a, b, here)
        else:
            found.append(Delta(here, a, b))
    return found


def _maps(a: Any, b: Any) -> bool:
    return isinstance(a, dict | None) and isinstance(b, dict | None)


def _keyed(path: tuple[str, ...], a: dict[str, Any], b: dict[str, Any]) -> list[Delta]:
    found: list[Delta] = []
    for key in [*a, *(k for k in b if k not in a)]:
        if key not in a:
            found.append(Delta(path, None, b[key], key, (False, True)))
        elif key not in b:
            found.append(Delta(path, a[key], None, key, (True, False)))
        elif a[key] != b[key]:
            found.append(Delta(path, a[key], b[key], key))
    return found
