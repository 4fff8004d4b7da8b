"""A read model that says nothing about how it reads."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import ReadModel
from app.review.engine import Finding, ReviewContext, Rule


class ReadModelWithoutAccessPatterns(Rule):
    """Flags read models with no access pattern: the table plan cannot serve them."""

    id = "read-model-without-access-patterns"
    title = "Read model without access patterns"
    severity = "warning"
    topic = "data"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("read_models"):
            model = entry.element
            assert isinstance(model, ReadModel)
            if not model.access_patterns:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{model.name}' has no access pattern, so the table plan has no key for it",
                    "access_patterns",
                )
