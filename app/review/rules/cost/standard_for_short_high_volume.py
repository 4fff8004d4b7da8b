"""A Standard workflow chosen for short, frequent executions."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import ApprovalStep, WaitStep, Workflow
from app.review.engine import Finding, ReviewContext, Rule


class StandardForShortHighVolume(Rule):
    """Flags workflows forced to Standard that run often and briefly, with no approval or long
    wait that only Standard supports."""

    id = "standard-for-short-high-volume"
    title = "Standard workflow for short, high-volume runs"
    severity = "warning"
    topic = "cost"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        volume = self.threshold("monthly_executions")
        express_s = ctx.limit("stepfunctions.express_duration_s")
        waiting = {
            s.workflow.id
            for s in ctx.valid.of_kind("steps")
            if s.workflow is not None
            and (
                isinstance(s.element, ApprovalStep)
                or (isinstance(s.element, WaitStep) and (s.element.wait.seconds or 0) >= express_s)
                or (isinstance(s.element, WaitStep) and s.element.wait.until is not None)
            )
        }
        for entry in ctx.valid.of_kind("workflows"):
            workflow = entry.element
            assert isinstance(workflow, Workflow)
            runs = ctx.valid.traffic.of(entry.id)
            if (
                workflow.type == "standard"
                and entry.id not in waiting
                and runs >= volume
                and workflow.workload.p99 / 1000 < express_s
            ):
                yield self.finding(
                    ctx,
                    entry,
                    f"'{workflow.name}' runs {runs:,.0f} times a month for under "
                    f"{express_s:g} s each; Express bills by duration, not per state transition, "
                    "and usually costs far less here",
                    "type",
                )
