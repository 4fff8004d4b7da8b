"""State-machine diagrams drawn from Amazon States Language (ASL) definitions.

Takes the ASL dict the workflow generator writes (``StartAt``, ``States`` with ``Next``, ``End``,
``Choices``/``Default``, ``Catch``, ``Retry``, ``Parallel`` ``Branches``, ``Map``
``ItemProcessor``/``Iterator``) and draws it in the same visual language as the event flow:
Parallel branches and Map iterators are clusters, Catch edges are red and dashed, Retry is a
dotted loop on its state, terminal states lead to an end marker.
"""

from __future__ import annotations

from typing import Any

from app.generators.diagrams.render import Cluster, Edge, Graph, Node

_COMPARATORS = {
    "StringEquals": "=",
    "NumericEquals": "=",
    "BooleanEquals": "=",
    "TimestampEquals": "=",
    "NumericLessThan": "<",
    "StringLessThan": "<",
    "TimestampLessThan": "<",
    "NumericGreaterThan": ">",
    "StringGreaterThan": ">",
    "TimestampGreaterThan": ">",
    "NumericLessThanEquals": "≤",
    "StringLessThanEquals": "≤",
    "TimestampLessThanEquals": "≤",
    "NumericGreaterThanEquals": "≥",
    "StringGreaterThanEquals": "≥",
    "TimestampGreaterThanEquals": "≥",
    "StringMatches": "matches",
}


def state_machine_graph(asl: dict[str, Any], title: str = "state machine") -> Graph:
    """The diagram of one ASL state machine (nested Parallel and Map states included)."""
    graph = Graph(title, direction="TB")
    start = "start"
    graph.add_node(Node(start, "start", "start"))
    graph.add_node(Node("end", "end", "end"))
    entry = _states(graph, asl, prefix="", cluster=None)
    graph.add_edge(Edge(start, entry, "", "flow"))
    return graph


def _key(prefix: str, name: str) -> str:
    return f"{prefix}/{name}" if prefix else name


def _states(graph: Graph, machine: dict[str, Any], prefix: str, cluster: str | None) -> str:
    """Add the states of one machine (or branch); return the key of its first state."""
    states: dict[str, Any] = machine.get("States", {})
    exits: dict[str, str] = {}
    for name, state in states.items():
        key = _key(prefix, name)
        exits[name] = _state(graph, key, name, state, cluster)
    for name, state in states.items():
        key = exits[name]
        source = _key(prefix, name)
        if state.get("Next") in states:
            graph.add_edge(Edge(key, _key(prefix, state["Next"]), "", "flow"))
        terminal = state.get("End") or state.get("Type") in ("Succeed", "Fail")
        if terminal and cluster is None:  # inside a branch, _join links it instead
            graph.add_edge(Edge(key, "end", "", "flow"))
        for rule in state.get("Choices", []):
            if rule.get("Next") in states:
                graph.add_edge(Edge(source, _key(prefix, rule["Next"]), condition(rule), "flow"))
        if state.get("Default") in states:
            graph.add_edge(Edge(source, _key(prefix, state["Default"]), "default", "default"))
        for catch in state.get("Catch", []):
            if catch.get("Next") in states:
                errors = ", ".join(catch.get("ErrorEquals", []))
                graph.add_edge(Edge(source, _key(prefix, catch["Next"]), errors, "error"))
        retries = [
            f"×{r.get('MaxAttempts', 3)} {', '.join(r.get('ErrorEquals', []))}"
            for r in state.get("Retry", [])
        ]
        if retries:  # one loop per state, however many retriers: a readable diagram
            graph.add_edge(Edge(source, source, "retry " + "; ".join(retries), "retry"))
    return _key(prefix, machine.get("StartAt", next(iter(states), "")))


def _state(graph: Graph, key: str, name: str, state: dict[str, Any], cluster: str | None) -> str:
    """Add one state; return the key that its outgoing Next edge leaves from."""
    kind = state_kind(state)
    graph.add_node(Node(key, kind, name, cluster, _detail(state), name))
    if kind == "parallel":
        join = f"{key}/join"
        for i, branch in enumerate(state.get("Branches", [])):
            sub = f"{key}/branch{i}"
            graph.add_cluster(Cluster(sub, f"{name} — branch {i + 1}", cluster, "parallel branch"))
            first = _states(graph, branch, sub, sub)
            graph.add_edge(Edge(key, first, "", "flow"))
            _join(graph, branch, sub, join, cluster, f"{name} joined")
        return join if join in graph.nodes else key
    if kind == "map":
        processor = state.get("ItemProcessor") or state.get("Iterator") or {}
        sub = f"{key}/items"
        graph.add_cluster(Cluster(sub, f"{name} — each item", cluster, "map iterator"))
        first = _states(graph, processor, sub, sub)
        if first in graph.nodes:
            graph.add_edge(Edge(key, first, "each item", "flow"))
        join = f"{key}/join"
        _join(graph, processor, sub, join, cluster, f"{name} done")
        return join if join in graph.nodes else key
    return key


def _join(
    graph: Graph, machine: dict[str, Any], prefix: str, join: str, cluster: str | None, label: str
) -> None:
    if join not in graph.nodes:
        graph.add_node(Node(join, "pass", label, cluster))
    for name, state in machine.get("States", {}).items():
        if state.get("End") or state.get("Type") in ("Succeed", "Fail"):
            inner = _key(prefix, name)
            exit_key = f"{inner}/join" if f"{inner}/join" in graph.nodes else inner
            graph.add_edge(Edge(exit_key, join, "", "flow"))


def state_kind(state: dict[str, Any]) -> str:
    """The node kind a state is drawn as."""
    kind = state.get("Type", "Pass")
    if kind == "Task":
        resource = str(state.get("Resource", ""))
        if resource.endswith(".waitForTaskToken"):
            return "approval"
        if ":lambda:" in resource or resource.startswith("arn:aws:lambda") or "${" in resource:
            return "task"
        return "service"
    return {
        "Choice": "choice",
        "Wait": "wait",
        "Pass": "pass",
        "Parallel": "parallel",
        "Map": "map",
        "Succeed": "succeed",
        "Fail": "fail",
    }.get(kind, "pass")


def _detail(state: dict[str, Any]) -> str:
    kind = state.get("Type")
    if kind == "Wait":
        for key in ("Seconds", "SecondsPath", "Timestamp", "TimestampPath"):
            if key in state:
                return f"{key} {state[key]}"
    if kind == "Fail":
        return str(state.get("Error", ""))
    if kind == "Task":
        resource = str(state.get("Resource", ""))
        service = resource.rsplit(":::", 1)[-1] if ":::" in resource else ""
        timeout = state.get("TimeoutSeconds")
        return " ".join(p for p in (service, f"timeout {timeout}s" if timeout else "") if p)
    return ""


def condition(rule: dict[str, Any]) -> str:
    """A Choice rule as short readable text (``total > 1000``, ``not (a = b)``, …)."""
    for joiner in ("And", "Or"):
        if joiner in rule:
            return f" {joiner.lower()} ".join(f"({condition(r)})" for r in rule[joiner])
    if "Not" in rule:
        return f"not ({condition(rule['Not'])})"
    if "Condition" in rule:  # JSONata
        return str(rule["Condition"])
    variable = str(rule.get("Variable", "")).removeprefix("$.")
    for key, value in rule.items():
        base = key.removesuffix("Path")
        if base in ("IsPresent", "IsNull"):
            word = "present" if base == "IsPresent" else "null"
            return f"{variable} {word}" if value else f"{variable} not {word}"
        if base in _COMPARATORS:
            return f"{variable} {_COMPARATORS[base]} {value}"
    return variable or "?"
