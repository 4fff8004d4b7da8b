"""A feedback loop whose traffic barely dies out."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence

from app.model.elements import Command, DirectCall, ExternalSystem, Policy
from app.model.flow import _components
from app.model.traffic import _Graph
from app.model.workflow import ApprovalStep, ChoiceStep, ResilientStep, StepBase, Workflow
from app.review.engine import Finding, ReviewContext, Rule

Edges = Mapping[str, Sequence[tuple[str, float]]]


def round_trip_gain(start: str, members: set[str], edges: Edges, rounds: int = 10_000) -> float:
    """Share of the traffic leaving ``start`` that comes back to it (1 or more: it never dies).

    For a simple loop this is the product of its weights; pushing a unit round the component
    also covers loops that share nodes.
    """
    moving = {start: 1.0}
    returned = 0.0
    for _ in range(rounds):
        arriving: dict[str, float] = {}
        for node, amount in moving.items():
            for nxt, weight in edges.get(node, ()):
                if nxt in members:
                    arriving[nxt] = arriving.get(nxt, 0.0) + weight * amount
        returned += arriving.pop(start, 0.0)
        moving = arriving
        if returned >= 1 or sum(moving.values()) < 1e-12:
            break
    return returned


def loop_graph(ctx: ReviewContext) -> _Graph:
    """The traffic graph's edges that can close a loop, built in linear time.

    Same edges as ``app.model.traffic`` builds, less those out of elements nothing flows into
    (schedules, sources, access patterns). The model's own build pairs every event with every
    policy, which is too slow to repeat on large designs; a public, linear ``traffic_graph()``
    in the model would let this rule reuse it.
    """
    valid = ctx.valid
    graph = _Graph(valid)
    for entry in valid.of_kind("workflows"):
        workflow = entry.element
        assert isinstance(workflow, Workflow)
        graph.add(entry.id, valid.entries[workflow.steps[0].id or ""])
        graph.add_steps(list[StepBase](workflow.steps))
    for entry in valid.of_kind("commands"):
        command = entry.element
        assert isinstance(command, Command)
        for emit, event in zip(command.emits, valid.targets(command, "emits"), strict=True):
            graph.add(entry.id, event, emit.probability)
    for entry in valid.of_kind("external_systems"):
        system = entry.element
        assert isinstance(system, ExternalSystem)
        for emit, event in zip(system.emits, valid.targets(system, "emits"), strict=True):
            graph.add(entry.id, event, emit.probability)
        if system.webhook is not None:
            pairs = zip(system.webhook.emits, valid.targets(system, "webhook.emits"), strict=True)
            for emit, event in pairs:
                graph.add(entry.id, event, emit.probability)
            graph.add(entry.id, valid.target(system, "webhook.command"))
    for event_id, policies in ctx.policies_by_event.items():
        for policy in policies:
            graph.add(event_id, policy)
    for entry in valid.of_kind("policies"):
        assert isinstance(entry.element, Policy)
        graph.add(entry.id, valid.target(entry.element, "command"))
        graph.add(entry.id, valid.target(entry.element, "workflow"))
    for entry in valid.of_kind("calls"):
        call = entry.element
        assert isinstance(call, DirectCall)
        caller = valid.target(call, "caller")
        if caller is not None:
            graph.add(caller.id, valid.target(call, "callee"), call.calls_per_invocation)
    return graph


def may_loop(ctx: ReviewContext) -> bool:
    """Whether the design can have a loop at all: a cheap test that spares building the
    weighted graph for the many designs without one."""
    valid = ctx.valid
    successors: dict[str, set[str]] = {}

    def link(source: str, target: str) -> None:
        successors.setdefault(source, set()).add(target)

    for entry in valid.of_kind("commands"):
        for event in valid.targets(entry.element, "emits"):
            link(entry.id, event.id)
    for event_id, policies in ctx.policies_by_event.items():
        for policy in policies:
            link(event_id, policy.id)
            for field in ("command", "workflow"):
                if (target := valid.target(policy.element, field)) is not None:
                    link(policy.id, target.id)
    for entry in valid.of_kind("calls"):
        caller = valid.target(entry.element, "caller")
        callee = valid.target(entry.element, "callee")
        if caller is not None and callee is not None:
            link(caller.id, callee.id)
    positions: dict[tuple[object, str], int] = {}
    for step in valid.of_kind("steps"):
        positions[(step.scope, step.element.name)] = int(step.loc[-1])
    for step in valid.of_kind("steps"):
        assert step.workflow is not None
        for field in ("task", "compensate", "target"):
            if (target := valid.target(step.element, field)) is not None:
                link(step.workflow.id or "", target.id)
        here = step.loc[-1]
        assert isinstance(here, int) and isinstance(step.element, StepBase)
        if any(positions.get((step.scope, n or ""), here + 1) <= here for n in jumps(step.element)):
            return True
    indegree: dict[str, int] = {}
    for nexts in successors.values():
        for node_id in nexts:
            indegree[node_id] = indegree.get(node_id, 0) + 1
    ready = [node for node in successors if indegree.get(node, 0) == 0]
    while ready:
        for node_id in successors.get(ready.pop(), ()):
            indegree[node_id] -= 1
            if indegree[node_id] == 0:
                ready.append(node_id)
    return any(count > 0 for count in indegree.values())


def jumps(step: StepBase) -> list[str | None]:
    """The names of the steps a step may go to other than the one after it."""
    names = [step.next]
    if isinstance(step, ResilientStep):
        names += [c.next for c in step.on_error]
    if isinstance(step, ChoiceStep):
        names += [b.next for b in step.choice] + [step.default]
    elif isinstance(step, ApprovalStep):
        names += [step.approval.on_reject, step.approval.on_timeout]
    return names


class BarelyDampedCycle(Rule):
    """Flags loops in the traffic flow that pass on more than ``max_gain`` of their traffic."""

    id = "barely-damped-cycle"
    title = "Cycle damped only barely"
    severity = "warning"
    topic = "structure"

    def check(self, ctx: ReviewContext) -> Iterator[Finding]:
        if not may_loop(ctx):
            return
        graph = loop_graph(ctx)
        limit = self.threshold("max_gain")
        linked = sorted({*graph.edges, *(n for out in graph.edges.values() for n, _ in out)})
        for component in _components(linked, graph.edges):
            members = set(component)
            looping = len(component) > 1 or any(
                n in members for n, _ in graph.edges.get(component[0], ())
            )
            if not looping:
                continue
            first = min((ctx.valid.entries[n] for n in component), key=lambda e: e.loc)
            gain = round_trip_gain(first.id, members, graph.edges)
            if gain > limit:
                names = ", ".join(sorted(ctx.valid.entries[n].element.name for n in component))
                yield self.finding(
                    ctx,
                    first,
                    f"the loop through {names} sends {gain:.0%} of what leaves "
                    f"'{first.element.name}' back to it, multiplying its load by about "
                    f"{1 / max(1 - gain, 1e-9):.0f}: lower an emit's or a choice's probability",
                )
