"""An event larger than EventBridge accepts."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Event
from app.review.engine import Finding, ReviewContext, Rule


class EventOverEventbridgeLimit(Rule):
    """Flags events whose size is over EventBridge's event size limit."""

    id = "event-over-eventbridge-limit"
    title = "Event larger than EventBridge accepts"
    severity = "error"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        limit = ctx.limit("eventbridge.event_kb")
        for entry in ctx.valid.of_kind("events"):
            event = entry.element
            assert isinstance(event, Event)
            if event.size_kb > limit:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{event.name}' is {event.size_kb:g} KB; EventBridge takes at "
                    f"most {limit:g} KB: put the payload in S3 and send a reference (claim check)",
                    "size_kb",
                )
