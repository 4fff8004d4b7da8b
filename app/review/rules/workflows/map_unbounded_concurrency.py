"""A Map step over many items with no concurrency limit."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import MapStep
from app.review.engine import Finding, ReviewContext, Rule


class MapUnboundedConcurrency(Rule):
    """Flags Map steps with ``max_concurrency: 0`` (no limit) over large item sets."""

    id = "map-unbounded-concurrency"
    title = "Map without a concurrency limit"
    severity = "warning"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        many = self.threshold("many_items")
        for entry in ctx.valid.of_kind("steps"):
            step = entry.element
            if (
                isinstance(step, MapStep)
                and step.map.max_concurrency == 0
                and step.map.items_per_execution > many
            ):
                yield self.finding(
                    ctx,
                    entry,
                    f"'{step.name}' runs {step.map.items_per_execution:,.0f} items "
                    "with no concurrency limit: the functions and tables downstream get "
                    "throttled; set max_concurrency",
                    "map",
                    "max_concurrency",
                )
