"""Entities as the planner sees them, their labels, and how attribute values become key text."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from app.model import ValidDesign
from app.model.elements import Aggregate
from app.model.types import FieldType
from app.model.validate import identifiers_of

SEPARATOR = "#"
KEY_TYPES = frozenset(
    ("string", "number", "integer", "decimal", "boolean", "datetime", "date", "enum")
)
"""Attribute types that can be part of a key (lists, maps, objects and binary cannot)."""
TEXT_TYPES = frozenset(("string", "datetime", "date", "enum"))
"""Types whose key text keeps the value's own order, so ``begins_with`` means what it says."""
NUMBER_TYPES = frozenset(("number", "integer", "decimal"))
_OFFSET = Decimal(10) ** 12
_STEP = Decimal("0.000001")


@dataclass(frozen=True)
class Entity:
    """One aggregate: its code, label, identity, attributes and relationships."""

    element_id: str
    code: str
    name: str
    label: str
    ids: tuple[str, ...]
    attributes: dict[str, FieldType]
    children: tuple[str, ...]
    linked: tuple[str, ...]
    ttl: str | None
    item_size_kb: float
    item_count: int
    link: tuple[str, str] | None = None
    """For a many-to-many link item: the two entities it joins (this side's first)."""

    def required(self, attribute: str) -> bool:
        """Whether every item carries the attribute (identifiers always do)."""
        field = self.attributes.get(attribute)
        return attribute in self.ids or (field is not None and not field.optional)

    def type_of(self, attribute: str) -> str:
        field = self.attributes.get(attribute)
        return field.type if field is not None else "string"


def entities_of(valid: ValidDesign) -> dict[str, Entity]:
    """Every aggregate of the design as an ``Entity``, by code, in file order."""
    found: dict[str, Entity] = {}
    for entry in valid.of_kind("aggregates"):
        aggregate = entry.element
        assert isinstance(aggregate, Aggregate)
        code = valid.code(aggregate)
        targets = valid.targets(aggregate, "relationships")
        children = tuple(
            valid.code(t.element)
            for r, t in zip(aggregate.relationships, targets, strict=False)
            if r.kind == "one-to-many"
        )
        linked = tuple(
            valid.code(t.element)
            for r, t in zip(aggregate.relationships, targets, strict=False)
            if r.kind == "many-to-many"
        )
        found[code] = Entity(
            element_id=entry.id,
            code=code,
            name=aggregate.name,
            label=code.upper(),
            ids=tuple(identifiers_of(aggregate, code)),
            attributes=dict(aggregate.attributes),
            children=children,
            linked=linked,
            ttl=aggregate.ttl,
            item_size_kb=aggregate.item_size_kb,
            item_count=aggregate.item_count,
        )
    for entity in list(found.values()):
        for other in entity.linked:
            code = link_code(entity.code, other)
            if code not in found and link_code(other, entity.code) not in found:
                found[code] = _link(entity, found[other], code)
    return found


def link_code(a: str, b: str) -> str:
    return f"{a}{b}Link"


def link_of(entities: dict[str, Entity], a: str, b: str) -> str | None:
    """The link entity joining two many-to-many entities, whichever side declared it."""
    for code in (link_code(a, b), link_code(b, a)):
        if code in entities:
            return code
    return None


def _link(entity: Entity, other: Entity, code: str) -> Entity:
    """One item per related pair: both identifiers, and the other side's attributes, so that a
    Query on either side returns what it is related to."""
    attributes = {**other.attributes, **{i: entity.attributes[i] for i in entity.ids}}
    for i in other.ids:
        attributes[i] = other.attributes[i]
    return Entity(
        element_id=f"{entity.element_id}+{other.element_id}",
        code=code,
        name=f"{entity.name} – {other.name} link",
        label=f"{entity.label}_{other.label}",
        ids=(*entity.ids, *(i for i in other.ids if i not in entity.ids)),
        attributes=attributes,
        children=(),
        linked=(),
        ttl=None,
        item_size_kb=other.item_size_kb,
        item_count=max(entity.item_count, other.item_count) * 3,
        link=(entity.code, other.code),
    )


def attribute_labels(entities: dict[str, Entity]) -> dict[str, str]:
    """The label each attribute takes in a key: its entity's label when it is that entity's
    sole identifier (``customerId`` → ``CUSTOMER``), otherwise its name in capitals without a
    trailing ``Id``; an attribute whose label another already has keeps its name as written."""
    labels: dict[str, str] = {}
    for entity in entities.values():
        if len(entity.ids) == 1:
            labels.setdefault(entity.ids[0], entity.label)
    others = sorted({a for e in entities.values() for a in e.attributes} - set(labels))
    short = {a: (a[:-2] if a.endswith("Id") and len(a) > 2 else a).upper() for a in others}
    taken = [*labels.values(), *short.values()]
    for attribute in others:
        clash = taken.count(short[attribute]) > 1
        labels[attribute] = attribute if clash else short[attribute]
    return labels


def attribute_label(attribute: str, labels: dict[str, str]) -> str:
    return labels.get(attribute, attribute.upper())


def partition_template(
    attributes: tuple[str, ...], entity: Entity, labels: dict[str, str], shards: int = 1
) -> str:
    """``CUSTOMER#{customerId}``; an entity's own label when nothing varies; ``#{shard}`` last."""
    if attributes:
        text = SEPARATOR.join(f"{attribute_label(a, labels)}#{{{a}}}" for a in attributes)
    else:
        text = entity.label
    return text + ("#SHARD#{shard}" if shards > 1 else "")


def sort_template(attributes: tuple[str, ...], entity: Entity) -> str:
    """``ORDER#{createdAt}#{orderId}``; the bare label when the partition already identifies."""
    return SEPARATOR.join((entity.label, *(f"{{{a}}}" for a in attributes)))


def key_text(value: Any, type_name: str) -> str:
    """The text of a value inside a key, chosen so that text order is the value's order.

    Numbers are offset by 10^12 and zero-padded to fixed width with six decimals, so that
    -5 sorts before 3 and 10 after 9; booleans are ``false``/``true``; the rest is as written.
    """
    if isinstance(value, bool) or type_name == "boolean":
        return "true" if value else "false"
    if type_name in NUMBER_TYPES:
        number = (Decimal(str(value)) + _OFFSET).quantize(_STEP)
        return format(number, "020.6f")
    return str(value)


def fill(template_parts: tuple[str, ...], values: dict[str, Any], entity: Entity) -> str:
    """Key text of attribute values joined by ``#`` (the label is added by the caller)."""
    return SEPARATOR.join(key_text(values[a], entity.type_of(a)) for a in template_parts)


def after(prefix: str) -> str:
    """The smallest text greater than every text that starts with ``prefix`` + ``#``."""
    return prefix + "$"


def collection_range(labels: list[str]) -> tuple[str, str]:
    """The sort-key range that holds exactly the items of these labels in a partition."""
    return min(labels), max(labels) + "$"


def outside(label: str, members: list[str]) -> bool:
    """Whether every sort key of an entity with this label falls outside the members' range."""
    low, high = collection_range(members)
    return label + "$" <= low or label > high
