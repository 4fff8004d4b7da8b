"""What each access pattern asks of the table: equality, constants, existence, sort and range."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.generators.table.keys import KEY_TYPES, TEXT_TYPES, Entity, link_of
from app.model import ValidDesign
from app.model.elements import AccessPattern

EXISTS = None
"""The value of a condition that only asks for an attribute to be present."""


@dataclass(frozen=True)
class Need:
    """One access pattern, restated as what an index must offer to serve it."""

    pattern: str
    element_id: str
    name: str
    entity: str
    action: str
    equal: tuple[str, ...]
    constants: tuple[tuple[str, Any], ...]
    exists: tuple[str, ...]
    sort: str | None
    order: str
    range: str | None
    include: tuple[str, ...]
    many: bool
    strong: bool
    condition: str | None
    position: int
    batch: int = 0
    """For a read of several items by a list of values: the most values one call asks for."""
    linked: str | None = None
    """For a write on a many-to-many link item: the entity on the other side of the link."""
    counter: str | None = None
    """For a link write: the attribute of ``linked`` that counts its links."""

    @property
    def reading(self) -> bool:
        return self.action == "read"

    @property
    def conditions(self) -> frozenset[tuple[str, Any]]:
        """Constant filters and existence checks: what a sparse index may enforce instead."""
        return frozenset(self.constants) | frozenset((a, EXISTS) for a in self.exists)

    @property
    def keyed(self) -> bool:
        """Writes that name one item by its identifier (update, delete) need the table key."""
        return self.action in ("update", "delete")


@dataclass(frozen=True)
class Unserved:
    """A pattern the plan cannot serve, with the reason and what would fix it."""

    pattern: str
    element_id: str
    name: str
    reason: str
    fix: str

    def to_json(self) -> dict[str, str]:
        return {"pattern": self.pattern, "name": self.name, "reason": self.reason, "fix": self.fix}


def needs_of(valid: ValidDesign, entities: dict[str, Entity]) -> tuple[list[Need], list[Unserved]]:
    """Every access pattern as a ``Need``, or as ``Unserved`` when its shape cannot be keyed."""
    needs: list[Need] = []
    unserved: list[Unserved] = []
    for position, entry in enumerate(valid.of_kind("access_patterns")):
        pattern = entry.element
        assert isinstance(pattern, AccessPattern)
        target = valid.target(pattern, "entity")
        assert target is not None
        entity = entities[valid.code(target.element)]
        code = valid.code(pattern)
        included = [valid.code(e.element) for e in valid.targets(pattern, "include")]
        include = tuple(link_of(entities, entity.code, c) or c for c in included)
        by = tuple(dict.fromkeys(pattern.by))
        linked = None
        if pattern.action != "read" and included:
            link = link_of(entities, entity.code, included[0])
            if link is None:
                other = entities[included[0]]
                unserved.append(
                    Unserved(
                        code,
                        entry.id,
                        pattern.name,
                        f"{entity.name} and {other.name} are not related many-to-many, so "
                        "there is no link item to write",
                        f"add {{entity: {other.name}, kind: many-to-many}} to the "
                        f"relationships of {entity.name}, or write {other.name} on its own",
                    )
                )
                continue
            linked, entity, by, include = included[0], entities[link], (), ()
        if pattern.action != "read" and not by:
            by = entity.ids
        equal = tuple(dict.fromkeys((*by, *pattern.filters)))
        exists = tuple(a for a in dict.fromkeys(pattern.exists) if not entity.required(a))
        many = pattern.many if pattern.many is not None else not set(entity.ids) <= set(by)
        need = Need(
            pattern=code,
            element_id=entry.id,
            name=pattern.name,
            entity=entity.code,
            action=pattern.action,
            equal=equal,
            constants=tuple(sorted(pattern.filters.items())),
            exists=exists,
            sort=pattern.sort,
            order=pattern.order,
            range=pattern.range,
            include=include,
            many=many if pattern.action == "read" else False,
            strong=pattern.consistency == "strong",
            condition=pattern.condition,
            position=position,
            batch=pattern.batch or 0,
            linked=linked,
            counter=pattern.counter,
        )
        problem = shape_problem(need, entity, entities)
        if problem is None:
            needs.append(need)
        else:
            unserved.append(Unserved(code, entry.id, pattern.name, *problem))
    return needs, unserved


def shape_problem(
    need: Need, entity: Entity, entities: dict[str, Entity]
) -> tuple[str, str] | None:
    """Why no key layout at all can serve this pattern (reason, fix), or None."""
    for attribute in (*need.equal, *([need.sort] if need.sort else [])):
        kind = entity.type_of(attribute)
        if kind not in KEY_TYPES:
            return (
                f"'{attribute}' is a {kind}; only scalar attributes can be part of a key",
                f"look the item up by a scalar attribute, or store '{attribute}' as a scalar",
            )
    if need.range == "begins_with" and need.sort and entity.type_of(need.sort) not in TEXT_TYPES:
        return (
            f"begins_with needs a text sort attribute; '{need.sort}' is "
            f"{entity.type_of(need.sort)}",
            "use a between or comparison range instead",
        )
    if need.keyed and not set(entity.ids) <= set(need.equal):
        return (
            f"an {need.action} names one item by its identifier ({', '.join(entity.ids)}), "
            f"not by {', '.join(need.equal) or 'nothing'}",
            "read the item's identifier first (with a read pattern), then write by identifier",
        )
    if need.action == "delete" and need.condition == "create-only":
        return ("a delete cannot be create-only", "use condition: version, or no condition")
    if need.counter is not None:
        problem = counter_problem(need, entities)
        if problem is not None:
            return problem
    if need.include:
        if need.constants or need.exists or need.sort:
            return (
                "a pattern that returns children with their parent cannot also filter or sort",
                "split it: one pattern for the parent with its children, one that filters or sorts",
            )
        if not need.equal:
            return (
                "a parent with its children comes back in one Query only for one parent",
                f"add 'by' with the identifier of {entity.name}",
            )
        for child_code in need.include:
            child = entities[child_code]
            missing = [a for a in need.equal if not child.required(a)]
            if missing:
                return (
                    f"{child.name} does not carry {', '.join(missing)} on every item, so it "
                    f"cannot share an item collection with {entity.name}",
                    f"add the required attribute{'s' if len(missing) > 1 else ''} "
                    f"{', '.join(missing)} to {child.name}",
                )
    return None


def counter_problem(need: Need, entities: dict[str, Entity]) -> tuple[str, str] | None:
    """Why a link write cannot keep its counter in step (reason, fix), or None."""
    assert need.linked is not None and need.counter is not None
    other = entities[need.linked]
    kind = other.attributes.get(need.counter)
    if kind is None or kind.type not in ("integer", "number"):
        return (
            f"the counter '{need.counter}' is not an integer attribute of {other.name}",
            f"add {need.counter}: integer to {other.name}, or drop the counter",
        )
    if need.action == "update":
        return (
            "a counter changes only when a link is added or removed, not when one is updated",
            "drop the counter from this update",
        )
    if need.action == "put" and need.condition != "create-only":
        return (
            "a counted link must be put create-only, or putting it again would count it twice",
            "set condition: create-only",
        )
    return None
