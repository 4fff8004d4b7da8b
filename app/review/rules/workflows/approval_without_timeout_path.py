"""An approval whose timeout fails the whole execution."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import ApprovalStep
from app.review.engine import Finding, ReviewContext, Rule


class ApprovalWithoutTimeoutPath(Rule):
    """Flags approvals with no ``on_timeout`` step: nobody answering fails the execution."""

    id = "approval-without-timeout-path"
    title = "Approval without a timeout path"
    severity = "warning"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("steps"):
            step = entry.element
            if isinstance(step, ApprovalStep) and step.approval.on_timeout is None:
                yield self.finding(
                    ctx,
                    entry,
                    f"when nobody answers '{step.name}' within "
                    f"{step.approval.timeout_s:,} s the execution fails: name an on_timeout "
                    "step (escalate, remind or cancel)",
                    "approval",
                    "on_timeout",
                )
