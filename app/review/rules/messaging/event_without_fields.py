"""An event that carries no data."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Event
from app.review.engine import Finding, ReviewContext, Rule


class EventWithoutFields(Rule):
    """Flags events with no fields: consumers cannot tell which thing happened."""

    id = "event-without-fields"
    title = "Event with no fields"
    severity = "warning"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("events"):
            event = entry.element
            assert isinstance(event, Event)
            if not event.fields:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{event.name}' has no fields: its schema, samples and "
                    "consumers have nothing to go on",
                    "fields",
                )
