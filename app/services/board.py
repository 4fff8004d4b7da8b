"""The board as people see it: lanes of stickies along a timeline, with their links.

Built straight from a design's canonical data (no validation), so a semantically unfinished
design still shows, and a 700-sticky board is built in milliseconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.model.elements import KINDS, SINGULAR
from app.services.edits import Data, element_digest, lane

KIND_LABELS: dict[str, str] = {
    "actors": "Actor",
    "commands": "Command",
    "events": "Event",
    "aggregates": "Aggregate",
    "policies": "Policy",
    "read_models": "Read model",
    "access_patterns": "Access pattern",
    "external_systems": "External system",
    "calls": "Direct call",
    "schedules": "Schedule",
    "sources": "Source",
    "workflows": "Workflow",
    "hotspots": "Hotspot",
}
"""What each sticky says it is, so kinds read without colour."""

KIND_ICONS: dict[str, str] = {
    "actors": "☺",
    "commands": "▶",
    "events": "⚡",
    "aggregates": "▣",
    "policies": "↻",
    "read_models": "◎",
    "access_patterns": "⌕",
    "external_systems": "⇄",
    "calls": "☎",
    "schedules": "⏱",
    "sources": "⇣",
    "workflows": "⋯",
    "hotspots": "!",
}

ADDABLE = (
    "events",
    "commands",
    "actors",
    "aggregates",
    "policies",
    "read_models",
    "external_systems",
    "hotspots",
    "access_patterns",
    "workflows",
    "schedules",
    "sources",
)
"""Kinds offered by the add form, the most used first."""


@dataclass(frozen=True)
class Relation:
    """A link an element of some kind can have: the key, the kind it points at, how many."""

    key: str
    target: str | None
    many: bool
    verb: str


RELATIONS: dict[str, tuple[Relation, ...]] = {
    "commands": (
        Relation("emits", "events", True, "emits"),
        Relation("aggregate", "aggregates", False, "changes"),
        Relation("actors", "actors", True, "is used by"),
        Relation("access_patterns", "access_patterns", True, "uses"),
    ),
    "policies": (
        Relation("event", "events", False, "reacts to"),
        Relation("command", "commands", False, "issues"),
        Relation("workflow", "workflows", False, "starts"),
    ),
    "read_models": (
        Relation("access_patterns", "access_patterns", True, "reads via"),
        Relation("actors", "actors", True, "is used by"),
    ),
    "access_patterns": (Relation("entity", "aggregates", False, "reads"),),
    "external_systems": (
        Relation("emits", "events", True, "emits"),
        Relation("called_by", "commands", True, "is called by"),
    ),
    "hotspots": (Relation("about", None, False, "is about"),),
    "schedules": (
        Relation("command", "commands", False, "runs"),
        Relation("workflow", "workflows", False, "starts"),
    ),
    "sources": (Relation("consumer", "commands", False, "feeds"),),
    "calls": (
        Relation("caller", "commands", False, "caller"),
        Relation("callee", "commands", False, "callee"),
    ),
}
EXCLUSIVE = {
    ("policies", "command"): "workflow",
    ("policies", "workflow"): "command",
    ("schedules", "command"): "workflow",
    ("schedules", "workflow"): "command",
}
"""Setting one of these links clears the other: a policy issues a command or starts a workflow."""

FIELD_KEYS = {
    "commands": "input",
    "events": "fields",
    "aggregates": "attributes",
    "read_models": "fields",
    "workflows": "input",
}
WORKLOAD_KINDS = frozenset(
    {"commands", "policies", "read_models", "external_systems", "schedules", "sources", "workflows"}
)
WORKLOAD_KEYS = ("requests_per_month", "duration_ms", "memory_mb", "peak_factor")
ROUTE_KINDS = frozenset({"commands", "read_models", "workflows"})

REQUIRED_ON_ADD: dict[str, tuple[str, ...]] = {
    "policies": ("event", "command"),
    "access_patterns": ("entity",),
    "schedules": ("expression", "command"),
    "sources": ("consumer",),
}
"""What the add form asks for besides a name, for kinds that cannot exist without it."""


@dataclass(frozen=True)
class Sticky:
    """One sticky on the board."""

    id: str
    kind: str
    name: str
    description: str
    x: float
    links: tuple[str, ...]
    lane_id: str

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def icon(self) -> str:
        return KIND_ICONS[self.kind]


@dataclass(frozen=True)
class Lane:
    """One bounded context: a lane of stickies, earliest first."""

    id: str
    name: str
    description: str
    stickies: tuple[Sticky, ...]


@dataclass(frozen=True)
class Board:
    """Every lane, plus the names by kind (for link and add forms)."""

    name: str
    lanes: tuple[Lane, ...]
    names: dict[str, list[str]] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return sum(len(lane.stickies) for lane in self.lanes)

    def kinds_present(self) -> list[str]:
        present = {s.kind for lane in self.lanes for s in lane.stickies}
        return [k for k in KINDS if k in present]


def ref_names(value: Any) -> list[str]:
    """The references a link value holds (a name, a list of names, or emits entries)."""
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    names = []
    for item in items:
        if isinstance(item, dict):
            item = item.get("event") or item.get("entity")
        if isinstance(item, str):
            names.append(item)
    return names


class Resolver:
    """Finds elements by id, code or name (case-insensitive), as references name them."""

    def __init__(self, data: Data) -> None:
        self.by_key: dict[str, tuple[str, Data]] = {}
        for context in data.get("contexts", []):
            for kind in KINDS:
                for element in context.get(kind, []):
                    for key in (element.get("name"), element.get("code"), element.get("id")):
                        if isinstance(key, str):
                            self.by_key.setdefault(key.strip().lower(), (kind, element))

    def find(self, ref: str) -> tuple[str, Data] | None:
        return self.by_key.get(ref.strip().lower())


@dataclass(frozen=True)
class LinkIndex:
    """Who points at whom: the resolver and every element's neighbours (both directions)."""

    resolver: Resolver
    neighbours: dict[str, set[str]]


_INDEXES: dict[int, tuple[Data, LinkIndex]] = {}
_BY_SIGNATURE: dict[int, LinkIndex] = {}


def _signature(data: Data) -> int:
    """A hash of everything links depend on: each element's kind, keys and link values."""
    parts = []
    for context in data.get("contexts", []):
        for kind in KINDS:
            keys = tuple(r.key for r in RELATIONS.get(kind, ()))
            for element in context.get(kind, []):
                parts.append(
                    (
                        kind,
                        element.get("id"),
                        element.get("name"),
                        element.get("code"),
                        repr([element.get(k) for k in keys]) if keys else "",
                    )
                )
    return hash(tuple(parts))


def link_index(data: Data) -> LinkIndex:
    """The link index of a design's data; an edit that changes no name or link reuses it."""
    found = _INDEXES.get(id(data))
    if found is not None and found[0] is data:
        return found[1]
    signature = _signature(data)
    index = _BY_SIGNATURE.get(signature)
    if index is None:
        resolver = Resolver(data)
        neighbours: dict[str, set[str]] = {}
        for context in data.get("contexts", []):
            for kind in KINDS:
                for element in context.get(kind, []):
                    neighbours.setdefault(element["id"], set())
                    for target in links_of(kind, element, resolver):
                        neighbours[element["id"]].add(target)
                        neighbours.setdefault(target, set()).add(element["id"])
        index = LinkIndex(resolver, neighbours)
        if len(_BY_SIGNATURE) > 16:
            _BY_SIGNATURE.clear()
        _BY_SIGNATURE[signature] = index
    if len(_INDEXES) > 16:
        _INDEXES.clear()
    _INDEXES[id(data)] = (data, index)
    return index


def links_of(kind: str, element: Mapping[str, Any], resolver: Resolver) -> list[str]:
    """Ids of the elements this one points at through its known relations."""
    found = []
    for relation in RELATIONS.get(kind, ()):
        for ref in ref_names(element.get(relation.key)):
            target = resolver.find(ref)
            if target is not None:
                found.append(target[1]["id"])
    return found


def build_board(data: Data) -> Board:
    """The board of a design's canonical data."""
    neighbours = link_index(data).neighbours
    lanes = []
    names: dict[str, list[str]] = {kind: [] for kind in KINDS}
    for index, context in enumerate(data.get("contexts", [])):
        elements = {e["id"]: (k, e) for k in KINDS for e in context.get(k, [])}
        stickies = []
        for element_id, kind, x in lane(data, index):
            element = elements[element_id][1]
            names[kind].append(element["name"])
            stickies.append(
                Sticky(
                    element_id,
                    kind,
                    element["name"],
                    element.get("description", ""),
                    x,
                    tuple(sorted(neighbours.get(element_id, ()))),
                    context["id"],
                )
            )
        lanes.append(
            Lane(context["id"], context["name"], context.get("description", ""), tuple(stickies))
        )
    for kind in names:
        names[kind] = sorted(set(names[kind]), key=str.lower)
    return Board(data.get("name", ""), tuple(lanes), names)


def sticky_of(data: Data, element_id: str) -> Sticky | None:
    """One sticky as the board shows it, without building the whole board."""
    from app.services.edits import EditRefused, find

    try:
        place, element = find(data, element_id)
    except EditRefused:
        return None
    if place.kind == "contexts":
        return None
    links = link_index(data).neighbours.get(element_id, set())
    x = next(x for i, _, x in lane(data, place.context) if i == element_id)
    return Sticky(
        element_id,
        place.kind,
        element["name"],
        element.get("description", ""),
        x,
        tuple(sorted(links - {element_id})),
        data["contexts"][place.context]["id"],
    )


@dataclass(frozen=True)
class LinkView:
    """One link of the element in the inspector."""

    relation: Relation
    index: int
    ref: str
    target_id: str | None


@dataclass(frozen=True)
class FieldView:
    name: str
    type: str
    editable: bool


@dataclass(frozen=True)
class ElementView:
    """What the inspector shows and edits for one element."""

    id: str
    kind: str
    lane_id: str
    data: Data
    digest: str
    links: list[LinkView]
    relations: tuple[Relation, ...]
    fields_key: str | None
    fields: list[FieldView]
    workload: dict[str, Any]
    names: dict[str, list[str]]
    lane_name: str
    entity_fields: dict[str, list[str]]
    """Access patterns: every entity's name with its attribute names (the editor's hints)."""

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, "Lane")

    @property
    def singular(self) -> str:
        return SINGULAR[self.kind]

    @property
    def link_names(self) -> list[str]:
        """Names this element's links can point at (for the link form's suggestions)."""
        kinds = {relation.target or "all" for relation in self.relations}
        return sorted({n for kind in kinds for n in self.names.get(kind, [])}, key=str.lower)

    @property
    def has_workload(self) -> bool:
        return self.kind in WORKLOAD_KINDS

    @property
    def has_route(self) -> bool:
        return self.kind in ROUTE_KINDS


def element_view(data: Data, element_id: str) -> ElementView:
    """The inspector's view of one element (EditRefused 404 when it is gone)."""
    from app.services.edits import find

    place, element = find(data, element_id)
    lane_id = data["contexts"][place.context]["id"]
    resolver = link_index(data).resolver
    links = []
    for relation in RELATIONS.get(place.kind, ()):
        for index, ref in enumerate(ref_names(element.get(relation.key))):
            target = resolver.find(ref)
            links.append(LinkView(relation, index, ref, target[1]["id"] if target else None))
    fields_key = FIELD_KEYS.get(place.kind)
    fields = []
    if fields_key:
        for name, value in element.get(fields_key, {}).items():
            editable = isinstance(value, str)
            fields.append(FieldView(name, value if editable else _describe(value), editable))
    names: dict[str, list[str]] = {kind: [] for kind in KINDS}
    names["all"] = []
    for kind, found in resolver.by_key.values():
        if found["name"] not in names[kind]:
            names[kind].append(found["name"])
    for kind in names:
        names[kind] = sorted(set(names[kind]), key=str.lower)
    names["all"] = sorted({n for kind in KINDS for n in names[kind]}, key=str.lower)
    return ElementView(
        element_id,
        place.kind,
        lane_id,
        element,
        element_digest(element),
        links,
        RELATIONS.get(place.kind, ()),
        fields_key,
        fields,
        dict(element.get("workload", {})),
        names,
        data["contexts"][place.context]["name"],
        _entity_fields(data) if place.kind == "access_patterns" else {},
    )


def _entity_fields(data: Data) -> dict[str, list[str]]:
    """The design's entities (its aggregates) with their attribute names."""
    return {
        aggregate["name"]: list(aggregate.get("attributes", {}))
        for context in data.get("contexts", [])
        for aggregate in context.get("aggregates", [])
    }


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        kind = value.get("type", "object")
        return f"{kind} (detailed: edit in the storm file)"
    return str(value)


def kinds_in_order(kinds: Iterable[str]) -> list[str]:
    wanted = set(kinds)
    return [k for k in KINDS if k in wanted]
