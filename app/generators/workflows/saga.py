"""Saga compensation: when a step fails, undo the steps already done, newest first, then fail.

Per list of steps (the workflow, a branch, a map's item steps) that has compensating commands.
A step that fails without a catch of its own for every error goes to the compensation of the
most recent step that completed before it; the compensations form one chain, newest first,
ending in a Fail state that records the cause. Steps that completed on every path to the failing
step are undone unconditionally; steps that completed only on some paths are undone behind a
Choice that checks their result is in the state. Steps that only run to handle a failure (reached
through a catch) are the design's own compensation: when they fail, the workflow fails at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from app.model.workflow import (
    ApprovalStep,
    ChoiceStep,
    FailStep,
    ResilientStep,
    ServiceStep,
    StepBase,
    SucceedStep,
    TaskStep,
)


class Undo(NamedTuple):
    """One compensation in a chain: the step to undo, and whether it may not have run."""

    step: int
    guarded: bool


@dataclass
class StepGraph:
    """Transitions between the steps of one list, by index: on success and on failure."""

    success: list[list[int]] = field(default_factory=list)
    failure: list[list[int]] = field(default_factory=list)

    def reachable(
        self, start: int, skip_success_of: int | None = None, failures: bool = True
    ) -> set[int]:
        seen: set[int] = set()
        todo = [start]
        while todo:
            i = todo.pop()
            if i in seen:
                continue
            seen.add(i)
            if i != skip_success_of:
                todo.extend(self.success[i])
            if failures:
                todo.extend(self.failure[i])
        return seen


def step_graph(steps: Sequence[StepBase], follow: Callable[[int], int | None]) -> StepGraph:
    """The graph of a step list; ``follow(i)`` is the index a step goes to next (or None)."""
    index = {step.name: i for i, step in enumerate(steps)}
    graph = StepGraph()
    for i, step in enumerate(steps):
        success: list[int] = []
        failure: list[int] = []
        if isinstance(step, ChoiceStep):
            success += [index[b.next] for b in step.choice]
            default = index.get(step.default) if step.default else follow(i)
            success += [default] if default is not None else []
        elif not isinstance(step, (SucceedStep, FailStep)):
            after = follow(i)
            success += [after] if after is not None else []
        if isinstance(step, ResilientStep):
            failure += [index[c.next] for c in step.on_error]
        if isinstance(step, ApprovalStep):
            for target in (step.approval.on_reject, step.approval.on_timeout):
                failure += [index[target]] if target else []
        graph.success.append(success)
        graph.failure.append(failure)
    return graph


def compensable(step: StepBase) -> bool:
    return isinstance(step, (TaskStep, ServiceStep)) and step.compensate is not None


def can_fail(step: StepBase) -> bool:
    return isinstance(step, (ResilientStep, ApprovalStep))


def undo_chains(steps: Sequence[StepBase], graph: StepGraph) -> dict[int, tuple[Undo, ...]]:
    """For each step that can fail: the compensations to run when it does, newest first."""
    undoable = [i for i, step in enumerate(steps) if compensable(step)]
    if not undoable or not steps:
        return {}
    reach: dict[int, set[int]] = {}
    for c in undoable:
        for s in graph.success[c]:
            if s not in reach:
                reach[s] = graph.reachable(s)
    after_success = {c: set().union(*(reach[s] for s in graph.success[c])) for c in undoable}
    without_success = {c: graph.reachable(0, skip_success_of=c) for c in undoable}
    main_path = graph.reachable(0, failures=False)
    chains: dict[int, tuple[Undo, ...]] = {}
    for k, step in enumerate(steps):
        if not can_fail(step):
            continue
        if k not in main_path:
            # A step that only runs to handle a failure: the design compensates there itself,
            # so when it fails too the workflow stops with the cause, undoing nothing twice.
            chains[k] = ()
            continue
        chain = [
            Undo(c, guarded=k in without_success[c])
            for c in reversed(undoable)
            if c != k and k in after_success[c]
        ]
        chains[k] = tuple(chain)
    return chains
