"""A batch of messages larger than one synchronous Lambda invocation carries."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Event, Policy, Source
from app.review.engine import Finding, ReviewContext, Rule


class BatchOverInvokeLimit(Rule):
    """Flags queue policies and stream sources whose full batch exceeds Lambda's sync payload."""

    id = "batch-over-invoke-limit"
    title = "Batch larger than a Lambda invocation carries"
    severity = "error"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        limit = ctx.limit("lambda.sync_payload_kb")
        for entry in ctx.valid.of_kind("policies"):
            policy = entry.element
            assert isinstance(policy, Policy)
            event = ctx.valid.target(policy, "event")
            if policy.delivery != "queue" or event is None or policy.command is None:
                continue
            assert isinstance(event.element, Event)
            total = policy.batch_size * event.element.size_kb
            if total > limit:
                yield self.finding(
                    ctx, entry, self.message(policy.batch_size, total, limit), "batch_size"
                )
        for entry in ctx.valid.of_kind("sources"):
            source = entry.element
            assert isinstance(source, Source)
            total = source.batch_size * source.workload.payload_kb
            if source.kind != "bucket" and total > limit:
                yield self.finding(
                    ctx, entry, self.message(source.batch_size, total, limit), "batch_size"
                )

    @staticmethod
    def message(size: int, total: float, limit: float) -> str:
        return (
            f"a full batch of {size} is {total:g} KB; a synchronous Lambda invocation "
            f"carries at most {limit:g} KB: lower batch_size"
        )
