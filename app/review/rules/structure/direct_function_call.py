"""One function calling another synchronously."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class DirectFunctionCall(Rule):
    """Flags every direct call: the caller pays while it waits, and errors chain."""

    id = "direct-function-call"
    title = "Direct function-to-function call"
    severity = "warning"
    topic = "structure"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("calls"):
            caller = ctx.valid.target(entry.element, "caller")
            callee = ctx.valid.target(entry.element, "callee")
            if caller is None or callee is None:
                continue
            yield self.finding(
                ctx,
                entry,
                f"'{caller.element.name}' invokes '{callee.element.name}' and waits: "
                "it pays for both durations and fails with it; emit an event, or use a workflow",
            )
