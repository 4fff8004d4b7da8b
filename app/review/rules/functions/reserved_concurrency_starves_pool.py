"""Reserved concurrency that leaves the account's other functions too little."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class ReservedConcurrencyStarvesPool(Rule):
    """Flags designs whose reservations leave less unreserved concurrency than Lambda requires."""

    id = "reserved-concurrency-starves-pool"
    title = "Reserved concurrency starves the account pool"
    severity = "error"
    topic = "functions"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        account = ctx.limit("lambda.account_concurrency")
        floor = ctx.limit("lambda.unreserved_minimum")
        total = sum(w.overrides.reserved_concurrency or 0 for _, w in ctx.function_workloads)
        if total > account - floor:
            yield self.finding(
                ctx,
                None,
                f"functions reserve {total} concurrent executions; of the default "
                f"{account:g} per account, {floor:g} must stay unreserved, so at most "
                f"{account - floor:g} can be reserved (raise the quota first)",
            )
