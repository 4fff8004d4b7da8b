"""A workflow step with retries turned off."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import ResilientStep
from app.review.engine import Finding, ReviewContext, Rule


class StepRetryOff(Rule):
    """Flags steps whose design turns retries off (``retry: false``)."""

    id = "step-retry-off"
    title = "Workflow step without retry"
    severity = "warning"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("steps"):
            step = entry.element
            if isinstance(step, ResilientStep) and step.retry is False:
                caught = " and nothing catches its failure" if not step.on_error else ""
                yield self.finding(
                    ctx,
                    entry,
                    f"'{step.name}' does not retry{caught}: one throttle or timeout fails the step",
                    "retry",
                )
