"""The context map: bounded contexts, external systems, and the events and calls between them."""

from __future__ import annotations

from collections import defaultdict

from app.generators.diagrams.render import Edge, Graph, Node
from app.model import ValidDesign
from app.model.index import Entry
from app.model.workflow import ServiceStep, TaskStep

MAX_NAMES = 4
"""Event names listed on one edge before the rest is counted ("+3 more")."""


def context_map_graph(valid: ValidDesign) -> Graph:
    """Contexts as nodes; an edge per pair of contexts for the events one consumes from the
    other, and one for synchronous calls; external systems with their webhooks and calls."""
    graph = Graph(f"{valid.design.name} — context map")
    home: dict[str, str] = {}
    for entry in valid.of_kind("contexts"):
        counts = ", ".join(
            f"{len(getattr(entry.element, kind))} {kind.replace('_', ' ')}"
            for kind in ("commands", "events", "policies")
        )
        graph.add_node(
            Node(entry.id, "context", entry.element.name, None, counts, entry.element.name)
        )
    for entry in valid.entries.values():
        if entry.context is not None and entry.kind != "contexts":
            home[entry.id] = entry.context.id or ""
    for entry in valid.of_kind("external_systems"):
        graph.add_node(Node(entry.id, "external", entry.element.name, None, "", entry.element.name))
        home[entry.id] = entry.id

    events: dict[tuple[str, str], list[str]] = defaultdict(list)
    calls: dict[tuple[str, str], list[str]] = defaultdict(list)

    def note(bucket: dict[tuple[str, str], list[str]], src: Entry, dst: Entry, text: str) -> None:
        a, b = home.get(src.id), home.get(dst.id)
        if a and b and a != b and text not in bucket[(a, b)]:
            bucket[(a, b)].append(text)

    producers = _producers(valid)
    for policy in valid.of_kind("policies"):
        event = valid.target(policy.element, "event")
        if event is None:
            continue
        # an event nobody emits yet still comes from its own context
        for producer in producers.get(event.id, [event]):
            note(events, producer, policy, event.element.name)
    for call in valid.of_kind("calls"):
        caller = valid.target(call.element, "caller")
        callee = valid.target(call.element, "callee")
        if caller and callee:
            note(calls, caller, callee, callee.element.name)
    for system in valid.of_kind("external_systems"):
        for caller in valid.targets(system.element, "called_by"):
            note(calls, caller, system, "calls out")
        for command in valid.targets(system.element, "webhook.command"):
            note(calls, system, command, "webhook")
        for field in ("emits", "webhook.emits"):
            for event in valid.targets(system.element, field):
                note(events, system, event, event.element.name)
    for step in valid.of_kind("steps"):
        if isinstance(step.element, TaskStep | ServiceStep) and step.workflow is not None:
            field = "task" if isinstance(step.element, TaskStep) else "target"
            target = valid.target(step.element, field)
            if target is not None:
                note(calls, valid.entry(step.workflow.id or ""), target, target.element.name)

    position = {key: i for i, key in enumerate(valid.entries)}
    for (a, b), names in sorted(
        events.items(), key=lambda kv: (position[kv[0][0]], position[kv[0][1]])
    ):
        graph.add_edge(Edge(a, b, _names(names), "event"))
    for (a, b), names in sorted(
        calls.items(), key=lambda kv: (position[kv[0][0]], position[kv[0][1]])
    ):
        graph.add_edge(Edge(a, b, "calls " + _names(names), "call"))
    return graph


def _producers(valid: ValidDesign) -> dict[str, list[Entry]]:
    """Who puts each event on the bus: commands and external systems, by event id."""
    found: dict[str, list[Entry]] = defaultdict(list)
    sources = (("commands", ("emits",)), ("external_systems", ("emits", "webhook.emits")))
    for kind, fields in sources:
        for entry in valid.of_kind(kind):
            for field in fields:
                for event in valid.targets(entry.element, field):
                    found[event.id].append(entry)
    return found


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:MAX_NAMES])
    return shown + (f" +{len(names) - MAX_NAMES} more" if len(names) > MAX_NAMES else "")
