"""A synchronous request larger than API Gateway or Lambda carries."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class SyncPayloadOverLimit(Rule):
    """Flags routed or directly called functions whose payload is over the synchronous limits."""

    id = "sync-payload-over-limit"
    title = "Synchronous payload over the service limits"
    severity = "error"
    topic = "api"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        lambda_kb = ctx.limit("lambda.sync_payload_kb")
        api_kb = ctx.limit("apigateway.payload_kb")
        called = {
            c.id
            for call in ctx.valid.of_kind("calls")
            if (c := ctx.valid.target(call.element, "callee")) is not None
        }
        for entry in ctx.functions:
            element = entry.element
            payload = element.workload.payload_kb  # type: ignore[attr-defined]
            routed = element.route is not None  # type: ignore[attr-defined]
            if not (routed or entry.id in called):
                continue
            limit, service = (
                (api_kb, "API Gateway")
                if routed and api_kb < lambda_kb
                else (lambda_kb, "a synchronous Lambda invocation")
            )
            if payload > limit:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{element.name}' takes {payload:g} KB; {service} carries at "
                    f"most {limit:g} KB: upload to S3 with a presigned URL and pass the key",
                    "workload",
                    "payload_kb",
                )
