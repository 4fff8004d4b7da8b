"""An event no policy reacts to."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class EventWithoutConsumer(Rule):
    """Flags events that no policy in the design consumes."""

    id = "event-without-consumer"
    title = "Event nobody consumes"
    severity = "warning"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("events"):
            if entry.id not in ctx.policies_by_event:
                yield self.finding(
                    ctx,
                    entry,
                    f"no policy reacts to '{entry.element.name}'; "
                    "add the policy that needs it, or accept it as published for outside consumers",
                )
