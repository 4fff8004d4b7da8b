"""The single table's usage: read and write request units, index write amplification, storage.

Capacity comes from the table plan (``app.generators.table``): per access pattern, the request
units of one call (consistency, items per page and the copies every index holds included) and
the calls a month. ``table_capacity`` adds what the plan does not see: commands that write their
aggregate without naming a write pattern, and workflow steps that call DynamoDB directly; those
are sized here from the item size and the number of indexes the plan gives the entity.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.generators.cost.pricer import UsageLine
from app.generators.cost.resources import context_of
from app.generators.table.plan import TablePlan
from app.model import ValidDesign
from app.model.elements import AccessPattern, Aggregate, Command
from app.model.workflow import ServiceStep

if TYPE_CHECKING:
    from app.generators.cost.basis import UsageBasis
    from app.generators.cost.usage import WhatIf

ITEM_OVERHEAD_KB = 0.1
"""Storage DynamoDB adds per item and per index entry (about 100 bytes)."""
TARGET_UTILISATION = 0.7
"""Provisioned capacity is sized for the peak at 70% utilisation (auto scaling's default)."""
TABLE = "Table"


@dataclass(frozen=True)
class CapacityUse:
    """Reads or writes of one pattern (or command, or step) per month and at peak."""

    resource: str
    context: str
    kind: str
    """``read`` or ``write``."""
    requests: float
    peak_per_second: float
    units_per_request: float
    """Read or write request units one request consumes."""


def read_units(size_kb: float, strong: bool) -> float:
    """Request units of one read: 4 KB units, half for an eventually consistent read."""
    return math.ceil(size_kb / 4 - 1e-9) * (1.0 if strong else 0.5)


def write_units(size_kb: float, copies: int) -> float:
    """Request units of one write: 1 KB units, once per copy (the table and each index)."""
    return math.ceil(size_kb - 1e-9) * copies


def copies_of(plan: TablePlan) -> dict[str, int]:
    """How many copies of each entity's items the table keeps: the table and each index the
    entity has a layout in (a write to an item writes every copy)."""
    return {code: sum(1 for slot in plan.slots if code in slot.layouts) for code in plan.entities}


def table_capacity(valid: ValidDesign, plan: TablePlan) -> list[CapacityUse]:
    """Capacity per access pattern (from the table plan), per command writing its aggregate
    without a write pattern, and per workflow step calling DynamoDB, at 1× traffic."""
    copies = copies_of(plan)
    traffic = valid.traffic
    found = []
    for entry in valid.of_kind("access_patterns"):
        code = valid.code(entry.element)
        capacity = plan.capacity.get(code)
        if capacity is not None:
            kind = "read" if capacity.unit == "RCU" else "write"
            found.append(
                CapacityUse(
                    code,
                    context_of(valid, entry),
                    kind,
                    capacity.calls_per_month,
                    capacity.peak_per_second,
                    capacity.units_per_call,
                )
            )
    for entry in valid.of_kind("commands"):
        command = entry.element
        assert isinstance(command, Command)
        target = valid.target(command, "aggregate")
        writes = [
            p
            for p in valid.targets(command, "access_patterns")
            if isinstance(p.element, AccessPattern) and p.element.action != "read"
        ]
        if target is None or writes or not isinstance(target.element, Aggregate):
            continue
        units = write_units(target.element.item_size_kb, copies.get(valid.code(target.element), 1))
        found.append(
            CapacityUse(
                valid.code(command),
                context_of(valid, entry),
                "write",
                traffic.of(entry.id),
                traffic.peak_per_second.get(entry.id, 0.0),
                units,
            )
        )
    for entry in valid.of_kind("steps"):
        step = entry.element
        if not isinstance(step, ServiceStep) or not step.service.startswith("dynamodb:"):
            continue
        target = valid.target(step, "target")
        if target is None or not isinstance(target.element, Aggregate):
            continue
        reading = step.service == "dynamodb:getItem"
        size = target.element.item_size_kb
        units = (
            read_units(size, strong=False)
            if reading
            else write_units(size, copies.get(valid.code(target.element), 1))
        )
        workflow = valid.code(entry.workflow) if entry.workflow else ""
        found.append(
            CapacityUse(
                f"{workflow}.{valid.code(step)}",
                context_of(valid, entry),
                "read" if reading else "write",
                traffic.attempts.get(entry.id, traffic.of(entry.id)),
                traffic.peak_per_second.get(entry.id, 0.0),
                units,
            )
        )
    return found


def storage_kb(valid: ValidDesign, plan: TablePlan) -> float:
    """Table and index storage at the end of the month: items (with a month's growth) times
    their size, once per copy."""
    copies = copies_of(plan)
    total = 0.0
    for entry in valid.of_kind("aggregates"):
        aggregate = entry.element
        assert isinstance(aggregate, Aggregate)
        items = aggregate.item_count + aggregate.growth_per_month
        total += (
            items
            * (aggregate.item_size_kb + ITEM_OVERHEAD_KB)
            * copies.get(valid.code(aggregate), 1)
        )
    return total


def table_lines(
    basis: UsageBasis, what_if: WhatIf, scaled: bool | None = None
) -> Iterator[UsageLine]:
    """Request units (on-demand) or capacity hours (provisioned), and storage (``scaled``:
    see ``design_usage``; on-demand request units scale with the traffic, capacity sized for
    the peak and storage do not)."""
    if not basis.has_table:
        return
    k = what_if.traffic
    uses = basis.capacity
    if what_if.table_capacity == "provisioned":
        if scaled is True:
            return
        for kind, usage_type, unit in (
            ("read", "read-capacity-units", "RCU"),
            ("write", "write-capacity-units", "WCU"),
        ):
            peak = sum(u.peak_per_second * k * u.units_per_request for u in uses if u.kind == kind)
            capacity = max(1, math.ceil(peak / TARGET_UTILISATION - 1e-9))
            yield UsageLine("dynamodb", usage_type, capacity, unit, resource=TABLE)
    elif scaled is not False:
        for use in uses:
            if use.requests <= 0:
                continue
            reading = use.kind == "read"
            yield UsageLine(
                "dynamodb",
                "read-request-units" if reading else "write-request-units",
                use.requests * k,
                "reads" if reading else "writes",
                factor=use.units_per_request,
                resource=f"{TABLE} {use.resource}",
                context=use.context,
            )
    if basis.storage_kb > 0 and scaled is not True:
        yield UsageLine("dynamodb", "storage", basis.storage_kb, "KB", resource=TABLE)
