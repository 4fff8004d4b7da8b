"""``table-plan.json``: the plan as machine-readable data."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.generators.table.keys import Entity
from app.generators.table.layouts import Layout
from app.generators.table.needs import EXISTS

if TYPE_CHECKING:
    from app.generators.table.indexes import Slot
    from app.generators.table.plan import TablePlan


def sparse_json(layout: Layout) -> list[dict[str, Any]]:
    return [
        {"attribute": a, "exists": True} if v is EXISTS else {"attribute": a, "equals": v}
        for a, v in layout.sparse
    ]


def is_inverted(plan: TablePlan, slot: Slot, code: str) -> bool:
    """An index layout that swaps the table's partition and sort attributes (many-to-many)."""
    table = plan.slot("table").layouts.get(code)
    layout = slot.layouts[code]
    return (
        table is not None
        and slot.kind == "gsi"
        and bool(table.partition)
        and set(layout.partition) == set(table.sort)
        and set(table.partition) <= set(layout.sort)
    )


def index_json(plan: TablePlan, slot: Slot) -> dict[str, Any]:
    from app.generators.table.plan import key_names

    pk, sk = key_names(slot)
    sparse = any(layout.sparse for layout in slot.layouts.values()) or any(
        not all(plan.entities[c].required(a) for a in layout.attributes)
        for c, layout in slot.layouts.items()
    )
    return {
        "name": slot.name,
        "kind": {"table": "table", "gsi": "global", "lsi": "local"}[slot.kind],
        "partition_key": pk,
        "sort_key": sk,
        "projection": "ALL",
        "entities": sorted(slot.layouts),
        "patterns": list(slot.served),
        "overloaded": len(slot.layouts) > 1,
        "sparse": slot.kind != "table" and sparse,
        "inverted_for": sorted(c for c in slot.layouts if is_inverted(plan, slot, c)),
    }


def _explain() -> Any:
    from app.generators.table import explain

    return explain


def why(plan: TablePlan, slot: Slot, code: str) -> str:
    return str(_explain().why(plan, slot, code))


def sentence(plan: TablePlan, need: Any, operation: Any) -> str:
    return str(_explain().sentence(plan, need, operation))


def example_values(plan: TablePlan) -> dict[str, dict[str, Any]]:
    return dict(_explain().example_values(plan))


def boto3_call(plan: TablePlan, operation: Any, params: dict[str, Any]) -> str:
    return str(_explain().boto3_call(plan, operation, params))


def cli_call(plan: TablePlan, operation: Any, params: dict[str, Any]) -> str:
    return str(_explain().cli_call(plan, operation, params))


def entity_json(plan: TablePlan, entity: Entity) -> dict[str, Any]:
    keys: dict[str, Any] = {}
    for slot in plan.slots:
        layout = slot.layouts.get(entity.code)
        if layout is None:
            continue
        pk, sk = plan.templates(entity.code)[slot.name]
        entry: dict[str, Any] = {"partition": pk, "sort": sk, "why": why(plan, slot, entity.code)}
        if layout.sparse:
            entry["only_items_with"] = sparse_json(layout)
        if layout.shards > 1:
            entry["shards"] = layout.shards
        keys[slot.name] = entry
    data: dict[str, Any] = {
        "entity": entity.code,
        "name": entity.name,
        "identifier": list(entity.ids),
        "keys": keys,
        "item_size_kb": entity.item_size_kb,
        "item_count": entity.item_count,
    }
    if entity.ttl:
        data["ttl_from"] = entity.ttl
    return data


def plan_json(plan: TablePlan) -> dict[str, Any]:
    """The whole plan as JSON-ready data, in a stable order."""
    from app.generators.table.plan import TTL_ATTRIBUTE

    patterns = []
    examples = example_values(plan)
    for need in plan.needs:
        operation = plan.operations.get(need.pattern)
        if operation is None:
            continue
        row = operation.to_json()
        params = examples.get(need.pattern, {})
        row["explanation"] = sentence(plan, need, operation)
        row["example"] = {
            "boto3": boto3_call(plan, operation, params),
            "aws_cli": cli_call(plan, operation, params),
        }
        capacity = plan.capacity.get(need.pattern)
        if capacity is not None:
            row["capacity"] = capacity.to_json()
        patterns.append(row)
    table: dict[str, Any] = {
        "name": plan.table_name,
        "partition_key": "PK",
        "sort_key": "SK",
        "billing_mode": "PAY_PER_REQUEST",
    }
    if plan.ttl:
        table["ttl_attribute"] = TTL_ATTRIBUTE
    return {
        "format": 1,
        "table": table,
        "entities": [entity_json(plan, e) for e in plan.entities.values()],
        "indexes": [index_json(plan, s) for s in plan.slots if s.kind != "table"],
        "patterns": patterns,
        "unserved": [u.to_json() for u in plan.unserved],
        "gsi_count": len(plan.gsis),
        "gsi_lower_bound": plan.gsi_lower_bound,
        "lsi_count": len(plan.lsis),
        "warnings": list(plan.warnings),
    }
