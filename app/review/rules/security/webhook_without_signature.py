"""An inbound webhook that does not verify who sent it."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import ExternalSystem
from app.review.engine import Finding, ReviewContext, Rule


class WebhookWithoutSignature(Rule):
    """Flags webhooks whose signature check is turned off."""

    id = "webhook-without-signature"
    title = "Webhook without signature verification"
    severity = "error"
    topic = "security"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        for entry in ctx.valid.of_kind("external_systems"):
            system = entry.element
            assert isinstance(system, ExternalSystem)
            if system.webhook is not None and system.webhook.signature == "none":
                yield self.finding(
                    ctx,
                    entry,
                    f"the webhook of '{system.name}' accepts any request: anyone who "
                    "finds the URL can inject events",
                    "webhook",
                    "signature",
                )
