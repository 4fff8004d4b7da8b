"""Observability usage: function logs, traces, and the alarms and dashboards the export creates.

Until the observability plan (shared with the export) lists its alarms and dashboards,
``planned_alarms_and_dashboards`` counts them here from the design: per function an error-rate
alarm (metric math over errors and invocations: two metrics), a throttles alarm and a duration
alarm; per queue a DLQ-depth alarm; per stream source an iterator-age alarm; one dashboard per
bounded context.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from app.generators.cost.pricer import UsageLine
from app.generators.observability import plan_observability
from app.model import ValidDesign
from app.model.elements import Source
from app.model.traffic import SECONDS_PER_MONTH

if TYPE_CHECKING:
    from app.generators.cost.basis import UsageBasis
    from app.generators.cost.usage import FunctionUse, WhatIf

LOG_KB_PER_INVOCATION = 1.3
"""Structured log lines of one invocation (about 1 KB) plus Lambda's START, END and REPORT."""
LOG_COMPRESSION = 0.2
"""Archived logs take a fifth of their ingested size (CloudWatch's own example: 30 GB → 6 GB);
log groups keep one month."""
TRACE_RESERVOIR_PER_SECOND = 1.0
TRACE_RATE = 0.05
"""X-Ray's default sampling: the first request each second, then 5%."""


@dataclass(frozen=True)
class Alarm:
    resource: str
    context: str
    name: str
    metrics: int


def planned_alarms_and_dashboards(valid: ValidDesign) -> tuple[list[Alarm], list[str]]:
    """The alarms (with how many metrics each evaluates) and the dashboards (one per context)
    that the export creates: read from the one observability plan the export also reads."""
    plan = plan_observability(valid)
    alarms = [
        Alarm(a.resource.removesuffix("Function"), a.context, a.kind, a.metrics)
        for a in plan.alarms
    ]
    return alarms, [d.context for d in plan.dashboards]


def alarm_metrics(alarms: Sequence[Alarm]) -> dict[tuple[str, str], int]:
    """Alarm metrics per resource (and its context), in the order the alarms come."""
    totals: dict[tuple[str, str], int] = {}
    for alarm in alarms:
        key = (alarm.resource, alarm.context)
        totals[key] = totals.get(key, 0) + alarm.metrics
    return totals


def entry_requests(valid: ValidDesign) -> float:
    """Requests entering the system per month (each starts a trace): API and webhook
    requests, workflow starts, stream batches, uploads, schedule runs."""
    total = 0.0
    for kind in ("commands", "read_models", "external_systems", "workflows"):
        for entry in valid.of_kind(kind):
            total += entry.element.workload.requests_per_month or 0.0  # type: ignore[attr-defined]
    for entry in valid.of_kind("sources"):
        source = entry.element
        assert isinstance(source, Source)
        # a stream's consumer is invoked, and traced, once per batch
        batch = 1 if source.kind == "bucket" else source.batch_size
        total += (source.workload.requests_per_month or 0.0) / batch
    for entry in valid.of_kind("schedules"):
        total += valid.traffic.of(entry.id)
    return total


def sampled_traces(requests: float) -> float:
    """Traces X-Ray records at its default sampling rule."""
    reservoir = min(requests, TRACE_RESERVOIR_PER_SECOND * SECONDS_PER_MONTH)
    return reservoir + TRACE_RATE * (requests - reservoir)


def observability_lines(
    basis: UsageBasis, what_if: WhatIf, fns: Sequence[FunctionUse], scaled: bool | None = None
) -> Iterator[UsageLine]:
    """Log ingestion and storage per function, traces, alarm metrics and dashboards (``scaled``:
    see ``design_usage``; logs scale with the traffic, sampled traces, alarms and dashboards
    do not)."""
    if scaled is not False:
        yield from _log_lines(fns)
    if scaled is not True:
        yield from _fixed_lines(basis, what_if)


def _log_lines(fns: Sequence[FunctionUse]) -> Iterator[UsageLine]:
    for fn in fns:
        if fn.invocations <= 0:
            continue
        ingested = fn.invocations * LOG_KB_PER_INVOCATION
        common: dict[str, Any] = {
            "resource": f"/aws/lambda/{fn.code}",
            "context": fn.context,
            "function": fn.code,
        }
        yield UsageLine("cloudwatch", "log-ingestion", ingested, "KB", **common)
        yield UsageLine("cloudwatch", "log-storage", ingested * LOG_COMPRESSION, "KB", **common)


def _fixed_lines(basis: UsageBasis, what_if: WhatIf) -> Iterator[UsageLine]:
    traces = sampled_traces(basis.entry_requests * what_if.traffic)
    if traces > 0:
        yield UsageLine("xray", "traces-recorded", traces, "traces", resource="tracing")
    yield from basis.monitoring


def monitoring_lines(
    metrics: Sequence[tuple[str, str, int]], dashboards: Sequence[str]
) -> tuple[UsageLine, ...]:
    """Alarm metrics per resource and one dashboard per context: the same under any what-if."""
    return tuple(
        UsageLine(
            "cloudwatch",
            "alarm-metrics-standard",
            count,
            "alarm-metrics",
            resource=f"{resource} alarms",
            context=context,
        )
        for resource, context, count in metrics
    ) + tuple(
        UsageLine(
            "cloudwatch",
            "dashboards",
            1,
            "dashboards",
            resource=f"{context} dashboard",
            context=context,
        )
        for context in dashboards
    )
