"""A queued message larger than SQS accepts."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Policy
from app.review.engine import Finding, ReviewContext, Rule


class QueueMessageOverSqsLimit(Rule):
    """Flags queue-delivered policies whose message payload is over SQS's message size limit."""

    id = "queue-message-over-sqs-limit"
    title = "Queued message larger than SQS accepts"
    severity = "error"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        limit = ctx.limit("sqs.message_kb")
        for entry in ctx.valid.of_kind("policies"):
            policy = entry.element
            assert isinstance(policy, Policy)
            if policy.delivery == "queue" and policy.workload.payload_kb > limit:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{policy.name}' queues {policy.workload.payload_kb:g} KB "
                    f"messages; SQS takes at most {limit:g} KB: store the payload in S3 and "
                    "queue a reference",
                    "workload",
                    "payload_kb",
                )
