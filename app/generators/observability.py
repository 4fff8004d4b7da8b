"""The observability plan shared by the SAM export and the cost model.

Alarms: error rate over 1% for 5 minutes (metric math), throttles above 0 for 3 periods,
iterator age over 60 s for stream consumers, duration over 80% of the timeout, dead-letter
queue depth above 0. One dashboard per bounded context with the four golden signals, saved
Logs Insights queries, and a runbook per failure mode.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.generators.sam.functions import FunctionPlan, plan_functions
from app.model import ValidDesign
from app.model.elements import Policy

ERROR_RATE_PERCENT = 1.0
ITERATOR_AGE_MS = 60_000
DURATION_SHARE = 0.8


@dataclass(frozen=True)
class PlannedAlarm:
    """One CloudWatch alarm: on which resource, of what kind, and how many metrics it reads."""

    logical_id: str
    resource: str  # logical id of the function or queue it watches
    context: str
    kind: str  # error-rate | throttles | duration | iterator-age | dlq-depth
    metrics: int
    threshold: float
    periods: int
    description: str


@dataclass(frozen=True)
class Dashboard:
    """The golden-signals dashboard of one bounded context."""

    context: str
    functions: tuple[str, ...]
    queues: tuple[str, ...]


@dataclass(frozen=True)
class SavedQuery:
    name: str
    query: str


@dataclass(frozen=True)
class ObservabilityPlan:
    alarms: tuple[PlannedAlarm, ...]
    dashboards: tuple[Dashboard, ...]
    queries: tuple[SavedQuery, ...]
    runbooks: tuple[str, ...]

    def alarms_of(self, resource: str) -> list[PlannedAlarm]:
        return [a for a in self.alarms if a.resource == resource]


QUERIES = (
    SavedQuery(
        "ColdStarts",
        'filter @type = "REPORT"\n| stats sum(strcontains(@message, "Init Duration")) as '
        "coldStarts, count(*) as invocations by bin(5m)",
    ),
    SavedQuery(
        "ErrorRate",
        'filter level = "ERROR" or @message like /Task timed out/\n| stats count(*) as errors '
        "by bin(5m)",
    ),
    SavedQuery(
        "DurationPercentiles",
        'filter @type = "REPORT"\n| stats pct(@duration, 50) as p50, pct(@duration, 95) as '
        "p95, pct(@duration, 99) as p99 by bin(5m)",
    ),
    SavedQuery(
        "OutOfMemoryKills",
        "filter @message like /Runtime exited with error: signal: killed/ or @message like "
        "/MemoryError/\n| stats count(*) as kills by bin(5m)",
    ),
)
RUNBOOKS = ("dead-letter-queue", "throttling", "cold-starts", "failed-deployment")


def queue_policies(valid: ValidDesign) -> list[tuple[str, str]]:
    """(policy code, context code) of policies that deliver through a queue with a DLQ."""
    found = []
    for entry in valid.of_kind("policies"):
        policy = entry.element
        if isinstance(policy, Policy) and policy.delivery == "queue" and policy.command:
            context = valid.code(entry.context) if entry.context is not None else "Shared"
            found.append((valid.code(policy), context))
    return found


def _function_alarms(function: FunctionPlan) -> list[PlannedAlarm]:
    fid, ctx = function.logical_id, function.context
    alarms = [
        PlannedAlarm(
            f"{function.code}ErrorRateAlarm",
            fid,
            ctx,
            "error-rate",
            2,
            ERROR_RATE_PERCENT,
            5,
            f"{function.code}: more than 1% of invocations failed for 5 minutes",
        ),
        PlannedAlarm(
            f"{function.code}ThrottlesAlarm",
            fid,
            ctx,
            "throttles",
            1,
            0,
            3,
            f"{function.code}: invocations throttled for 3 minutes",
        ),
        PlannedAlarm(
            f"{function.code}DurationAlarm",
            fid,
            ctx,
            "duration",
            1,
            round(function.timeout_s * 1000 * DURATION_SHARE),
            3,
            f"{function.code}: p99 duration above 80% of its {function.timeout_s} s timeout",
        ),
    ]
    if function.streams:
        alarms.append(
            PlannedAlarm(
                f"{function.code}IteratorAgeAlarm",
                fid,
                ctx,
                "iterator-age",
                1,
                ITERATOR_AGE_MS,
                3,
                f"{function.code}: stream records older than 60 s",
            )
        )
    return alarms


def plan_observability(valid: ValidDesign) -> ObservabilityPlan:
    """Alarms, dashboards, saved queries and runbooks of a design."""
    return valid.derived("observability-plan", _plan)


def _plan(valid: ValidDesign) -> ObservabilityPlan:
    functions = plan_functions(valid)
    alarms = [a for f in functions for a in _function_alarms(f)]
    queues = queue_policies(valid)
    for code, context in queues:
        alarms.append(
            PlannedAlarm(
                f"{code}DeadLetterAlarm",
                f"{code}DeadLetterQueue",
                context,
                "dlq-depth",
                1,
                0,
                1,
                f"{code}: messages in the dead-letter queue",
            )
        )
    dashboards = []
    for entry in valid.of_kind("contexts"):
        context = valid.code(entry.element)
        dashboards.append(
            Dashboard(
                context,
                tuple(f.logical_id for f in functions if f.context == context),
                tuple(f"{code}Queue" for code, ctx in queues if ctx == context),
            )
        )
    return ObservabilityPlan(tuple(alarms), tuple(dashboards), QUERIES, RUNBOOKS)
