"""The one rendering module: a small graph description → DOT text → SVG or PNG through Graphviz.

Every diagram (event flow, context map, entities, state machines) is built as a ``Graph`` of
``Node``s (a kind, a label, an optional cluster) and ``Edge``s (a label, a kind), then written
as DOT here and as Mermaid in ``mermaid.py``. Names from the design never become DOT
identifiers: nodes are ``n0``, ``n1``…, clusters ``cluster_c0``…, and every label is an HTML-like
label whose text is entity-escaped, so a name such as ``"]; } <script>`` is only text.

Rendering shells out to ``dot`` (Debian's ``graphviz``); results are cached by the hash of
the DOT text, so the studio re-renders only the diagrams whose DOT changed.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
from collections import OrderedDict
from dataclasses import dataclass, field

from app.generators.diagrams.legend import EDGE_STYLES, NODE_STYLES, legend_html
from app.generators.diagrams.text import (
    DETAIL_LINES,
    DETAIL_WIDTH,
    EDGE_LINE_WIDTH,
    html_text,
    quoted,
    wrap,
)

FONT = "DejaVu Sans"
LONG_CHAIN = 14
"""Longest flow (in nodes) above which edges across clusters stop ranking their ends."""
FORMATS = ("svg", "png")
BIG_LAYOUT = 300
"""Nodes above which Graphviz is told to settle for a quicker layout."""


class RenderError(RuntimeError):
    """Graphviz refused a diagram (a bug here: the DOT we write should always render)."""


@dataclass(frozen=True)
class Node:
    """One box in a diagram; ``key`` is ours (an element id or a path), never shown or emitted."""

    key: str
    kind: str
    label: str
    cluster: str | None = None
    detail: str = ""
    tooltip: str = ""


@dataclass(frozen=True)
class Edge:
    """An arrow between two nodes (by key), with an optional label."""

    source: str
    target: str
    label: str = ""
    kind: str = "flow"


@dataclass(frozen=True)
class Cluster:
    """A group of nodes drawn as a box: a bounded context, a Parallel branch, a Map iterator."""

    key: str
    label: str
    parent: str | None = None
    caption: str = "bounded context"


@dataclass
class Graph:
    """A diagram before layout: nodes, edges and clusters in the order they were added."""

    title: str
    direction: str = "LR"
    legend: bool = True
    loose_between_clusters: bool = False
    """Whether edges between top-level clusters may stop ranking their ends when the flow is
    long (see ``to_dot``)."""
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str, str], Edge] = field(default_factory=dict)
    clusters: dict[str, Cluster] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        """Add a node; a second node with the same key is ignored (the first one wins)."""
        if node.kind not in NODE_STYLES:
            raise ValueError(f"unknown node kind {node.kind!r}")
        self.nodes.setdefault(node.key, node)

    def add_edge(self, edge: Edge) -> None:
        """Add an edge once; edges to or from unknown nodes are refused."""
        if edge.kind not in EDGE_STYLES:
            raise ValueError(f"unknown edge kind {edge.kind!r}")
        for end in (edge.source, edge.target):
            if end not in self.nodes:
                raise KeyError(f"edge end {end!r} is not a node")
        self.edges.setdefault((edge.source, edge.target, edge.label, edge.kind), edge)

    def add_cluster(self, cluster: Cluster) -> None:
        self.clusters.setdefault(cluster.key, cluster)

    def top_cluster(self, node_key: str) -> str | None:
        """The outermost cluster a node sits in (None outside every cluster)."""
        cluster = self.nodes[node_key].cluster
        while cluster in self.clusters and self.clusters[cluster].parent in self.clusters:
            cluster = self.clusters[cluster].parent
        return cluster if cluster in self.clusters else None

    def node_ids(self) -> dict[str, str]:
        """The emitted identifier of every node key: ``n0``, ``n1``… in insertion order."""
        return {key: f"n{i}" for i, key in enumerate(self.nodes)}

    def subgraph(self, keep: set[str]) -> Graph:
        """The same diagram restricted to some node keys (clusters left empty are dropped)."""
        result = Graph(self.title, self.direction, self.legend, self.loose_between_clusters)
        for node_key, node in self.nodes.items():
            if node_key in keep:
                result.nodes[node_key] = node
        for edge_key, edge in self.edges.items():
            if edge.source in keep and edge.target in keep:
                result.edges[edge_key] = edge
        used = {n.cluster for n in result.nodes.values() if n.cluster}
        while True:
            parents = {self.clusters[c].parent for c in used if c in self.clusters}
            grown = used | {p for p in parents if p}
            if grown == used:
                break
            used = grown
        result.clusters = {k: c for k, c in self.clusters.items() if k in used}
        return result


def node_label(node: Node) -> str:
    style = NODE_STYLES[node.kind]
    caption = f'<FONT POINT-SIZE="{max(style.font_size - 3, 7)}" COLOR="#444444">'
    caption += f"{html_text(style.caption)}</FONT>"
    name = "<BR/>".join(html_text(line) for line in wrap(node.label))
    parts = [caption, f'<FONT POINT-SIZE="{style.font_size}">{name}</FONT>']
    if node.detail:
        detail = "<BR/>".join(
            html_text(line) for line in wrap(node.detail, DETAIL_WIDTH, DETAIL_LINES)
        )
        parts.append(f'<FONT POINT-SIZE="8" COLOR="#333333">{detail}</FONT>')
    return "<" + "<BR/>".join(parts) + ">"


def edge_label(text: str) -> str:
    return "<" + "<BR/>".join(html_text(ln) for ln in wrap(text, EDGE_LINE_WIDTH, 2)) + ">"


# --- DOT ----------------------------------------------------------------------------------------


def to_dot(graph: Graph, loosen: bool | None = None) -> str:
    """The DOT text of a diagram: deterministic, every name escaped, ready for ``dot``.

    ``loosen``: whether edges between top-level clusters stop ranking their ends; by default
    when the graph allows it and its longest flow is longer than ``LONG_CHAIN``.
    """
    ids = graph.node_ids()
    cluster_ids = {key: f"cluster_c{i}" for i, key in enumerate(graph.clusters)}
    big = len(graph.nodes) > 120
    big_layout = len(graph.nodes) > BIG_LAYOUT
    lines = [
        "digraph stormdraft {",
        f"  graph [rankdir={graph.direction}, fontname={quoted(FONT)}, fontsize=12, "
        f"newrank=true, nodesep={0.18 if big else 0.25}, ranksep={0.45 if big else 0.6}, "
        'pad=0.2, labelloc=b, labeljust=l, bgcolor="#FFFFFF"'
        # Fewer layout passes and straight-segment edges on big diagrams: a second instead of
        # half a minute, still without overlaps (tests/generators/diagrams/test_readable.py).
        + (", nslimit=0.1, nslimit1=0.1, mclimit=0.1, splines=polyline" if big_layout else "")
        + "];",
        f'  node [fontname={quoted(FONT)}, margin="0.14,0.06", penwidth=1.2, color="#333333"];',
        f'  edge [fontname={quoted(FONT)}, fontsize=8, fontcolor="#333333", arrowsize=0.7];',
    ]
    title = f'<TR><TD ALIGN="LEFT"><B>{html_text(graph.title)}</B></TD></TR>'
    if graph.legend:
        kinds = {n.kind for n in graph.nodes.values()}
        edge_kinds = {e.kind for e in graph.edges.values()}
        legend = f"<TR><TD>{legend_html(kinds, edge_kinds)}</TD></TR>"
    else:
        legend = ""
    lines.append(f'  label=<<TABLE BORDER="0" CELLSPACING="4">{title}{legend}</TABLE>>;')

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
            lines.append(pad + _node_statement(ids[key], graph.nodes[key]))
        for child in children.get(cluster_key, []):
            cluster = graph.clusters[child]
            caption = html_text(cluster.caption)
            label = (
                f'<<FONT POINT-SIZE="8" COLOR="#555555">{caption}</FONT><BR/>'
                f"<B>{'<BR/>'.join(html_text(ln) for ln in wrap(cluster.label, 40, 2))}</B>>"
            )
            fill = "#FAFAFA" if depth % 2 else "#F5F7FA"
            lines.append(f"{pad}subgraph {cluster_ids[child]} {{")
            lines.append(
                f'{pad}  graph [label={label}, style="rounded,filled", fillcolor="{fill}", '
                'color="#9AA5B1", penwidth=1, labeljust=l, labelloc=t];'
            )
            emit(child, depth + 1)
            lines.append(f"{pad}}}")

    emit(None, 1)
    # A long flow that hops between contexts would stretch every context to the length of the
    # whole chain (and take dot minutes): then edges across contexts only connect, not rank.
    if loosen is None:
        loosen = graph.loose_between_clusters and longest_chain(graph) > LONG_CHAIN
    for edge in graph.edges.values():
        loose = loosen and graph.top_cluster(edge.source) != graph.top_cluster(edge.target)
        lines.append("  " + _edge_statement(ids[edge.source], ids[edge.target], edge, loose))
    lines.append("}")
    return "\n".join(lines) + "\n"


def longest_chain(graph: Graph) -> int:
    """Nodes on the longest path through the diagram, edges that close a cycle left out."""
    successors: dict[str, list[str]] = {key: [] for key in graph.nodes}
    for edge in graph.edges.values():
        if edge.source != edge.target:
            successors[edge.source].append(edge.target)
    order: list[str] = []  # depth-first finishing order; reversed, a topological order
    state: dict[str, int] = {}
    for root in graph.nodes:
        if root in state:
            continue
        state[root] = 1
        stack = [(root, iter(successors[root]))]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif child not in state:
                state[child] = 1
                stack.append((child, iter(successors[child])))
    position = {node: i for i, node in enumerate(reversed(order))}
    length = dict.fromkeys(graph.nodes, 1)
    for node in reversed(order):
        for child in successors[node]:
            if position[child] > position[node]:  # forward edge; back edges close cycles
                length[child] = max(length[child], length[node] + 1)
    return max(length.values(), default=0)


def _node_statement(node_id: str, node: Node) -> str:
    style = NODE_STYLES[node.kind]
    attrs = [
        f"label={node_label(node)}",
        f"shape={style.shape}",
        f'style="{style.style}"',
        f'fillcolor="{style.fill}"',
    ]
    if node.kind in ("start", "end"):
        attrs = [
            'label=""',
            f"shape={style.shape}",
            'style="filled"',
            f'fillcolor="{style.fill}"',
            "width=0.22",
            "height=0.22",
            "fixedsize=true",
        ]
    if node.tooltip:
        attrs.append(f"tooltip={quoted(node.tooltip)}")
    return f"{node_id} [{', '.join(attrs)}];"


def _edge_statement(source: str, target: str, edge: Edge, loose: bool) -> str:
    style = EDGE_STYLES[edge.kind]
    attrs = [f'color="{style.color}"', f"style={style.style}", f"arrowhead={style.arrowhead}"]
    if loose:
        attrs.append("constraint=false")
    if edge.label:
        attrs.insert(0, f"label={edge_label(edge.label)}")
    return f"{source} -> {target} [{', '.join(attrs)}];"


# --- Graphviz -----------------------------------------------------------------------------------

_COMMENT = re.compile(rb"<!--.*?-->\n?", re.DOTALL)


def run_dot(dot_text: str, fmt: str) -> bytes:
    """Lay out and draw DOT text with Graphviz (``svg`` or ``png``)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    try:
        done = subprocess.run(
            ["dot", f"-T{fmt}"],
            input=dot_text.encode("utf-8"),
            capture_output=True,
            timeout=120,
            check=False,
        )
    except FileNotFoundError as exc:
        raise RenderError("Graphviz 'dot' is not installed (apt-get install graphviz)") from exc
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip() or "dot failed"
        raise RenderError(message[:400])  # dot can dump every node it gave up on
    if fmt == "svg":
        # The comments carry Graphviz's version and our node ids, nothing a reader needs.
        return _COMMENT.sub(b"", done.stdout)
    return done.stdout


class RenderCache:
    """Rendered diagrams by the hash of their DOT text and format (least recently used out)."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self._items: OrderedDict[str, bytes] = OrderedDict()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(dot_text: str, fmt: str) -> str:
        return hashlib.sha256(f"{fmt}\n{dot_text}".encode()).hexdigest()

    def render(self, dot_text: str, fmt: str = "svg") -> bytes:
        """The drawing of ``dot_text``: from the cache when this exact text was drawn before."""
        key = self.key(dot_text, fmt)
        if key in self._items:
            self.hits += 1
            self._items.move_to_end(key)
            return self._items[key]
        self.misses += 1
        drawn = run_dot(dot_text, fmt)
        self._items[key] = drawn
        if len(self._items) > self.max_entries:
            self._items.popitem(last=False)
        return drawn

    def clear(self) -> None:
        self._items.clear()
        self.hits = self.misses = 0


CACHE = RenderCache()
"""The process-wide render cache the studio and the generators share."""


def drawable_dot(graph: Graph, cache: RenderCache | None = None) -> str:
    """The DOT text of a diagram as Graphviz draws it.

    Loosened edges between clusters can trip a Graphviz bug ("trouble in init_rank"); such a
    diagram is written again with every edge ranking its ends, which dot always lays out.
    """
    dot_text = to_dot(graph)
    if "constraint=false" not in dot_text:
        return dot_text
    try:
        (cache or CACHE).render(dot_text, "svg")
    except RenderError as exc:
        if "init_rank" not in str(exc):
            raise
        return to_dot(graph, loosen=False)
    return dot_text


def render(graph: Graph | str, fmt: str = "svg", cache: RenderCache | None = None) -> bytes:
    """SVG or PNG bytes of a diagram (a ``Graph`` or its DOT text), through the cache."""
    dot_text = graph if isinstance(graph, str) else drawable_dot(graph, cache)
    return (cache or CACHE).render(dot_text, fmt)
