"""A policy delivered straight from the bus to a function, without a queue."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Policy
from app.review.engine import Finding, ReviewContext, Rule


class PolicyWithoutQueue(Rule):
    """Flags command policies whose design chose direct delivery over the default queue."""

    id = "policy-without-queue"
    title = "Policy delivered without a queue"
    severity = "warning"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("policies"):
            policy = entry.element
            assert isinstance(policy, Policy)
            if policy.delivery == "direct" and policy.command is not None:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{policy.name}' invokes its function straight from the bus: no "
                    "buffering against throttles, no batching, no redrive",
                    "delivery",
                )
