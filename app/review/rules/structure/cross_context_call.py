"""A direct call from one bounded context into another."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class CrossContextCall(Rule):
    """Flags direct calls whose caller and callee live in different bounded contexts."""

    id = "cross-context-call"
    title = "Call across bounded contexts that bypasses events"
    severity = "warning"
    topic = "structure"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("calls"):
            caller = ctx.valid.target(entry.element, "caller")
            callee = ctx.valid.target(entry.element, "callee")
            if caller is None or callee is None or caller.context is callee.context:
                continue
            assert caller.context is not None and callee.context is not None
            yield self.finding(
                ctx,
                entry,
                f"'{caller.context.name}' calls into '{callee.context.name}' "
                "directly: the contexts now deploy and fail together; publish an event instead",
                "callee",
            )
