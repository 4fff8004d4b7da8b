"""x86 chosen where arm64 would do."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class X86Override(Rule):
    """Flags x86_64 chosen for the design or a function: arm64 costs about 20% less."""

    id = "x86-override"
    title = "x86 where arm64 would do"
    severity = "info"
    topic = "cost"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        if ctx.design.settings.architecture == "x86_64":
            yield self.finding(
                ctx,
                None,
                "every function runs on x86_64; arm64 (Graviton) costs about 20% "
                "less per GB-second unless a dependency ships x86-only binaries",
                "settings",
                "architecture",
            )
        for entry, workload in ctx.function_workloads:
            if workload.overrides.architecture == "x86_64":
                yield self.finding(
                    ctx,
                    entry,
                    f"'{entry.element.name}' runs on x86_64; arm64 costs about 20% "
                    "less unless a dependency needs x86",
                    "workload",
                    "overrides",
                    "architecture",
                )
