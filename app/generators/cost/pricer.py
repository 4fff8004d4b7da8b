"""Usage lines to dollars: metering (chunks, rounding, memory chunks), free tier, tiers.

Tiers and free tiers apply to an account's monthly usage of a usage type, so the pricer sums the
billable quantity of every line of one usage type, takes the free quantity off (shared within a
free-tier pool), prices the rest through the tiers and shares the dollars back among the lines in
proportion to their billable quantity.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from app.generators.cost.prices import PriceList, UsageType
from app.model.errors import DesignError, Problem

HOURS_PER_MONTH = 730.0
DATA_UNITS = {
    "bytes": 1.0,
    "B": 1.0,
    "KB": 1024.0,
    "MB": 1024.0**2,
    "GB": 1024.0**3,
    "TB": 1024.0**4,
}
"""Data sizes in bytes: 1 GB = 1,024 MB, as AWS's pricing examples count."""
COUNT_UNITS = frozenset(
    (
        "requests",
        "reads",
        "writes",
        "events",
        "messages",
        "invocations",
        "executions",
        "transitions",
        "notifications",
        "records",
        "traces",
        "RRU",
        "WRU",
        "metrics",
        "alarm-metrics",
        "alarms",
        "dashboards",
        "calls",
        "publishes",
    )
)
"""Units that count things one by one: a line in any of them fits a usage type counted in any
other (the usage type says what is counted; metering says how many billable units each is)."""
INSTANCE_UNITS = frozenset(("instances", "concurrency", "functions"))
_EPSILON = 1e-9
SHARED = "(shared)"
"""Where lines that belong to no bounded context (the table's storage, tracing) are totalled."""


UsageSums = dict[tuple[str, str], list[float]]
"""Per (service, usage type): the billable quantity of its lines, and the part of it eligible
for the free tier."""


class UsageLine(NamedTuple):
    """One quantity of one usage type, with what it is for and how each unit is metered.

    (A named tuple, not a frozen dataclass: a large design makes thousands per estimate, and a
    tuple is several times quicker to build.)"""

    service: str
    usage_type: str
    quantity: float
    unit: str
    resource: str = ""
    context: str = ""
    function: str = ""
    size_kb: float | None = None
    duration_ms: float | None = None
    memory_mb: float | None = None
    storage_mb: float | None = None
    hours: float | None = None
    factor: float = 1.0
    free_tier: bool = True
    note: str = ""
    label: str = ""


class PricedLine(NamedTuple):
    """A usage line with its billable quantity (in the usage type's unit), free share and cost."""

    line: UsageLine
    usage_type: UsageType
    billable: float
    free: float
    usd: float

    @property
    def unit_price(self) -> float:
        """The average price of one billable unit of this line after the free tier."""
        charged = self.billable - self.free
        return self.usd / charged if charged > _EPSILON else self.usage_type.unit_price


@dataclass(frozen=True, slots=True)
class TierBand:
    """The part of a usage type's monthly quantity priced in one tier."""

    service: str
    usage_type: str
    tier: int
    quantity: float
    price: float
    per: float
    usd: float


@dataclass(frozen=True)
class Priced:
    """Priced lines with their totals per service, bounded context and function."""

    region: str
    free_tier: bool
    lines: tuple[PricedLine, ...]
    total: float
    by_service: dict[str, float] = field(default_factory=dict)
    by_context: dict[str, float] = field(default_factory=dict)
    by_function: dict[str, float] = field(default_factory=dict)
    bands: tuple[TierBand, ...] = ()
    total_without_free_tier: float = 0.0

    @cached_property
    def sums(self) -> UsageSums:
        """The billable quantities of the lines per usage type (to price changes to them)."""
        return add_sums(
            {}, ((p.line, p.usage_type, p.billable) for p in self.lines), self.free_tier
        )


def payload_chunks(size_kb: float, chunk_kb: float, first_chunk_kb: float | None = None) -> int:
    """How many billable chunks one payload is: at least one; each started chunk counts."""
    first = first_chunk_kb or chunk_kb
    if size_kb <= first + _EPSILON:
        return 1
    return 1 + math.ceil((size_kb - first) / chunk_kb - _EPSILON)


def rounded_ms(duration_ms: float, round_ms: float | None, min_ms: float | None = None) -> float:
    """A duration rounded up to the billing increment, and at least the minimum."""
    if round_ms:
        duration_ms = math.ceil(duration_ms / round_ms - _EPSILON) * round_ms
    return max(duration_ms, min_ms or 0.0)


def billed_size_mb(size_mb: float, chunk_mb: float | None, free_mb: float = 0.0) -> float:
    """The billed memory or storage: less any free part, rounded up to whole chunks."""
    size = max(0.0, size_mb - free_mb)
    return math.ceil(size / chunk_mb - _EPSILON) * chunk_mb if chunk_mb else size


def tier_bands(quantity: float, usage_type: UsageType) -> list[TierBand]:
    """A monthly quantity split into the tiers it reaches (each ``upto`` is cumulative)."""
    bands, below = [], 0.0
    for i, tier in enumerate(usage_type.tiers):
        top = quantity if tier.upto is None else min(quantity, tier.upto)
        if top > below:
            bands.append(
                TierBand(
                    usage_type.service,
                    usage_type.name,
                    i,
                    top - below,
                    tier.price,
                    usage_type.per,
                    (top - below) * tier.price / usage_type.per,
                )
            )
            below = top
        if tier.upto is None or quantity <= tier.upto:
            break
    return bands


def tiered_cost(quantity: float, usage_type: UsageType) -> float:
    """The price of a monthly quantity through the tiers."""
    return sum(band.usd for band in tier_bands(quantity, usage_type))


def billable_quantity(line: UsageLine, ut: UsageType, hours_per_month: float) -> float:
    """The line's quantity in the usage type's unit, metered; ValueError when it cannot be."""
    metering = ut.metering
    quantity = line.quantity * line.factor
    if line.size_kb is not None and metering.chunk_kb:
        quantity *= payload_chunks(line.size_kb, metering.chunk_kb, metering.first_chunk_kb)
    unit, target = line.unit, ut.unit
    if unit == target or (unit in COUNT_UNITS and target in COUNT_UNITS):
        return quantity
    if target in ("GB-seconds", "GB-hours"):
        return (
            quantity
            * _gigabyte_seconds(line, ut, hours_per_month)
            / (3600.0 if target == "GB-hours" else 1.0)
        )
    if unit in DATA_UNITS and target in ("GB", "GB-months"):
        return quantity * DATA_UNITS[unit] / DATA_UNITS["GB"]
    base, _, per_time = target.rpartition("-")
    if per_time in ("hours", "minutes") and unit in (base, base + "s"):
        hours = line.hours if line.hours is not None else hours_per_month
        return quantity * hours * (60.0 if per_time == "minutes" else 1.0)
    raise ValueError(f"cannot turn {unit!r} into {target!r} for {ut.service} {ut.name}")


def _gigabyte_seconds(line: UsageLine, ut: UsageType, hours_per_month: float) -> float:
    """GB-seconds of one unit of the line: a request's duration, or an instance's hours."""
    metering = ut.metering
    if line.unit == "GB-seconds":
        return 1.0
    if line.unit == "GB-hours":
        return 3600.0
    size_mb = getattr(line, metering.size_attribute)
    if size_mb is None:
        raise ValueError(f"{ut.service} {ut.name} in {line.unit} needs {metering.size_attribute}")
    gigabytes = billed_size_mb(size_mb, metering.memory_chunk_mb, metering.free_size_mb) / 1024
    if line.unit in COUNT_UNITS and line.duration_ms is not None:
        seconds = rounded_ms(line.duration_ms, metering.round_ms, metering.min_ms) / 1000
    elif line.unit in INSTANCE_UNITS:
        seconds = (line.hours if line.hours is not None else hours_per_month) * 3600
    else:
        raise ValueError(
            f"{ut.service} {ut.name}: give duration_ms per {line.unit!r}, or count instances "
            "with hours, or the quantity in GB-seconds"
        )
    return gigabytes * seconds


def meter(
    lines: Sequence[UsageLine], prices: PriceList, hours_per_month: float = HOURS_PER_MONTH
) -> list[tuple[UsageLine, UsageType, float]]:
    """Each line with its usage type and billable quantity; DesignError locating every line
    that cannot be priced."""
    problems: list[Problem] = []
    metered: list[tuple[UsageLine, UsageType, float]] = []
    find = prices.usage_type
    # Metering is linear in the quantity: lines alike but for their quantity (most lines of a
    # design) share one billable quantity per unit.
    per_unit: dict[tuple[object, ...], tuple[UsageType, float]] = {}
    for i, line in enumerate(lines):
        key = (
            line.service,
            line.usage_type,
            line.unit,
            line.size_kb,
            line.duration_ms,
            line.memory_mb,
            line.storage_mb,
            line.hours,
        )
        known = per_unit.get(key)
        if known is None:
            ut = find(line.service, line.usage_type)
            if ut is None:
                problems.append(Problem(f"lines[{i}].usage_type", _unknown(prices, line)))
                continue
            try:
                one = line._replace(quantity=1.0, factor=1.0)
                known = per_unit[key] = (ut, billable_quantity(one, ut, hours_per_month))
            except ValueError as exc:
                problems.append(Problem(f"lines[{i}]", str(exc)))
                continue
        metered.append((line, known[0], line.quantity * line.factor * known[1]))
    if problems:
        raise DesignError(problems)
    return metered


def _free_quantity(
    ut: UsageType, eligible: float, pools: dict[tuple[str, str], float], expiring: bool
) -> float:
    """The free quantity a usage type gets from its pool, taking it out of the pool (none from
    a free tier that expires, unless ``expiring``)."""
    if ut.free is None or eligible <= 0 or (not expiring and ut.free.expires != "never"):
        return 0.0
    pool = (ut.service, ut.free.pool)
    left = pools.setdefault(pool, ut.free.quantity)
    used = min(left, eligible)
    pools[pool] = left - used
    return used


def price_lines(
    lines: Sequence[UsageLine],
    prices: PriceList,
    *,
    free_tier: bool = True,
    hours_per_month: float = HOURS_PER_MONTH,
    expiring: bool = True,
) -> Priced:
    """Price usage lines; DesignError locating every line that cannot be priced.

    ``free_tier``: take the free tier off; ``expiring``: including the free tiers that end a
    year after sign-up (API Gateway, S3), as AWS's worked examples do."""
    metered = meter(lines, prices, hours_per_month)
    groups: dict[tuple[str, str], list[int]] = {}
    for index, (line, _, _) in enumerate(metered):
        groups.setdefault((line.service, line.usage_type), []).append(index)
    pools: dict[tuple[str, str], float] = {}
    bands: list[TierBand] = []
    without_free = 0.0
    free_of = [0.0] * len(metered)
    usd_of = [0.0] * len(metered)
    for key in sorted(groups, key=prices.order.__getitem__):
        members = groups[key]
        ut = metered[members[0]][1]
        eligible = [i for i in members if free_tier and metered[i][0].free_tier]
        eligible_qty = sum(metered[i][2] for i in eligible)
        used = _free_quantity(ut, eligible_qty, pools, expiring)
        if used > 0:
            for i in eligible:
                free_of[i] = used * metered[i][2] / eligible_qty
        gross = sum(metered[i][2] for i in members)
        total_net = gross - used
        group_bands = tier_bands(total_net, ut)
        bands.extend(group_bands)
        cost = sum(band.usd for band in group_bands)
        without_free += tiered_cost(gross, ut) if used > _EPSILON else cost
        for i in members:
            share = metered[i][2] - free_of[i]
            usd_of[i] = cost * share / total_net if total_net > _EPSILON else 0.0
    priced = tuple(
        PricedLine(line, ut, qty, free_of[i], usd_of[i])
        for i, (line, ut, qty) in enumerate(metered)
    )
    return summarise(priced, prices.region, free_tier, tuple(bands), without_free)


def add_sums(
    sums: UsageSums,
    metered: Iterable[tuple[UsageLine, UsageType, float]],
    free_tier: bool,
    scale: float = 1.0,
) -> UsageSums:
    """Add metered lines (``scale`` times their billable quantity) to ``sums``."""
    for line, _, qty in metered:
        key = (line.service, line.usage_type)
        entry = sums.get(key)
        if entry is None:
            entry = sums[key] = [0.0, 0.0]
        entry[0] += qty * scale
        if free_tier and line.free_tier:
            entry[1] += qty * scale
    return sums


def price_sums(
    sums: UsageSums, prices: PriceList, *, free_tier: bool = True, expiring: bool = True
) -> Priced:
    """Totals per service of summed billable quantities: free tier (pools used up in catalog
    order), then tiers."""
    pools: dict[tuple[str, str], float] = {}
    by_service: dict[str, float] = {}
    without_free = 0.0
    for key in sorted(sums, key=prices.order.__getitem__):
        gross, eligible = sums[key]
        ut = prices.services[key[0]].usage_types[key[1]]
        used = _free_quantity(ut, eligible, pools, expiring)
        cost = tiered_cost(gross - used, ut)
        without_free += tiered_cost(gross, ut) if used > _EPSILON else cost
        by_service[key[0]] = by_service.get(key[0], 0.0) + cost
    return Priced(
        prices.region,
        free_tier,
        (),
        sum(by_service.values()),
        dict(sorted(by_service.items())),
        total_without_free_tier=without_free,
    )


def price_totals(
    lines: Sequence[UsageLine],
    prices: PriceList,
    *,
    free_tier: bool = True,
    hours_per_month: float = HOURS_PER_MONTH,
    expiring: bool = True,
) -> Priced:
    """The same prices as ``price_lines``, totals per service only (no lines): fast, for
    projections and for pricing a recommendation."""
    sums = add_sums({}, meter(lines, prices, hours_per_month), free_tier)
    return price_sums(sums, prices, free_tier=free_tier, expiring=expiring)


def summarise(
    priced: Iterable[PricedLine],
    region: str,
    free_tier: bool,
    bands: tuple[TierBand, ...] = (),
    without_free: float | None = None,
) -> Priced:
    """Totals of priced lines per service, context and function."""
    lines = tuple(priced)
    by_service: dict[str, float] = {}
    by_context: dict[str, float] = {}
    by_function: dict[str, float] = {}
    for p in lines:
        by_service[p.line.service] = by_service.get(p.line.service, 0.0) + p.usd
        context = p.line.context or SHARED
        by_context[context] = by_context.get(context, 0.0) + p.usd
        if p.line.function:
            by_function[p.line.function] = by_function.get(p.line.function, 0.0) + p.usd
    if set(by_context) == {SHARED}:
        by_context = {}
    total = sum(p.usd for p in lines)
    return Priced(
        region,
        free_tier,
        lines,
        total,
        dict(sorted(by_service.items())),
        dict(sorted(by_context.items())),
        dict(sorted(by_function.items())),
        bands,
        total if without_free is None else without_free,
    )


def _unknown(prices: PriceList, line: UsageLine) -> str:
    service = prices.services.get(line.service)
    if service is None:
        return (
            f"no prices for service {line.service!r} in {prices.region}; priced services: "
            f"{', '.join(prices.services)}"
        )
    return (
        f"no usage type {line.usage_type!r} for {line.service} in {prices.region}; "
        f"known: {', '.join(service.usage_types)}"
    )
