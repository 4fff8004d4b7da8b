"""An access pattern that can only be served by reading the whole entity."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import AccessPattern, Aggregate
from app.review.engine import Finding, ReviewContext, Rule


class ScanAccessPattern(Rule):
    """Flags reads with no key equality, filter or sparse attribute on a large entity."""

    id = "scan-access-pattern"
    title = "Access pattern that needs a Scan"
    severity = "error"
    topic = "data"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        large = self.threshold("large_entity_items")
        for entry in ctx.valid.of_kind("access_patterns"):
            pattern = entry.element
            assert isinstance(pattern, AccessPattern)
            entity = ctx.valid.target(pattern, "entity")
            if pattern.action != "read" or pattern.by or pattern.filters or pattern.exists:
                continue
            if entity is None or not isinstance(entity.element, Aggregate):
                continue
            if entity.element.item_count > large:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{pattern.name}' names no key ('by'), filter or 'exists' on "
                    f"'{entity.element.name}' ({entity.element.item_count:,} items): it reads "
                    "them all; narrow it by an attribute",
                    "by",
                )
