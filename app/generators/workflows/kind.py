"""Standard or Express: chosen from what a workflow waits for, how long and how often it runs."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from app.model.base import Workload
from app.model.errors import Loc
from app.model.index import Entry
from app.model.validate import ValidDesign
from app.model.workflow import (
    ApprovalStep,
    MapSpec,
    MapStep,
    ParallelStep,
    ResilientStep,
    Retry,
    ServiceStep,
    StepBase,
    TaskStep,
    WaitStep,
    Workflow,
)

EXPRESS_LIMIT_S = 300
"""An Express execution may run at most five minutes."""
EXPRESS_VOLUME = 100_000
"""Executions a month from which Express's per-execution price clearly wins."""
INLINE_MAP_ITEMS = 40
"""An inline map runs at most 40 iterations at once; larger item sets go distributed."""
SERVICE_CALL_S = 0.1


@dataclass(frozen=True)
class MachineKind:
    """The state machine type and why, in plain words."""

    type: Literal["STANDARD", "EXPRESS"]
    reason: str
    longest_s: float
    """Upper bound of one execution's duration, retries and waits included (inf: unbounded)."""


def distributed(spec: MapSpec) -> bool:
    """Whether a map runs as a distributed map: asked for, too many items for inline, or it
    tolerates failed items (only a distributed map can)."""
    if spec.mode is not None:
        return spec.mode == "distributed"
    return spec.items_per_execution > INLINE_MAP_ITEMS or spec.tolerated_failure_percentage > 0


def map_execution_type(spec: MapSpec) -> Literal["STANDARD", "EXPRESS"]:
    """Child executions of a distributed map: Express unless an item waits for a person or long."""
    longest = _longest(spec.steps, None)
    waits = any(isinstance(s, ApprovalStep) for s in _walk(spec.steps))
    return "STANDARD" if waits or longest > EXPRESS_LIMIT_S else "EXPRESS"


def _walk(steps: Sequence[StepBase]) -> Iterator[StepBase]:
    for step in steps:
        yield step
        if isinstance(step, ParallelStep):
            for branch in step.parallel:
                yield from _walk(branch.steps)
        elif isinstance(step, MapStep):
            yield from _walk(step.map.steps)


def _retry_s(step: ResilientStep, attempt_s: float) -> float:
    if step.retry is False:
        return attempt_s
    retry = step.retry if isinstance(step.retry, Retry) else Retry()
    delays = [retry.interval_s * retry.backoff_rate**k for k in range(retry.max_attempts)]
    if retry.max_delay_s is not None:
        delays = [min(d, retry.max_delay_s) for d in delays]
    return attempt_s * (retry.max_attempts + 1) + sum(delays)


def _longest(steps: Sequence[StepBase], valid: ValidDesign | None) -> float:
    """Upper bound of the time a list of steps takes (every step once, plus retries)."""
    total = 0.0
    for step in steps:
        if isinstance(step, TaskStep):
            workload = step.workload
            if valid is not None and "workload" not in step.model_fields_set:
                function = valid.target(step, "task")
                workload = getattr(function.element, "workload", workload) if function else workload
            assert isinstance(workload, Workload)
            attempt = workload.p99 / 1000
            if step.timeout_s is not None:
                attempt = min(attempt, step.timeout_s)
            total += _retry_s(step, attempt)
        elif isinstance(step, ServiceStep):
            total += _retry_s(step, SERVICE_CALL_S)
        elif isinstance(step, ApprovalStep):
            total += step.approval.timeout_s
        elif isinstance(step, WaitStep):
            total += step.wait.seconds if step.wait.seconds is not None else math.inf
        elif isinstance(step, ParallelStep):
            total += max(_longest(b.steps, valid) for b in step.parallel)
        elif isinstance(step, MapStep):
            spec = step.map
            width = spec.max_concurrency or INLINE_MAP_ITEMS
            rounds = math.ceil(spec.items_per_execution / width) if spec.items_per_execution else 0
            total += _longest(spec.steps, valid) * rounds
    return total


def _duration_text(seconds: float) -> str:
    if math.isinf(seconds):
        return "an open-ended time (it waits until a timestamp)"
    if seconds < 120:
        return f"{seconds:.3g} s"
    if seconds < 7200:
        return f"{seconds / 60:.3g} minutes"
    if seconds < 172_800:
        return f"{seconds / 3600:.3g} hours"
    return f"{seconds / 86_400:.3g} days"


def choose_kind(
    valid: ValidDesign, entry: Entry, problem: Callable[[Loc, str], None]
) -> MachineKind:
    """Standard or Express with the reason; reports a ``type: express`` that cannot work."""
    workflow = entry.element
    assert isinstance(workflow, Workflow)
    steps = list(_walk(workflow.steps))
    longest = _longest(workflow.steps, valid)
    approvals = [s for s in steps if isinstance(s, ApprovalStep)]
    big_maps = [s for s in steps if isinstance(s, MapStep) and distributed(s.map)]
    needs_standard: list[str] = []
    if approvals:
        needs_standard.append(
            f"it waits for a person ('{approvals[0].name}'): a task-token callback, "
            "which only Standard workflows support"
        )
    if big_maps:
        needs_standard.append(
            f"its distributed map ('{big_maps[0].name}') starts child workflows, "
            "which only a Standard workflow can"
        )
    if longest > EXPRESS_LIMIT_S:
        needs_standard.append(
            f"it can run {_duration_text(longest)} with its waits and retries, "
            "longer than the 5 minutes an Express workflow may run"
        )
    if workflow.type == "express":
        for reason in needs_standard:
            problem((*entry.loc, "type"), f"this workflow cannot be Express: {reason}")
    chosen = _chosen(valid, entry, longest, needs_standard)
    if workflow.type is None:
        return chosen
    wanted: Literal["STANDARD", "EXPRESS"] = "EXPRESS" if workflow.type == "express" else "STANDARD"
    agreement = "it would be chosen anyway" if wanted == chosen.type else "left alone, it would be"
    return MachineKind(
        wanted,
        f"{wanted.title()}, as the design sets (type: {workflow.type}); {agreement}: "
        f"{chosen.reason}",
        longest,
    )


def _chosen(
    valid: ValidDesign, entry: Entry, longest: float, needs_standard: list[str]
) -> MachineKind:
    if needs_standard:
        return MachineKind("STANDARD", f"Standard: {needs_standard[0]}.", longest)
    monthly = valid.traffic.monthly.get(entry.id, 0.0)
    peak = valid.traffic.peak_per_second.get(entry.id, 0.0)
    if monthly >= EXPRESS_VOLUME:
        return MachineKind(
            "EXPRESS",
            f"Express: every path ends within {_duration_text(longest)}, under Express's 5 "
            f"minutes, and it runs {monthly:,.0f} times a month (peak {peak:.3g}/s); Express "
            "is priced per execution and duration rather than per state transition, so it costs "
            "far less at this volume. Express runs at least once, so its steps must be "
            "idempotent.",
            longest,
        )
    volume = f"runs {monthly:,.0f} times a month" if monthly else "has no volume entered"
    return MachineKind(
        "STANDARD",
        f"Standard: it is short enough for Express ({_duration_text(longest)}) but {volume}; "
        "at low volume Standard's exactly-once execution and 90-day execution history are "
        "worth more than the small price difference.",
        longest,
    )
