"""A latency-sensitive function whose cold start would break its latency budget."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class ColdStartBreaksBudget(Rule):
    """Flags latency-sensitive functions without provisioned concurrency whose p99 plus a cold
    start exceeds the latency budget."""

    id = "cold-start-breaks-budget"
    title = "Cold start breaks the latency budget"
    severity = "warning"
    topic = "functions"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        cold_ms = self.threshold("cold_start_ms")
        budget_ms = self.threshold("latency_budget_ms")
        for entry, workload in ctx.function_workloads:
            if not workload.latency_sensitive or workload.overrides.provisioned_concurrency:
                continue
            worst = workload.p99 + cold_ms
            if worst > budget_ms:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{entry.element.name}' is latency-sensitive: p99 "
                    f"{workload.p99:g} ms plus a cold start of about {cold_ms} ms is {worst:g} ms, "
                    f"over the {budget_ms} ms budget; add provisioned concurrency",
                    "workload",
                    "overrides",
                    "provisioned_concurrency",
                )
