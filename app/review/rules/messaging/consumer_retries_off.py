"""A consumer with retries turned off."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class ConsumerRetriesOff(Rule):
    """Flags policies, sources and schedules whose design turns retries off."""

    id = "consumer-retries-off"
    title = "Consumer with retries turned off"
    severity = "warning"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for kind in ("policies", "sources", "schedules"):
            for entry in ctx.valid.of_kind(kind):
                if entry.element.workload.overrides.retries is False:  # type: ignore[attr-defined]
                    yield self.finding(
                        ctx,
                        entry,
                        f"'{entry.element.name}' does not retry: one throttle or "
                        "timeout drops the message",
                        "workload",
                        "overrides",
                        "retries",
                    )
