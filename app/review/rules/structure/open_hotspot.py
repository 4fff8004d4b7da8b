"""An open question still on the board."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Hotspot
from app.review.engine import Finding, ReviewContext, Rule


class OpenHotspot(Rule):
    """Flags hotspots still open (export warns while any are)."""

    id = "open-hotspot"
    title = "Open hotspot"
    severity = "warning"
    topic = "structure"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("hotspots"):
            hotspot = entry.element
            assert isinstance(hotspot, Hotspot)
            if hotspot.status == "open":
                yield self.finding(
                    ctx,
                    entry,
                    f"'{hotspot.name}' is still open: resolve it before export",
                    "status",
                )
