"""Read and write units per pattern per month, hot-partition checks, and write sharding."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.generators.table.keys import Entity
from app.generators.table.layouts import Layout
from app.generators.table.needs import Need

PARTITION_READS = 3000.0
PARTITION_WRITES = 1000.0
SHARD_HEADROOM = 0.8
ITEM_LIMIT_KB = 400.0
NEAR_LIMIT_KB = 350.0
UNKNOWN_SPREAD = 10
"""Items assumed per value of an attribute whose cardinality the design does not say."""


@dataclass(frozen=True)
class Capacity:
    """Units one pattern consumes: per call, per month, and its peak rate."""

    pattern: str
    items_per_call: float
    units_per_call: float
    unit: str  # RCU | WCU
    calls_per_month: float
    units_per_month: float
    peak_per_second: float

    def to_json(self) -> dict[str, object]:
        return {
            "items_per_call": round(self.items_per_call, 3),
            "units_per_call": round(self.units_per_call, 3),
            "unit": self.unit,
            "calls_per_month": round(self.calls_per_month, 3),
            "units_per_month": round(self.units_per_month, 3),
            "peak_per_second": round(self.peak_per_second, 6),
        }


def partitions(entity: Entity, layout: Layout, entities: dict[str, Entity]) -> float:
    """How many distinct partition values the entity's items spread over in one layout."""
    count = 1.0
    for attribute in layout.partition:
        owner = next((e for e in entities.values() if e.ids == (attribute,)), None)
        field = entity.attributes.get(attribute)
        if owner is not None:
            count *= max(1, owner.item_count)
        elif field is not None and field.type == "enum" and field.values:
            count *= len(field.values)
        elif field is not None and field.type == "boolean":
            count *= 2
        else:
            count *= max(1.0, entity.item_count / UNKNOWN_SPREAD)
    return max(1.0, min(count, max(1, entity.item_count))) * layout.shards


PAGE_KB = 1024.0
"""A Query reads at most 1 MB per call; longer results take more calls (pages)."""


def items_per_call(
    need: Need, entity: Entity, layout: Layout, entities: dict[str, Entity]
) -> float:
    """Items one call reads: one page at most."""
    return min(_items(need, entity, layout, entities), max(1.0, PAGE_KB / entity.item_size_kb))


def _items(need: Need, entity: Entity, layout: Layout, entities: dict[str, Entity]) -> float:
    if need.include:
        own = max(1, entity.item_count)
        return 1 + sum(entities[c].item_count / own for c in need.include)
    if not need.many:
        return 1.0
    return max(1.0, entity.item_count / partitions(entity, layout, entities))


def read_units(items: float, size_kb: float, strong: bool) -> float:
    return math.ceil(max(items * size_kb, 0.001) / 4) * (1.0 if strong else 0.5)


def write_units(size_kb: float, copies: int, transactional: bool) -> float:
    return math.ceil(size_kb) * copies * (2 if transactional else 1)


def shards_needed(write_peak_units: float, spread: float) -> int:
    """Shards a partition needs so none takes more than 80% of 1,000 writes per second."""
    per_partition = write_peak_units / max(spread, 1.0)
    if per_partition <= PARTITION_WRITES:
        return 1
    return math.ceil(per_partition / (PARTITION_WRITES * SHARD_HEADROOM))
