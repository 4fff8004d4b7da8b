"""Edits of one element at a time, applied to a design's canonical data.

Every edit takes the latest data and returns new data that shares every context it did not
touch (contexts are never changed in place), so edits by different people to different elements
merge by construction. An element edit can carry the digest of the element as the editor saw
it: when someone else changed that element since, the edit is refused with the current value.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from app.model.codes import CodeNameError, derive_code
from app.model.elements import ID_PREFIX, KINDS, SINGULAR, Context
from app.model.errors import DesignError
from app.model.load import structure_problems, whole_numbers
from app.model.validate import default_identifier
from app.services.references import rename_references

Data = dict[str, Any]
TIMELINE_STEP = 100.0


class EditRefused(Exception):
    """An edit that cannot be applied: the message says why, in plain words."""

    def __init__(self, message: str, *, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


class ElementConflict(EditRefused):
    """Someone else changed the element since the editor loaded it."""

    def __init__(self, name: str, current: Data | None) -> None:
        super().__init__(
            f"“{name}” was changed by someone else since you opened it; "
            "here is its current value — apply your change again on top of it.",
            status=409,
        )
        self.current = current


@dataclass(frozen=True)
class Place:
    """Where an element sits: its context's index, its kind and its index in that list."""

    context: int
    kind: str
    index: int


@dataclass(frozen=True)
class Outcome:
    """The data after an edit, the element it was about, and a one-line summary."""

    data: Data
    element_id: str | None
    summary: str
    extra: dict[str, Any] = field(default_factory=dict)


def new_element_id(kind: str) -> str:
    """A fresh element id with the kind's prefix (``evt-k3j4h5q9``)."""
    return f"{ID_PREFIX[kind]}-{secrets.token_hex(5)}"


def element_digest(element: Mapping[str, Any] | None) -> str:
    """A short fingerprint of an element's data, to notice changes made by someone else."""
    text = json.dumps(element, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def iter_places(data: Data) -> Iterator[tuple[Place, Data]]:
    """Every context and element of the data with its place (contexts have kind `contexts`)."""
    for c, context in enumerate(data.get("contexts", [])):
        yield Place(c, "contexts", c), context
        for kind in KINDS:
            for i, element in enumerate(context.get(kind, [])):
                yield Place(c, kind, i), element


def find(data: Data, element_id: str) -> tuple[Place, Data]:
    """The place and data of an element or context by id (EditRefused 404 when absent)."""
    for place, element in iter_places(data):
        if element.get("id") == element_id:
            return place, element
    raise EditRefused(
        "That element is no longer on the board; someone may have deleted it.", status=404
    )


def canonical_element(kind: str, raw: Mapping[str, Any]) -> Data:
    """The element as the storm file writes it; EditRefused when it is not a valid element."""
    model = Context if kind == "contexts" else KINDS[kind]
    try:
        parsed = model.model_validate(dict(raw))
    except ValidationError as exc:
        problems = structure_problems(exc, dict(raw), {})
        detail = "; ".join(f"{p.path + ': ' if p.path else ''}{p.message}" for p in problems)
        raise EditRefused(f"This {SINGULAR[kind]} cannot be saved: {detail}") from None
    return whole_numbers(parsed.model_dump(mode="json", by_alias=True, exclude_defaults=True))


def _with_context(data: Data, index: int, context: Data) -> Data:
    contexts = list(data["contexts"])
    contexts[index] = context
    return {**data, "contexts": contexts}


def _with_list(context: Data, kind: str, items: list[Data]) -> Data:
    """The context with one kind's list replaced, keys in the canonical (model) order."""
    values = {**context, kind: items}
    if not items:
        del values[kind]
    order = list(Context.model_fields)
    return {k: values[k] for k in sorted(values, key=order.index)}


def _positions(data: Data) -> dict[str, Data]:
    return dict(data.get("layout", {}).get("positions", {}))


def _with_positions(data: Data, positions: dict[str, Data]) -> Data:
    layout = {**data.get("layout", {}), "positions": dict(sorted(positions.items()))}
    if not positions:
        del layout["positions"]
    values = {k: v for k, v in data.items() if k != "layout"}
    if layout:
        # `layout` comes after `contexts` and before `accepted_findings` in the model.
        order = [
            "format",
            "id",
            "name",
            "description",
            "settings",
            "contexts",
            "layout",
            "accepted_findings",
        ]
        values["layout"] = layout
        return {k: values[k] for k in sorted(values, key=order.index)}
    return values


def lane(data: Data, context_index: int) -> list[tuple[str, str, float]]:
    """The stickies of a lane along the timeline: (id, kind, x), earliest first.

    A sticky without a position sits at its rank in file order times the timeline step, so
    moving one sticky never moves another.
    """
    positions = _positions(data)
    context = data["contexts"][context_index]
    items: list[tuple[str, str, float]] = []
    for kind in KINDS:
        for element in context.get(kind, []):
            element_id = element["id"]
            at = positions.get(element_id)
            x = float(at["x"]) if at else (len(items) + 1) * TIMELINE_STEP
            items.append((element_id, kind, x))
    return sorted(items, key=lambda item: item[2])


def add_context(data: Data, name: str) -> Outcome:
    """A new, empty lane at the end."""
    context = canonical_element("contexts", {"id": new_element_id("contexts"), "name": name})
    data = {**data, "contexts": [*data.get("contexts", []), context]}
    return Outcome(data, context["id"], f"Added lane “{context['name']}”")


def add_element(data: Data, context_id: str, kind: str, raw: Mapping[str, Any]) -> Outcome:
    """A new sticky of `kind` at the end of a lane's timeline."""
    if kind not in KINDS:
        raise EditRefused(f"“{kind}” is not a kind of sticky.")
    place, context = find(data, context_id)
    if place.kind != "contexts":
        raise EditRefused("Stickies are added to a lane.")
    element = canonical_element(kind, {**raw, "id": new_element_id(kind)})
    context = _with_list(context, kind, [*context.get(kind, []), element])
    data = _with_context(data, place.context, context)
    xs = [x for other, _, x in lane(data, place.context) if other != element["id"]]
    last_x = max(xs, default=0.0)
    positions = _positions(data)
    positions[element["id"]] = {"x": whole_numbers(last_x + TIMELINE_STEP)}
    data = _with_positions(data, positions)
    return Outcome(data, element["id"], f"Added {SINGULAR[kind]} “{element['name']}”")


def update_element(
    data: Data, element_id: str, changes: Mapping[str, Any], *, base: str | None = None
) -> Outcome:
    """Replace some keys of an element (None removes a key), if it is as the editor saw it."""
    place, element = find(data, element_id)
    if base is not None and base != element_digest(element):
        raise ElementConflict(element["name"], element)
    raw = {**element}
    for key, value in changes.items():
        if key == "id":
            continue
        if value is None:
            raw.pop(key, None)
        else:
            raw[key] = value
    updated = canonical_element(place.kind, _keeping_identity(place.kind, element, raw))
    context = data["contexts"][place.context]
    if place.kind == "contexts":
        kept = {k: context[k] for k in KINDS if k in context}
        updated = canonical_element("contexts", {**updated, **kept})
        data = _with_context(data, place.context, updated)
    else:
        items = list(context[place.kind])
        items[place.index] = updated
        data = _with_context(data, place.context, _with_list(context, place.kind, items))
    data, moved = follow_rename(data, element, updated)
    what = "lane" if place.kind == "contexts" else SINGULAR[place.kind]
    also = f" and {moved} reference{'s' if moved != 1 else ''} to it" if moved else ""
    return Outcome(data, element_id, f"Changed {what} “{updated['name']}”{also}")


def follow_rename(data: Data, before: Data, after: Data) -> tuple[Data, int]:
    """References to an element renamed from `before` to `after` by its name, and by its code
    when the code follows the name, made to name it again; how many were changed."""
    data, moved = rename_references(data, before["name"], after["name"])
    if "code" not in before and "code" not in after and before["name"] != after["name"]:
        data, by_code = rename_references(data, _code(before["name"]), _code(after["name"]))
        moved += by_code
    return data, moved


def _keeping_identity(kind: str, element: Data, raw: Data) -> Data:
    """A renamed entity whose identifier came from its name keeps that identifier, as long as
    it is one of its attributes (renaming "Order" must not make its items lose "orderId")."""
    if kind != "aggregates" or "identifier" in raw or raw.get("name") == element["name"]:
        return raw
    if "code" in raw or "code" in element:
        return raw
    kept = default_identifier(_code(element["name"]))
    attributes = raw.get("attributes", {})
    if kept in attributes and default_identifier(_code(raw["name"])) not in attributes:
        return {**raw, "identifier": kept}
    return raw


def _code(name: str) -> str:
    try:
        return derive_code(name)
    except CodeNameError:
        return name


def delete_element(data: Data, element_id: str) -> Outcome:
    """Remove an element (or a whole lane) from the board; undo puts it back."""
    place, element = find(data, element_id)
    positions = _positions(data)
    if place.kind == "contexts":
        contexts = [c for i, c in enumerate(data["contexts"]) if i != place.context]
        gone = {e["id"] for k in KINDS for e in element.get(k, [])} | {element_id}
        positions = {k: v for k, v in positions.items() if k not in gone}
        data = _with_positions({**data, "contexts": contexts}, positions)
        return Outcome(data, element_id, f"Deleted lane “{element['name']}”")
    context = data["contexts"][place.context]
    items = [e for i, e in enumerate(context[place.kind]) if i != place.index]
    data = _with_context(data, place.context, _with_list(context, place.kind, items))
    positions.pop(element_id, None)
    data = _with_positions(data, positions)
    return Outcome(data, element_id, f"Deleted {SINGULAR[place.kind]} “{element['name']}”")


def move_element(
    data: Data,
    element_id: str,
    *,
    context_id: str | None = None,
    before_id: str | None = None,
    direction: str | None = None,
) -> Outcome:
    """Move a sticky to another lane and/or along the timeline.

    `before_id` puts it just before that sticky; `direction` (`earlier`/`later`) swaps its
    place with its neighbour; otherwise it goes to the end of the target lane. Only this
    sticky's lane and position change.
    """
    place, element = find(data, element_id)
    if place.kind == "contexts":
        return _move_lane(data, place.context, element, direction)
    target = place.context
    if context_id is not None and context_id != data["contexts"][place.context]["id"]:
        target_place, _ = find(data, context_id)
        if target_place.kind != "contexts":
            raise EditRefused("Stickies move to a lane.")
        target = target_place.context
        source = data["contexts"][place.context]
        items = [e for i, e in enumerate(source[place.kind]) if i != place.index]
        data = _with_context(data, place.context, _with_list(source, place.kind, items))
        destination = data["contexts"][target]
        moved = [*destination.get(place.kind, []), element]
        data = _with_context(data, target, _with_list(destination, place.kind, moved))
    others = [(i, x) for i, _, x in lane(data, target) if i != element_id]
    current = dict((i, x) for i, _, x in lane(data, target))[element_id]
    x = _new_x(
        others,
        current,
        before_id=before_id,
        direction=direction,
        moved_lane=target != place.context,
    )
    positions = _positions(data)
    positions[element_id] = {**positions.get(element_id, {}), "x": whole_numbers(x)}
    data = _with_positions(data, positions)
    lane_name = data["contexts"][target]["name"]
    return Outcome(
        data, element_id, f"Moved {SINGULAR[place.kind]} “{element['name']}”", {"lane": lane_name}
    )


def _new_x(
    others: list[tuple[str, float]],
    current: float,
    *,
    before_id: str | None,
    direction: str | None,
    moved_lane: bool,
) -> float:
    xs = [x for _, x in others]
    if before_id is not None:
        ids = [i for i, _ in others]
        if before_id not in ids:
            raise EditRefused("The sticky to move before is not in that lane.")
        k = ids.index(before_id)
        previous = xs[k - 1] if k > 0 else xs[k] - 2 * TIMELINE_STEP
        return (previous + xs[k]) / 2
    if direction == "earlier":
        earlier = [x for x in xs if x < current]
        if not earlier:
            return current
        before = [x for x in earlier if x < earlier[-1]]
        return (earlier[-1] + before[-1]) / 2 if before else earlier[-1] - TIMELINE_STEP
    if direction == "later":
        later = [x for x in xs if x > current]
        if not later:
            return current
        after = [x for x in later if x > later[0]]
        return (later[0] + after[0]) / 2 if after else later[0] + TIMELINE_STEP
    if direction is not None:
        raise EditRefused("Move a sticky earlier or later.")
    if moved_lane:
        return (max(xs) if xs else 0.0) + TIMELINE_STEP
    return current


def _move_lane(data: Data, index: int, context: Data, direction: str | None) -> Outcome:
    contexts = list(data["contexts"])
    target = index - 1 if direction == "earlier" else index + 1 if direction == "later" else index
    if 0 <= target < len(contexts) and target != index:
        contexts[index], contexts[target] = contexts[target], contexts[index]
    return Outcome({**data, "contexts": contexts}, context["id"], f"Moved lane “{context['name']}”")


def element_snapshot(before: Data, element_id: str) -> Data:
    """What undoing a change to one element needs of the design before it, as plain JSON data:
    the element, where it sat (its lane by id), and its board positions (a lane's: those of
    everything in it). An element that did not exist yet has no ``element``."""
    try:
        place, element = find(before, element_id)
    except EditRefused:
        return {"id": element_id}
    positions = _positions(before)
    if place.kind == "contexts":
        inside = {e["id"] for kind in KINDS for e in element.get(kind, [])}
        kept = {k: v for k, v in positions.items() if k in inside}
        lane_id = element_id
    else:
        kept = {element_id: positions[element_id]} if element_id in positions else {}
        lane_id = before["contexts"][place.context]["id"]
    return {
        "id": element_id,
        "element": element,
        "place": {"context": place.context, "kind": place.kind, "index": place.index},
        "lane": lane_id,
        "positions": kept,
    }


def revert_element(data: Data, snapshot: Data, summary: str) -> Outcome:
    """Put one element back as `snapshot` (see ``element_snapshot``) saw it: re-adding it, or
    removing it if it was new."""
    element_id = snapshot["id"]
    old = snapshot.get("element")
    try:
        now_place, _ = find(data, element_id)
    except EditRefused:
        now_place = None
    if old is None:
        if now_place is None:
            raise EditRefused("There is nothing left to undo for that element.", status=409)
        return Outcome(delete_element(data, element_id).data, element_id, summary)
    if now_place is not None:
        # A rename took the references along: undoing it takes them back.
        data, _moved = follow_rename(data, find(data, element_id)[1], old)
        data = delete_element(data, element_id).data
    old_place = Place(**snapshot["place"])
    positions = {**_positions(data), **snapshot["positions"]}
    if old_place.kind == "contexts":
        contexts = list(data.get("contexts", []))
        contexts.insert(min(old_place.context, len(contexts)), old)
        return Outcome(
            _with_positions({**data, "contexts": contexts}, positions), element_id, summary
        )
    try:
        place, context = find(data, snapshot["lane"])
    except EditRefused:
        raise EditRefused(
            "Its lane has been deleted; undo the lane's deletion first.", status=409
        ) from None
    items = list(context.get(old_place.kind, []))
    items.insert(min(old_place.index, len(items)), old)
    data = _with_context(data, place.context, _with_list(context, old_place.kind, items))
    return Outcome(_with_positions(data, positions), element_id, summary)


def replay_element(data: Data, after: Data) -> Data:
    """The design with a change of one element replayed: `after` is that element as the design
    after the change held it (an ``element_snapshot`` of it)."""
    return revert_element(data, after, "").data


__all__ = [
    "DesignError",
    "EditRefused",
    "ElementConflict",
    "Outcome",
    "Place",
    "add_context",
    "add_element",
    "canonical_element",
    "delete_element",
    "element_digest",
    "element_snapshot",
    "find",
    "iter_places",
    "lane",
    "move_element",
    "replay_element",
    "revert_element",
    "update_element",
]
