"""An aggregate nothing writes, reads or relates to."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule

USES = (
    ("commands", "aggregate"),
    ("access_patterns", "entity"),
    ("access_patterns", "include"),
    ("aggregates", "relationships"),
    ("steps", "target"),
)


class UnusedAggregate(Rule):
    """Flags aggregates no command, access pattern, relationship or service step refers to."""

    id = "unused-aggregate"
    title = "Unused aggregate"
    severity = "info"
    topic = "data"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        used: set[str] = set()
        for kind, field in USES:
            for entry in ctx.valid.of_kind(kind):
                used.update(t.id for t in ctx.valid.targets(entry.element, field))
        for entry in ctx.valid.of_kind("aggregates"):
            if entry.id not in used:
                yield self.finding(
                    ctx,
                    entry,
                    f"no command, access pattern or relationship uses "
                    f"'{entry.element.name}': drop it or connect it",
                )
