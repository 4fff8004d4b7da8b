"""Mermaid text of a diagram (``flowchart``), for Markdown files that GitHub and GitLab render.

The same ``Graph`` the DOT writer takes, with the same kinds and colours. Names from the design
appear only inside quoted labels, where every character that Mermaid or HTML could read as
syntax is written as a Mermaid entity code (``#35;`` for ``#``), so ``end``, ``-->``, ``"]``,
``%%`` or ``<script>`` in a name stay text.
"""

from __future__ import annotations

from app.generators.diagrams.legend import EDGE_STYLES, NODE_STYLES
from app.generators.diagrams.render import Edge, Graph, Node
from app.generators.diagrams.text import DETAIL_LINES, DETAIL_WIDTH, EDGE_LINE_WIDTH, wrap

_SHAPES: dict[str, tuple[str, str]] = {
    "box": ("[", "]"),
    "note": ("[", "]"),
    "box3d": ("[[", "]]"),
    "hexagon": ("{{", "}}"),
    "tab": ("[/", "/]"),
    "component": ("[\\", "\\]"),
    "octagon": ("{{", "}}"),
    "ellipse": ("([", "])"),
    "cylinder": ("[(", ")]"),
    "folder": ("[[", "]]"),
    "diamond": ("{", "}"),
    "circle": ("((", "))"),
    "doublecircle": ("(((", ")))"),
}
_KIND_SHAPES = {"event": (">", "]"), "queue": ("[/", "\\]"), "workflow": ("(", ")")}
"""Kinds whose Mermaid shape differs from what their Graphviz shape maps to."""
_SAFE_PUNCTUATION = " .,-"


def mermaid_text(text: str) -> str:
    """Text for inside a quoted Mermaid label: letters, digits and spaces as they are, the rest
    as entity codes (so nothing in a name can close the label or open markup)."""
    return "".join(
        ch if ch.isalnum() or ch in _SAFE_PUNCTUATION else f"#{ord(ch)};"
        for ch in " ".join(text.split())
    )


def _label(node: Node) -> str:
    if node.kind in ("start", "end"):
        return '" "'
    style = NODE_STYLES[node.kind]
    lines = [f"<i>{mermaid_text(style.caption)}</i>"]
    lines += [mermaid_text(line) for line in wrap(node.label)]
    if node.detail:
        lines += [
            f"<small>{mermaid_text(line)}</small>"
            for line in wrap(node.detail, DETAIL_WIDTH, DETAIL_LINES)
        ]
    return '"' + "<br/>".join(lines) + '"'


MAX_EDGES = 500
"""Mermaid refuses diagrams with more edges (its ``maxEdges``, which a diagram cannot raise)."""
_EDGE_PRIORITY = ("event", "flow", "error", "default", "retry", "call", "data", "actor", "about")


def _edges_shown(graph: Graph) -> list[Edge]:
    """Every edge, or on a diagram too big for Mermaid the ``MAX_EDGES`` that matter most
    (events and triggers first), in the diagram's order."""
    edges = list(graph.edges.values())
    if len(edges) <= MAX_EDGES:
        return edges
    rank = {kind: i for i, kind in enumerate(_EDGE_PRIORITY)}
    keep = sorted(range(len(edges)), key=lambda i: (rank.get(edges[i].kind, 99), i))[:MAX_EDGES]
    return [edges[i] for i in sorted(keep)]


def _shown_note(graph: Graph) -> str:
    total = len(graph.edges)
    if total <= MAX_EDGES:
        return ""
    return f" ({MAX_EDGES} of {total} connections: Mermaid draws no more; see the SVG)"


def to_mermaid(graph: Graph) -> str:
    """The Mermaid flowchart of a diagram: deterministic, every name escaped."""
    ids = graph.node_ids()
    cluster_ids = {key: f"c{i}" for i, key in enumerate(graph.clusters)}
    direction = "LR" if graph.direction == "LR" else "TB"
    lines = [
        "---",
        f'title: "{mermaid_text(graph.title + _shown_note(graph))}"',
        "---",
        f"flowchart {direction}",
    ]
    children: dict[str | None, list[str]] = {}
    for key, cluster in graph.clusters.items():
        parent = cluster.parent if cluster.parent in graph.clusters else None
        children.setdefault(parent, []).append(key)
    members: dict[str | None, list[str]] = {}
    for key, node in graph.nodes.items():
        home = node.cluster if node.cluster in graph.clusters else None
        members.setdefault(home, []).append(key)

    def emit(cluster_key: str | None, depth: int) -> None:
        pad = "  " * depth
        for key in members.get(cluster_key, []):
            node = graph.nodes[key]
            opening, closing = _KIND_SHAPES.get(node.kind) or _SHAPES[NODE_STYLES[node.kind].shape]
            lines.append(f"{pad}{ids[key]}{opening}{_label(node)}{closing}:::sd_{node.kind}")
        for child in children.get(cluster_key, []):
            cluster = graph.clusters[child]
            label = mermaid_text(f"{cluster.caption}: {cluster.label}")
            lines.append(f'{pad}subgraph {cluster_ids[child]}["{label}"]')
            emit(child, depth + 1)
            lines.append(f"{pad}end")

    emit(None, 1)
    link_styles: dict[str, list[int]] = {}
    for i, edge in enumerate(_edges_shown(graph)):
        arrow = "-.->" if EDGE_STYLES[edge.kind].style in ("dashed", "dotted") else "-->"
        text = "<br/>".join(mermaid_text(ln) for ln in wrap(edge.label, EDGE_LINE_WIDTH, 2))
        label = f'|"{text}"|' if edge.label else ""
        lines.append(f"  {ids[edge.source]} {arrow}{label} {ids[edge.target]}")
        link_styles.setdefault(edge.kind, []).append(i)
    for kind in sorted({n.kind for n in graph.nodes.values()}):
        style = NODE_STYLES[kind]
        dashed = ",stroke-dasharray:4 3" if "dashed" in style.style else ""
        lines.append(f"  classDef sd_{kind} fill:{style.fill},stroke:#333333,color:#000000{dashed}")
    for kind, indexes in sorted(link_styles.items()):
        colour = EDGE_STYLES[kind].color
        lines.append(f"  linkStyle {','.join(map(str, indexes))} stroke:{colour}")
    return "\n".join(lines) + "\n"
