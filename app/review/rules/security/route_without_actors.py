"""A routed command that no actor may call while authentication is on."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Command
from app.review.engine import Finding, ReviewContext, Rule


class RouteWithoutActors(Rule):
    """Flags commands with a route but no actors when the API authenticates callers."""

    id = "route-without-actors"
    title = "Routed command without actors"
    severity = "warning"
    topic = "security"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        if ctx.design.settings.api.auth == "none":
            return
        for entry in ctx.valid.of_kind("commands"):
            command = entry.element
            assert isinstance(command, Command)
            if command.route and not command.actors:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{command.name}' has a route but no actors: every "
                    "authenticated caller may call it",
                    "actors",
                )
