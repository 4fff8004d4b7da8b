"""The graph of a state machine read from its ASL, for diagrams and dry-run replays.

The ASL stays the single source: diagrams draw what this returns, and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.generators.workflows.checks import nested_scopes, transitions

COMPENSATION_COMMENT = "compensates "
"""How a compensation state says so in its ``Comment`` (``compensates Reserve stock``)."""


@dataclass(frozen=True)
class StateNode:
    """One state: its name (unique in the machine), type, the state it is nested in, if any."""

    name: str
    type: str
    parent: str | None
    start: bool
    end: bool
    compensation: bool
    label: str
    """A short second line for a diagram: the resource, wait, error, … of the state."""


@dataclass(frozen=True)
class StateEdge:
    """One transition. ``kind``: next, choice, default, catch, retry-loop, compensation, branch."""

    source: str
    target: str
    kind: str
    label: str = ""


def state_graph(asl: dict[str, Any]) -> tuple[list[StateNode], list[StateEdge]]:
    """Nodes and edges of a state machine, in a stable order (depth first, States in order)."""
    nodes: list[StateNode] = []
    edges: list[StateEdge] = []
    _scope(asl, None, nodes, edges)
    return nodes, edges


def _label(state: dict[str, Any]) -> str:
    kind = state.get("Type")
    if kind == "Task":
        resource = str(state.get("Resource", ""))
        return resource.removeprefix("arn:aws:states:::")
    if kind == "Wait":
        for key in ("Seconds", "SecondsPath", "Timestamp", "TimestampPath"):
            if key in state:
                return f"{key} {state[key]}"
    if kind == "Fail":
        return str(state.get("Error", state.get("ErrorPath", "")))
    if kind == "Map":
        mode = state.get("ItemProcessor", {}).get("ProcessorConfig", {}).get("Mode", "INLINE")
        return f"{mode.lower()} over {state.get('ItemsPath', '$')}"
    return ""


def _scope(
    scope: dict[str, Any], parent: str | None, nodes: list[StateNode], edges: list[StateEdge]
) -> None:
    start = scope.get("StartAt")
    states: dict[str, Any] = scope.get("States", {})
    if parent is not None and start in states:
        edges.append(StateEdge(parent, start, "branch"))
    for name, state in states.items():
        compensation = str(state.get("Comment", "")).startswith(COMPENSATION_COMMENT)
        nodes.append(
            StateNode(
                name=name,
                type=str(state.get("Type")),
                parent=parent,
                start=name == start,
                end=state.get("End") is True or state.get("Type") in ("Succeed", "Fail"),
                compensation=compensation,
                label=_label(state),
            )
        )
        if state.get("Retry"):
            attempts = max(int(r.get("MaxAttempts", 3)) for r in state["Retry"])
            edges.append(StateEdge(name, name, "retry-loop", f"retry ×{attempts}"))
        for kind, target in transitions(state):
            label = ""
            if kind == "catch":
                catch = next(c for c in state["Catch"] if c.get("Next") == target)
                label = ", ".join(catch.get("ErrorEquals", []))
            elif kind == "next" and compensation:
                kind = "compensation"
            edges.append(StateEdge(name, target, kind, label))
        for _, inner in nested_scopes(state):
            _scope(inner, name, nodes, edges)
