"""Work in a function that runs close to Lambda's 15-minute ceiling."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class FunctionNearMaxDuration(Rule):
    """Flags functions whose p99 duration comes close to Lambda's maximum timeout."""

    id = "function-near-max-duration"
    title = "Function close to the 15-minute limit"
    severity = "warning"
    topic = "functions"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        ceiling_s = ctx.limit("lambda.max_timeout_s")
        share = self.threshold("share")
        for entry, workload in ctx.function_workloads:
            if workload.compute == "function" and workload.p99 / 1000 >= share * ceiling_s:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{entry.element.name}' takes up to {workload.p99 / 1000:g} s "
                    f"at p99, close to Lambda's {ceiling_s:g} s: run it in a container "
                    "(compute: container) or split it into workflow steps",
                    "workload",
                    "p99_ms",
                )
