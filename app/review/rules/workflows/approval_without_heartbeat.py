"""A long approval without a heartbeat."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import ApprovalStep
from app.review.engine import Finding, ReviewContext, Rule


class ApprovalWithoutHeartbeat(Rule):
    """Flags approvals that may wait long without a heartbeat to notice a lost token."""

    id = "approval-without-heartbeat"
    title = "Long approval without heartbeat"
    severity = "info"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        long_s = self.threshold("long_timeout_s")
        for entry in ctx.valid.of_kind("steps"):
            step = entry.element
            if (
                isinstance(step, ApprovalStep)
                and step.approval.heartbeat_s is None
                and step.approval.timeout_s > long_s
            ):
                yield self.finding(
                    ctx,
                    entry,
                    f"'{step.name}' may wait {step.approval.timeout_s:,} s with no "
                    "heartbeat: a lost notification goes unnoticed until the timeout",
                    "approval",
                    "heartbeat_s",
                )
