"""A REST API chosen where the cheaper HTTP API would do."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class RestApiWithoutRestFeatures(Rule):
    """Flags a REST API when the design uses no REST-only feature it can express (API keys)."""

    id = "rest-api-without-rest-features"
    title = "REST API without REST-only needs"
    severity = "warning"
    topic = "cost"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        api = ctx.design.settings.api
        if api.type == "rest" and api.auth != "api-key":
            yield self.finding(
                ctx,
                None,
                "the API is REST, but the design uses no REST-only feature (API keys "
                "and usage plans); an HTTP API costs about 70% less per request — accept this "
                "finding if you need caching, WAF, request validation or private endpoints",
                "settings",
                "api",
                "type",
            )
