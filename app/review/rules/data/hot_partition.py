"""An access pattern whose peak rate would overload one partition."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import AccessPattern, Aggregate
from app.model.validate import identifiers_of
from app.review.engine import Finding, ReviewContext, Rule


class HotPartition(Rule):
    """Flags patterns over a partition's throughput unless their key is the item's own identity
    (which spreads the load over every item)."""

    id = "hot-partition"
    title = "Hot partition"
    severity = "warning"
    topic = "data"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        writes = ctx.limit("dynamodb.partition_writes_per_s")
        reads = ctx.limit("dynamodb.partition_reads_per_s")
        for entry in ctx.valid.of_kind("access_patterns"):
            pattern = entry.element
            assert isinstance(pattern, AccessPattern)
            entity = ctx.valid.target(pattern, "entity")
            if entity is None or not isinstance(entity.element, Aggregate):
                continue
            identity = identifiers_of(entity.element, ctx.valid.code(entity.element))
            if pattern.by and set(identity) <= set(pattern.by):
                continue
            peak = ctx.valid.traffic.peak_per_second.get(entry.id, 0.0)
            limit = reads if pattern.action == "read" else writes
            if peak > limit:
                what = "reads" if pattern.action == "read" else "writes"
                yield self.finding(
                    ctx,
                    entry,
                    f"'{pattern.name}' peaks at {peak:,.0f} {what}/s on keys shared "
                    f"by many items; one partition serves about {limit:,.0f}/s: shard the key "
                    "or cache the reads",
                    "by",
                )
