"""Linear flow through a weighted graph: how much arrives at each node, cycles included.

Used for traffic (requests per month along commands, events and policies) and for visits of
workflow steps. A cycle is allowed only when it damps what goes round it (its gain is below
1); otherwise ``AmplifyingCycle`` names the cycle.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

N = TypeVar("N", bound=Hashable)
Edges = Mapping[N, Sequence[tuple[N, float]]]


@dataclass
class AmplifyingCycle(Exception):
    """A cycle whose traffic does not die out."""

    nodes: Sequence[Hashable]
    gain: float


def _components(nodes: list[N], edges: Edges[N]) -> list[list[N]]:
    """Strongly connected components in topological order (Tarjan, iterative)."""
    index: dict[N, int] = {}
    low: dict[N, int] = {}
    on_stack: set[N] = set()
    stack: list[N] = []
    result: list[list[N]] = []
    counter = 0
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[N, int]] = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            successors = edges.get(node, ())
            if i < len(successors):
                work.append((node, i + 1))
                nxt = successors[i][0]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                result.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    result.reverse()
    return result


def _gain(component: list[N], edges: Edges[N]) -> float:
    """Spectral radius of a component's weights.

    Power iteration on ``I + M`` (a plain iteration on ``M`` never settles on a cycle, whose
    eigenvalues all share one modulus), stopped as soon as the Collatz–Wielandt bounds
    ``min(y/x) <= 1 + radius <= max(y/x)`` decide whether the radius is below 1.
    """
    members = set(component)
    x = dict.fromkeys(component, 1.0)
    low = high = 0.0
    for _ in range(20_000):
        y = dict(x)
        for node in component:
            for nxt, weight in edges.get(node, ()):
                if nxt in members:
                    y[nxt] += weight * x[node]
        ratios = [y[n] / x[n] for n in component]
        low, high = min(ratios) - 1, max(ratios) - 1
        if high < 1 - 1e-9 or low >= 1 - 1e-9 or high - low < 1e-12:
            break
        norm = max(y.values())
        x = {k: v / norm for k, v in y.items()}
    return high if high < 1 - 1e-9 else max(low, min(high, 1.0))


def _cycle_path(component: list[N], edges: Edges[N]) -> list[N]:
    """One simple cycle through the component, for the error message."""
    members = set(component)
    start = component[-1]
    path = [start]
    seen = {start}
    node = start
    while True:
        nxt = next(n for n, _ in edges.get(node, ()) if n in members)
        if nxt in seen:
            return path[path.index(nxt) :] + [nxt]
        path.append(nxt)
        seen.add(nxt)
        node = nxt


def propagate(nodes: list[N], sources: Mapping[N, float], edges: Edges[N]) -> dict[N, float]:
    """Total arriving at each node: its own source plus weighted inflow from predecessors."""
    return propagate_all(nodes, [sources], edges)[0]


def propagate_all(
    nodes: list[N], sources: Sequence[Mapping[N, float]], edges: Edges[N]
) -> list[dict[N, float]]:
    """``propagate`` for several source maps over one graph, finding its cycles only once."""
    components: list[tuple[list[N], bool]] = []
    for component in _components(nodes, edges):
        cyclic = len(component) > 1 or any(
            n == component[0] for n, _ in edges.get(component[0], ())
        )
        if cyclic:
            gain = _gain(component, edges)
            if gain >= 1 - 1e-9:
                path: list[N] = _cycle_path(component, edges)
                raise AmplifyingCycle(path, gain)
        components.append((component, cyclic))
    return [_flow(nodes, source, edges, components) for source in sources]


def _flow(
    nodes: list[N],
    sources: Mapping[N, float],
    edges: Edges[N],
    components: list[tuple[list[N], bool]],
) -> dict[N, float]:
    totals = {node: float(sources.get(node, 0.0)) for node in nodes}
    for component, cyclic in components:
        if cyclic:
            members = set(component)
            base = {n: totals[n] for n in component}
            for _ in range(100_000):
                inflow = dict(base)
                for node in component:
                    for nxt, weight in edges.get(node, ()):
                        if nxt in members:
                            inflow[nxt] += weight * totals[node]
                change = max(abs(inflow[n] - totals[n]) for n in component)
                totals.update(inflow)
                if change <= 1e-9 * max(1.0, max(abs(v) for v in inflow.values())):
                    break
            for node in component:
                for nxt, weight in edges.get(node, ()):
                    if nxt not in members:
                        totals[nxt] += weight * totals[node]
        else:
            node = component[0]
            for nxt, weight in edges.get(node, ()):
                totals[nxt] += weight * totals[node]
    return totals
