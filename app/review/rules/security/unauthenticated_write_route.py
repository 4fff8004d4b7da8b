"""A write route open to anyone."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.base import route_parts
from app.model.elements import Command
from app.review.engine import Finding, ReviewContext, Rule


class UnauthenticatedWriteRoute(Rule):
    """Flags commands with a write route while the API authenticates nobody."""

    id = "unauthenticated-write-route"
    title = "Write route without authentication"
    severity = "error"
    topic = "security"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        if ctx.design.settings.api.auth != "none":
            return
        for entry in ctx.valid.of_kind("commands"):
            command = entry.element
            assert isinstance(command, Command)
            if command.route and route_parts(command.route)[0] != "GET":
                yield self.finding(
                    ctx,
                    entry,
                    f"'{command.route}' changes data and settings.api.auth is "
                    "'none': anyone on the internet can call it",
                    "route",
                )
