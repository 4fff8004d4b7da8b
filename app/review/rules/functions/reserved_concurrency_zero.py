"""A function reserved zero concurrency: it can never run."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class ReservedConcurrencyZero(Rule):
    """Flags reserved concurrency 0, which throttles every invocation."""

    id = "reserved-concurrency-zero"
    title = "Reserved concurrency of zero"
    severity = "error"
    topic = "functions"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry, workload in ctx.function_workloads:
            if workload.overrides.reserved_concurrency == 0:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{entry.element.name}' reserves 0 concurrency: every invocation is throttled",
                    "workload",
                    "overrides",
                    "reserved_concurrency",
                )
