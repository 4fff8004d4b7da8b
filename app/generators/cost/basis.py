"""The facts about a design that pricing needs, read once: what each function, route, event,
queue, workflow, schedule and source handles at 1× traffic.

Usage lines are made from this basis under a what-if, so projections, recommendations and the
studio's what-if control recompute without walking the design again.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.generators.cost.pricer import UsageLine
from app.generators.cost.resources import context_of, queue_policies
from app.generators.cost.usage_observability import (
    Alarm,
    alarm_metrics,
    entry_requests,
    monitoring_lines,
    planned_alarms_and_dashboards,
)
from app.generators.cost.usage_table import CapacityUse, storage_kb, table_capacity
from app.generators.table.plan import plan_table
from app.generators.workflows.kind import EXPRESS_LIMIT_S, EXPRESS_VOLUME, choose_kind, distributed
from app.model import ValidDesign
from app.model.base import Workload, route_parts
from app.model.elements import Event, ExternalSystem, Policy, Source
from app.model.index import Entry
from app.model.workflow import ApprovalStep, MapStep, ServiceStep, TaskStep, WaitStep, Workflow

SERVICE_STEP_MS = 50.0
"""Duration of a direct service call from a workflow (no function)."""
EXPRESS_SAFE_MS = 240_000
"""Longest expected execution a workflow may have to be recommended as Express (limit: 5 min)."""
SPLIT_SHARE = 0.5
"""Largest share of executions needing a person or a wait for which an Express workflow with a
Standard child is recommended."""


@dataclass(frozen=True)
class FunctionBasis:
    code: str
    context: str
    workload: Workload
    items: float
    """Work items a month: requests, messages, records."""
    queued: tuple[tuple[float, int], ...]
    """Messages a month and designed batch size of each queue that feeds the function."""
    architecture: str
    provisioned: int


@dataclass(frozen=True)
class RouteBasis:
    resource: str
    context: str
    requests: float
    payload_kb: float


@dataclass(frozen=True)
class EventBasis:
    code: str
    context: str
    published: float
    size_kb: float


@dataclass(frozen=True)
class QueueBasis:
    code: str
    context: str
    messages: float
    size_kb: float
    batch_size: int


@dataclass(frozen=True)
class WorkflowBasis:
    code: str
    context: str
    executions: float
    kind: str
    """``standard`` or ``express``, as the workflow export chooses."""
    transitions: float
    """State transitions a month, retries included."""
    tasks: tuple[tuple[str, float, Workload], ...]
    """Function code, attempts per execution and workload of each task step."""
    service_ms: float
    """Time per execution in direct service calls."""
    express_eligible: bool
    """Short, and nothing waits for a person or a time: it can run as Express."""
    blocking_share: float
    """Share of executions that reach an approval or a wait (0 when none can)."""
    split_eligible: bool
    """Only approvals or waits keep it Standard, on a minority of executions, and the rest is
    short: it can run as Express and start a Standard child for those executions."""
    can_be_express: bool = False
    """The workflow export accepts ``type: express`` for it (no approval, no distributed map,
    every path within Express's 5 minutes)."""
    express_from: float | None = None
    """Executions a month from which the workflow export picks Express by itself (None: its
    type does not depend on the volume: set in the design, or it must be Standard)."""


@dataclass(frozen=True)
class CountBasis:
    code: str
    context: str
    count: float


@dataclass(frozen=True)
class SourceBasis:
    code: str
    context: str
    kind: str
    records: float
    peak_per_second: float
    size_kb: float


@dataclass(frozen=True)
class UsageBasis:
    region: str
    api_type: str
    api_auth: str
    functions: tuple[FunctionBasis, ...]
    routes: tuple[RouteBasis, ...]
    events: tuple[EventBasis, ...]
    queues: tuple[QueueBasis, ...]
    workflows: tuple[WorkflowBasis, ...]
    schedules: tuple[CountBasis, ...]
    sources: tuple[SourceBasis, ...]
    capacity: tuple[CapacityUse, ...]
    storage_kb: float
    has_table: bool
    alarms: tuple[Alarm, ...]
    alarm_metrics: tuple[tuple[str, str, int], ...]
    """Alarm metrics per resource: resource, context, metrics."""
    dashboards: tuple[str, ...]
    entry_requests: float
    monitoring: tuple[UsageLine, ...] = ()
    """The alarm and dashboard lines, which no what-if changes."""


def _functions(valid: ValidDesign) -> list[FunctionBasis]:
    traffic = valid.traffic
    queued: dict[str, list[tuple[float, int]]] = {}
    for entry in queue_policies(valid):
        policy = entry.element
        assert isinstance(policy, Policy)
        target = valid.target(policy, "command")
        if target is not None:
            queued.setdefault(target.id, []).append((traffic.of(entry.id), policy.batch_size))
    owners: list[tuple[str, Entry, Workload]] = [
        (valid.code(e.element), e, e.element.workload)  # type: ignore[attr-defined]
        for kind in ("commands", "read_models")
        for e in valid.of_kind(kind)
    ]
    for entry in valid.of_kind("external_systems"):
        system = entry.element
        assert isinstance(system, ExternalSystem)
        if system.webhook is not None:
            owners.append((f"{valid.code(system)}Webhook", entry, system.workload))
    default = valid.design.settings.architecture
    return [
        FunctionBasis(
            code,
            context_of(valid, entry),
            load,
            traffic.of(entry.id),
            tuple(queued.get(entry.id, ())),
            load.overrides.architecture or default,
            load.overrides.provisioned_concurrency or 0,
        )
        for code, entry, load in owners
    ]


def _routes(valid: ValidDesign) -> list[RouteBasis]:
    found = []
    for kind in ("commands", "read_models", "workflows", "external_systems"):
        for entry in valid.of_kind(kind):
            element = entry.element
            route = (
                element.webhook.route
                if isinstance(element, ExternalSystem) and element.webhook
                else getattr(element, "route", None)
            )
            load: Workload = element.workload  # type: ignore[attr-defined]
            if route and load.requests_per_month:
                method, path = route_parts(route)
                found.append(
                    RouteBasis(
                        f"{method} {path}",
                        context_of(valid, entry),
                        load.requests_per_month,
                        load.payload_kb,
                    )
                )
    return found


def _workflows(valid: ValidDesign) -> list[WorkflowBasis]:
    traffic = valid.traffic
    steps_of: dict[str, list[Entry]] = {}
    for step in valid.of_kind("steps"):
        if step.workflow is not None:
            steps_of.setdefault(step.workflow.id or "", []).append(step)
    found = []
    for entry in valid.of_kind("workflows"):
        workflow = entry.element
        assert isinstance(workflow, Workflow)
        executions = traffic.of(entry.id)
        steps = steps_of.get(entry.id, [])
        transitions = sum(traffic.attempts.get(s.id, traffic.of(s.id)) for s in steps)
        tasks, service_ms = [], 0.0
        for step in steps:
            per_execution = (
                traffic.attempts.get(step.id, traffic.of(step.id)) / executions
                if executions
                else 0.0
            )
            if isinstance(step.element, TaskStep):
                task = valid.target(step.element, "task")
                if task is not None:
                    tasks.append((valid.code(task.element), per_execution, task.element.workload))  # type: ignore[attr-defined]
            elif isinstance(step.element, ServiceStep):
                service_ms += per_execution * SERVICE_STEP_MS
        waiting = [s for s in steps if isinstance(s.element, (ApprovalStep, WaitStep))]
        big_maps = any(isinstance(s.element, MapStep) and distributed(s.element.map) for s in steps)
        kind = choose_kind(valid, entry, _ignore_problem)
        can_be_express = not (
            big_maps
            or kind.longest_s > EXPRESS_LIMIT_S
            or any(isinstance(s.element, ApprovalStep) for s in steps)
        )
        blocking_share = (
            max(traffic.of(s.id) for s in waiting) / executions if waiting and executions else 0.0
        )
        expected_ms = service_ms + sum(n * load.duration_ms for _, n, load in tasks)
        short = expected_ms < EXPRESS_SAFE_MS
        found.append(
            WorkflowBasis(
                valid.code(workflow),
                context_of(valid, entry),
                executions,
                kind.type.lower(),
                transitions,
                tuple(tasks),
                service_ms,
                short and not waiting and not big_maps,
                min(1.0, blocking_share),
                short and bool(waiting) and not big_maps and blocking_share <= SPLIT_SHARE,
                can_be_express,
                EXPRESS_VOLUME if can_be_express and workflow.type is None else None,
            )
        )
    return found


def event_size_kb(entry: Entry | None) -> float:
    """The size of an event's payload (1 KB when unknown)."""
    return entry.element.size_kb if entry is not None and isinstance(entry.element, Event) else 1.0


def _ignore_problem(loc: object, message: str) -> None:
    """Problems with a workflow's type are the workflow export's and review's to report."""


def _sources(valid: ValidDesign) -> list[SourceBasis]:
    found = []
    for entry in valid.of_kind("sources"):
        source = entry.element
        assert isinstance(source, Source)
        found.append(
            SourceBasis(
                valid.code(source),
                context_of(valid, entry),
                source.kind,
                valid.traffic.of(entry.id),
                valid.traffic.peak_per_second.get(entry.id, 0.0),
                source.workload.payload_kb,
            )
        )
    return found


def _build(valid: ValidDesign) -> UsageBasis:
    traffic = valid.traffic
    plan = plan_table(valid) if valid.of_kind("aggregates") else None
    settings = valid.design.settings
    functions = _functions(valid)
    alarms, dashboards = planned_alarms_and_dashboards(valid)
    metrics = tuple((r, c, n) for (r, c), n in alarm_metrics(alarms).items())
    queues = []
    for entry in queue_policies(valid):
        event = valid.target(entry.element, "event")
        policy = entry.element
        assert isinstance(policy, Policy)
        queues.append(
            QueueBasis(
                valid.code(policy),
                context_of(valid, entry),
                traffic.of(entry.id),
                event_size_kb(event),
                policy.batch_size,
            )
        )
    return UsageBasis(
        region=settings.region,
        api_type=settings.api.type,
        api_auth=settings.api.auth,
        functions=tuple(functions),
        routes=tuple(_routes(valid)),
        events=tuple(
            EventBasis(
                valid.code(e.element), context_of(valid, e), traffic.of(e.id), event_size_kb(e)
            )
            for e in valid.of_kind("events")
        ),
        queues=tuple(queues),
        workflows=tuple(_workflows(valid)),
        schedules=tuple(
            CountBasis(valid.code(e.element), context_of(valid, e), traffic.of(e.id))
            for e in valid.of_kind("schedules")
        ),
        sources=tuple(_sources(valid)),
        capacity=tuple(table_capacity(valid, plan)) if plan else (),
        storage_kb=storage_kb(valid, plan) if plan else 0.0,
        has_table=plan is not None,
        alarms=tuple(alarms),
        alarm_metrics=metrics,
        dashboards=tuple(dashboards),
        entry_requests=entry_requests(valid),
        monitoring=monitoring_lines(metrics, dashboards),
    )


def usage_basis(valid: ValidDesign) -> UsageBasis:
    """The pricing facts of a design: computed once per validated design and kept with it."""
    return valid.derived("cost_basis", _build)
