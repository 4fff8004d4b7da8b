"""Deterministic, realistic sample items per entity: related items agree, partitions hold
several items, and values include the edges (negatives, zero, ties, accents, missing optionals)."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from typing import Any

from app.generators.table.keys import Entity
from app.generators.table.operations import VERSION
from app.model.types import FieldType

ROOT_ITEMS = 8
CHILD_ITEMS = 18
WORDS = ("amber", "Berg", "zoë", "Ωmega", "delta-4")
INTEGERS = (0, -3, 7, 42, 1_000_000, 7, 15)
NUMBERS = ("0", "-2.5", "3.25", "19.99", "1000000.5", "3.25", "0.01")
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def _hash(*parts: object) -> int:
    text = "\x1f".join(str(p) for p in parts)
    return int(hashlib.sha256(text.encode()).hexdigest()[:12], 16)


def _order(entities: dict[str, Entity]) -> list[Entity]:
    """Entities with the ones others point at first, so references find their targets."""
    done: list[str] = []
    seen: set[str] = set()
    owners = {e.ids[0]: e.code for e in entities.values() if len(e.ids) == 1}

    def visit(code: str, path: frozenset[str]) -> None:
        if code in seen or code in path:
            return
        entity = entities[code]
        for attribute in entity.attributes:
            owner = owners.get(attribute)
            if owner is not None and owner != code:
                visit(owner, path | {code})
        seen.add(code)
        done.append(code)

    for code in entities:
        visit(code, frozenset())
    return [entities[c] for c in done]


def value(field: FieldType, entity: str, attribute: str, n: int) -> Any:
    """A sample value of one type, chosen by a stable hash."""
    h = _hash(entity, attribute, n)
    kind = field.type
    if kind == "enum":
        values = field.values or ["A"]
        return values[h % len(values)]
    if kind == "boolean":
        return h % 2 == 0
    if kind == "integer":
        return INTEGERS[h % len(INTEGERS)]
    if kind in ("number", "decimal"):
        return float(NUMBERS[h % len(NUMBERS)])
    if kind == "datetime":
        moment = EPOCH + timedelta(hours=(h % 60) * 7)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    if kind == "date":
        return (EPOCH + timedelta(days=h % 90)).strftime("%Y-%m-%d")
    if kind == "list":
        assert field.items is not None
        return [value(field.items, entity, attribute, n * 7 + i) for i in range(h % 3)]
    if kind == "map":
        assert field.items is not None
        return {f"k{i}": value(field.items, entity, attribute, n * 7 + i) for i in range(h % 3)}
    if kind == "object":
        return {
            name: value(sub, entity, f"{attribute}.{name}", n)
            for name, sub in (field.fields or {}).items()
            if not (sub.optional and h % 3 == 0)
        }
    if kind == "binary":
        return f"b64:{h % 9973}"
    return f"{attribute}-{WORDS[h % len(WORDS)]}"


def sample_items(entities: dict[str, Entity]) -> dict[str, list[dict[str, Any]]]:
    """Sample items per entity code; the same entities always give the same items."""
    owners = {e.ids[0]: e.code for e in entities.values() if len(e.ids) == 1}
    parents = {c: p.code for p in entities.values() for c in p.children}
    made: dict[str, list[dict[str, Any]]] = {}
    for entity in _order(entities):
        if entity.link is not None:
            made[entity.code] = _link_items(entity, made)
            continue
        parent = parents.get(entity.code)
        count = CHILD_ITEMS if parent in made else ROOT_ITEMS
        items: list[dict[str, Any]] = []
        keys: set[tuple[Any, ...]] = set()
        n = 0
        while len(items) < count and n < count * 4:
            item = _item(entity, n, made, owners, parent)
            n += 1
            key = tuple(item.get(i) for i in entity.ids)
            if key in keys:
                continue
            keys.add(key)
            items.append(item)
        made[entity.code] = items
    return {code: made[code] for code in entities}


def _link_items(entity: Entity, made: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Each item of one side linked to none to three items of the other, the last two to none."""
    assert entity.link is not None
    side, other = entity.link
    mine, theirs = made.get(side, []), made.get(other, [])
    items = []
    for n, item in enumerate(mine[:-2] if len(mine) > 2 else mine):
        chosen = (
            sorted({_hash("link", entity.code, n, k) % len(theirs) for k in range(n % 4)})
            if theirs
            else []
        )
        for index in chosen:
            link = {a: v for a, v in theirs[index].items() if a in entity.attributes}
            link.update({i: item[i] for i in entity.ids if i in item})
            items.append(link)
    return items


def new_item(entity: Entity, made: dict[str, list[dict[str, Any]]], n: int) -> dict[str, Any]:
    """One more item of an entity, with fresh identifiers, for write proofs."""
    owners: dict[str, str] = {}
    item = _item(entity, n, made, owners, None)
    for i in entity.ids:
        field = entity.attributes.get(i)
        item[i] = f"{i}-new-{n}" if field is None or field.type == "string" else item[i]
    return item


def _item(
    entity: Entity,
    n: int,
    made: dict[str, list[dict[str, Any]]],
    owners: dict[str, str],
    parent: str | None,
) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for attribute, field in entity.attributes.items():
        owner = owners.get(attribute)
        if attribute in entity.ids and (owner is None or owner == entity.code):
            item[attribute] = _identifier(entity, attribute, field, n)
            continue
        if owner is not None and owner != entity.code and made.get(owner):
            pool = made[owner]
            if owner == parent:
                # leave the last two parents childless, pile several children on the others
                chosen = pool[n % max(1, len(pool) - 2)]
            else:
                chosen = pool[_hash(entity.code, attribute, n) % len(pool)]
            item[attribute] = chosen[attribute]
            continue
        if attribute == VERSION and field.type in ("integer", "number", "decimal"):
            item[attribute] = 1
            continue
        if (
            field.optional
            and attribute not in entity.ids
            and _hash("opt", entity.code, attribute, n) % 4 == 0
        ):
            continue
        item[attribute] = value(field, entity.code, attribute, n)
    return item


def _identifier(entity: Entity, attribute: str, field: FieldType, n: int) -> Any:
    if field.type in ("integer", "number", "decimal"):
        return n + 1
    if field.type in ("enum", "boolean", "datetime", "date"):
        return value(field, entity.code, attribute, n)
    stem = entity.label.lower()[:6]
    return f"{stem}-{n:03d}" if n % 5 else f"{stem}-ü{n:03d}"
