"""The traffic flow: requests entered where work enters the system, carried along the model.

A command at 3 M/month that emits ``OrderPlaced`` yields 3 M events, and every policy on that
event 3 M consumer invocations. Workflow executions flow into their steps (Map steps multiply by
their items, choices split by their probabilities, failures go to catches) and task steps into
the commands they run. Cost, capacity and review all read this one result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from app.model.elements import (
    Command,
    DirectCall,
    ExternalSystem,
    Policy,
    ReadModel,
    Schedule,
    Source,
)
from app.model.errors import DesignError, Problem, format_loc
from app.model.flow import AmplifyingCycle, propagate_all
from app.model.index import Entry
from app.model.schedules import HOURS_PER_MONTH, runs_per_month
from app.model.validate import ValidDesign
from app.model.workflow import (
    ApprovalStep,
    Catch,
    ChoiceStep,
    FailStep,
    MapStep,
    ParallelStep,
    ResilientStep,
    Retry,
    ServiceStep,
    StepBase,
    SucceedStep,
    TaskStep,
    Workflow,
)

SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
FLOWING = frozenset(
    (
        "commands",
        "events",
        "policies",
        "read_models",
        "access_patterns",
        "external_systems",
        "schedules",
        "sources",
        "workflows",
        "steps",
    )
)


@dataclass(frozen=True)
class Traffic:
    """Monthly volume and peak rate per element id (invocations, events, visits, requests)."""

    monthly: dict[str, float] = field(default_factory=dict)
    peak_per_second: dict[str, float] = field(default_factory=dict)
    attempts: dict[str, float] = field(default_factory=dict)
    """For task steps: function invocations per month, retries included."""
    outbound: dict[str, float] = field(default_factory=dict)
    """For external systems called out to: calls per month from the functions that call them."""

    def of(self, element_id: str) -> float:
        return self.monthly.get(element_id, 0.0)

    def to_json(self, valid: ValidDesign) -> dict[str, object]:
        """Per element, by kind and code: monthly volume and peak per second, rounded."""
        result: dict[str, dict[str, object]] = {}
        for element_id, monthly in self.monthly.items():
            entry = valid.entries[element_id]
            item: dict[str, object] = {
                "id": element_id,
                "per_month": round(monthly, 3),
                "peak_per_second": round(self.peak_per_second.get(element_id, 0.0), 6),
            }
            if element_id in self.attempts:
                item["invocations_per_month"] = round(self.attempts[element_id], 3)
            if element_id in self.outbound:
                item["outbound_calls_per_month"] = round(self.outbound[element_id], 3)
            key = valid.code(element_id)
            if entry.workflow is not None:
                key = f"{valid.code(entry.workflow)}.{key}"
            result.setdefault(entry.kind, {})[key] = item
        return {kind: dict(sorted(items.items())) for kind, items in sorted(result.items())}


def expected_attempts(retry: Retry | None, failure_rate: float) -> tuple[float, float]:
    """Expected attempts per visit and the chance the step still fails after its retries."""
    tries = 1 + (retry.max_attempts if retry is not None else 0)
    attempts = sum(failure_rate**k for k in range(tries))
    return attempts, failure_rate**tries


def _covers(errors: list[str], failure_error: str | None) -> bool:
    """Whether a Retry or Catch naming ``errors`` applies to a step's failures."""
    if "States.ALL" in errors:
        return True
    if failure_error is None:
        return any(e == "States.TaskFailed" or e.startswith("Lambda.") for e in errors)
    return failure_error in errors


def retries_failure(step: ResilientStep) -> bool:
    """Whether the step's retry applies to the error its failures raise.

    A retry without ``errors`` covers the default transient errors, which is what a failure
    without ``failure_error`` raises.
    """
    retry = step_retry(step)
    if retry is None:
        return False
    if not retry.errors:
        return step.failure_error is None
    return _covers(retry.errors, step.failure_error)


def catch_of(step: ResilientStep) -> Catch | None:
    """The first catch that takes the step's failures, or None."""
    return next((c for c in step.on_error if _covers(c.errors, step.failure_error)), None)


def step_retry(step: ResilientStep) -> Retry | None:
    """The retry a step runs with: its own, the default, or none when turned off."""
    if step.retry is False:
        return None
    return step.retry if step.retry is not None else _DEFAULT_RETRY


_DEFAULT_RETRY = Retry()  # built once: building it for every step was a hot spot


class _Graph:
    def __init__(self, valid: ValidDesign) -> None:
        self.valid = valid
        self.nodes: list[str] = [e.id for e in valid.entries.values() if e.kind in FLOWING]
        self.entry: dict[str, float] = {}
        self.peak_entry: dict[str, float] = {}
        self.edges: dict[str, list[tuple[str, float]]] = {}
        self.attempt_factor: dict[str, float] = {}

    def add(self, source: str, target: Entry | None, weight: float = 1.0) -> None:
        if target is not None and weight > 0 and target.kind in FLOWING:
            self.edges.setdefault(source, []).append((target.id, weight))

    def enter(self, element_id: str, per_month: float, peak_factor: float) -> None:
        self.entry[element_id] = self.entry.get(element_id, 0.0) + per_month
        self.peak_entry[element_id] = (
            self.peak_entry.get(element_id, 0.0) + per_month * peak_factor / SECONDS_PER_MONTH
        )

    def build(self) -> None:
        valid = self.valid
        explicit_patterns = set()
        for entry in valid.of_kind("access_patterns"):
            rpm = entry.element.requests_per_month  # type: ignore[attr-defined]
            if rpm is not None:
                explicit_patterns.add(entry.id)
                self.enter(entry.id, rpm, 3.0)
        for entry in valid.entries.values():
            element = entry.element
            # (read from the field values: a missing attribute is slow on a pydantic model)
            workload = vars(element).get("workload")
            if isinstance(element, Schedule):
                explicit = element.workload.requests_per_month
                runs = explicit if explicit is not None else runs_per_month(element.expression)
                self.enter(entry.id, runs, 1.0)
            elif (
                workload is not None
                and workload.requests_per_month is not None
                and entry.kind != "steps"
            ):
                self.enter(entry.id, workload.requests_per_month, workload.peak_factor)
            if isinstance(element, (Command, ReadModel)):
                for pattern in valid.targets(element, "access_patterns"):
                    if pattern.id not in explicit_patterns:
                        self.add(entry.id, pattern)
            if isinstance(element, Command):
                for emit, event in zip(element.emits, valid.targets(element, "emits"), strict=True):
                    self.add(entry.id, event, emit.probability * emit.count)
            elif isinstance(element, ExternalSystem):
                for emit, event in zip(element.emits, valid.targets(element, "emits"), strict=True):
                    self.add(entry.id, event, emit.probability * emit.count)
                if element.webhook is not None:
                    for emit, event in zip(
                        element.webhook.emits, valid.targets(element, "webhook.emits"), strict=True
                    ):
                        self.add(entry.id, event, emit.probability * emit.count)
                    self.add(entry.id, valid.target(element, "webhook.command"))
            elif isinstance(element, (Policy, Schedule)):
                self.add(entry.id, valid.target(element, "command"))
                self.add(entry.id, valid.target(element, "workflow"))
            elif isinstance(element, Source):
                per_invocation = 1.0 if element.kind == "bucket" else 1.0 / element.batch_size
                self.add(entry.id, valid.target(element, "consumer"), per_invocation)
            elif isinstance(element, Workflow):
                self.add(entry.id, valid.entries[element.steps[0].id or ""])
                self.add_steps(element.steps)
            elif isinstance(element, DirectCall):
                caller = valid.target(element, "caller")
                if caller is not None:
                    self.add(
                        caller.id, valid.target(element, "callee"), element.calls_per_invocation
                    )
        policies_of: dict[str, list[Entry]] = {}
        for policy in valid.of_kind("policies"):
            trigger = valid.target(policy.element, "event")
            if trigger is not None:
                policies_of.setdefault(trigger.id, []).append(policy)
        for event in valid.of_kind("events"):
            for policy in policies_of.get(event.id, ()):
                self.add(event.id, policy)

    def add_steps(self, steps: Sequence[StepBase]) -> None:
        """Edges between the steps of one scope (a workflow, a branch or a map's steps)."""
        valid = self.valid
        by_name = {s.name: s for s in steps}

        def entry_of(name: str | None) -> Entry | None:
            step = by_name.get(name) if name is not None else None
            return valid.entries[step.id or ""] if step is not None else None

        compensable: list[StepBase] = []
        for i, step in enumerate(steps):
            sid = step.id or ""
            following = steps[i + 1] if i + 1 < len(steps) else None
            successor = (
                entry_of(step.next)
                if step.next
                else (
                    valid.entries[following.id or ""]
                    if following is not None
                    and not isinstance(step, (SucceedStep, FailStep, ChoiceStep))
                    else None
                )
            )
            ok = 1.0
            if isinstance(step, ResilientStep):
                retry = step_retry(step) if retries_failure(step) else None
                attempts, still_fails = expected_attempts(retry, step.failure_rate)
                ok = 1.0 - still_fails
                if isinstance(step, (TaskStep, ServiceStep)):
                    self.attempt_factor[sid] = attempts
                    self.add(sid, valid.target(step, "task"), attempts)
                    self.add(sid, valid.target(step, "target"), attempts)
                catch = catch_of(step)
                if catch is not None:
                    self.add(sid, entry_of(catch.next), still_fails)
                else:
                    for done in compensable:
                        self.add(sid, valid.target(done, "compensate"), still_fails)
                if getattr(step, "compensate", None):
                    compensable.append(step)
            if isinstance(step, ParallelStep):
                for branch in step.parallel:
                    self.add(sid, valid.entries[branch.steps[0].id or ""])
                    self.add_steps(branch.steps)
            elif isinstance(step, MapStep):
                self.add(
                    sid, valid.entries[step.map.steps[0].id or ""], step.map.items_per_execution
                )
                self.add_steps(step.map.steps)
            elif isinstance(step, ChoiceStep):
                given = sum(b.probability or 0 for b in step.choice)
                unset = [b for b in step.choice if b.probability is None]
                rest = max(0.0, 1.0 - given)
                share = (
                    rest / (len(unset) + (1 if step.default else 0))
                    if (unset or step.default)
                    else 0.0
                )
                for option in step.choice:
                    self.add(
                        sid,
                        entry_of(option.next),
                        option.probability if option.probability is not None else share,
                    )
                if step.default:
                    self.add(sid, entry_of(step.default), share)
            elif isinstance(step, ApprovalStep):
                spec = step.approval
                ok = max(0.0, 1.0 - spec.rejection_rate - spec.timeout_rate)
                self.add(sid, entry_of(spec.on_reject), spec.rejection_rate)
                self.add(sid, entry_of(spec.on_timeout), spec.timeout_rate)
            self.add(sid, successor, ok)


def compute_traffic(valid: ValidDesign) -> Traffic:
    """Monthly volumes and peak rates of every element; raises DesignError on a cycle that
    amplifies traffic."""
    graph = _Graph(valid)
    graph.build()
    try:
        monthly, peak = propagate_all(graph.nodes, [graph.entry, graph.peak_entry], graph.edges)
    except AmplifyingCycle as cycle:
        names = " → ".join(valid.entries[str(n)].element.name for n in cycle.nodes)
        first = valid.entries[str(cycle.nodes[0])]
        raise DesignError(
            [
                Problem(
                    format_loc(first.loc, valid.design.model_dump(mode="json")),
                    f"the cycle {names} feeds itself (gain {cycle.gain:.2f}); give one of its "
                    "emits a probability below 1 so that traffic dies out",
                    loc=first.loc,
                )
            ]
        ) from None
    attempts = {sid: monthly[sid] * factor for sid, factor in graph.attempt_factor.items()}
    outbound = {
        system.id: sum(
            monthly.get(caller.id, 0.0) for caller in valid.targets(system.element, "called_by")
        )
        for system in valid.of_kind("external_systems")
        if valid.targets(system.element, "called_by")
    }
    return Traffic(monthly, peak, attempts, outbound)
