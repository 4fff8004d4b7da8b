"""The Diagrams tab's files: each diagram, or one event-flow view, as SVG, PNG, DOT or Mermaid."""

from __future__ import annotations

import re

from fastapi import APIRouter, HTTPException
from fastapi.responses import Response

from app.generators.diagrams import (
    Graph,
    UnknownView,
    context_map_graph,
    drawable_dot,
    entities_graph,
    event_flow_graph,
    render,
    to_mermaid,
)
from app.model import DesignError, ValidDesign
from app.services.previews import validated
from app.web.deps import StudioDep

router = APIRouter(include_in_schema=False)

# The diagrams one can ask for by name; a name is looked up here, never used as a path.
DIAGRAMS = ("event-flow", "context-map", "entities")
FORMATS = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "dot": "text/vnd.graphviz; charset=utf-8",
    "mmd": "text/plain; charset=utf-8",
}
# A diagram is shown, never run: its SVG cannot run script or load anything.
SVG_POLICY = (
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
)


def view_choices(valid: ValidDesign) -> list[tuple[str, str]]:
    """The event-flow views to choose from: the whole, each bounded context, each event."""
    choices = [("all", "The whole design")]
    for kind, label in (("contexts", "Bounded context"), ("events", "Follow event")):
        for entry in valid.of_kind(kind):
            scope = "context" if kind == "contexts" else "event"
            code = valid.code(entry.element)
            choices.append((f"{scope}:{code}", f"{label}: {entry.element.name}"))
    return choices


def diagrams_context(digest: str, text: str, view: str) -> dict[str, object]:
    """What the Diagrams tab needs: the diagrams to show and the event-flow views."""
    valid = validated(digest, text)
    if isinstance(valid, DesignError):
        return {}
    choices = view_choices(valid)
    chosen = view if view in {value for value, _ in choices} else "all"
    titles = {"event-flow": "Event flow", "context-map": "Context map", "entities": "Entities"}
    return {
        "diagrams": [(name, titles[name]) for name in DIAGRAMS],
        "views": choices,
        "view": chosen,
    }


def diagram_graph(valid: ValidDesign, name: str, view: str | None) -> Graph:
    """The graph of one named diagram; only the event flow has views."""
    if name == "event-flow":
        return event_flow_graph(valid, view)
    if view not in (None, "", "all"):
        raise UnknownView("only the event flow has views")
    return context_map_graph(valid) if name == "context-map" else entities_graph(valid)


def diagram_bytes(graph: Graph, fmt: str) -> bytes:
    """One diagram in one of the download formats."""
    if fmt == "dot":
        return drawable_dot(graph).encode("utf-8")
    if fmt == "mmd":
        return to_mermaid(graph).encode("utf-8")
    return render(drawable_dot(graph), fmt)


@router.get("/designs/{design_id}/diagrams/{name}.{fmt}")
def diagram(
    design_id: str, name: str, fmt: str, studio: StudioDep, view: str | None = None
) -> Response:
    """One diagram of the design's current content, to show or download."""
    if name not in DIAGRAMS or fmt not in FORMATS:
        raise HTTPException(404, "There is no such diagram.")
    document = studio.document(design_id)
    valid = validated(document.digest, document.text)
    if isinstance(valid, DesignError):
        raise HTTPException(409, "Fix the design's problems before drawing it.")
    try:
        graph = diagram_graph(valid, name, view)
    except UnknownView as exc:
        raise HTTPException(404, "The design has no such view.") from exc
    suffix = "" if not view or view == "all" else "-" + re.sub(r"[^A-Za-z0-9_-]", "-", view)
    filename = f"{name}{suffix}.{fmt}"
    headers = {
        "Content-Security-Policy": SVG_POLICY,
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, max-age=60",
        "Content-Disposition": f'attachment; filename="{filename}"',
    }
    return Response(diagram_bytes(graph, fmt), media_type=FORMATS[fmt], headers=headers)
