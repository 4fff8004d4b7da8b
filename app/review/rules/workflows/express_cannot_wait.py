"""An Express workflow asked to wait longer than Express can run."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import ApprovalStep, WaitStep, Workflow
from app.review.engine import Finding, ReviewContext, Rule


class ExpressCannotWait(Rule):
    """Flags Express workflows with approvals (task tokens), long waits or long durations."""

    id = "express-cannot-wait"
    title = "Express workflow that has to wait"
    severity = "error"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        limit_s = ctx.limit("stepfunctions.express_duration_s")
        for entry in ctx.valid.of_kind("steps"):
            workflow = entry.workflow
            if workflow is None or workflow.type != "express":
                continue
            step = entry.element
            if isinstance(step, ApprovalStep):
                yield self.finding(
                    ctx,
                    entry,
                    f"'{step.name}' waits for a person (task token), which Express "
                    "workflows do not support: make the workflow Standard",
                    "approval",
                )
            elif isinstance(step, WaitStep) and (step.wait.seconds or limit_s + 1) > limit_s:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{step.name}' may wait longer than the {limit_s:g} s an Express "
                    "execution can run: make the workflow Standard",
                    "wait",
                )
        for entry in ctx.valid.of_kind("workflows"):
            flow = entry.element
            assert isinstance(flow, Workflow)
            if flow.type == "express" and flow.workload.p99 / 1000 > limit_s:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{flow.name}' runs up to {flow.workload.p99 / 1000:g} s; "
                    f"Express executions stop at {limit_s:g} s",
                    "type",
                )
