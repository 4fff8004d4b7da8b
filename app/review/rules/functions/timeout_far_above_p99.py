"""A timeout set far above how long the work takes."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class TimeoutFarAboveP99(Rule):
    """Flags timeout overrides many times the p99 duration: hung calls then run (and bill) long."""

    id = "timeout-far-above-p99"
    title = "Timeout far above the p99 duration"
    severity = "warning"
    topic = "functions"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        ratio = self.threshold("ratio")
        slack_s = self.threshold("min_slack_s")
        for entry, workload in ctx.function_workloads:
            timeout = workload.overrides.timeout_s
            if timeout is None:
                continue
            p99_s = workload.p99 / 1000
            if timeout > ratio * p99_s and timeout - p99_s > slack_s:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{entry.element.name}' times out after {timeout} s but its p99 "
                    f"is {p99_s:g} s: a hung call runs (and bills) {timeout / p99_s:.0f}× longer "
                    "than needed",
                    "workload",
                    "overrides",
                    "timeout_s",
                )
