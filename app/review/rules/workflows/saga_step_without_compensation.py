"""A saga step that writes after a compensable step but cannot be undone itself."""

from __future__ import annotations

from collections.abc import Iterator

from app.model.elements import Command
from app.model.errors import Loc
from app.model.index import Entry
from app.model.workflow import (
    ApprovalStep,
    ChoiceStep,
    FailStep,
    ServiceStep,
    StepBase,
    SucceedStep,
    TaskStep,
)
from app.review.engine import Finding, ReviewContext, Rule

WRITES = ("dynamodb:putItem", "dynamodb:updateItem")


def happy_path_edges(steps: list[Entry]) -> dict[str, list[str]]:
    """Step name → the steps that can run next when nothing fails or is rejected.

    Catches, rejections and timeouts are left out: they lead to failure handling, which is
    where compensation runs, not to more forward work.
    """
    edges: dict[str, list[str]] = {}
    for i, entry in enumerate(steps):
        step = entry.element
        assert isinstance(step, StepBase)
        following = steps[i + 1].element.name if i + 1 < len(steps) else None
        targets: list[str | None]
        if isinstance(step, ChoiceStep):
            targets = [*(b.next for b in step.choice), step.default]
        elif isinstance(step, (SucceedStep, FailStep)):
            targets = []
        else:
            targets = [step.next or following]
        edges[step.name] = [t for t in targets if t is not None]
    return edges


def reachable(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    todo = list(edges.get(start, []))
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(edges.get(name, []))
    return seen


class SagaStepWithoutCompensation(Rule):
    """Flags writing steps without ``compensate`` that run after a compensable step and are
    followed by more steps that can fail (a failure there leaves their write behind)."""

    id = "saga-step-without-compensation"
    title = "Saga step without compensation"
    severity = "warning"
    topic = "workflows"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        scopes: dict[Loc, list[Entry]] = {}
        for entry in ctx.valid.of_kind("steps"):
            scopes.setdefault(entry.scope, []).append(entry)
        undoers = {
            c.id
            for e in ctx.valid.of_kind("steps")
            if (c := ctx.valid.target(e.element, "compensate")) is not None
        }
        for steps in scopes.values():
            yield from self.check_scope(ctx, steps, undoers)

    def check_scope(
        self, ctx: ReviewContext, steps: list[Entry], undoers: set[str]
    ) -> Iterator[Finding]:
        edges = happy_path_edges(steps)
        by_name = {e.element.name: e for e in steps}
        fallible = {
            name
            for name, e in by_name.items()
            if isinstance(e.element, (TaskStep, ServiceStep, ApprovalStep))
        }
        flagged: set[str] = set()
        for entry in steps:
            step = entry.element
            if not isinstance(step, (TaskStep, ServiceStep)) or step.compensate is None:
                continue
            for name in sorted(reachable(step.name, edges)):
                later = by_name[name]
                if (
                    name in flagged
                    or not self.writes(ctx, later, undoers)
                    or not reachable(name, edges) & fallible
                ):
                    continue
                flagged.add(name)
                yield self.finding(
                    ctx,
                    later,
                    f"'{name}' writes after '{step.name}', which can be undone, "
                    "and steps that can fail follow it, but it has no compensate of its own: "
                    "a failure there leaves its write behind",
                    "compensate",
                )

    @staticmethod
    def writes(ctx: ReviewContext, entry: Entry, undoers: set[str]) -> bool:
        step = entry.element
        if isinstance(step, ServiceStep):
            return step.compensate is None and step.service in WRITES
        if not isinstance(step, TaskStep) or step.compensate is not None:
            return False
        task = ctx.valid.target(step, "task")
        return (
            task is not None
            and task.id not in undoers
            and isinstance(task.element, Command)
            and task.element.aggregate is not None
        )
