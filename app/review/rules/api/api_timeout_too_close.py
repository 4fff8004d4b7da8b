"""An API function whose timeout leaves API Gateway no margin."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class ApiTimeoutTooClose(Rule):
    """Flags routed functions whose timeout is not well below API Gateway's integration timeout."""

    id = "api-timeout-too-close"
    title = "API function timeout too close to API Gateway's"
    severity = "error"
    topic = "api"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        api = ctx.design.settings.api.type
        limit = ctx.limit(f"apigateway.{api}_timeout_s")
        margin = self.threshold("margin_s")
        for entry in ctx.functions:
            element = entry.element
            timeout = element.workload.overrides.timeout_s  # type: ignore[attr-defined]
            if element.route and timeout is not None and timeout > limit - margin:  # type: ignore[attr-defined]
                yield self.finding(
                    ctx,
                    entry,
                    f"'{element.name}' may run {timeout} s, but the {api.upper()} "
                    f"API gives up after {limit:g} s; keep it at most {limit - margin:g} s so "
                    "the client gets the function's own error",
                    "workload",
                    "overrides",
                    "timeout_s",
                )
