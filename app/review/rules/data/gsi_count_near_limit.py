"""A table plan that needs nearly as many GSIs as a table may have."""

from __future__ import annotations

from collections.abc import Iterator, Sized
from typing import Protocol, cast

from app.review.engine import Finding, ReviewContext, Rule


class IndexedPlan(Protocol):
    """What this rule reads from the table plan: its global secondary indexes."""

    gsis: Sized


class GsiCountNearLimit(Rule):
    """Flags table plans whose GSI count comes close to the per-table quota."""

    id = "gsi-count-near-limit"
    title = "GSI count near the limit"
    severity = "warning"
    topic = "data"
    needs = ("table_plan",)

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        plan = cast(IndexedPlan, ctx.provided["table_plan"])
        count = len(plan.gsis)
        limit = ctx.limit("dynamodb.gsi_per_table")
        if count >= self.threshold("share") * limit:
            yield self.finding(
                ctx,
                None,
                f"the table plan needs {count} global secondary indexes of the "
                f"{limit:g} a table may have: overload indexes or move rare patterns elsewhere",
            )
