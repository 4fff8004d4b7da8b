"""Workflow data larger than Step Functions passes between states."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import TaskStep
from app.review.engine import Finding, ReviewContext, Rule


class WorkflowPayloadOverLimit(Rule):
    """Flags workflows and task steps whose payload is over Step Functions' state size limit."""

    id = "workflow-payload-over-limit"
    title = "Workflow payload over the Step Functions limit"
    severity = "error"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        limit = ctx.limit("stepfunctions.payload_kb")
        candidates = [
            *ctx.valid.of_kind("workflows"),
            *(e for e in ctx.valid.of_kind("steps") if isinstance(e.element, TaskStep)),
        ]
        for entry in candidates:
            payload = entry.element.workload.payload_kb  # type: ignore[attr-defined]
            if payload > limit:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{entry.element.name}' carries {payload:g} KB; Step Functions "
                    f"passes at most {limit:g} KB between states: keep the data in S3 or "
                    "DynamoDB and pass its key",
                    "workload",
                    "payload_kb",
                )
