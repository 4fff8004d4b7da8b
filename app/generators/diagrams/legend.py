"""The visual language of every diagram: one style per kind of node and edge, and the legend.

Colours follow the event-storming stickies (events orange, commands blue, actors small yellow,
aggregates pale yellow, policies lilac, read models green, external systems pink, hotspots red).
Colour is never the only cue: each kind has its own shape and every node carries a small kind
caption above its name, so a diagram printed in grey (or read by someone colour-blind) still
tells a command from an event.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeStyle:
    """How one kind of node looks: caption, fill colour, Graphviz shape, extra style words."""

    caption: str
    fill: str
    shape: str
    style: str = "filled"
    font_size: int = 11


@dataclass(frozen=True)
class EdgeStyle:
    """How one kind of edge looks: colour, line style, arrow head."""

    color: str
    style: str = "solid"
    arrowhead: str = "normal"


NODE_STYLES: dict[str, NodeStyle] = {
    # event storming
    "event": NodeStyle("event", "#FFB366", "box", "filled,diagonals"),
    "command": NodeStyle("command", "#8EC5FF", "box"),
    "actor": NodeStyle("actor", "#FFF59D", "note", font_size=9),
    "aggregate": NodeStyle("aggregate", "#FFF8D6", "box3d"),
    "policy": NodeStyle("policy", "#D9C2EC", "hexagon"),
    "read_model": NodeStyle("read model", "#B9E6C4", "tab"),
    "external": NodeStyle("external system", "#F8BBD0", "component"),
    "hotspot": NodeStyle("hotspot", "#FF6B6B", "octagon", "filled,bold"),
    # serverless plumbing around them
    "schedule": NodeStyle("schedule", "#E3E3E3", "ellipse"),
    "source": NodeStyle("source", "#CFE3EA", "cylinder"),
    "queue": NodeStyle("queue", "#F2F2F2", "box", "filled,dashed"),
    "workflow": NodeStyle("workflow", "#C6E8E3", "box", "rounded,filled,bold"),
    "context": NodeStyle("bounded context", "#F4F4F4", "box", "rounded,filled"),
    "index": NodeStyle("index", "#E8EAF6", "folder"),
    "pattern": NodeStyle("access pattern", "#FFFFFF", "box", "rounded,filled"),
    # state machines
    "task": NodeStyle("task", "#8EC5FF", "box", "rounded,filled"),
    "service": NodeStyle("service call", "#CFE3EA", "box", "rounded,filled"),
    "choice": NodeStyle("choice", "#FFF3E0", "diamond"),
    "wait": NodeStyle("wait", "#E3E3E3", "ellipse"),
    "approval": NodeStyle("approval", "#FFF59D", "note"),
    "pass": NodeStyle("pass", "#F2F2F2", "box", "rounded,filled,dashed"),
    "parallel": NodeStyle("parallel", "#EDE7F6", "box", "rounded,filled"),
    "map": NodeStyle("map", "#E0F2F1", "box", "rounded,filled"),
    "succeed": NodeStyle("succeed", "#B9E6C4", "box", "rounded,filled,bold"),
    "fail": NodeStyle("fail", "#FF6B6B", "box", "rounded,filled,bold"),
    "start": NodeStyle("start", "#333333", "circle", font_size=8),
    "end": NodeStyle("end", "#333333", "doublecircle", font_size=8),
}
"""Every node kind any diagram may use."""

EDGE_STYLES: dict[str, EdgeStyle] = {
    "flow": EdgeStyle("#555555"),
    "event": EdgeStyle("#D9822B"),
    "call": EdgeStyle("#1F6FB2", "dashed"),
    "data": EdgeStyle("#8A7A2E", "solid", "vee"),
    "about": EdgeStyle("#D32F2F", "dotted", "none"),
    "actor": EdgeStyle("#B8A200", "dotted"),
    "default": EdgeStyle("#555555", "dashed"),
    "error": EdgeStyle("#D32F2F", "dashed"),
    "retry": EdgeStyle("#7B1FA2", "dotted"),
}
"""Every edge kind any diagram may use."""

EDGE_MEANING: dict[str, str] = {
    "flow": "triggers",
    "event": "event on the bus",
    "call": "synchronous call",
    "data": "reads or writes",
    "about": "hotspot about",
    "actor": "actor issues",
    "default": "default branch",
    "error": "on error (catch)",
    "retry": "retry",
}


_LINE = {"solid": "━━━", "dashed": "╍╍╍", "dotted": "┈┈┈"}
LEGEND_COLUMNS = 5


def legend_rows(node_kinds: set[str], edge_kinds: set[str]) -> list[tuple[str, str, str]]:
    """The legend entries a diagram needs: (``node`` or ``edge``, colour, caption)."""
    rows = [
        ("node", NODE_STYLES[k].fill, NODE_STYLES[k].caption)
        for k in NODE_STYLES
        if k in node_kinds and k not in ("start", "end")
    ]
    rows += [
        ("edge:" + k, EDGE_STYLES[k].color, EDGE_MEANING[k]) for k in EDGE_STYLES if k in edge_kinds
    ]
    return rows


def legend_html(node_kinds: set[str], edge_kinds: set[str]) -> str:
    """The legend as a Graphviz HTML table (only fixed, trusted text goes in here)."""
    cells = []
    for what, colour, caption in legend_rows(node_kinds, edge_kinds):
        if what == "node":
            swatch = f'<TD BGCOLOR="{colour}" BORDER="1" WIDTH="16"> </TD>'
        else:
            line = _LINE[EDGE_STYLES[what.split(":")[1]].style]
            swatch = f'<TD><FONT COLOR="{colour}">{line}</FONT></TD>'
        cells.append(f'{swatch}<TD ALIGN="LEFT"><FONT POINT-SIZE="9">{caption}</FONT></TD>')
    rows = [
        "<TR>" + "".join(cells[i : i + LEGEND_COLUMNS]) + "</TR>"
        for i in range(0, len(cells), LEGEND_COLUMNS)
    ]
    return (
        '<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2" COLOR="#BBBBBB">'
        f'<TR><TD COLSPAN="{2 * LEGEND_COLUMNS}" ALIGN="LEFT"><B>Legend</B></TD></TR>'
        + "".join(rows)
        + "</TABLE>"
    )
