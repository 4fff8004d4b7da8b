"""Diagrams of a design: event flow (whole, per context), context map, entities, state machines.

``diagram_files`` is the generator (``diagrams/…`` as SVG, DOT and Mermaid, PNG on request);
the ``*_svg`` functions are what the studio calls for one diagram, through the render cache.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from app.generators.diagrams.context_map import context_map_graph
from app.generators.diagrams.entities import entities_graph
from app.generators.diagrams.event_flow import UnknownView, View, event_flow_graph
from app.generators.diagrams.mermaid import to_mermaid
from app.generators.diagrams.render import (
    CACHE,
    Graph,
    RenderCache,
    drawable_dot,
    render,
    to_dot,
)
from app.generators.diagrams.state_machines import state_machine_graph
from app.generators.output import Artifact
from app.model import DesignError, ValidDesign

AslSource = Callable[[ValidDesign], Mapping[str, dict[str, Any]]]


def diagram_graphs(
    valid: ValidDesign, asl: Mapping[str, dict[str, Any]] | None = None
) -> dict[str, Graph]:
    """Every diagram of a design by its path stem under ``diagrams/``."""
    graphs = {
        "event-flow": event_flow_graph(valid),
        "context-map": context_map_graph(valid),
        "entities": entities_graph(valid),
    }
    for entry in valid.of_kind("contexts"):
        code = valid.code(entry.element)
        graphs[f"contexts/{code}.event-flow"] = event_flow_graph(valid, View("context", code))
    definitions = workflow_definitions(valid) if asl is None else asl
    names = {valid.code(e.element): e.element.name for e in valid.of_kind("workflows")}
    for code in sorted(definitions):
        title = f"{names.get(code, code)} — state machine"
        graphs[f"workflows/{code}"] = state_machine_graph(definitions[code], title)
    return graphs


def diagram_files(
    valid: ValidDesign,
    png: bool = False,
    asl: Mapping[str, dict[str, Any]] | None = None,
    cache: RenderCache | None = None,
) -> Iterator[Artifact]:
    """Every diagram as ``.dot``, ``.mmd`` and ``.svg`` (and ``.png`` when asked)."""
    for stem, graph in sorted(diagram_graphs(valid, asl).items()):
        dot_text = drawable_dot(graph, cache)
        yield Artifact.text(f"diagrams/{stem}.dot", "diagram-dot", dot_text)
        yield Artifact.text(f"diagrams/{stem}.mmd", "diagram-mermaid", to_mermaid(graph))
        yield Artifact(f"diagrams/{stem}.svg", "diagram-svg", render(dot_text, "svg", cache))
        if png:
            yield Artifact(f"diagrams/{stem}.png", "diagram-png", render(dot_text, "png", cache))


def workflow_definitions(valid: ValidDesign) -> dict[str, dict[str, Any]]:
    """The ASL of each workflow by code, from the workflow generator when it is installed.

    A workflow the generator refuses is left out (the workflow generator reports why); the
    others are still drawn.
    """
    try:
        from app.generators.workflows import build_state_machine
    except ImportError:
        return {}
    definitions = {}
    for entry in valid.of_kind("workflows"):
        try:
            machine = build_state_machine(valid, entry)
        except DesignError:
            continue
        definitions[machine.code] = machine.asl
    return definitions


def event_flow_svg(valid: ValidDesign, view: View | str | None = None) -> bytes:
    """SVG of the event flow: ``all``, ``context:<code>`` or ``event:<code>``."""
    return render(event_flow_graph(valid, view), "svg")


def event_flow_mermaid(valid: ValidDesign, view: View | str | None = None) -> str:
    return to_mermaid(event_flow_graph(valid, view))


def context_map_svg(valid: ValidDesign) -> bytes:
    return render(context_map_graph(valid), "svg")


def entities_svg(valid: ValidDesign) -> bytes:
    return render(entities_graph(valid), "svg")


def state_machine_svg(asl: dict[str, Any], title: str = "state machine") -> bytes:
    return render(state_machine_graph(asl, title), "svg")


__all__ = [
    "CACHE",
    "Graph",
    "RenderCache",
    "UnknownView",
    "View",
    "context_map_graph",
    "context_map_svg",
    "diagram_files",
    "diagram_graphs",
    "drawable_dot",
    "entities_graph",
    "entities_svg",
    "event_flow_graph",
    "event_flow_mermaid",
    "event_flow_svg",
    "render",
    "state_machine_graph",
    "state_machine_svg",
    "to_dot",
    "to_mermaid",
]
