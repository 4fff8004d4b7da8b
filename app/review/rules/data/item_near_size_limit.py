"""Items close to DynamoDB's 400 KB ceiling."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Aggregate
from app.review.engine import Finding, ReviewContext, Rule


class ItemNearSizeLimit(Rule):
    """Flags entities whose items come close to DynamoDB's item size limit."""

    id = "item-near-size-limit"
    title = "Items near the 400 KB limit"
    severity = "warning"
    topic = "data"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        limit = ctx.limit("dynamodb.item_kb")
        share = self.threshold("share")
        for entry in ctx.valid.of_kind("aggregates"):
            aggregate = entry.element
            assert isinstance(aggregate, Aggregate)
            if aggregate.item_size_kb >= share * limit:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{aggregate.name}' items are {aggregate.item_size_kb:g} KB, "
                    f"close to DynamoDB's {limit:g} KB: keep large parts in S3 and split "
                    "growing lists into child items",
                    "item_size_kb",
                )
