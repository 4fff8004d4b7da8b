"""A queue or stream consumer with idempotency turned off."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule

PATH = ("workload", "overrides", "idempotency")


class ConsumerWithoutIdempotency(Rule):
    """Flags policies, sources and their consumer commands that turn idempotency off."""

    id = "consumer-without-idempotency"
    title = "Consumer without idempotency"
    severity = "error"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        valid = ctx.valid
        consumers = []
        for kind, field in (("policies", "command"), ("sources", "consumer")):
            for entry in valid.of_kind(kind):
                consumers.append(entry)
                command = valid.target(entry.element, field)
                if command is not None:
                    consumers.append(command)
        seen: set[str] = set()
        for entry in consumers:
            workload = getattr(entry.element, "workload", None)
            if entry.id in seen or workload is None or workload.overrides.idempotency is not False:
                continue
            seen.add(entry.id)
            yield self.finding(
                ctx,
                entry,
                f"'{entry.element.name}' receives at-least-once deliveries but turns "
                "idempotency off: a redelivered message repeats its effect",
                *PATH,
            )
