"""An access pattern the table plan cannot serve."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, cast

from app.review.engine import Finding, ReviewContext, Rule


class Unserved(Protocol):
    element_id: str
    name: str
    reason: str
    fix: str


class PlanWithGaps(Protocol):
    """What this rule reads from the table plan: the patterns it could not place."""

    unserved: Sequence[Unserved]


class UnservedAccessPattern(Rule):
    """Reports each access pattern the table planner could not map to one operation."""

    id = "unserved-access-pattern"
    title = "Access pattern the table plan cannot serve"
    severity = "warning"
    topic = "data"
    needs = ("table_plan",)

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        plan = cast(PlanWithGaps, ctx.provided["table_plan"])
        for gap in plan.unserved:
            entry = ctx.valid.entries.get(gap.element_id)
            yield self.finding(
                ctx, entry, f"the table plan cannot serve '{gap.name}': {gap.reason}; {gap.fix}"
            )
