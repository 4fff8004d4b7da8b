"""An entity whose name says it expires, without a TTL attribute."""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.model.elements import Aggregate
from app.review.engine import Finding, ReviewContext, Rule


def words(code: str) -> set[str]:
    """The lower-case words of a code name (``PasswordResetToken`` → password, reset, token)."""
    return {w.lower() for w in re.findall(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+", code)}


class EphemeralEntityWithoutTtl(Rule):
    """Flags entities named like sessions, tokens or locks that set no ``ttl``."""

    id = "ephemeral-entity-without-ttl"
    title = "Ephemeral entity without TTL"
    severity = "warning"
    topic = "data"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        ephemeral = set(self.threshold("words"))
        for entry in ctx.valid.of_kind("aggregates"):
            aggregate = entry.element
            assert isinstance(aggregate, Aggregate)
            hits = sorted(words(ctx.valid.code(aggregate)) & ephemeral)
            if aggregate.ttl is None and hits:
                yield self.finding(
                    ctx,
                    entry,
                    f"'{aggregate.name}' sounds short-lived ({', '.join(hits)}) but "
                    "has no ttl: expired items stay, and are billed, forever",
                    "ttl",
                )
