"""A consumer with its dead-letter queue turned off."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class ConsumerWithoutDlq(Rule):
    """Flags policies and sources whose design turns the dead-letter queue off."""

    id = "consumer-without-dlq"
    title = "Consumer without a dead-letter queue"
    severity = "error"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for kind in ("policies", "sources"):
            for entry in ctx.valid.of_kind(kind):
                if entry.element.workload.overrides.dead_letter_queue is False:  # type: ignore[attr-defined]
                    yield self.finding(
                        ctx,
                        entry,
                        f"'{entry.element.name}' has no dead-letter queue: a message "
                        "that keeps failing is lost without a trace",
                        "workload",
                        "overrides",
                        "dead_letter_queue",
                    )
