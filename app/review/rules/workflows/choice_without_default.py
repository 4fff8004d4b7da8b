"""A choice with no default branch."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.workflow import ChoiceStep
from app.review.engine import Finding, ReviewContext, Rule


class ChoiceWithoutDefault(Rule):
    """Flags choices without ``default``: no matching branch fails the execution."""

    id = "choice-without-default"
    title = "Choice without a default"
    severity = "warning"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("steps"):
            step = entry.element
            if isinstance(step, ChoiceStep) and step.default is None:
                yield self.finding(
                    ctx,
                    entry,
                    f"when no branch of '{step.name}' matches, the execution fails "
                    "with States.NoChoiceMatched: add a default",
                    "default",
                )
