"""The single-table plan: keys per entity, indexes, an operation per pattern, capacity, warnings."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from app.generators.table import capacity as cap
from app.generators.table.indexes import Slot, gsi_lower_bound, pack
from app.generators.table.keys import (
    Entity,
    attribute_labels,
    entities_of,
    key_text,
    partition_template,
    sort_template,
)
from app.generators.table.layouts import Layout
from app.generators.table.needs import EXISTS, Need, Unserved, needs_of
from app.generators.table.operations import (
    Operation,
    link_write_operation,
    read_operation,
    write_operation,
)
from app.model import ValidDesign
from app.model.codes import derive_code

TTL_ATTRIBUTE = "ttl"


def key_names(slot: Slot) -> tuple[str, str]:
    """The attribute names holding a slot's partition and sort key."""
    if slot.kind == "table":
        return "PK", "SK"
    if slot.kind == "lsi":
        return "PK", f"{slot.name}SK"
    return f"{slot.name}PK", f"{slot.name}SK"


@dataclass(frozen=True)
class TablePlan:
    """Everything decided about the table; ``to_json`` is ``table-plan.json``."""

    table_name: str
    entities: dict[str, Entity]
    labels: dict[str, str]
    slots: tuple[Slot, ...]
    needs: tuple[Need, ...]
    operations: dict[str, Operation]
    unserved: tuple[Unserved, ...]
    capacity: dict[str, cap.Capacity]
    gsi_lower_bound: int
    warnings: tuple[str, ...]
    ttl: bool

    @property
    def gsis(self) -> list[Slot]:
        return [s for s in self.slots if s.kind == "gsi"]

    @property
    def lsis(self) -> list[Slot]:
        return [s for s in self.slots if s.kind == "lsi"]

    def slot(self, name: str) -> Slot:
        return next(s for s in self.slots if s.name == name)

    def templates(self, code: str) -> dict[str, tuple[str, str]]:
        """Per slot where the entity has a layout: (partition template, sort template)."""
        entity = self.entities[code]
        return {
            slot.name: (
                partition_template(layout.partition, entity, self.labels, layout.shards),
                sort_template(layout.sort, entity),
            )
            for slot in self.slots
            if (layout := slot.layouts.get(code)) is not None
        }

    def item_keys(self, code: str, item: dict[str, Any]) -> dict[str, str]:
        """The key attributes one item carries: table key, and each index it belongs to."""
        entity = self.entities[code]
        keys: dict[str, str] = {}
        for slot in self.slots:
            layout = slot.layouts.get(code)
            if layout is None or not _belongs(layout, item):
                continue
            pk_name, sk_name = key_names(slot)
            values = dict(item)
            if layout.shards > 1:
                values["shard"] = shard_of(entity, item, layout.shards)
            pk = partition_template(layout.partition, entity, self.labels, layout.shards)
            keys[pk_name] = _fill(pk, values, entity)
            keys[sk_name] = _fill(sort_template(layout.sort, entity), values, entity)
        if self.ttl and entity.ttl and item.get(entity.ttl) is not None:
            keys[TTL_ATTRIBUTE] = str(epoch_seconds(item[entity.ttl]))
        return keys

    def to_json(self) -> dict[str, Any]:
        from app.generators.table.document import plan_json

        return plan_json(self)


def _belongs(layout: Layout, item: dict[str, Any]) -> bool:
    if any(item.get(a) is None for a in layout.attributes):
        return False
    for attribute, value in layout.sparse:
        if value is EXISTS and item.get(attribute) is None:
            return False
        if value is not EXISTS and item.get(attribute) != value:
            return False
    return True


def _fill(template: str, values: dict[str, Any], entity: Entity) -> str:
    import re

    return re.sub(
        r"\{([A-Za-z][A-Za-z0-9_]*)\}",
        lambda m: key_text(values[m.group(1)], entity.type_of(m.group(1))),
        template,
    )


def shard_of(entity: Entity, item: dict[str, Any], shards: int) -> int:
    """The shard an item's index key falls in: a stable hash of its identifier."""
    text = "\x1f".join(str(item[i]) for i in entity.ids)
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % shards


def epoch_seconds(value: Any) -> int:
    """A TTL value as epoch seconds: datetimes are converted, numbers kept."""
    if isinstance(value, (int, float)):
        return int(value)
    return int(datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())


def plan_table(valid: ValidDesign) -> TablePlan:
    """Plan the single table of a design: a pure function of the design, computed once."""
    return valid.derived("table_plan", _plan_table)


def _plan_table(valid: ValidDesign) -> TablePlan:
    entities = entities_of(valid)
    labels = attribute_labels(entities)
    needs, unserved = needs_of(valid, entities)
    packing = pack(needs, entities)
    slots = packing.slots
    warnings: list[str] = []
    _shard(valid, needs, entities, slots, warnings)
    by_slot = {s.name: s for s in slots}
    operations: dict[str, Operation] = {}
    capacities: dict[str, cap.Capacity] = {}
    refused: list[Unserved] = []
    for need in needs:
        where = packing.placed.get(need.pattern)
        if where is None:
            continue
        slot = by_slot[where]
        entity = entities[need.entity]
        layout = slot.layouts[need.entity]
        if need.reading:
            pk_name, sk_name = key_names(slot)
            members = (need.entity, *need.include) if need.include else ()
            operation = read_operation(
                need,
                slot.name,
                slot.kind,
                layout,
                entity,
                labels,
                pk_name,
                sk_name,
                tuple(entities[c].label for c in members),
            )
        elif need.linked is not None and entity.link is not None:
            table = by_slot["table"]
            planned = link_write_operation(
                need,
                layout,
                entity,
                labels,
                tuple((entities[c], table.layouts[c]) for c in entity.link),
            )
            if isinstance(planned, tuple):
                refused.append(Unserved(need.pattern, need.element_id, need.name, *planned))
                continue
            operation = planned
        else:
            operation = write_operation(
                need, layout, entity, labels, _parent(need, entities, by_slot["table"])
            )
        operations[need.pattern] = operation
        capacities[need.pattern] = _capacity(
            valid, need, entity, layout, entities, slots, operation
        )
    _warn(valid, needs, entities, slots, capacities, warnings)
    return TablePlan(
        table_name=derive_code(valid.design.name),
        entities=entities,
        labels=labels,
        slots=tuple(slots),
        needs=tuple(needs),
        operations=operations,
        unserved=tuple(sorted([*unserved, *packing.unserved, *refused], key=lambda u: u.pattern)),
        capacity=capacities,
        gsi_lower_bound=gsi_lower_bound(needs, entities, packing.placed),
        warnings=tuple(warnings),
        ttl=any(e.ttl for e in entities.values()),
    )


def _parent(need: Need, entities: dict[str, Entity], table: Slot) -> tuple[Entity, Layout] | None:
    """The parent whose item a new child must not outlive, when its key comes from the child."""
    for parent in entities.values():
        layout = table.layouts.get(parent.code)
        child = entities[need.entity]
        if (
            need.entity in parent.children
            and layout is not None
            and all(child.required(i) for i in parent.ids)
            and set(layout.attributes) <= set(parent.ids)
        ):
            return parent, layout
    return None


def _write_peak(valid: ValidDesign, needs: list[Need], entity: Entity) -> float:
    return sum(
        valid.traffic.peak_per_second.get(n.element_id, 0.0)
        * cap.write_units(entity.item_size_kb, 1, False)
        for n in needs
        if n.entity == entity.code and not n.reading
    )


def _shard(
    valid: ValidDesign,
    needs: list[Need],
    entities: dict[str, Entity],
    slots: list[Slot],
    warnings: list[str],
) -> None:
    """Shard index partitions whose write peak would pass 1,000 writes per second."""
    for slot in slots:
        for code, layout in sorted(slot.layouts.items()):
            entity = entities[code]
            peak = _write_peak(valid, needs, entity)
            shards = cap.shards_needed(peak, cap.partitions(entity, layout, entities))
            if shards <= 1:
                continue
            if slot.kind != "gsi" or any(n.include for n in slot.needs.get(code, [])):
                warnings.append(
                    f"{entity.name}: {slot.name} partitions take about {peak:,.0f} writes per "
                    "second at peak, above 1,000 per partition; key it by a finer attribute"
                )
                continue
            slot.layouts[code] = replace(layout, shards=shards)
            warnings.append(
                f"{entity.name}: {slot.name} partition written about {peak:,.0f} times per second "
                f"at peak; sharded into {shards} (reads query every shard and merge)"
            )


def _capacity(
    valid: ValidDesign,
    need: Need,
    entity: Entity,
    layout: Layout,
    entities: dict[str, Entity],
    slots: list[Slot],
    operation: Operation,
) -> cap.Capacity:
    monthly = valid.traffic.monthly.get(need.element_id, 0.0)
    peak = valid.traffic.peak_per_second.get(need.element_id, 0.0)
    if need.reading:
        items = cap.items_per_call(need, entity, layout, entities)
        size = (
            entity.item_size_kb
            if not need.include
            else (
                sum(entities[c].item_size_kb * entities[c].item_count for c in need.include)
                / max(1, entity.item_count)
                + entity.item_size_kb
            )
            / max(items, 1)
        )
        units = cap.read_units(items, size, need.strong) * max(1, layout.shards)
        if need.batch:
            # BatchGetItem charges each item as its own GetItem; a Query runs once per value
            items *= need.batch
            units *= need.batch
        unit = "RCU"
    else:
        items = 1.0
        copies = 1 + sum(1 for s in slots if s.kind != "table" and entity.code in s.layouts)
        units = cap.write_units(entity.item_size_kb, copies, operation.call == "TransactWriteItems")
        if operation.parent is not None:
            units += 2
        for part in operation.transact:
            if part.entity != entity.code:
                other = entities[part.entity]
                other_copies = 1 if part.kind == "ConditionCheck" else copies_of(other, slots)
                units += cap.write_units(other.item_size_kb, other_copies, True)
                items += 1
        unit = "WCU"
    return cap.Capacity(need.pattern, items, units, unit, monthly, units * monthly, peak)


def copies_of(entity: Entity, slots: list[Slot]) -> int:
    """How many copies a write of the entity's item makes: the table's and each index's."""
    return 1 + sum(1 for s in slots if s.kind != "table" and entity.code in s.layouts)


def _warn(
    valid: ValidDesign,
    needs: list[Need],
    entities: dict[str, Entity],
    slots: list[Slot],
    capacities: dict[str, cap.Capacity],
    warnings: list[str],
) -> None:
    for entity in entities.values():
        if entity.item_size_kb >= cap.NEAR_LIMIT_KB:
            warnings.append(
                f"{entity.name}: items of {entity.item_size_kb:g} KB are near the 400 KB item "
                "limit; move large attributes to S3 and keep a pointer"
            )
    for need in needs:
        capacity = capacities.get(need.pattern)
        if capacity is None or not need.reading:
            continue
        slot = next(s for s in slots if need.pattern in s.served)
        layout = slot.layouts[need.entity]
        spread = cap.partitions(entities[need.entity], layout, entities)
        per_partition = capacity.peak_per_second * capacity.units_per_call / spread
        if per_partition > cap.PARTITION_READS:
            warnings.append(
                f"{need.name}: about {per_partition:,.0f} reads per second at peak on one "
                f"partition of {slot.name}, above 3,000; cache it (DAX) or key it more finely"
            )
    if any(s.kind == "lsi" for s in slots):
        warnings.append(
            "local secondary indexes limit each partition key's items to 10 GB; watch item "
            "collections that grow without bound"
        )
