"""The reference the proof compares against: a naive filter and sort over sample items, written
from the patterns' meaning, not from the key layouts; and the sample parameters to ask with."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from app.generators.table.keys import NUMBER_TYPES, Entity
from app.generators.table.needs import Need

if TYPE_CHECKING:
    from app.generators.table.plan import TablePlan

Samples = dict[str, list[dict[str, Any]]]


def _natural(entity: Entity, attribute: str, value: Any) -> Any:
    if entity.type_of(attribute) in NUMBER_TYPES:
        return float(value)
    return value


def matches(
    need: Need,
    entity: Entity,
    item: dict[str, Any],
    params: dict[str, Any],
    with_range: bool = True,
) -> bool:
    """Whether an item is one the pattern asks for (equality, constants, existence, range)."""
    constants = dict(need.constants)
    for attribute in need.equal:
        wanted = constants[attribute] if attribute in constants else params[attribute]
        if item.get(attribute) != wanted:
            return False
    if any(item.get(a) is None for a in need.exists):
        return False
    if need.sort is None:
        return True
    value = item.get(need.sort)
    if value is None:
        return False
    if not with_range or need.range is None:
        return True
    v = _natural(entity, need.sort, value)
    s = need.sort
    if need.range == "between":
        lo = _natural(entity, s, params[s + "From"])
        hi = _natural(entity, s, params[s + "To"])
        return bool(lo <= v <= hi)
    if need.range == "begins_with":
        return str(value).startswith(str(params[s]))
    p = _natural(entity, s, params[s])
    return {
        "eq": v == p,
        "lt": v < p,
        "le": v <= p,
        "gt": v > p,
        "ge": v >= p,
    }[need.range]


def expected_items(
    plan: TablePlan, need: Need, samples: Samples, params: dict[str, Any]
) -> list[tuple[str, dict[str, Any]]]:
    """What the pattern must return, in order: filtered, then sorted by what the plan promises
    (the sort attribute, then the remaining key attributes); children after their parent's label
    order when the pattern includes them. A batch read returns, for each value it was given in
    turn, what the pattern returns for that value."""
    if BATCH in params:
        return [
            found for value in params[BATCH] for found in expected_items(plan, need, samples, value)
        ]
    entity = plan.entities[need.entity]
    found = [(need.entity, i) for i in samples[need.entity] if matches(need, entity, i, params)]
    slot = plan.slot(plan_slot(plan, need))
    if need.include:
        for code in need.include:
            child = plan.entities[code]
            found += [
                (code, i)
                for i in samples[code]
                if all(i.get(a) == params[a] for a in need.equal) and child is not None
            ]

        def collection_key(pair: tuple[str, dict[str, Any]]) -> tuple[Any, ...]:
            code, item = pair
            member = plan.entities[code]
            layout = slot.layouts[code]
            return (member.label, *(_natural(member, a, item[a]) for a in layout.sort))

        return sorted(found, key=collection_key)
    operation = plan.operations[need.pattern]
    order = operation.order_by

    def key(pair: tuple[str, dict[str, Any]]) -> tuple[Any, ...]:
        return tuple(_natural(entity, a, pair[1][a]) for a in order)

    return sorted(found, key=key, reverse=need.order == "desc")


def plan_slot(plan: TablePlan, need: Need) -> str:
    return next(s.name for s in plan.slots if need.pattern in s.served)


BATCH = "each"
"""The parameter of a batch read holding its list of values (one parameter set per value)."""
MISSING_NUMBER = 987_654_321


def choose_parameters(plan: TablePlan, need: Need, samples: Samples) -> dict[str, Any]:
    """Parameters drawn from the samples that give the pattern the most items to return, and
    a range that cuts through them; for a batch read, several values in an order that is not
    the table's, and one that matches nothing."""
    single = _choose_one(plan, need, samples)
    if not need.batch:
        return single
    entity = plan.entities[need.entity]
    free = [a for a in need.equal if a not in dict(need.constants)]
    shared = {k: v for k, v in single.items() if k not in free}
    first = {a: single[a] for a in free}
    values = [first]
    for item in reversed(samples[need.entity]):
        if len(values) >= min(need.batch - 1, 3):
            break
        value = {a: item.get(a) for a in free}
        if None not in value.values() and value not in values:
            values.append(value)
    missing = {a: _missing(entity, a) for a in free}
    if len(values) < need.batch and None not in missing.values() and missing not in values:
        values.insert(len(values) // 2, missing)
    return {BATCH: [{**value, **shared} for value in values]}


def _missing(entity: Entity, attribute: str) -> Any:
    """A value of the attribute that no sample item holds."""
    kind = entity.type_of(attribute)
    if kind in NUMBER_TYPES:
        return MISSING_NUMBER
    if kind == "string":
        return f"missing-{attribute}"
    return None


def _choose_one(plan: TablePlan, need: Need, samples: Samples) -> dict[str, Any]:
    entity = plan.entities[need.entity]
    constants = dict(need.constants)
    free = [a for a in need.equal if a not in constants]
    best: dict[str, Any] = {}
    best_count = -1
    seen: set[tuple[Any, ...]] = set()
    for item in samples[need.entity]:
        if any(item.get(a) is None for a in free):
            continue
        params = {a: item[a] for a in free}
        signature = tuple(params.values())
        if signature in seen:
            continue
        seen.add(signature)
        count = sum(1 for i in samples[need.entity] if matches(need, entity, i, params, False))
        count += sum(
            1
            for code in need.include
            for i in samples[code]
            if all(i.get(a) == params[a] for a in free)
        )
        if count > best_count:
            best, best_count = params, count
    if best_count < 0:
        best = {
            a: samples[need.entity][0].get(a, "none") if samples[need.entity] else "none"
            for a in free
        }
    if need.sort is not None and need.range is not None:
        values = sorted(
            (i[need.sort] for i in samples[need.entity] if matches(need, entity, i, best, False)),
            key=lambda v: _natural(entity, need.sort or "", v),
        )
        if not values:
            values = [i[need.sort] for i in samples[need.entity] if i.get(need.sort) is not None]
        middle = values[len(values) // 2] if values else "m"
        if need.range == "between":
            # cut both ends off when there are enough items, so the range visibly excludes some
            n = len(values)
            low, high = (1, n - 2) if n >= 4 else (0, 1) if n == 3 else (n - 1, n - 1)
            best[need.sort + "From"] = values[low] if values else "a"
            best[need.sort + "To"] = values[high] if values else "z"
        elif need.range == "begins_with":
            text = str(middle)
            best[need.sort] = text[: max(1, min(7, len(text) // 2))]
        else:
            best[need.sort] = middle
    return best


def to_dynamo(value: Any) -> Any:
    """Python sample values as DynamoDB stores them (floats become Decimals)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, list):
        return [to_dynamo(v) for v in value]
    if isinstance(value, dict):
        return {k: to_dynamo(v) for k, v in value.items()}
    return value


def plain(value: Any) -> Any:
    """A stored value back as a Python value (Decimals become ints or floats), deeply."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def same_values(sample: dict[str, Any], stored: dict[str, Any]) -> bool:
    """Whether a stored item holds exactly the sample's attributes."""
    return plain(to_dynamo(sample)) == plain({k: stored[k] for k in sample if k in stored}) and (
        set(sample) <= set(stored)
    )


def identity(plan: TablePlan, code: str, item: dict[str, Any]) -> tuple[Any, ...]:
    """An item's entity and identifier values."""
    return (code, *(plain(item.get(i)) for i in plan.entities[code].ids))


def show(identities: list[tuple[Any, ...]]) -> str:
    shown = ", ".join("/".join(str(p) for p in i) for i in identities[:6])
    more = f" and {len(identities) - 6} more" if len(identities) > 6 else ""
    return f"[{shown}{more}]"
