"""Memory sized far from what the work uses."""

from __future__ import annotations

from collections.abc import Iterator

from app.review.engine import Finding, ReviewContext, Rule


class MemoryFarFromEfficient(Rule):
    """Flags large memory on waiting work and the smallest memory on CPU-bound work."""

    id = "memory-far-from-efficient"
    title = "Memory far from the efficient range"
    severity = "info"
    topic = "functions"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        high_mb = self.threshold("high_memory_mb")
        low_mb = self.threshold("low_memory_mb")
        waiting = self.threshold("waiting_cpu_share")
        busy = self.threshold("busy_cpu_share")
        for entry, workload in ctx.function_workloads:
            if workload.compute != "function":
                continue
            name = entry.element.name
            if workload.memory_mb >= high_mb and workload.cpu_bound <= waiting:
                message = (
                    f"'{name}' has {workload.memory_mb} MB but spends most of its time "
                    "waiting: more memory buys CPU it does not use"
                )
            elif workload.memory_mb <= low_mb and workload.cpu_bound >= busy:
                message = (
                    f"'{name}' is CPU-bound on {workload.memory_mb} MB: more memory "
                    "brings more CPU and often a lower bill"
                )
            else:
                continue
            yield self.finding(ctx, entry, message, "workload", "memory_mb")
