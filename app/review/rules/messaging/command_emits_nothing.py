"""A command that changes nothing anyone can hear about."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Command
from app.review.engine import Finding, ReviewContext, Rule


class CommandEmitsNothing(Rule):
    """Flags commands outside workflows that emit no event (workflow steps pass results on)."""

    id = "command-emits-nothing"
    title = "Command that emits nothing"
    severity = "info"
    topic = "messaging"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("commands"):
            command = entry.element
            assert isinstance(command, Command)
            if not command.emits and entry.id not in ctx.workflow_commands:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{command.name}' emits no event, so nothing else can react to what it did",
                    "emits",
                )
