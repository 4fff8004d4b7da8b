"""A payload larger than an asynchronous Lambda invocation carries."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Policy
from app.review.engine import Finding, ReviewContext, Rule


class AsyncPayloadOverLimit(Rule):
    """Flags directly delivered policies whose payload is over Lambda's asynchronous limit."""

    id = "async-payload-over-limit"
    title = "Asynchronous payload over the Lambda limit"
    severity = "error"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        limit = ctx.limit("lambda.async_payload_kb")
        for entry in ctx.valid.of_kind("policies"):
            policy = entry.element
            assert isinstance(policy, Policy)
            if policy.delivery == "direct" and policy.workload.payload_kb > limit:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{policy.name}' hands {policy.workload.payload_kb:g} KB to an asynchronous "
                    f"invocation, which carries at most {limit:g} KB: store the payload in S3 "
                    "and pass a reference",
                    "workload",
                    "payload_kb",
                )
